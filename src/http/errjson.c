/* errjson.c - see errjson.h. The template is fs_fail's format string (a string
 * literal in the code: stable while the wording stays), the parameters each
 * conversion's argument as text. The web looks the template up in its
 * dictionaries ("tmpl:" + template) and puts the parameters in ({1}, {2}, ...);
 * message stays the English sentence for every other client. */
#include "errjson.h"
#include "respond.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "util/utf8.h"

enum MHD_Result fs_http_send_fs_error(struct MHD_Connection *c, unsigned status, const char *code, const struct fs_error *err)
{
	char m[512], f[128], tmpl[256];
	snprintf(m, sizeof(m), "%s", err->message);
	snprintf(f, sizeof(f), "%s", err->field);
	snprintf(tmpl, sizeof(tmpl), "%s", err->tmpl ? err->tmpl : "");
	fs_utf8_repair(m);
	fs_utf8_repair(f);
	fs_utf8_repair(tmpl);
	json_t *params = json_array();
	for (int i = 0; params && i < err->nparams && i < FS_ERROR_PARAMS; i++) {
		char p[sizeof(err->params[0])];
		snprintf(p, sizeof(p), "%s", err->params[i]);
		fs_utf8_repair(p);
		json_array_append_new(params, json_string(p));
	}
	json_t *j = params ? json_pack("{s:{s:s,s:s,s:s?,s:s?,s:o}}", "error", "code", code, "message", m, "field", f[0] ? f : NULL,
				       "template", tmpl[0] ? tmpl : NULL, "params", params)
			   : NULL;
	if (!j)
		return fs_http_send_500(c);
	return fs_http_send_json(c, status, j, NULL);
}
