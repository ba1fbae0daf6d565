/* cmd_user.c - accounts: user add|passwd|role|disable|enable|list|token. */
#include "cli.h"
#include "options.h"

#include "core/users.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static int user_help(FILE *out)
{
	fputs("usage: fairshare user add NAME [--role ROLE]      (password from $FAIRSHARE_PASSWORD or stdin)\n"
	      "       fairshare user passwd NAME                  (likewise)\n"
	      "       fairshare user role NAME ROLE|none          (in the organization of --org)\n"
	      "       fairshare user disable NAME | enable NAME\n"
	      "       fairshare user list [--json]\n"
	      "       fairshare user token NAME [--label TEXT]    (prints a new API token once)\n"
	      "       fairshare user token list [NAME] [--json]   (names and dates, never the tokens)\n"
	      "       fairshare user token revoke NAME LABEL\n\n"
	      "Every account manages its own API tokens (--as NAME); an admin (users.manage in\n"
	      "the organization of --org) lists and revokes those of its organization's accounts.\n"
	      "A password change or 'disable' ends the account's sessions; 'disable' also revokes\n"
	      "its API tokens (enabling it again brings none back).\n"
	      "Roles: admin, organizer, treasurer, documenter, viewer - per organization.\n"
	      "Passwords are stored as argon2id hashes; a password has 10 to 256 characters.\n", out);
	return out == stdout ? EX_OK : EX_USAGE;
}

