/* util.c - helpers of the CLI: errors and exit codes, output, ids (opening is open.c's). */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sysexits.h>

int cli_exit_code(int rc)
{
	switch (rc) {
	case FS_OK: return EX_OK;
	case FS_EINVAL: case FS_ECONFLICT: case FS_ELIMIT: case FS_EINTEGRITY: return EX_DATAERR;
	case FS_ENOTFOUND: return EX_NOINPUT;
	case FS_EIO: return EX_IOERR;
	case FS_ECRYPTO: case FS_EVERSION: return EX_CONFIG;
	case FS_EPERM: return EX_NOPERM;
	case FS_ENOMEM: return EX_OSERR;
	case FS_ESTORE: return EX_TEMPFAIL;
	default: return EX_SOFTWARE;
	}
}

int cli_fail(const struct fs_error *err, int rc)
{
	if (err && err->message[0]) {
		if (err->field[0] && !strstr(err->message, err->field))
			fprintf(stderr, "fairshare: %s: %s\n", err->field, err->message);
		else
			fprintf(stderr, "fairshare: %s\n", err->message);
	} else {
		fprintf(stderr, "fairshare: %s\n", fs_status_name(rc));
	}
	return cli_exit_code(rc);
}

int cli_usage(const char *fmt, ...)
{
	va_list ap;
	fputs("fairshare: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see --help)\n", stderr);
	return EX_USAGE;
}

void cli_print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII * 0);
	fputc('\n', stdout);
}

size_t cli_width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int cli_parse_id(const char *s, int64_t *id)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v <= 0 || errno)
		return -1;
	*id = v;
	return 0;
}

int cli_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 || strcmp(arg, "help") == 0;
}

int cli_in_build_tree(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 16);
	if (n <= 0)
		return 0;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return 0;
	memcpy(slash, "/build.ninja", sizeof("/build.ninja"));
	return access(exe, F_OK) == 0;
}
