/* fetch.c - the CLI's HTTP GET (libcurl) for the core's fetch callback
 * (fs_fetch_fn, fairshare.h): what `fairshare witness` asks of another instance. */
#include "cli.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

struct sink {
	char *p;
	size_t n, max;
	int over;
};

static size_t sink_write(char *data, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	size_t n = size * nmemb;
	if (s->n + n > s->max) {
		s->over = 1;
		return 0; /* stops the transfer */
	}
	char *q = realloc(s->p, s->n + n + 1);
	if (!q)
		return 0;
	memcpy(q + s->n, data, n);
	s->p = q;
	s->n += n;
	s->p[s->n] = 0;
	return n;
}

int cli_fetch(void *ud, const char *url, size_t max, char **body, size_t *n, struct fs_error *err)
{
	(void)ud;
	static int inited;
	if (!inited && curl_global_init(CURL_GLOBAL_DEFAULT) == 0)
		inited = 1;
	CURL *h = curl_easy_init();
	if (!h)
		return fs_fail(err, FS_ENOMEM, NULL, "cannot start libcurl");
	struct sink s = {.p = calloc(1, 1), .max = max};
	const char *t = getenv("FAIRSHARE_FETCH_TIMEOUT"); /* seconds; for tests */
	long timeout = t && atol(t) > 0 ? atol(t) : 30;
	char ebuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "fairshare-witness/1");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	CURLcode cc = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	int rc = 0;
	if (s.over)
		rc = fs_fail(err, FS_EIO, "url", "%s answered more than %zu bytes", url, max);
	else if (cc != CURLE_OK)
		rc = fs_fail(err, FS_EIO, "url", "cannot fetch %s: %s", url, ebuf[0] ? ebuf : curl_easy_strerror(cc));
	else if (status != 200)
		rc = fs_fail(err, FS_EIO, "url", "%s answered HTTP %ld", url, status);
	if (rc || !s.p) {
		free(s.p);
		return rc ? rc : FS_ENOMEM;
	}
	*body = s.p;
	*n = s.n;
	return 0;
}
