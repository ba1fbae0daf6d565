/* front.h - the front door: fairshare's own listening socket. A new connection's
 * request head is read (peeked: left in the socket) before libmicrohttpd sees it;
 * a head that is malformed (request line, header syntax, no Host), too large, too
 * slow or badly framed is answered here — with the same headers as every other
 * response — and the connection closed; a good one is handed to libmicrohttpd
 * (MHD_add_connection), which reads the same bytes. libmicrohttpd 0.9.75's own
 * error pages (no security headers, the header block sent twice) are never used
 * for a connection's first request. */
#ifndef FS_HTTP_FRONT_H
#define FS_HTTP_FRONT_H

#include <microhttpd.h>
#include <netinet/in.h>
#include <stddef.h>

struct fs_front;

/* The largest request head taken and its most header lines (431 past either),
 * and libmicrohttpd's memory per connection, which holds a head, the header list
 * parsed from it, the response's head and the read buffer of a body (bodies
 * stream through it in pieces). libmicrohttpd zeroes the whole pool after each
 * request of a kept-alive connection: at 64 KiB that was two thirds of the
 * instructions of a page. 24 KiB holds an 8 KiB head of 100 lines (and of 300:
 * measured, tests/cli/t43-speed.sh). */
#define FS_HEAD_MAX (8u << 10)
#define FS_HEAD_MAX_LINES 100
#define FS_CONN_POOL (24u << 10)

/* Listen on addr; head_max: the largest request head taken (bytes); head_s: the
 * seconds a head may take; max_pending: connections waiting for their head.
 * Returns NULL (errno set) when it cannot listen. */
struct fs_front *fs_front_listen(const struct sockaddr_in *addr, size_t head_max, unsigned head_s, size_t max_pending);
/* Start handing connections to d (started with MHD_USE_NO_LISTEN_SOCKET). */
int fs_front_start(struct fs_front *f, struct MHD_Daemon *d);
/* Stop accepting (before MHD_stop_daemon); closes what is still pending. NULL is fine. */
void fs_front_free(struct fs_front *f);

/* The check of one whole head (text up to and including its empty line): 0, or
 * -1 with the refusal (status, code, message) filled. Exposed for the tests. */
struct fs_http_refusal;
int fs_front_check_head(const char *head, size_t len, struct fs_http_refusal *out);

#endif
