/* front.c - the front door (see front.h). One thread, epoll, edge-triggered: a
 * pending connection's bytes are peeked each time more arrive, until its head is
 * whole, too large or late. */
#include "front.h"
#include "body.h"
#include "respond.h"
#include "transport.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/fairshare.h"

struct pending {
	int fd;
	struct sockaddr_storage addr;
	socklen_t addr_len;
	struct timespec since;
	size_t seen;  /* bytes peeked so far */
	int closing;  /* answered: draining until the client closes (or 2 s) */
	struct pending *prev, *next;
};

struct fs_front {
	int listen_fd, epoll_fd, stop_fd[2];
	size_t head_max, max_pending, npending;
	unsigned head_s;
	struct MHD_Daemon *d;
	pthread_t thread;
	int started;
	struct pending *list;
	char *buf; /* head_max + 1 bytes: the peek buffer of the one front thread */
};

static double age_s(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* ---- the head's syntax ---- */

static int tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int refuse(struct fs_http_refusal *out, unsigned status, const char *code, const char *message, const char *field)
{
	*out = (struct fs_http_refusal){status, code, message, field};
	return -1;
}

int fs_front_check_head(const char *head, size_t len, struct fs_http_refusal *out)
{
	/* the request line: METHOD SP TARGET SP HTTP/1.x */
	const char *eol = memchr(head, '\n', len);
	if (!eol)
		return refuse(out, 400, "bad_request", "the request line is not terminated", NULL);
	size_t ll = (size_t)(eol - head);
	if (ll && head[ll - 1] == '\r')
		ll--;
	size_t m = 0;
	while (m < ll && tchar((unsigned char)head[m]))
		m++;
	if (m == 0 || m >= ll || head[m] != ' ')
		return refuse(out, 400, "bad_request", "the request line is not METHOD TARGET HTTP/1.1", NULL);
	size_t t = m + 1, te = t;
	while (te < ll && (unsigned char)head[te] > ' ' && (unsigned char)head[te] < 0x7f)
		te++;
	if (te == t || te >= ll || head[te] != ' ')
		return refuse(out, 400, "bad_request", "the request target is missing or holds spaces or control bytes", NULL);
	const char *version = head + te + 1;
	size_t vl = ll - te - 1;
	if (vl < 8 || strncmp(version, "HTTP/", 5) || memchr(version, ' ', vl))
		return refuse(out, 400, "bad_request", "the request line is not METHOD TARGET HTTP/1.1", NULL);
	if (vl != 8 || strncmp(version, "HTTP/1.", 7) || (version[7] != '0' && version[7] != '1'))
		return refuse(out, 505, "bad_request", "only HTTP/1.0 and HTTP/1.1 are spoken here", NULL);
	int http11 = version[7] == '1';
	/* header lines: NAME ":" OWS VALUE OWS, no folding, no control bytes */
	struct fs_kv framing[16];
	char names[16][24], values[16][32];
	size_t nf = 0, lines = 0;
	int host = 0;
	for (const char *p = eol + 1; p < head + len;) {
		const char *e = memchr(p, '\n', (size_t)(head + len - p));
		if (!e)
			return refuse(out, 400, "bad_request", "a header line is not terminated", NULL);
		size_t l = (size_t)(e - p);
		if (l && p[l - 1] == '\r')
			l--;
		if (l == 0)
			break; /* the empty line: the head is whole */
		if (p[0] == ' ' || p[0] == '\t')
			return refuse(out, 400, "bad_request", "folded header lines are not accepted", NULL);
		size_t n = 0;
		while (n < l && tchar((unsigned char)p[n]))
			n++;
		if (n == 0 || n >= l || p[n] != ':')
			return refuse(out, 400, "bad_request", "a header line is not NAME: VALUE", NULL);
		if (++lines > FS_HEAD_MAX_LINES) /* each takes libmicrohttpd's pool: it must hold them all */
			return refuse(out, 431, "header_too_large", "the request has more header lines than the limit", NULL);
		for (size_t i = n + 1; i < l; i++)
			if (((unsigned char)p[i] < ' ' && p[i] != '\t') || p[i] == 0x7f)
				return refuse(out, 400, "bad_request", "a header value holds control bytes", NULL);
		host |= n == 4 && !strncasecmp(p, "Host", 4);
		int frame = (n == 17 && !strncasecmp(p, "Transfer-Encoding", 17)) || (n == 14 && !strncasecmp(p, "Content-Length", 14));
		if (frame && nf < sizeof(framing) / sizeof(framing[0])) {
			const char *v = p + n + 1, *ve = p + l;
			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			snprintf(names[nf], sizeof(names[nf]), "%.*s", (int)n, p);
			snprintf(values[nf], sizeof(values[nf]), "%.*s", (int)(ve - v), v); /* longer: not a valid length anyway */
			if ((size_t)(ve - v) >= sizeof(values[nf]))
				snprintf(values[nf], sizeof(values[nf]), "x");
			framing[nf] = (struct fs_kv){names[nf], values[nf]};
			nf++;
		}
		p = e + 1;
	}
	if (http11 && !host)
		return refuse(out, 400, "bad_request", "an HTTP/1.1 request names its Host", "Host");
	return fs_http_framing(framing, nf, out);
}

/* ---- answering here ---- */

static void answer(int fd, const struct fs_http_refusal *r)
{
	static const struct {
		unsigned status;
		const char *reason;
	} reasons[] = {{400, "Bad Request"}, {408, "Request Timeout"}, {411, "Length Required"},
		       {431, "Request Header Fields Too Large"}, {501, "Not Implemented"}, {503, "Service Unavailable"},
		       {505, "HTTP Version Not Supported"}};
	const char *reason = "Error";
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].status == r->status)
			reason = reasons[i].reason;
	char *body = fs_http_error_body(r->code, r->message, r->field);
	char head[1024], date[64];
	time_t now = time(NULL);
	struct tm tm;
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&now, &tm));
	size_t bl = body ? strlen(body) : 0;
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %u %s\r\nDate: %s\r\nConnection: close\r\n"
				"Content-Type: application/json; charset=utf-8\r\nContent-Length: %zu\r\n",
			 r->status, reason, date, bl);
	for (size_t i = 0; fs_http_security_headers[i][0] && n > 0 && (size_t)n < sizeof(head); i++)
		n += snprintf(head + n, sizeof(head) - (size_t)n, "%s: %s\r\n", fs_http_security_headers[i][0],
			      fs_http_security_headers[i][1]);
	if (n > 0 && (size_t)n + 2 < sizeof(head)) {
		memcpy(head + n, "\r\n", 2);
		/* a small answer into an empty send buffer: it fits; a client that does not read loses it */
		if (send(fd, head, (size_t)n + 2, MSG_NOSIGNAL | MSG_DONTWAIT) == n + 2 && body)
			(void)!send(fd, body, bl, MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	free(body);
	fprintf(stderr, "http %u (refused before the handler)\n", r->status);
	shutdown(fd, SHUT_WR);
}

/* ---- the pending list ---- */

static void drop(struct fs_front *f, struct pending *p)
{
	epoll_ctl(f->epoll_fd, EPOLL_CTL_DEL, p->fd, NULL);
	if (p->prev)
		p->prev->next = p->next;
	else
		f->list = p->next;
	if (p->next)
		p->next->prev = p->prev;
	f->npending--;
	free(p);
}

static void close_pending(struct fs_front *f, struct pending *p)
{
	int fd = p->fd;
	drop(f, p);
	close(fd);
}

static void refuse_pending(struct fs_front *f, struct pending *p, const struct fs_http_refusal *r)
{
	answer(p->fd, r);
	p->closing = 1; /* read what the client still sends, so closing does not reset the answer away */
	clock_gettime(CLOCK_MONOTONIC, &p->since);
}

static void readable(struct fs_front *f, struct pending *p)
{
	if (p->closing) {
		char sink[4096];
		ssize_t got;
		while ((got = recv(p->fd, sink, sizeof(sink), 0)) > 0)
			;
		if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			close_pending(f, p);
		return;
	}
	ssize_t got = recv(p->fd, f->buf, f->head_max + 1, MSG_PEEK);
	if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
		close_pending(f, p);
		return;
	}
	if (got < 0)
		return;
	p->seen = (size_t)got;
	const char *end = NULL;
	for (size_t i = 0; i + 1 < (size_t)got && !end; i++) /* the empty line: CRLF CRLF or LF LF */
		if (f->buf[i] == '\n' && (f->buf[i + 1] == '\n' || (f->buf[i + 1] == '\r' && i + 2 < (size_t)got && f->buf[i + 2] == '\n')))
			end = f->buf + i + (f->buf[i + 1] == '\n' ? 2 : 3);
	struct fs_http_refusal r;
	if (!end) {
		if ((size_t)got > f->head_max) {
			r = (struct fs_http_refusal){431, "header_too_large", "the request head is larger than the limit", NULL};
			refuse_pending(f, p, &r);
		}
		return;
	}
	if (fs_front_check_head(f->buf, (size_t)(end - f->buf), &r)) {
		refuse_pending(f, p, &r);
		return;
	}
	int fd = p->fd;
	struct sockaddr_storage addr = p->addr;
	socklen_t addr_len = p->addr_len;
	drop(f, p);
	MHD_add_connection(f->d, fd, (const struct sockaddr *)&addr, addr_len); /* closes fd when it fails */
}

