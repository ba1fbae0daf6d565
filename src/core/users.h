/* users.h - accounts and their roles per organization, as an admin manages
 * them (the API's /orgs/{org}/users, the CLI's `user`): every function checks
 * that the principal (fs_principal: the account acting) holds users.manage in
 * the current organization (core/policy.h); the operator, whoever holds the
 * database and key files, may do all of it. Every change is journaled (the
 * entity path of entity.c) with the principal.
 *
 * What an admin of one organization sees and may change:
 *  - accounts with a role in this organization, and accounts with no role
 *    anywhere (new ones); another organization's accounts answer as if they did
 *    not exist;
 *  - a role here: granted, changed or revoked ("none");
 *  - disable/enable and the password: only of an account whose every role is in
 *    an organization where the admin holds users.manage too;
 *  - never the last enabled admin of an organization losing that (by a role
 *    change, a revoke or being disabled), and never their own account disabled:
 *    FS_ECONFLICT, so an organization cannot lock itself out. */
#ifndef FS_USERS_H
#define FS_USERS_H

#include <jansson.h>
#include <stdint.h>

#include "fairshare.h"

#define FS_INITIAL_PASSWORD 21 /* a generated password: 20 characters and its NUL */

/* *ret {items: [account]}, by username; an account is {id, username, disabled,
 * role (here, or null), roles: [{org, role}] (in the organizations where the
 * principal manages accounts; every one for the operator)}. */
int fs_accounts_list(struct fs_ctx *ctx, json_t **ret, struct fs_error *err);
int fs_account_get(struct fs_ctx *ctx, int64_t id, json_t **ret, struct fs_error *err);
/* A new account; password NULL: a new random one is written to initial (else
 * initial is ""); role NULL: none yet (else granted here). */
int fs_account_create(struct fs_ctx *ctx, const char *username, const char *password, const char *role,
		      char initial[FS_INITIAL_PASSWORD], int64_t *ret_id, struct fs_error *err);
/* Changes of one account, made together in one transaction and checked against
 * the roles as they were before: role (NULL: unchanged; "none" revokes the role
 * here), disabled (-1: unchanged; 1 ends its sessions and revokes its API
 * tokens; 0 enables), password (NULL: unchanged; a new one ends its sessions).
 * *ret (when ret is not NULL): the account afterwards, as fs_account_get. */
struct fs_account_change {
	const char *role;
	int disabled;
	const char *password;
};
int fs_account_change(struct fs_ctx *ctx, int64_t id, const struct fs_account_change *ch, json_t **ret,
		      struct fs_error *err);
/* One change each, as fs_account_change. */
int fs_account_set_role(struct fs_ctx *ctx, int64_t id, const char *role, struct fs_error *err);
int fs_account_set_disabled(struct fs_ctx *ctx, int64_t id, int disabled, struct fs_error *err);
int fs_account_set_password(struct fs_ctx *ctx, int64_t id, const char *password, struct fs_error *err);

/* API tokens (#10). Every account manages its own (tokens.own in the
 * organization, or none chosen); an account holding users.manage here lists and
 * revokes the tokens of every account it sees here (as above), and makes one
 * only for an account it controls (as setting its password: every role of that
 * account in an organization where it manages accounts too). An account it does
 * not see, or a token of another account: FS_ENOTFOUND; the rest: FS_EPERM. The
 * operator may do all of it. Only names and dates are answered, never a token's
 * hash; a revoked token is deleted (refused at once) and leaves the list, its
 * revocation stays in the journal. Journaled with the principal. */
/* *ret {items: [{id, user_id, user, name, created_at}]} of account id; id 0:
 * of every account the principal may see tokens of (its own at least). */
int fs_account_tokens(struct fs_ctx *ctx, int64_t id, json_t **ret, struct fs_error *err);
/* A new token for account id, written once to token; *ret (when ret is not
 * NULL): the token's list entry. */
int fs_account_token_create(struct fs_ctx *ctx, int64_t id, const char *name, char token[68], json_t **ret,
			    struct fs_error *err);
/* Revoke account id's token token_id, or (name not NULL) the one of that name. */
int fs_account_token_revoke(struct fs_ctx *ctx, int64_t id, int64_t token_id, const char *name, struct fs_error *err);

#endif
