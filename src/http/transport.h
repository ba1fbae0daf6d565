/* transport.h - what libmicrohttpd 0.9.75 (Debian 12) leaves to us at the HTTP
 * level: the request head's framing checks (Transfer-Encoding, Content-Length),
 * an early 413 before a body is read, and deadlines — the head within a few
 * seconds and the whole request within a bound, not only an idle timeout. A
 * request past its deadline gets a 408 with the usual headers, then the
 * connection closes. */
#ifndef FS_HTTP_TRANSPORT_H
#define FS_HTTP_TRANSPORT_H

#include <microhttpd.h>
#include <stddef.h>

struct fs_transport;

/* head_s: from the request line to the end of the head; request_s: from the
 * request line to the end of the body; idle_s: a connection without a request. */
struct fs_transport *fs_transport_new(unsigned head_s, unsigned request_s, unsigned idle_s);
/* Stops the watchdog; call after MHD_stop_daemon. NULL is fine. */
void fs_transport_free(struct fs_transport *t);

/* For MHD_OPTION_NOTIFY_CONNECTION (cls = the transport). */
void fs_transport_notify(void *cls, struct MHD_Connection *c, void **socket_context,
			 enum MHD_ConnectionNotificationCode code);
/* A request line has arrived (from the URI log callback): its deadlines start. */
void fs_transport_request_line(struct MHD_Connection *c);
/* The head is complete (the handler's first call): the body's deadline runs on. */
void fs_transport_head_done(struct MHD_Connection *c);
/* The request was answered (from the completion callback): the connection idles. */
void fs_transport_request_done(struct MHD_Connection *c);
/* Before the handler works on the request (its body is complete): 0, or -1 when
 * the watchdog already answered it with a 408 (the handler returns MHD_NO). */
int fs_transport_claim(struct MHD_Connection *c);
/* During the body: -1 when the request is past its deadline. */
int fs_transport_expired(struct MHD_Connection *c);

struct fs_http_refusal {
	unsigned status;
	const char *code, *message, *field;
};

/* The head's framing from its headers (only Transfer-Encoding and Content-Length
 * matter): any Transfer-Encoding other than chunked 501; chunked 411 (bodies come
 * with Content-Length: libmicrohttpd's chunk parser would answer a bad chunk with
 * its own page); both 400; Content-Length given twice differently or not a number
 * 400. Returns 0, or -1 with *out filled. */
struct fs_kv;
int fs_http_framing(const struct fs_kv *headers, size_t n, struct fs_http_refusal *out);

/* The same on the handler's first call (before any body is read), and a
 * Content-Length over limit (413). Returns 0, or -1 with the error queued. */
int fs_transport_check_head(struct MHD_Connection *c, size_t limit);

#endif
