/* error.h - the one error convention of fairshare: int status codes + struct fs_error.
 *
 * Every fallible function returns 0 on success or a negative FS_E* code, and when
 * given a non-NULL struct fs_error fills it with a message a person can act on:
 * what is wrong and where (field, line, column). Library code never prints. */
#ifndef FS_ERROR_H
#define FS_ERROR_H

#include <stddef.h>

enum fs_status {
	FS_OK = 0,
	FS_EINVAL = -1,     /* bad input: a value, a field, a file the user gave */
	FS_ENOTFOUND = -2,  /* no such record */
	FS_ECONFLICT = -3,  /* would duplicate or break a reference */
	FS_EIO = -4,        /* file or OS error */
	FS_ESTORE = -5,     /* the database reported an error */
	FS_ECRYPTO = -6,    /* key missing/wrong, or a sealed value failed to open */
	FS_EVERSION = -7,   /* database written by a newer fairshare */
	FS_ENOMEM = -8,
	FS_EINTEGRITY = -9, /* verify found a broken chain or invariant */
	FS_ELIMIT = -10,    /* a hard limit was exceeded */
	FS_EPERM = -11,     /* not allowed (e.g. key file mode) */
};

#define FS_ERROR_PARAMS 6

struct fs_error {
	int code;
	long line;       /* input line (CSV), 0 when not applicable */
	char field[64];  /* field or column name, "" when not applicable */
	char message[512];
	/* the message as written in the code (fs_fail's format string, a string
	 * literal, kept as a stable key for translations) and its arguments, each
	 * formatted by its own conversion: the web says the same in another language */
	const char *tmpl;
	int nparams;
	char params[FS_ERROR_PARAMS][96];
};

/* Fill *err (if non-NULL) and return code. field may be NULL. fmt must be a
 * string literal (it is kept as err->tmpl); each conversion's argument is also
 * kept, formatted alone, in err->params (the first FS_ERROR_PARAMS). */
int fs_fail(struct fs_error *err, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

void fs_error_clear(struct fs_error *err);

/* Stable machine name for a code, e.g. "invalid", "not_found". */
const char *fs_status_name(int code);

#endif
