/* error.c - filling struct fs_error. */
#include "error.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int fs_fail(struct fs_error *err, int code, const char *field, const char *fmt, ...)
{
	if (!err)
		return code;
	err->code = code;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	/* a quoted value may be cut inside a character, or be invalid itself: the
	 * message must stay valid UTF-8 for every reader (JSON, terminals, logs) */
	fs_utf8_repair(err->field);
	fs_utf8_repair(err->message);
	return code;
}

void fs_error_clear(struct fs_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

const char *fs_status_name(int code)
{
	switch (code) {
	case FS_OK: return "ok";
	case FS_EINVAL: return "invalid";
	case FS_ENOTFOUND: return "not_found";
	case FS_ECONFLICT: return "conflict";
	case FS_EIO: return "io";
	case FS_ESTORE: return "store";
	case FS_ECRYPTO: return "crypto";
	case FS_EVERSION: return "version";
	case FS_ENOMEM: return "no_memory";
	case FS_EINTEGRITY: return "integrity";
	case FS_ELIMIT: return "limit";
	case FS_EPERM: return "permission";
	default: return "error";
	}
}
