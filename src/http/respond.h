/* respond.h - every response of the server goes through here: the same security
 * headers on each, error bodies that are always valid JSON (messages repaired to
 * valid UTF-8), and a record of whether the current request got its response, so
 * that a handler path that built none is answered with a plain 500 instead of
 * leaving the connection to libmicrohttpd's retry loop. */
#ifndef FS_HTTP_RESPOND_H
#define FS_HTTP_RESPOND_H

#include <jansson.h>
#include <microhttpd.h>
#include <stddef.h>

/* The headers every response carries (CSP, nosniff, DENY, no-referrer, no-store);
 * also written by transport.c into the responses it sends itself. */
extern const char *const fs_http_security_headers[][2];
void fs_http_add_security_headers(struct MHD_Response *r);

/* Queue body (malloc'ed; always taken, freed on failure). cookie may be NULL.
 * A response that cannot be built or queued falls back to fs_http_send_500. */
enum MHD_Result fs_http_send(struct MHD_Connection *c, unsigned status, const char *type, char *body, size_t len,
			     const char *cookie);
/* Queue j as JSON (takes j; NULL -> the plain 500). */
enum MHD_Result fs_http_send_json(struct MHD_Connection *c, unsigned status, json_t *j, const char *cookie);
/* {"error":{"code","message","field"}}; message and field may hold any bytes
 * (they are copied, cut on a character boundary and repaired to valid UTF-8). */
enum MHD_Result fs_http_send_error(struct MHD_Connection *c, unsigned status, const char *code, const char *message,
				   const char *field);
/* Queue a response built by the caller (takes r), with the security headers. */
enum MHD_Result fs_http_queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r);
/* The last resort: a 500 with a fixed body, and a log line (status and time only). */
enum MHD_Result fs_http_send_500(struct MHD_Connection *c);

/* Every query parameter as doc/openapi.yaml documents it (params.c's table): an
 * unknown one, one given twice or a bad value answers 400 on a collection and
 * 422 elsewhere (as documented), the parameter named. seg: the path segments
 * after /api/v1. Returns 0, or -1 when the error response is queued. */
int fs_http_check_query(struct MHD_Connection *c, const char *method, char *const *seg, size_t n);

/* Per worker thread: has the request being handled queued its response?
 * fs_http_begin() before a handler runs; fs_http_responded() after. */
void fs_http_begin(void);
int fs_http_responded(void);
/* On a handler-pool thread (slow.c) the connection is suspended: a response is
 * kept in *r and *status instead of queued, and queued by the connection's own
 * thread once resumed. NULL: queue as usual. */
void fs_http_defer(struct MHD_Response **r, unsigned *status);

#endif
