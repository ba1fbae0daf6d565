/* errjson.h - a core error (struct fs_error) as the API's error body, with the
 * template it was written from and its parameters, for translation. */
#ifndef FS_HTTP_ERRJSON_H
#define FS_HTTP_ERRJSON_H

#include <microhttpd.h>

struct fs_error;

/* {"error":{"code","message","field"?,"template"?,"params":[...]}} with status. */
enum MHD_Result fs_http_send_fs_error(struct MHD_Connection *c, unsigned status, const char *code, const struct fs_error *err);

#endif
