/* server.c - the HTTP server: the daemon (libmicrohttpd, a thread per
 * connection), database contexts lent per request (pool.c), request bodies and their limits, the web's static files, one log
 * line per request (status and time; never paths, bodies, queries or personal
 * data). What each API route does, and who may, is the route table's
 * (routes.c) and its handlers' (h_*.c). */
#include "http.h"
#include "body.h"
#include "front.h"
#include "params.h"
#include "respond.h"
#include "static.h"
#include "route.h"
#include "transport.h"
#include "ops.h"
#include "pool.h"
#include "slow.h"
#include "schedule.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/fairshare.h"
#include "util/buf.h"
#include "util/money.h"
#include "util/utf8.h"

struct server {
	const struct fs_http_opts *o;
	struct fs_pool *pool;
	struct fs_slow *slow;
	/* requests answered whose answer is not sent yet: a stop waits for them
	 * (a write committed and its answer cut off looks failed: it is sent again) */
	pthread_mutex_t unsent_lock;
	pthread_cond_t unsent_none;
	unsigned unsent;
};

struct request {
	struct fs_buf body;
	int too_large;
	struct timespec start;
	char route[FS_ROUTE_LABEL]; /* for /metrics */
	struct fs_pool_slot *slot;  /* the context lent to the request's final call */
	/* answered on the handler pool (slow.c): the request, and its answer kept for
	 * the connection's thread to queue once resumed */
	const char *url, *method;
	int deferred;
	struct MHD_Response *resp;
	unsigned resp_status;
	int unsent; /* counted in server.unsent until completed() */
};

/* ---- the request's database context ---- */

/* Taken at first need, given back when the handler's final call returns. */
static struct fs_ctx *req_ctx(struct server *s, struct request *rq, struct fs_error *err)
{
	if (!rq->slot)
		rq->slot = fs_pool_take(s->pool, err);
	return rq->slot ? rq->slot->ctx : NULL;
}

/* ---- request helpers ---- */

struct route {
	char *seg[FS_ROUTE_SEGS];
	size_t n;
	char buf[512];
};

