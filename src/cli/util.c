/* util.c - helpers of the CLI: opening, errors and exit codes, output. */
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

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0700);
		*p = '/';
		if (rc && errno != EEXIST)
			return -1;
	}
	return 0;
}

int cli_need_db(struct cli *c, int *exit_code)
{
	if (!(c->cmd_flags & CMD_NEED_DB) || fs_db_is_server(c->db) || access(c->db, F_OK) == 0)
		return 0;
	fprintf(stderr, "fairshare: %s needs a database, and there is none at %s: create one with 'fairshare init' "
			"(or name it with --db or $FAIRSHARE_DB)\n", c->cmd_name ? c->cmd_name : "this command", c->db);
	*exit_code = EX_NOINPUT;
	return -1;
}

struct fs_ctx *cli_open(struct cli *c, unsigned flags, int need_org, int *exit_code)
{
	struct fs_error err = {0};
	need_org |= (c->cmd_flags & CMD_NEED_ORG) != 0;
	if (c->cmd_flags & CMD_OPERATOR_ONLY)
		c->actor = NULL; /* main.c's table says so; held here too for the subcommands */
	if (!(flags & FS_INIT) && cli_need_db(c, exit_code))
		return NULL;
	if ((flags & FS_INIT) && !fs_db_is_server(c->db)) {
		char dir[sizeof(c->db_buf)];
		snprintf(dir, sizeof(dir), "%s", c->db);
		if (mkdirs(dir)) {
			fprintf(stderr, "fairshare: cannot create the folder for %s: %s\n", c->db, strerror(errno));
			*exit_code = EX_CANTCREAT;
			return NULL;
		}
	}
	struct fs_ctx *ctx;
	if (flags & FS_INIT)
		c->actor = NULL; /* a new database: the operator's alone */
	int rc = c->actor ? fs_actor_check(c->actor, &err) : 0;
	if (rc) { /* --as or FAIRSHARE_AS */
		*exit_code = cli_fail(&err, rc);
		return NULL;
	}
	if (!(flags & FS_INIT) && (c->cmd_flags & CMD_NEED_KEY) && cli_unlock(c, exit_code))
		return NULL;
	rc = fs_open(c->db, c->key, flags, &ctx, &err);
	if (rc) {
		*exit_code = cli_fail(&err, rc);
		return NULL;
	}
	/* the account named acts, with its rights; else the operator (fs_open's default) */
	rc = fs_act_as(ctx, c->actor, &err);
	/* a new database has no organization yet: $FAIRSHARE_ORG does not stop init */
	if (!rc)
		rc = need_org || (c->org && !(flags & FS_INIT)) ? fs_use_org(ctx, c->org, &err) : 0;
	if (!rc && fs_org(ctx) > 0)
		rc = fs_principal_in_org(ctx, &err);
	if (rc || (need_org && fs_org(ctx) <= 0)) {
		if (!rc)
			fs_fail(&err, rc = FS_EINVAL, NULL, "there is no organization yet: add one with 'fairshare org add --slug S --name N'");
		*exit_code = cli_fail(&err, rc);
		fs_close(ctx);
		return NULL;
	}
	return ctx;
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