static void accept_all(struct fs_front *f)
{
	for (;;) {
		struct sockaddr_storage addr;
		socklen_t len = sizeof(addr);
		int fd = accept4(f->listen_fd, (struct sockaddr *)&addr, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		struct pending *p = f->npending < f->max_pending ? calloc(1, sizeof(*p)) : NULL;
		if (!p) {
			struct fs_http_refusal r = {503, "unavailable", "too many connections; try again", NULL};
			answer(fd, &r);
			close(fd);
			continue;
		}
		p->fd = fd;
		p->addr = addr;
		p->addr_len = len;
		clock_gettime(CLOCK_MONOTONIC, &p->since);
		struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.ptr = p};
		if (epoll_ctl(f->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
			free(p);
			close(fd);
			continue;
		}
		p->next = f->list;
		if (f->list)
			f->list->prev = p;
		f->list = p;
		f->npending++;
		readable(f, p); /* the head may be there already */
	}
}

static void *front_loop(void *arg)
{
	struct fs_front *f = arg;
	struct epoll_event evs[64];
	for (;;) {
		int n = epoll_wait(f->epoll_fd, evs, 64, 250);
		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr == &f->stop_fd)
				return NULL;
			if (evs[i].data.ptr == f)
				accept_all(f);
			else
				readable(f, evs[i].data.ptr);
		}
		for (struct pending *p = f->list, *next; p; p = next) {
			next = p->next;
			double age = age_s(&p->since);
			if (p->closing && age > 2.0) {
				close_pending(f, p);
			} else if (!p->closing && age > f->head_s) {
				if (!p->seen) { /* nothing sent: nothing to answer */
					close_pending(f, p);
					continue;
				}
				struct fs_http_refusal r = {408, "request_timeout", "the request head did not arrive in time", NULL};
				refuse_pending(f, p, &r);
			}
		}
	}
}

