/* metrics.c - GET /metrics in the Prometheus text format: requests by route and
 * status, a latency histogram, open connections, the database's size, the
 * journal's length and the age of the last backup. Routes carry no ids or names. */
#include "ops.h"
#include "http.h"

#include <dirent.h>
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/fairshare.h"
#include "util/buf.h"

#define MAX_SERIES 160 /* distinct (route, status) pairs; past it: route "other" */

static const double bounds[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBOUNDS (sizeof(bounds) / sizeof(bounds[0]))

struct series {
	char route[FS_ROUTE_LABEL];
	unsigned status;
	uint64_t count;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct series series[MAX_SERIES];
static size_t nseries;
static uint64_t buckets[NBOUNDS + 1]; /* the last: +Inf */
static double sum_seconds;
static long open_connections;

/* A literal path segment: a short lowercase word (v1, people, openapi.yaml);
 * anything else (a number, a hash, a name) is a value. */
static int literal(const char *s, size_t n)
{
	if (n == 0 || n > 24 || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-' || s[i] == '.'))
			return 0;
	return 1;
}

void fs_metrics_route(const char *url, char *label, size_t n)
{
	if (!strcmp(url, "/health") || !strcmp(url, "/ready") || !strcmp(url, "/metrics")) {
		snprintf(label, n, "%s", url);
		return;
	}
	if (strncmp(url, "/api/", 5)) {
		snprintf(label, n, "static");
		return;
	}
	struct fs_buf b;
	fs_buf_init(&b, n - 1);
	const char *p = url + 1, *prev = "";
	size_t prev_len = 0;
	int fits = 1;
	for (int seg = 0; *p && fits; seg++) {
		size_t len = strcspn(p, "/");
		const char *what = NULL;
		if (prev_len == 4 && !strncmp(prev, "orgs", 4))
			what = ":org";
		else if (!literal(p, len))
			what = ":id";
		fits = !fs_buf_addc(&b, '/') && !(what ? fs_buf_adds(&b, what) : fs_buf_add(&b, p, len));
		prev = p, prev_len = len;
		p += len;
		while (*p == '/')
			p++;
	}
	snprintf(label, n, "%s", fits && b.data ? b.data : "/api/other");
	fs_buf_done(&b);
}

void fs_metrics_observe(const char *label, unsigned status, double seconds)
{
	pthread_mutex_lock(&lock);
	size_t i;
	for (i = 0; i < nseries; i++)
		if (series[i].status == status && !strcmp(series[i].route, label))
			break;
	if (i == nseries) {
		if (nseries == MAX_SERIES - 1) /* the last slot gathers the rest */
			label = "other";
		for (i = 0; i < nseries; i++)
			if (series[i].status == status && !strcmp(series[i].route, label))
				break;
		if (i == nseries && nseries < MAX_SERIES) {
			snprintf(series[i].route, sizeof(series[i].route), "%s", label);
			series[i].status = status;
			nseries++;
		}
	}
	if (i < MAX_SERIES)
		series[i].count++;
	size_t b = 0;
	while (b < NBOUNDS && seconds > bounds[b])
		b++;
	buckets[b]++;
	sum_seconds += seconds;
	pthread_mutex_unlock(&lock);
}

void fs_metrics_connections(int delta)
{
	pthread_mutex_lock(&lock);
	open_connections += delta;
	pthread_mutex_unlock(&lock);
}

static void gauge(struct fs_buf *b, const char *name, const char *help, double v)
{
	fs_buf_addf(b, "# HELP %s %s\n# TYPE %s gauge\n%s %.17g\n", name, help, name, name, v);
}

/* The newest *.db file in dir: its age in seconds, or -1 when there is none. */
static double newest_age(const char *dir)
{
	DIR *d = dir ? opendir(dir) : NULL;
	if (!d)
		return -1;
	time_t newest = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		struct stat sb;
		char path[4096];
		if (n > 3 && !strcmp(e->d_name + n - 3, ".db") &&
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < sizeof(path) && !stat(path, &sb) &&
		    S_ISREG(sb.st_mode) && sb.st_mtime > newest)
			newest = sb.st_mtime;
	}
	closedir(d);
	return newest ? difftime(time(NULL), newest) : -1;
}

static double file_size(const char *path, const char *suffix)
{
	char p[4096];
	struct stat sb;
	if ((size_t)snprintf(p, sizeof(p), "%s%s", path, suffix) >= sizeof(p) || stat(p, &sb))
		return 0;
	return (double)sb.st_size;
}

char *fs_metrics_text(const struct fs_http_opts *o, struct fs_ctx *ctx, size_t *len)
{
	struct fs_buf b;
	fs_buf_init(&b, 1u << 20);
	pthread_mutex_lock(&lock);
	fs_buf_adds(&b, "# HELP fairshare_http_requests_total Requests answered, by route (ids left out) and status.\n"
			"# TYPE fairshare_http_requests_total counter\n");
	for (size_t i = 0; i < nseries; i++)
		fs_buf_addf(&b, "fairshare_http_requests_total{route=\"%s\",status=\"%u\"} %llu\n", series[i].route,
			    series[i].status, (unsigned long long)series[i].count);
	fs_buf_adds(&b, "# HELP fairshare_http_request_duration_seconds Time from the request's first byte to the answer.\n"
			"# TYPE fairshare_http_request_duration_seconds histogram\n");
	uint64_t cum = 0;
	for (size_t i = 0; i <= NBOUNDS; i++) {
		cum += buckets[i];
		if (i < NBOUNDS)
			fs_buf_addf(&b, "fairshare_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", bounds[i], (unsigned long long)cum);
		else
			fs_buf_addf(&b, "fairshare_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", (unsigned long long)cum);
	}
	fs_buf_addf(&b, "fairshare_http_request_duration_seconds_sum %.6f\nfairshare_http_request_duration_seconds_count %llu\n",
		    sum_seconds, (unsigned long long)cum);
	long conns = open_connections;
	pthread_mutex_unlock(&lock);
	gauge(&b, "fairshare_http_open_connections", "Client connections open now.", (double)conns);
	gauge(&b, "fairshare_database_bytes", "Size of the database file.", file_size(o->db_path, ""));
	gauge(&b, "fairshare_database_wal_bytes", "Size of the database's write-ahead log (SQLite's journal).",
	      file_size(o->db_path, "-wal"));
	json_t *sum = NULL;
	struct fs_error err = {0};
	if (ctx && !fs_summary(ctx, &sum, &err))
		gauge(&b, "fairshare_journal_entries", "Entries in the hash-chained journal.",
		      (double)json_integer_value(json_object_get(json_object_get(sum, "journal"), "entries")));
	json_decref(sum);
	double age = newest_age(o->backup_dir);
	if (age >= 0)
		gauge(&b, "fairshare_last_backup_age_seconds", "Age of the newest *.db file in the backup folder.", age);
	else
		fs_buf_addf(&b, "# fairshare_last_backup_age_seconds: no backup in %s yet\n", o->backup_dir ? o->backup_dir : "(none set)");
	/* fairshare has no checkpoints yet: the metric comes with them */
	fs_buf_adds(&b, "# fairshare_last_checkpoint_age_seconds: fairshare makes no checkpoints yet\n");
	if (!b.data) {
		fs_buf_done(&b);
		return NULL;
	}
	*len = b.len;
	return fs_buf_take(&b);
}
