/* static.c - the web interface's files: kept in memory gzip-compressed, sent
 * with an ETag and revalidated (Cache-Control: no-cache), 304 when unchanged.
 *
 * A file is read and compressed on its first request and again when its size
 * or modification time changes (a stat per request, no read). A path with a
 * known file extension names a file (404 when there is none); any other path
 * outside /api/ is one of the web's own addresses (/o/miners/people/39) and gets
 * index.html, whose router shows the view. */
#include "static.h"
#include "respond.h"
#include "gzip.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"

#define STATIC_MAX_FILES 128
#define STATIC_MAX_SIZE (4u << 20)

struct sfile {
	char name[200];
	char *raw, *gz;
	size_t raw_len, gz_len;
	long long mtime_ns;
	off_t size;
	char etag[40];
};

static struct sfile files[STATIC_MAX_FILES];
static size_t nfiles;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static const struct {
	const char *ext, *type;
} types[] = {{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
	     {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
	     {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
	     {".ico", "image/x-icon"}, {".yaml", "application/yaml"}, {".txt", "text/plain; charset=utf-8"}};

const char *fs_static_type(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t el = strlen(types[i].ext);
		if (n > el && !strcmp(name + n - el, types[i].ext))
			return types[i].type;
	}
	return NULL;
}

int fs_static_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= sizeof(files[0].name) || name[0] == '.' || name[0] == '/' || strstr(name, "..") ||
	    strstr(name, "/.") || strstr(name, "//"))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9') || strchr("._-/", name[i])))
			return 0;
	return 1;
}

/* The entry for name, loaded or refreshed; NULL when there is no such file.
 * Called with lock held. */
static struct sfile *entry(const char *dir, const char *name)
{
	char path[512];
	struct stat st;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path) || stat(path, &st) ||
	    !S_ISREG(st.st_mode) || st.st_size > (off_t)STATIC_MAX_SIZE)
		return NULL;
	long long mt = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	struct sfile *f = NULL;
	for (size_t i = 0; i < nfiles && !f; i++)
		if (!strcmp(files[i].name, name))
			f = &files[i];
	if (f && f->mtime_ns == mt && f->size == st.st_size)
		return f;
	if (!f && nfiles == STATIC_MAX_FILES)
		return NULL;
	struct fs_buf b;
	fs_buf_init(&b, STATIC_MAX_SIZE);
	if (fs_buf_load(&b, path)) {
		fs_buf_done(&b);
		return NULL;
	}
	size_t raw_len = b.len, gz_len = 0;
	char *raw = fs_buf_take(&b);
	char *gz = raw ? fs_gzip(raw, raw_len, 9, &gz_len) : NULL;
	if (!gz) {
		free(raw);
		return NULL;
	}
	if (!f) {
		f = &files[nfiles++];
		snprintf(f->name, sizeof(f->name), "%s", name);
	}
	free(f->raw);
	free(f->gz);
	f->raw = raw, f->raw_len = raw_len, f->gz = gz, f->gz_len = gz_len;
	f->mtime_ns = mt, f->size = st.st_size;
	unsigned char h[8];
	crypto_generichash(h, sizeof(h), (const unsigned char *)raw, raw_len, NULL, 0);
	char hex[17];
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(f->etag, sizeof(f->etag), "\"%s\"", hex);
	return f;
}

enum MHD_Result fs_static_send(struct MHD_Connection *c, const char *web_dir, const char *url)
{
	const char *name = url[0] == '/' ? url + 1 : url;
	const char *type = fs_static_type(name);
	if (!web_dir || (*name && !fs_static_name_ok(name)))
		return fs_http_send_error(c, 404, "not_found", "no such resource", NULL);
	if (!type) /* an address of the web's router, not a file */
		name = "index.html", type = fs_static_type(name);
	pthread_mutex_lock(&lock);
	struct sfile *f = entry(web_dir, name);
	if (!f) {
		pthread_mutex_unlock(&lock);
		return fs_http_send_error(c, 404, "not_found", "no such resource", NULL);
	}
	char etag[40];
	snprintf(etag, sizeof(etag), "%s", f->etag);
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	int fresh = inm && strstr(inm, etag);
	int gz = fs_accepts_gzip(c);
	size_t len = fresh ? 0 : gz ? f->gz_len : f->raw_len;
	char *body = len ? malloc(len) : NULL;
	if (body)
		memcpy(body, gz ? f->gz : f->raw, len);
	pthread_mutex_unlock(&lock);
	if (len && !body)
		return fs_http_send_500(c);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, len ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(body);
		return fs_http_send_500(c);
	}
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "ETag", etag);
	MHD_add_response_header(r, "Vary", "Accept-Encoding");
	/* kept, but asked about again each time: a new version is seen at once */
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	if (gz && !fresh)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	return fs_http_queue(c, fresh ? 304 : 200, r);
}
