/* transport.c - framing checks and deadlines around libmicrohttpd (see transport.h). */
#include "transport.h"
#include "respond.h"

#include "core/fairshare.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum phase { IDLE, HEAD, BODY, WORKING, TIMED_OUT };

struct conn {
	int fd;
	enum phase phase;
	struct timespec since; /* when the phase began */
	int shut;              /* the 408 was sent: reading stops on the next round */
	struct conn *prev, *next;
};

struct fs_transport {
	unsigned head_s, request_s, idle_s;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	int stop;
	struct conn *conns;
};

static double since_s(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static struct conn *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* The transport of a connection: one per daemon, kept where the callbacks without
 * a closure argument find it. */
static struct fs_transport *the_transport;

/* The 408 written straight to the socket: libmicrohttpd is still reading this
 * request, so nothing of a response has been written yet. */
static void send_408(int fd)
{
	static const char body[] = "{\"error\":{\"code\":\"request_timeout\",\"message\":\"the request did not arrive "
				   "in time\"}}";
	char head[1024], date[64];
	time_t now = time(NULL);
	struct tm tm;
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&now, &tm));
	int n = snprintf(head, sizeof(head), "HTTP/1.1 408 Request Timeout\r\nDate: %s\r\nConnection: close\r\n"
				"Content-Type: application/json; charset=utf-8\r\nContent-Length: %zu\r\n",
			 date, sizeof(body) - 1);
	for (size_t i = 0; fs_http_security_headers[i][0] && n > 0 && (size_t)n < sizeof(head); i++)
		n += snprintf(head + n, sizeof(head) - (size_t)n, "%s: %s\r\n", fs_http_security_headers[i][0],
			      fs_http_security_headers[i][1]);
	if (n <= 0 || (size_t)n + 2 >= sizeof(head))
		return;
	memcpy(head + n, "\r\n", 2);
	n += 2;
	/* best effort: a client that does not read loses its 408, not the server a thread */
	if (send(fd, head, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) == n)
		(void)!send(fd, body, sizeof(body) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void *watchdog(void *arg)
{
	struct fs_transport *t = arg;
	pthread_mutex_lock(&t->lock);
	while (!t->stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000 * 1000;
		if (until.tv_nsec >= 1000000000L)
			until.tv_sec++, until.tv_nsec -= 1000000000L;
		pthread_cond_timedwait(&t->wake, &t->lock, &until);
		for (struct conn *x = t->conns; x && !t->stop; x = x->next) {
			double age = since_s(&x->since);
			if (x->phase == TIMED_OUT) {
				if (!x->shut && age >= 1.0) { /* the client had a second to read the 408 */
					shutdown(x->fd, SHUT_RD);
					x->shut = 1;
				}
			} else if ((x->phase == HEAD && age > t->head_s) || (x->phase == BODY && age > t->request_s)) {
				/* while the connection is in this list its socket is open (CLOSED
				 * is notified before libmicrohttpd closes it, under this lock) */
				send_408(x->fd);
				shutdown(x->fd, SHUT_WR);
				fprintf(stderr, "http 408 %.1fms (deadline)\n", age * 1e3);
				x->phase = TIMED_OUT;
				clock_gettime(CLOCK_MONOTONIC, &x->since);
			} else if (x->phase == IDLE && age > t->idle_s) {
				shutdown(x->fd, SHUT_RDWR); /* no request: nothing to answer */
				x->phase = TIMED_OUT;
				x->shut = 1;
			}
		}
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

struct fs_transport *fs_transport_new(unsigned head_s, unsigned request_s, unsigned idle_s)
{
	struct fs_transport *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->head_s = head_s, t->request_s = request_s, t->idle_s = idle_s;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->wake, NULL);
	if (pthread_create(&t->thread, NULL, watchdog, t)) {
		pthread_mutex_destroy(&t->lock);
		pthread_cond_destroy(&t->wake);
		free(t);
		return NULL;
	}
	the_transport = t;
	return t;
}

void fs_transport_free(struct fs_transport *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->stop = 1;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	while (t->conns) {
		struct conn *x = t->conns;
		t->conns = x->next;
		free(x);
	}
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->wake);
	the_transport = NULL;
	free(t);
}

void fs_transport_notify(void *cls, struct MHD_Connection *c, void **socket_context,
			 enum MHD_ConnectionNotificationCode code)
{
	struct fs_transport *t = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct conn *x = ci ? calloc(1, sizeof(*x)) : NULL;
		if (!x)
			return; /* no deadlines for this one; libmicrohttpd's idle timeout still holds */
		x->fd = ci->connect_fd;
		x->phase = IDLE;
		clock_gettime(CLOCK_MONOTONIC, &x->since);
		pthread_mutex_lock(&t->lock);
		x->next = t->conns;
		if (t->conns)
			t->conns->prev = x;
		t->conns = x;
		pthread_mutex_unlock(&t->lock);
		*socket_context = x;
		return;
	}
	struct conn *x = *socket_context;
	if (!x)
		return;
	pthread_mutex_lock(&t->lock);
	if (x->prev)
		x->prev->next = x->next;
	else
		t->conns = x->next;
	if (x->next)
		x->next->prev = x->prev;
	pthread_mutex_unlock(&t->lock);
	free(x);
	*socket_context = NULL;
}