struct fs_front *fs_front_listen(const struct sockaddr_in *addr, size_t head_max, unsigned head_s, size_t max_pending)
{
	struct fs_front *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->head_max = head_max, f->head_s = head_s, f->max_pending = max_pending;
	f->buf = malloc(head_max + 1);
	f->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	f->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	f->stop_fd[0] = f->stop_fd[1] = -1;
	int one = 1;
	if (!f->buf || f->listen_fd < 0 || f->epoll_fd < 0 || pipe2(f->stop_fd, O_CLOEXEC | O_NONBLOCK) ||
	    setsockopt(f->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(f->listen_fd, (const struct sockaddr *)addr, sizeof(*addr)) || listen(f->listen_fd, 256)) {
		int e = errno;
		fs_front_free(f);
		errno = e;
		return NULL;
	}
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = f};
	struct epoll_event stop = {.events = EPOLLIN, .data.ptr = &f->stop_fd};
	if (epoll_ctl(f->epoll_fd, EPOLL_CTL_ADD, f->listen_fd, &ev) ||
	    epoll_ctl(f->epoll_fd, EPOLL_CTL_ADD, f->stop_fd[0], &stop)) {
		int e = errno;
		fs_front_free(f);
		errno = e;
		return NULL;
	}
	return f;
}

int fs_front_start(struct fs_front *f, struct MHD_Daemon *d)
{
	f->d = d;
	if (pthread_create(&f->thread, NULL, front_loop, f))
		return -1;
	f->started = 1;
	return 0;
}

void fs_front_free(struct fs_front *f)
{
	if (!f)
		return;
	if (f->started) {
		(void)!write(f->stop_fd[1], "x", 1);
		pthread_join(f->thread, NULL);
	}
	while (f->list)
		close_pending(f, f->list);
	if (f->listen_fd >= 0)
		close(f->listen_fd);
	if (f->epoll_fd >= 0)
		close(f->epoll_fd);
	for (int i = 0; i < 2; i++)
		if (f->stop_fd[i] >= 0)
			close(f->stop_fd[i]);
	free(f->buf);
	free(f);
}
