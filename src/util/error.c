/* error.c - filling struct fs_error. */
#include "error.h"
#include "utf8.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

/* Each conversion of fmt formatted alone from ap, into err->params: the same
 * flags, width and precision ('%.32s' keeps its cut), the argument read with the
 * type its length modifier says (as vsnprintf reads it). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void keep_params(struct fs_error *err, const char *fmt, va_list ap)
{
	err->nparams = 0;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		if (*++p == '%')
			continue;
		char spec[40];
		size_t n = 0;
		int stars[2], nstar = 0;
		spec[n++] = '%';
		while (*p && strchr("-+ #0'", *p) && n < 10)
			spec[n++] = *p++;
		if (*p == '*')
			stars[nstar++] = va_arg(ap, int), spec[n++] = *p++;
		while (isdigit((unsigned char)*p) && n < 16)
			spec[n++] = *p++;
		if (*p == '.') {
			spec[n++] = *p++;
			if (*p == '*')
				stars[nstar++] = va_arg(ap, int), spec[n++] = *p++;
			while (isdigit((unsigned char)*p) && n < 24)
				spec[n++] = *p++;
		}
		char len[3] = "";
		size_t ln = 0;
		while (*p && strchr("hlzjtL", *p) && ln < 2)
			len[ln++] = *p, spec[n++] = *p++;
		len[ln] = 0;
		char conv = *p;
		if (!conv)
			break;
		spec[n++] = conv;
		spec[n] = 0;
		char out[96] = "";
#define FMT1(v) (nstar == 2 ? snprintf(out, sizeof(out), spec, stars[0], stars[1], v) : \
		 nstar == 1 ? snprintf(out, sizeof(out), spec, stars[0], v) : snprintf(out, sizeof(out), spec, v))
		switch (conv) {
		case 'd': case 'i':
			if (!strcmp(len, "l")) FMT1(va_arg(ap, long));
			else if (!strcmp(len, "ll")) FMT1(va_arg(ap, long long));
			else if (!strcmp(len, "z")) FMT1(va_arg(ap, ssize_t));
			else if (!strcmp(len, "j")) FMT1(va_arg(ap, intmax_t));
			else if (!strcmp(len, "t")) FMT1(va_arg(ap, ptrdiff_t));
			else FMT1(va_arg(ap, int));
			break;
		case 'u': case 'x': case 'X': case 'o':
			if (!strcmp(len, "l")) FMT1(va_arg(ap, unsigned long));
			else if (!strcmp(len, "ll")) FMT1(va_arg(ap, unsigned long long));
			else if (!strcmp(len, "z")) FMT1(va_arg(ap, size_t));
			else if (!strcmp(len, "j")) FMT1(va_arg(ap, uintmax_t));
			else if (!strcmp(len, "t")) FMT1(va_arg(ap, ptrdiff_t));
			else FMT1(va_arg(ap, unsigned));
			break;
		case 'c': FMT1(va_arg(ap, int)); break;
		case 's': { const char *v = va_arg(ap, const char *); FMT1(v ? v : "(null)"); break; }
		case 'p': FMT1(va_arg(ap, void *)); break;
		case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
			if (!strcmp(len, "L")) FMT1(va_arg(ap, long double));
			else FMT1(va_arg(ap, double));
			break;
		default: /* %n and unknown conversions: nothing is kept */
			continue;
		}
#undef FMT1
		if (err->nparams < FS_ERROR_PARAMS) {
			snprintf(err->params[err->nparams], sizeof(err->params[0]), "%s", out);
			fs_utf8_repair(err->params[err->nparams]);
			err->nparams++;
		}
	}
}
#pragma GCC diagnostic pop

int fs_fail(struct fs_error *err, int code, const char *field, const char *fmt, ...)
{
	if (!err)
		return code;
	err->code = code;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	err->tmpl = fmt;
	keep_params(err, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	/* a quoted value may be cut inside a character, or be invalid itself: the
	 * message must stay valid UTF-8 for every reader (JSON, terminals, logs) */
	fs_utf8_repair(err->field);
	fs_utf8_repair(err->message);
	return code;
}

void fs_error_clear(struct fs_error *err)
{
	if (!err)
		return;
	/* every reader goes by these (strings to their NUL, params to nparams):
	 * clearing the whole struct (1.8 KiB) cost an import 1,300 instructions a row */
	err->code = 0;
	err->line = 0;
	err->field[0] = '\0';
	err->message[0] = '\0';
	err->tmpl = NULL;
	err->nparams = 0;
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
