/* static.h - the web interface's files (see static.c). */
#ifndef FS_HTTP_STATIC_H
#define FS_HTTP_STATIC_H

#include <microhttpd.h>

/* Answer a GET of url (outside /api/) from web_dir: the file, gzip-compressed
 * when the client accepts it, with an ETag (304 on If-None-Match); a path with no
 * known file extension gets index.html (the web's router shows the view). */
enum MHD_Result fs_static_send(struct MHD_Connection *c, const char *web_dir, const char *url);

/* The Content-Type of a file name by its extension, NULL when not served. */
const char *fs_static_type(const char *name);
/* 1 when name (no leading '/') is a plain relative path: [A-Za-z0-9._-/],
 * no "..", no hidden part, no empty part. */
int fs_static_name_ok(const char *name);

#endif
