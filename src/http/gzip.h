/* gzip.h - responses compressed for clients that accept gzip (static files,
 * once per file; JSON and other bodies of the API, per response). */
#ifndef FS_HTTP_GZIP_H
#define FS_HTTP_GZIP_H

#include <microhttpd.h>
#include <stddef.h>

/* Bodies shorter than this are sent as they are: a packet's worth gains nothing. */
#define FS_GZIP_MIN 1024

/* gzip (RFC 1952) of raw at level (1-9): malloc'ed, *out_len its length;
 * NULL when it cannot be built (then send raw). */
char *fs_gzip(const char *raw, size_t len, int level, size_t *out_len);
/* Does the request's Accept-Encoding accept gzip? A "gzip" (or "*") coding
 * token not given q=0; "gzip;q=0", "x-gzip-foo" or no header: no. */
int fs_accepts_gzip(struct MHD_Connection *c);
int fs_accepts_gzip_header(const char *accept_encoding);

#endif
