/* open.c - how a command opens its database: what it needs (a database, an
 * organization, the key: the command table's flags), the key unlocked first,
 * the principal of --as. Above util.c and unlock.c, which call nothing here. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sysexits.h>

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
