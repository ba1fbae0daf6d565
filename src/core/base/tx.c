/* tx.c - the context's transactions and what they keep: a write transaction
 * (per organization's lock; keys and list pages of a failed one are wiped), a
 * read snapshot, the data version, the actor named in the journal, the current
 * organization. The lowest layer of the core's files above the store: it calls
 * the store alone, and every file that reads or writes calls it (ctx.c opens
 * and closes the context above it). */
#include "internal.h"
#include "log.h"
#include "pagecache_int.h"
#include "util/utf8.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fs_pkeys_wipe(struct fs_ctx *ctx)
{
	sodium_memzero(ctx->pkeys, sizeof(ctx->pkeys));
	sodium_memzero(ctx->party_key, sizeof(ctx->party_key)); /* and the party key (party.c) */
	ctx->party_gen = 0;
}

void fs_page_cache_clear(struct fs_ctx *ctx)
{
	struct fs_page_cache *c = ctx->pages;
	if (!c)
		return;
	for (size_t i = 0; i < FS_PAGECACHE_PAGES; i++) {
		free(c->p[i].key);
		free(c->p[i].text);
	}
	memset(c, 0, sizeof(*c));
}

/* principal.c's memo of the account and its roles (kept here: tx.c is below it) */
void fs_principal_memo_clear(struct fs_ctx *ctx)
{
	memset(ctx->role_memo, 0, sizeof(ctx->role_memo));
	memset(&ctx->user_memo, 0, sizeof(ctx->user_memo));
}

int fs_actor_check(const char *actor, struct fs_error *err)
{
	size_t n = actor ? strlen(actor) : 0;
	size_t bad = fs_utf8_invalid_at(actor ? actor : "", n);
	if (bad)
		return fs_fail(err, FS_EINVAL, "actor", "the actor name is not valid UTF-8 text (byte %zu)", bad);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)actor[i] < 0x20 || actor[i] == 0x7F)
			return fs_fail(err, FS_EINVAL, "actor",
				       "the actor name contains a control character (byte %zu%s); the journal takes one line "
				       "of plain text", i + 1, actor[i] == '\n' || actor[i] == '\r' ? ", a line break" : "");
	uint32_t bidi = fs_utf8_bidi_control(actor ? actor : "", n);
	if (bidi)
		return fs_fail(err, FS_EINVAL, "actor",
			       "the actor name contains the direction control U+%04X; remove it", (unsigned)bidi);
	if (n >= sizeof(((struct fs_ctx *)0)->actor))
		return fs_fail(err, FS_EINVAL, "actor", "the actor name is longer than %zu bytes",
			       sizeof(((struct fs_ctx *)0)->actor) - 1);
	return 0;
}

void fs_set_actor(struct fs_ctx *ctx, const char *actor)
{
	snprintf(ctx->actor, sizeof(ctx->actor), "%s", actor && *actor ? actor : "unknown");
	/* never a forged journal line, whoever calls: controls become '?' */
	for (char *p = ctx->actor; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = '?';
	fs_utf8_repair(ctx->actor);
}

int64_t fs_org(const struct fs_ctx *ctx)
{
	return ctx->org_id;
}

static void bulk_end(struct fs_ctx *ctx)
{
	ctx->bulk = 0;
	ctx->st->ops->bulk(ctx->st, 0);
}

int fs_tx_begin(struct fs_ctx *ctx, struct fs_error *err)
{
	if (ctx->tx_depth++ > 0)
		return 0;
	ctx->tx_failed = 0;
	ctx->head_valid = 0;
	ctx->logc.valid = 0;
	ctx->logc.dirty = 0;
	memset(ctx->counts, 0, sizeof(ctx->counts)); /* our own writes do not change data_version */
	fs_page_cache_clear(ctx);
	fs_principal_memo_clear(ctx); /* nor the account's or its roles' memo (principal.c) */
	/* in an organization: its lock, so other organizations' writers need not wait */
	int rc = ctx->st->ops->begin_org ? ctx->st->ops->begin_org(ctx->st, ctx->org_id > 0 ? ctx->org_id : 0, err)
					 : ctx->st->ops->begin(ctx->st, err);
	if (rc)
		ctx->tx_depth = 0;
	return rc;
}

int fs_tx_begin_bulk(struct fs_ctx *ctx, int64_t rows, struct fs_error *err)
{
	if (rows >= FS_BULK_ROWS && ctx->tx_depth == 0 && ctx->st->ops->bulk) {
		ctx->st->ops->bulk(ctx->st, 1);
		ctx->bulk = 1;
	}
	int rc = fs_tx_begin(ctx, err);
	if (rc && ctx->bulk && ctx->tx_depth == 0)
		bulk_end(ctx);
	return rc;
}

int fs_tx_end(struct fs_ctx *ctx, int rc, struct fs_error *err)
{
	if (rc)
		ctx->tx_failed = 1;
	if (--ctx->tx_depth > 0)
		return rc;
	if (!ctx->tx_failed && (rc = fs_log_flush(ctx, err))) /* the Merkle log's last pack of leaves */
		ctx->tx_failed = 1;
	ctx->head_valid = 0;
	ctx->logc.valid = 0;
	ctx->logc.dirty = 0;
	if (ctx->tx_failed) {
		ctx->st->ops->rollback(ctx->st);
		fs_pkeys_wipe(ctx); /* keys made in the transaction are gone with it */
		if (ctx->bulk)
			bulk_end(ctx);
		return rc ? rc : FS_EINVAL;
	}
	rc = ctx->st->ops->commit(ctx->st, err);
	if (rc)
		fs_pkeys_wipe(ctx);
	if (ctx->bulk)
		bulk_end(ctx);
	return rc;
}

int fs_read_begin(struct fs_ctx *ctx, struct fs_error *err)
{
	if (ctx->tx_depth || ctx->read_depth++)
		return 0;
	ctx->read_version_ok = 0; /* a new snapshot: its data_version is read again */
	int rc = ctx->st->ops->begin_read(ctx->st, err);
	if (rc)
		ctx->read_depth = 0;
	return rc;
}

void fs_read_end(struct fs_ctx *ctx)
{
	if (ctx->read_depth && --ctx->read_depth == 0)
		ctx->st->ops->rollback(ctx->st); /* nothing was written: end the snapshot */
}

int fs_idle(struct fs_ctx *ctx)
{
	return !ctx->tx_depth && !ctx->read_depth && (!ctx->st->ops->idle || ctx->st->ops->idle(ctx->st));
}

int64_t fs_data_version(struct fs_ctx *ctx)
{
	/* inside one read snapshot no other connection's commit is seen: read it once */
	if (ctx->read_depth && !ctx->tx_depth) {
		if (!ctx->read_version_ok) {
			ctx->read_version = ctx->st->ops->data_version(ctx->st);
			ctx->read_version_ok = ctx->read_version >= 0;
		}
		return ctx->read_version;
	}
	return ctx->st->ops->data_version(ctx->st);
}

int fs_org_info(const struct fs_ctx *ctx, char country[3], char currency[4])
{
	memcpy(country, ctx->org_country, 3);
	memcpy(currency, ctx->org_currency, 4);
	return 0;
}

void fs_set_org(struct fs_ctx *ctx, int64_t id, const char country[3], const char currency[4])
{
	ctx->org_id = id;
	memcpy(ctx->org_country, country, 3);
	memcpy(ctx->org_currency, currency, 4);
}