static int split_path(const char *url, struct route *r)
{
	if (strlen(url) >= sizeof(r->buf))
		return -1;
	snprintf(r->buf, sizeof(r->buf), "%s", url);
	r->n = 0;
	for (char *save = NULL, *p = strtok_r(r->buf, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
		if (r->n == FS_ROUTE_SEGS)
			return -1;
		r->seg[r->n++] = p;
	}
	return 0;
}

static const char *arg(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

static int is_write(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

static enum MHD_Result route(struct server *s, struct MHD_Connection *c, struct request *rq, const char *url,
			     const char *method)
{
	enum fs_ops_path op = fs_ops_path(url); /* /health, /ready, /metrics */
	if (op) {
		struct fs_error e = {0};
		return fs_ops_handle(s->o, c, op, method, op == FS_OPS_HEALTH ? NULL : req_ctx(s, rq, &e));
	}
	struct route r;
	if (split_path(url, &r) || r.n < 3 || strcmp(r.seg[0], "api") || strcmp(r.seg[1], "v1")) {
		if (!strcmp(method, "GET") && strncmp(url, "/api/", 5))
			return fs_static_send(c, s->o->web_dir, url);
		return fs_http_send_error(c, 404, "not_found", "no such resource", NULL);
	}
	if (rq->too_large)
		return fs_http_send_error(c, 413, "body_too_large", "the request body is larger than the limit", NULL);
	size_t ul = strlen(url); /* a reveal and an evidence download are journaled: writes too */
	if (s->o->read_only && (is_write(method) || arg(c, "reveal") || (ul > 5 && !strcmp(url + ul - 5, "/file"))))
		return fs_http_send_error(c, 503, "read_only", "this server is read-only (serve --read-only, e.g. on a "
					  "standby): it answers reads only; write through the primary's server", NULL);
	/* the route table (routes.c) does the rest */
	struct fs_error err = {0};
	return fs_route_dispatch(req_ctx(s, rq, &err), c, method, r.seg, r.n, rq->body.data, rq->body.len);
}

static int is_upload(const char *url, const char *method)
{
	size_t n = strlen(url);
	return (n > 14 && !strcmp(url + n - 14, "/people/import")) ||
	       (!strcmp(method, "POST") && n > 9 && !strcmp(url + n - 9, "/evidence")) ||
	       (!strcmp(method, "POST") && n > 8 && !strcmp(url + n - 8, "/payroll"));
}

/* A short read answered on the connection's own thread: a static file, /health
 * and the like, or a route marked FS_ROUTE_FAST with a page of at most 100. */
static int is_fast(const char *url, const char *method, struct MHD_Connection *c)
{
	/* the API as route() finds it ("//api/v1/..." too: empty segments are skipped) */
	struct route r;
	int api = !split_path(url, &r) && r.n >= 3 && !strcmp(r.seg[0], "api") && !strcmp(r.seg[1], "v1");
	if (!api || fs_ops_path(url))
		return !is_write(method);
	const char *limit = arg(c, "limit");
	return fs_route_fast(method, r.seg, r.n) && !arg(c, "reveal") &&
	       (!limit || (strlen(limit) <= 3 && strtol(limit, NULL, 10) <= 100));
}

/* The request's answer, queued (or kept, on the handler pool). */
static enum MHD_Result answer(struct server *s, struct MHD_Connection *c, struct request *rq, const char *url,
			      const char *method)
{
	/* plain reads share one snapshot (and one lock) for the whole request */
	struct fs_error err;
	/* (not an evidence download: it records an 'exported' custody event) */
	size_t ul = strlen(url);
	int download = ul > 5 && !strcmp(url + ul - 5, "/file");
	struct fs_ctx *ctx = !strcmp(method, "GET") && !arg(c, "reveal") && !download && !strncmp(url, "/api/", 5) ? req_ctx(s, rq, &err) : NULL;
	if (ctx && fs_read_begin(ctx, &err))
		ctx = NULL;
	fs_http_begin();
	enum MHD_Result res = route(s, c, rq, url, method);
	if (!fs_http_responded()) /* every path answers: a response that could not be built becomes a plain 500 */
		res = fs_http_send_500(c);
	if (ctx)
		fs_read_end(ctx);
	if (is_write(method) || arg(c, "reveal"))
		fs_http_cache_clear();
	fs_pool_give(s->pool, rq->slot); /* (the response holds its own copy of the body) */
	rq->slot = NULL;
	pthread_mutex_lock(&s->unsent_lock);
	s->unsent += !rq->unsent;
	rq->unsent = 1;
	pthread_mutex_unlock(&s->unsent_lock);
	return res;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			       const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	(void)version;
	struct request *rq = *con_cls;
	if (!rq) {
		rq = calloc(1, sizeof(*rq));
		if (!rq)
			return MHD_NO;
		size_t limit = is_upload(url, method) ? s->o->max_upload : s->o->max_body;
		fs_buf_init(&rq->body, limit);
		clock_gettime(CLOCK_MONOTONIC, &rq->start);
		fs_metrics_route(url, rq->route, sizeof(rq->route));
		*con_cls = rq;
		/* the head is complete, no body read yet: framing checked, too large refused now */
		fs_http_begin();
		fs_transport_head_done(c);
		if (fs_transport_check_head(c, limit))
			return fs_http_responded() ? MHD_YES : MHD_NO;
		return MHD_YES;
	}
	if (*upload_size) {
		if (fs_transport_expired(c))
			return MHD_NO; /* answered with a 408 by the watchdog */
		if (!rq->too_large && fs_buf_add(&rq->body, upload, *upload_size))
			rq->too_large = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->deferred) { /* resumed: the handler pool's answer */
		rq->deferred = 0;
		struct MHD_Response *r = rq->resp;
		rq->resp = NULL;
		if (!r)
			return MHD_NO;
		enum MHD_Result ret = MHD_queue_response(c, rq->resp_status, r);
		MHD_destroy_response(r);
		return ret;
	}
	if (fs_transport_claim(c))
		return MHD_NO; /* answered with a 408 by the watchdog */
	if (!is_fast(url, method, c)) {
		rq->url = url, rq->method = method, rq->deferred = 1;
		if (!fs_slow_submit(s->slow, c, rq))
			return MHD_YES; /* suspended until the pool has answered */
		rq->deferred = 0; /* the pool is draining (the server stops): answered here */
	}
	return answer(s, c, rq, url, method);
}

static void answer_slow(struct MHD_Connection *c, void *job, void *ud)
{
	struct request *rq = job;
	fs_http_defer(&rq->resp, &rq->resp_status);
	(void)answer(ud, c, rq, rq->url, rq->method); /* no answer kept: the connection is closed */
	fs_http_defer(NULL, NULL);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct request *rq = *con_cls;
	fs_transport_request_done(c);
	if (!rq)
		return;
	fs_pool_give(s->pool, rq->slot); /* (given back already, unless the handler never returned to it) */
	if (rq->resp) /* answered by the pool, never sent */
		MHD_destroy_response(rq->resp);
	if (rq->unsent) { /* sent now (or the client is gone) */
		pthread_mutex_lock(&s->unsent_lock);
		if (!--s->unsent)
			pthread_cond_broadcast(&s->unsent_none);
		pthread_mutex_unlock(&s->unsent_lock);
	}
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_HTTP_STATUS);
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	double ms = (double)(end.tv_sec - rq->start.tv_sec) * 1e3 + (double)(end.tv_nsec - rq->start.tv_nsec) / 1e6;
	/* one line per request; no path (it may hold ids of people), no query, no body */
	fs_metrics_observe(rq->route, ci ? ci->http_status : 0, ms / 1e3);
	/* formatted here, written in one write(2): no stdio lock held by one worker while
	 * another formats (stderr is unbuffered), one line whole even among threads */
	char line[64];
	int ll = snprintf(line, sizeof(line), "http %u %.1fms%s\n", ci ? ci->http_status : 0, ms,
			  toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	if (ll > 0 && (size_t)ll < sizeof(line))
		(void)!write(STDERR_FILENO, line, (size_t)ll);
	if (rq->body.data)
		sodium_memzero(rq->body.data, rq->body.len);
	fs_buf_done(&rq->body);
	free(rq);
	*con_cls = NULL;
}

static void *request_line(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls, (void)uri;
	fs_transport_request_line(c); /* the request's deadlines start */
	return NULL;
}

/* The one connection callback libmicrohttpd takes: the request deadlines and the
 * open-connections metric. */
static void connection_notify(void *cls, struct MHD_Connection *c, void **socket_context,
			      enum MHD_ConnectionNotificationCode code)
{
	fs_transport_notify(cls, c, socket_context, code);
	fs_metrics_connections(code == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

int fs_http_serve(const struct fs_http_opts *opts, struct fs_error *err)
{
	struct fs_http_opts o = *opts;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (!o.threads) /* I/O threads: one per core, the lowest tail latency here */
		o.threads = cpus > 0 && cpus <= 64 ? (unsigned)cpus : 4;
	/* the handler pool: two per core, at least four (a slow request waiting on the
	 * database's write lock holds one of them, no core) */
	unsigned slow_threads = cpus > 2 && cpus <= 32 ? 2 * (unsigned)cpus : cpus > 32 ? 64 : 4;
	if (!o.max_body)
		o.max_body = 1u << 20;
	if (!o.max_upload)
		o.max_upload = 64u << 20;
	if (!o.max_connections)
		o.max_connections = 256;
	if (!o.timeout_s)
		o.timeout_s = 30;
	char host[64];
	const char *colon = strrchr(o.listen ? o.listen : "127.0.0.1:8080", ':');
	const char *listen = o.listen ? o.listen : "127.0.0.1:8080";
	if (!colon || (size_t)(colon - listen) >= sizeof(host))
		return fs_fail(err, FS_EINVAL, "listen", "write --listen ADDRESS:PORT, e.g. 127.0.0.1:8080");
	snprintf(host, sizeof(host), "%.*s", (int)(colon - listen), listen);
	long port = strtol(colon + 1, NULL, 10);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	if (port <= 0 || port > 65535 || inet_pton(AF_INET, host, &addr.sin_addr) != 1)
		return fs_fail(err, FS_EINVAL, "listen", "'%s' is not an IPv4 address and port", listen);
	/* The database must open before we listen. This context stays open while
	 * the server runs, idle: a bulk write of another process (an import, a
	 * claims compute from the command line) then never takes the file alone,
	 * which would shut out the contexts the pool opens later (fs_tx_begin_bulk). */
	struct fs_ctx *probe;
	int rc = fs_open(o.db_path, o.key_path, (o.read_only ? FS_READONLY : 0) | FS_SHARED, &probe, err);
	if (rc)
		return rc;
	if ((rc = fs_ops_start(&o, err))) { /* TLS files, metrics access, the log */
		fs_close(probe);
		return rc;
	}
	/* the head within a third of the idle timeout, the whole request within four times it */
	struct fs_transport *tr = fs_transport_new(o.timeout_s >= 3 ? o.timeout_s / 3 : 1, o.timeout_s * 4, o.timeout_s);
	if (!tr) {
		fs_ops_stop();
		fs_close(probe);
		return fs_fail(err, FS_ENOMEM, NULL, "cannot start the request deadline watchdog");
	}
	/* over plain HTTP our own listening socket checks each connection's first head
	 * before libmicrohttpd reads it; over TLS the head is encrypted on the wire, so
	 * libmicrohttpd listens itself (and its TLS layer sees the bytes first) */
	int tls = fs_tls_on();
	struct fs_front *front = NULL;
	if (!tls && !(front = fs_front_listen(&addr, FS_HEAD_MAX, o.timeout_s >= 3 ? o.timeout_s / 3 : 1, o.max_connections))) {
		fs_transport_free(tr);
		fs_ops_stop();
		fs_close(probe);
		return fs_fail(err, FS_EIO, "listen", "cannot listen on %s (in use, or not allowed)", listen);
	}
	struct MHD_OptionItem listen_opts[] = {{tls ? MHD_OPTION_SOCK_ADDR : MHD_OPTION_END, 0, &addr},
					       {MHD_OPTION_END, 0, NULL}};
	/* a context for each thread that may answer at once: no one waits for one */
	struct server s = {.o = &o, .pool = fs_pool_new(o.db_path, o.key_path, o.read_only ? FS_READONLY : 0,
							 o.threads + slow_threads)};
	pthread_mutex_init(&s.unsent_lock, NULL);
	pthread_cond_init(&s.unsent_none, NULL);
	if (s.pool)
		s.slow = fs_slow_new(slow_threads, answer_slow, &s);
	if (!s.slow) {
		fs_pool_free(s.pool);
		fs_front_free(front);
		fs_transport_free(tr);
		fs_ops_stop();
		fs_close(probe);
		return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	}
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* worker threads inherit the mask */
	/* a client gone mid-answer is an error of that write (EPIPE), never the end of the server */
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = MHD_start_daemon(
		/* I/O threads (epoll) answer short reads themselves and hand every other
		 * request to the handler pool, suspended meanwhile (slow.c): a long request
		 * no longer stalls the other connections of its thread */
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME | fs_ops_flags() |
			(tls ? 0 : MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC), tls ? (uint16_t)port : 0, NULL,
		NULL, handler, &s, MHD_OPTION_THREAD_POOL_SIZE, o.threads,
		MHD_OPTION_CONNECTION_LIMIT, o.max_connections, MHD_OPTION_CONNECTION_TIMEOUT, o.timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)FS_CONN_POOL, MHD_OPTION_NOTIFY_COMPLETED, completed, &s,
		MHD_OPTION_NOTIFY_CONNECTION, connection_notify, tr, MHD_OPTION_URI_LOG_CALLBACK, request_line, &s,
		MHD_OPTION_ARRAY, listen_opts, MHD_OPTION_ARRAY, fs_ops_options(), MHD_OPTION_END);
	if (!d || (front && fs_front_start(front, d))) {
		if (d)
			MHD_stop_daemon(d);
		fs_slow_free(s.slow);
		fs_pool_free(s.pool);
		fs_front_free(front);
		fs_transport_free(tr);
		fs_ops_stop();
		pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
		fs_close(probe);
		return fs_fail(err, FS_EIO, "listen", "cannot listen on %s (in use, or not allowed)", listen);
	}
	char url[96];
	snprintf(url, sizeof(url), "%s://%s:%ld/", fs_tls_on() ? "https" : "http", host, port);
	/* a read-only server (a standby, a replica) writes nothing: no checkpoint */
	unsigned every = o.read_only ? 0 : o.checkpoint_every_s;
	struct fs_sched *sched = fs_sched_start(o.db_path, o.key_path, o.signing_key, every);
	if (!sched && every)
		fprintf(stderr, "http: cannot start the scheduled checkpoints\n");
	if (o.ready)
		o.ready(url, o.ready_ud);
	int sig = 0;
	while (!sigwait(&sigs, &sig) && sig == SIGHUP)
		fs_ops_reload(); /* reopen the log, reload the certificate */
	fprintf(stderr, "http: %s received, finishing requests in flight\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	fs_sched_stop(sched);
	fs_front_free(front); /* no new connections */
	fs_slow_drain(s.slow); /* every suspended connection answered and resumed */
	/* and every answer sent (a client that does not read it: at most the timeout) */
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += o.timeout_s;
	pthread_mutex_lock(&s.unsent_lock);
	while (s.unsent && pthread_cond_timedwait(&s.unsent_none, &s.unsent_lock, &until) == 0)
		;
	pthread_mutex_unlock(&s.unsent_lock);
	MHD_stop_daemon(d);   /* waits for the worker threads */
	fs_slow_free(s.slow);
	fs_transport_free(tr);
	fs_pool_free(s.pool);
	pthread_cond_destroy(&s.unsent_none);
	pthread_mutex_destroy(&s.unsent_lock);
	fs_ops_stop();
	pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
	fs_close(probe);
	return 0;
}