static int read_password(char *buf, size_t n)
{
	const char *env = getenv("FAIRSHARE_PASSWORD");
	if (env && *env) {
		snprintf(buf, n, "%s", env);
		return 0;
	}
	if (!fgets(buf, (int)n, stdin))
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

int cmd_user(struct cli *c, int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argv[1]))
		return user_help(argc < 2 ? stderr : stdout);
	const char *sub = argv[1], *role = NULL, *label_opt = NULL;
	const struct cli_option opts[] = {
		CLI_OPT_STRING("role", &role, "ROLE", "the role in the organization of --org (user add)"),
		CLI_OPT_STRING("label", &label_opt, "TEXT", "the token's name (user token)"),
		CLI_OPT_END(),
	};
	char cmdname[48];
	snprintf(cmdname, sizeof(cmdname), "user %.30s", sub);
	char **pos = argv + 1; /* the positional arguments after the subcommand */
	int rc, npos = cli_parse_options(argc - 1, pos, opts, cmdname, 3, &rc);
	if (npos < 0)
		return rc;
	const char *name = npos > 0 ? pos[0] : NULL;
	if (strcmp(sub, "list") && !name)
		return cli_usage("user %s needs the user name", sub);
	if ((role && strcmp(sub, "add")) || (label_opt && (strcmp(sub, "token") || !strcmp(name, "list") || !strcmp(name, "revoke"))))
		return cli_opt_error(cmdname, "--%s is not an option of this command", role ? "role" : "label");
	int need_org = !strcmp(sub, "role") || (!strcmp(sub, "add") && role);
	int reads = !strcmp(sub, "list") || (!strcmp(sub, "token") && !strcmp(name, "list"));
	struct fs_ctx *ctx = cli_open(c, reads ? FS_READONLY : 0, need_org, &rc);
	if (!ctx)
		return rc;
	struct fs_error err = {0};
	int r = 0;
	char pw[300];
	if (!strcmp(sub, "add") || !strcmp(sub, "passwd")) {
		if (npos != 1) {
			fs_close(ctx);
			return cli_usage("user %s NAME%s", sub, !strcmp(sub, "add") ? " [--role ROLE]" : "");
		}
		if (read_password(pw, sizeof(pw))) {
			fs_close(ctx);
			return cli_usage("give the password in $FAIRSHARE_PASSWORD or on standard input");
		}
		/* the same core functions as the API's /orgs/{org}/users (core/users.h),
		 * as the principal (--as NAME, else the operator) */
		int64_t id = 0;
		char initial[FS_INITIAL_PASSWORD];
		if (!strcmp(sub, "add"))
			r = fs_account_create(ctx, name, pw, role, initial, &id, &err);
		else if (!(r = fs_user_id(ctx, name, &id, &err)))
			r = fs_account_set_password(ctx, id, pw, &err);
		memset(pw, 0, sizeof(pw));
		if (!r)
			printf("%s %s\n", !strcmp(sub, "add") ? "added user" : "changed the password of", name);
	} else if (!strcmp(sub, "role")) {
		if (npos != 2) {
			fs_close(ctx);
			return cli_usage("user role NAME ROLE|none");
		}
		int64_t id;
		if (!(r = fs_user_id(ctx, name, &id, &err)))
			r = fs_account_set_role(ctx, id, pos[1], &err);
		if (!r)
			printf("%s: %s\n", name, pos[1]);
	} else if (!strcmp(sub, "disable") || !strcmp(sub, "enable")) {
		int64_t id;
		if (npos != 1) {
			fs_close(ctx);
			return cli_usage("user %s NAME", sub);
		}
		if (!(r = fs_user_id(ctx, name, &id, &err)))
			r = fs_account_set_disabled(ctx, id, !strcmp(sub, "disable"), &err);
		if (!r)
			printf("%sd %s\n", sub, name);
	} else if (!strcmp(sub, "token") && !strcmp(name, "list")) {
		if (npos > 2) {
			fs_close(ctx);
			return cli_usage("user token list [NAME]");
		}
		/* the API's GET /orgs/{org}/users/{id}/tokens: who may is the core's (users.h) */
		json_t *toks = NULL;
		int64_t id = 0;
		if (npos < 2 || !(r = fs_user_id(ctx, pos[1], &id, &err)))
			r = fs_account_tokens(ctx, id, &toks, &err);
		if (!r) {
			if (c->json) {
				cli_print_json(toks);
			} else {
				size_t i;
				json_t *t;
				json_array_foreach(json_object_get(toks, "items"), i, t)
					printf("%-24s %-32s %s\n", json_string_value(json_object_get(t, "user")),
					       json_string_value(json_object_get(t, "name")),
					       json_string_value(json_object_get(t, "created_at")));
			}
			json_decref(toks);
		}
	} else if (!strcmp(sub, "token") && !strcmp(name, "revoke")) {
		if (npos != 3) {
			fs_close(ctx);
			return cli_usage("user token revoke NAME LABEL");
		}
		int64_t id;
		if (!(r = fs_user_id(ctx, pos[1], &id, &err)))
			r = fs_account_token_revoke(ctx, id, 0, pos[2], &err);
		if (!r)
			printf("revoked the token '%s' of %s\n", pos[2], pos[1]);
	} else if (!strcmp(sub, "token")) {
		char label[40];
		if (npos == 1 && label_opt) {
			snprintf(label, sizeof(label), "%.39s", label_opt);
		} else if (npos == 1) { /* a fresh name, so that tokens stay tellable apart */
			unsigned char raw[4];
			randombytes_buf(raw, sizeof(raw));
			snprintf(label, sizeof(label), "token-%02x%02x%02x%02x", raw[0], raw[1], raw[2], raw[3]);
		} else {
			fs_close(ctx);
			return cli_usage("user token NAME [--label TEXT]");
		}
		char token[68];
		int64_t id;
		if (!(r = fs_user_id(ctx, name, &id, &err)))
			r = fs_account_token_create(ctx, id, label_opt ? label_opt : label, token, NULL, &err);
		if (!r)
			printf("%s\n", token);
		memset(token, 0, sizeof(token));
	} else if (!strcmp(sub, "list")) {
		json_t *users;
		if (npos) {
			fs_close(ctx);
			return cli_usage("user list takes no argument");
		}
		/* the API's GET /orgs/{org}/users: users.manage checked by the core */
		r = fs_accounts_list(ctx, &users, &err);
		if (!r) {
			if (c->json) {
				cli_print_json(users);
			} else {
				size_t i;
				json_t *u;
				json_array_foreach(json_object_get(users, "items"), i, u)
					printf("%-24s%s\n", json_string_value(json_object_get(u, "username")),
					       json_is_true(json_object_get(u, "disabled")) ? " (disabled)" : "");
			}
			json_decref(users);
		}
	} else {
		fs_close(ctx);
		return cli_usage("'%s' is not a user command", sub);
	}
	fs_close(ctx);
	return r ? cli_fail(&err, r) : EX_OK;
}