static void set_phase(struct MHD_Connection *c, enum phase p)
{
	struct conn *x = conn_of(c);
	struct fs_transport *t = the_transport;
	if (!x || !t)
		return;
	pthread_mutex_lock(&t->lock);
	if (x->phase != TIMED_OUT) {
		x->phase = p;
		if (p != WORKING)
			clock_gettime(CLOCK_MONOTONIC, &x->since);
	}
	pthread_mutex_unlock(&t->lock);
}

void fs_transport_request_line(struct MHD_Connection *c)
{
	set_phase(c, HEAD);
}

void fs_transport_request_done(struct MHD_Connection *c)
{
	set_phase(c, IDLE);
}

static int phase_move(struct MHD_Connection *c, enum phase from, enum phase to)
{
	struct conn *x = conn_of(c);
	struct fs_transport *t = the_transport;
	if (!x || !t)
		return 0;
	int rc = 0;
	pthread_mutex_lock(&t->lock);
	if (x->phase == TIMED_OUT)
		rc = -1;
	else if (x->phase == from || from == WORKING)
		x->phase = to; /* BODY keeps the request's start: its deadline runs on */
	pthread_mutex_unlock(&t->lock);
	return rc;
}

void fs_transport_head_done(struct MHD_Connection *c)
{
	(void)phase_move(c, HEAD, BODY);
}

int fs_transport_claim(struct MHD_Connection *c)
{
	return phase_move(c, WORKING, WORKING);
}

int fs_transport_expired(struct MHD_Connection *c)
{
	return phase_move(c, BODY, BODY);
}

/* ---- the head's framing ---- */

int fs_http_framing(const struct fs_kv *h, size_t n, struct fs_http_refusal *out)
{
	size_t te = 0, cl = 0;
	const char *te_value = NULL, *cl_value = NULL;
	int cl_differ = 0, cl_bad = 0;
	for (size_t i = 0; i < n; i++) {
		const char *v = h[i].value ? h[i].value : "";
		if (!strcasecmp(h[i].key, "Transfer-Encoding")) {
			te++;
			te_value = v;
		} else if (!strcasecmp(h[i].key, "Content-Length")) {
			cl_differ |= cl && strcmp(cl_value, v);
			cl++;
			cl_value = v;
			size_t len = strlen(v);
			cl_bad |= len == 0 || len > 19 || strspn(v, "0123456789") != len;
		}
	}
	*out = (struct fs_http_refusal){0};
	if (te && (te > 1 || strcasecmp(te_value, "chunked")))
		*out = (struct fs_http_refusal){501, "not_implemented", "Transfer-Encoding is not understood: send Content-Length",
						"Transfer-Encoding"};
	else if (te && cl)
		*out = (struct fs_http_refusal){400, "bad_request", "send Content-Length or Transfer-Encoding, not both",
						"Transfer-Encoding"};
	else if (te) /* chunked: a body of unknown length is refused before it is read */
		*out = (struct fs_http_refusal){411, "length_required", "send the body with Content-Length, not chunked",
						"Transfer-Encoding"};
	else if (cl_differ || cl_bad)
		*out = (struct fs_http_refusal){400, "bad_request",
						cl_differ ? "Content-Length is given twice with different values"
							  : "Content-Length is not a whole number",
						"Content-Length"};
	else
		return 0;
	return -1;
}

struct head_kv {
	struct fs_kv kv[64];
	size_t n;
};

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct head_kv *h = cls;
	(void)kind;
	if (h->n < sizeof(h->kv) / sizeof(h->kv[0]) &&
	    (!strcasecmp(key, "Transfer-Encoding") || !strcasecmp(key, "Content-Length")))
		h->kv[h->n++] = (struct fs_kv){key, value};
	return MHD_YES;
}

int fs_transport_check_head(struct MHD_Connection *c, size_t limit)
{
	struct head_kv h = {.n = 0};
	MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, &h);
	struct fs_http_refusal r;
	if (fs_http_framing(h.kv, h.n, &r) == 0) {
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (!cl || strtoull(cl, NULL, 10) <= limit)
			return 0;
		r = (struct fs_http_refusal){413, "body_too_large", "the request body is larger than the limit", "Content-Length"};
	}
	fs_http_send_error(c, r.status, r.code, r.message, r.field);
	return -1;
}
