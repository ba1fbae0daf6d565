/* ctx.c - opening a fairshare database with its key, choosing the current
 * organization, the summary. The top of base/: it calls the journal, the log,
 * the keys and the domains' registration (domains.c); the transactions it and
 * every other file use are tx.c's, below them all. */
#include "internal.h"
#include "util/utf8.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


/* The columns the code expects must be the columns the database has (in any
 * order: a later migration adds columns at the end; SQL names every column). */
static int check_schema(struct fs_ctx *ctx, struct fs_error *err)
{
	struct fs_buf cols;
	fs_buf_init(&cols, 64 * 1024);
	int rc = 0;
	for (size_t i = 0; i < fs_nentities && !rc; i++) {
		const struct fs_table *t = &fs_entities[i]->table;
		fs_buf_reset(&cols);
		if ((rc = ctx->st->ops->table_columns(ctx->st, t->name, &cols, err)))
			break;
		size_t have = 0, found = 0;
		for (size_t pos = 0; pos < cols.len; pos += strlen(cols.data + pos) + 1, have++)
			for (size_t k = 0; k < t->ncols; k++)
				if (!strcmp(cols.data + pos, t->cols[k].name)) {
					found++;
					break;
				}
		if (have != t->ncols || found != t->ncols)
			rc = fs_fail(err, FS_EVERSION, NULL, "table %s does not have the columns this fairshare expects", t->name);
	}
	fs_buf_done(&cols);
	return rc;
}

/* Schema migrations that gave a journaled table a new column change the hash of
 * every row of it (the row hash covers every column). Such a migration is
 * journaled: one 'migrate' entry per row with its new shape, written once, the
 * first time a fairshare that knows the migration opens the database writable.
 * The meta key journal_shape says up to which migration that was done (absent:
 * a database from before migration 15; a new database starts current). */
static const struct {
	int version;
	const char *entity;
} reshaped[] = {{15, "incident"}, {15, "evidence"}, {16, "employment"}, {17, "incident"}, {17, "assessment"},
		{17, "detention"}, {17, "action"}, {17, "stage"}, {17, "demand"}, {17, "hearing"}, {17, "person"},
		{19, "fund"}};
/* 21: every seal bound to its row (seal_bind.c, in batches after the rest). */
enum { SHAPE_TABLES = 19, SHAPE_SEALED_TEXT = 17, SHAPE_CURRENT = 21 };

struct shape_ud {
	struct fs_ctx *ctx;
	const struct fs_entity *e;
	int journal; /* the table's shape changed: journal every row */
	int reseal;  /* move restricted text into the seal; people under their own keys */
	int shape;   /* the journal's shape before (reshape_check.c) */
	int rc;
	struct fs_error *err;
	int64_t *ids; /* rows to reseal, collected first (no writes while selecting) */
	size_t n, cap;
};

static int shape_row(struct shape_ud *u, const struct fs_value *v)
{
	struct fs_rec r;
	int reseal = u->reseal && (fs_restricted_row(u->e, v) || (u->e->person_col == 0 && v[u->e->sealed_col].type == FS_VBLOB));
	/* a row changed outside fairshare before the upgrade is journaled as a mismatch, never laundered */
	int differs = reseal || u->journal ? fs_reshape_row_check(u->ctx, u->e, v, u->shape, u->err) : 0;
	if (differs < 0)
		return differs;
	int rc = rec_from_values_ex(u->ctx, &r, u->e, v, reseal, u->err);
	if (!rc && reseal)
		rc = rec_reseal(u->ctx, &r, u->err);
	if (!rc && reseal)
		rc = fs_store_update(u->ctx->st, &u->e->table, r.v, u->err);
	if (!rc && (reseal || u->journal))
		rc = fs_journal_append(u->ctx, differs ? "mismatch" : "migrate", NULL, &r, u->err);
	rec_done(&r);
	return rc;
}

static int shape_cb(void *p, const struct fs_value *v)
{
	struct shape_ud *u = p;
	if (fs_grow(&u->ids, &u->cap, u->n, sizeof(*u->ids), 1024))
		return u->rc = FS_ENOMEM, 1;
	u->ids[u->n++] = v[0].i;
	return 0;
}

static int shape_table(struct shape_ud *u)
{
	struct fs_query q = {.table = &u->e->table, .raw = 1};
	int rc = fs_store_select(u->ctx->st, &q, shape_cb, u, u->err);
	if (!rc)
		rc = u->rc;
	for (size_t i = 0; !rc && i < u->n; i++) {
		struct fs_row row = {0};
		rc = fs_store_get_raw(u->ctx->st, &u->e->table, u->ids[i], &row, u->err);
		if (!rc)
			rc = shape_row(u, row.vals);
		fs_row_free(&row);
	}
	free(u->ids);
	u->ids = NULL;
	u->n = u->cap = 0;
	return rc;
}

/* Up to which migration the journal has the rows' shape (14 when not recorded). */
static int journal_shape(struct fs_ctx *ctx, int *done, struct fs_error *err)
{
	struct fs_buf v;
	fs_buf_init(&v, 64);
	int rc = fs_store_meta_get(ctx->st, "journal_shape", &v, NULL);
	*done = 14;
	if (!rc && v.data) {
		char *end;
		long n = strtol(v.data, &end, 10);
		*done = *end || n < 0 || n > 1000 ? 0 : (int)n; /* unreadable: journal every reshaped table again */
	}
	fs_buf_done(&v);
	return rc && rc != FS_ENOTFOUND ? fs_fail(err, rc, NULL, "cannot read the database's meta data") : 0;
}

static int shape_done(struct fs_ctx *ctx, int shape, struct fs_error *err)
{
	char cur[16];
	snprintf(cur, sizeof(cur), "%d", shape);
	return fs_store_meta_set(ctx->st, "journal_shape", cur, err);
}

static int reshape_journal(struct fs_ctx *ctx, struct fs_error *err)
{
	int done = SHAPE_CURRENT;
	char saved[FS_ACTOR_MAX];
	snprintf(saved, sizeof(saved), "%s", ctx->actor);
	fs_set_actor(ctx, "fairshare-migrate");
	int rc = fs_tx_begin(ctx, err);
	if (!rc) /* read inside the write lock: another process may have done it */
		rc = journal_shape(ctx, &done, err);
	int tables = done < SHAPE_TABLES;
	for (size_t k = 0; !rc && done < SHAPE_TABLES && k < fs_nentities; k++) {
		struct shape_ud u = {.ctx = ctx, .e = fs_entities[k], .shape = done, .err = err};
		for (size_t i = 0; i < sizeof(reshaped) / sizeof(reshaped[0]); i++)
			u.journal |= reshaped[i].version > done && fs_entity_lookup(reshaped[i].entity) == u.e;
		u.reseal = done < SHAPE_SEALED_TEXT && (u.e->any_restricted || u.e->person_col == 0);
		if (u.journal || u.reseal)
			rc = shape_table(&u);
	}
	if (!rc && tables)
		rc = shape_done(ctx, SHAPE_TABLES, err);
	rc = fs_tx_end(ctx, rc, err);
	fs_set_actor(ctx, saved);
	/* then the seals, batch by batch (FAIRSHARE_BIND_BATCH: rows per batch, for tests) */
	const char *b = getenv("FAIRSHARE_BIND_BATCH");
	return rc ? rc : fs_seal_bind(ctx, b ? strtoll(b, NULL, 10) : 1000, err);
}

int fs_db_is_server(const char *db)
{
	return fs_store_is_server(db);
}

int fs_open(const char *db_path, const char *key_path, unsigned flags, struct fs_ctx **ret,
	    struct fs_error *err)
{
	int rc = fs_crypto_init(err);
	if (rc)
		return rc;
	fs_domains_init();
	char default_key[4096];
	int server = fs_store_is_server(db_path);
	if (!key_path && server) /* the key is a file on this machine, never in the database */
		return fs_fail(err, FS_EINVAL, "key", "a PostgreSQL database needs its key file named: --key PATH or "
			       "FAIRSHARE_KEY (the evidence files go beside it, in PATH without .key plus .evidence)");
	if (!key_path) {
		if ((size_t)snprintf(default_key, sizeof(default_key), "%s.key", db_path) >= sizeof(default_key))
			return fs_fail(err, FS_EINVAL, "db", "database path too long");
		key_path = default_key;
	}
	struct fs_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return FS_ENOMEM;
	snprintf(ctx->actor, sizeof(ctx->actor), "operator"); /* principal_id 0: FS_OPERATOR */
	/* DB.evidence beside a database file; KEY.evidence (KEY without .key) beside a server's key file */
	const char *base = server ? key_path : db_path;
	size_t dl = strlen(base);
	if (server && dl > 4 && !strcmp(base + dl - 4, ".key"))
		dl -= 4;
	if (!(ctx->evidence_dir = malloc(dl + sizeof(".evidence")))) {
		free(ctx);
		return FS_ENOMEM;
	}
	memcpy(ctx->evidence_dir, base, dl);
	memcpy(ctx->evidence_dir + dl, ".evidence", sizeof(".evidence"));
	unsigned sflags = (flags & FS_INIT) ? FS_OPEN_CREATE : (flags & FS_ASIS) ? FS_OPEN_READONLY | FS_OPEN_ASIS
			: (flags & FS_READONLY) ? FS_OPEN_READONLY : 0;
	if (flags & FS_SHARED)
		sflags |= FS_OPEN_SHARED;
	struct stat sb; /* init takes a new path, or an empty file (as mktemp makes) */
	if ((flags & FS_INIT) && !server && stat(db_path, &sb) == 0 && !(S_ISREG(sb.st_mode) && sb.st_size == 0)) {
		free(ctx->evidence_dir);
		free(ctx);
		return fs_fail(err, FS_ECONFLICT, "db", "%s exists already; it is not initialised again", db_path);
	}
	if ((rc = fs_store_open(db_path, sflags, &ctx->st, err)))
		goto fail;
	if (!(ctx->key_path = strdup(key_path))) {
		rc = FS_ENOMEM;
		goto fail;
	}
	ctx->st->open_row = fs_open_row; /* restricted text opens on the way out of the store */
	ctx->st->open_row_ud = ctx;
	if (!(flags & FS_ASIS) && (rc = check_schema(ctx, err)))
		goto fail;
	char fpr[2 * FS_HASH_BYTES + 1];
	if (flags & FS_INIT) {
		if ((rc = fs_keys_create(key_path, &ctx->keys, err)))
			goto fail_unlink;
		fs_hex(ctx->keys.fingerprint, FS_HASH_BYTES, fpr);
		if ((rc = fs_store_meta_set(ctx->st, "key_fingerprint", fpr, err)) ||
		    (rc = shape_done(ctx, SHAPE_CURRENT, err)) || (rc = fs_log_mark_built(ctx, err)) ||
		    (rc = fs_signing_key_create(ctx, NULL, 1, err))) {
			unlink(key_path);
			goto fail_unlink;
		}
	} else {
		struct fs_buf stored;
		fs_buf_init(&stored, 256);
		rc = fs_store_meta_get(ctx->st, "key_fingerprint", &stored, NULL);
		if (rc == FS_ENOTFOUND)
			rc = fs_fail(err, FS_EINVAL, "db", "%s is not a fairshare database (not initialised)", db_path);
		if (!rc)
			rc = fs_keys_load(key_path, &ctx->keys, err);
		if (!rc) {
			fs_hex(ctx->keys.fingerprint, FS_HASH_BYTES, fpr);
			if (strcmp(fpr, stored.data) != 0 && fs_key_rotation_settle(ctx, stored.data, err) != 0)
				rc = fs_fail(err, FS_ECRYPTO, "key", "the key file %s does not belong to this database", key_path);
		}
		fs_buf_done(&stored);
		if (!rc && !(flags & FS_ROTATE) && fs_key_rotating(ctx))
			rc = fs_fail(err, FS_ECONFLICT, "key", "a key rotation was interrupted: finish it with 'fairshare key rotate' "
				     "before anything else");
		int shape = SHAPE_CURRENT, logged = FS_LOG_LAYOUT_CHUNKS;
		if (!rc && !(flags & FS_ASIS)) /* the logs first: the journal entries written below are leaves */
			rc = fs_log_built(ctx, &logged, err);
		if (!rc)
			rc = journal_shape(ctx, &shape, err);
		ctx->seal_legacy = shape < SHAPE_CURRENT;
		if (!rc && !logged && !(flags & FS_READONLY))
			rc = fs_log_build(ctx, err);
		else if (!rc && logged != FS_LOG_LAYOUT_CHUNKS && !(flags & FS_READONLY))
			rc = fs_log_unpack(ctx, err);
		if (!rc && (shape < SHAPE_CURRENT || logged != FS_LOG_LAYOUT_CHUNKS) && !(flags & FS_ASIS)) {
			if (flags & FS_READONLY) { /* as the store migrates: once, writable, then read */
				struct fs_ctx *rw;
				if (!(rc = fs_open(db_path, key_path, flags & ~(unsigned)FS_READONLY, &rw, err)))
					fs_close(rw);
			} else if (shape < SHAPE_CURRENT || !logged) {
				rc = reshape_journal(ctx, err);
			}
			if (!rc)
				ctx->seal_legacy = 0;
		}
		if (rc)
			goto fail;
		if (!(flags & FS_READONLY)) /* interrupted uploads and snapshots of processes that are gone */
			fs_tmp_sweep(ctx);
		if (!(flags & (FS_READONLY | FS_ASIS)) && (rc = fs_forget_purge_owed(ctx, err)))
			goto fail; /* a forgotten person's old row versions still in the files: not left for later */
		if (!(flags & FS_ASIS)) /* the key's folder, not the database: read-only opens too */
			fs_key_next_sweep(ctx);
	}
	*ret = ctx;
	return 0;
fail_unlink:
	if (server) /* the schema stays: an empty database again needs dropping it by hand */
		goto fail;
	fs_store_close(ctx->st);
	ctx->st = NULL;
	unlink(db_path);
fail:
	fs_close(ctx);
	return rc;
}

void fs_close(struct fs_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->tx_depth)
		ctx->st->ops->rollback(ctx->st);
	fs_store_close(ctx->st);
	fs_keys_wipe(&ctx->keys);
	fs_pkeys_wipe(ctx);
	fs_person_keys_bulk_end(ctx);
	fs_page_cache_free(ctx);
	free(ctx->key_path);
	free(ctx->evidence_dir);
	free(ctx);
}

struct org_ud {
	int64_t n, id;
	char country[3], currency[4];
	char slugs[256];
};

static int org_cb(void *p, const struct fs_value *v)
{
	struct org_ud *u = p;
	const struct fs_entity *e = fs_entity_lookup("organization");
	u->n++;
	u->id = v[0].i;
	const struct fs_value *slug = &v[e->col_of[fs_field_index(e, "slug")]];
	const struct fs_value *c = &v[e->col_of[fs_field_index(e, "country")]];
	const struct fs_value *cur = &v[e->col_of[fs_field_index(e, "currency")]];
	size_t used = strlen(u->slugs);
	snprintf(u->slugs + used, sizeof(u->slugs) - used, "%s%.*s", used ? ", " : "", (int)slug->n, (const char *)slug->p);
	snprintf(u->country, sizeof(u->country), "%.*s", c->type == FS_VTEXT ? (int)c->n : 0, c->type == FS_VTEXT ? (const char *)c->p : "");
	snprintf(u->currency, sizeof(u->currency), "%.*s", cur->type == FS_VTEXT ? (int)cur->n : 0, cur->type == FS_VTEXT ? (const char *)cur->p : "");
	return 0;
}

int fs_use_org(struct fs_ctx *ctx, const char *slug_or_id, struct fs_error *err)
{
	const struct fs_entity *e = fs_entity_lookup("organization");
	struct fs_filter f;
	struct fs_query q = {.table = &e->table};
	if (slug_or_id && *slug_or_id) {
		char *end;
		long long id = strtoll(slug_or_id, &end, 10);
		f = *end ? (struct fs_filter){"slug", FS_EQ, fs_vtext(slug_or_id)}
			 : (struct fs_filter){"id", FS_EQ, fs_vint(id)};
		q.filters = &f;
		q.nfilters = 1;
	}
	struct org_ud u = {0};
	int rc = fs_store_select(ctx->st, &q, org_cb, &u, err);
	if (rc)
		return rc;
	if (slug_or_id && *slug_or_id && u.n == 0)
		return fs_fail(err, FS_ENOTFOUND, "org", "there is no organization '%.40s'", slug_or_id);
	if (u.n > 1)
		return fs_fail(err, FS_EINVAL, "org", "there are several organizations (%s): choose one with --org", u.slugs);
	ctx->org_id = u.n ? u.id : 0;
	memcpy(ctx->org_country, u.country, sizeof(u.country));
	memcpy(ctx->org_currency, u.currency, sizeof(u.currency));
	return 0;
}

static int count(struct fs_ctx *ctx, const char *entity, int64_t org, const struct fs_filter *extra,
		 json_t *into, const char *key, struct fs_error *err)
{
	const struct fs_entity *e = fs_entity_lookup(entity);
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(org)}};
	size_t nf = 1;
	if (extra)
		f[nf++] = *extra;
	struct fs_query q = {.table = &e->table, .filters = f, .nfilters = nf};
	int64_t n = 0;
	int rc = fs_store_count(ctx->st, &q, &n, err);
	if (!rc)
		json_object_set_new(into, key, json_integer(n));
	return rc;
}

struct summary_ud {
	struct fs_ctx *ctx;
	json_t *orgs;
};

static int summary_cb(void *p, const struct fs_value *v)
{
	struct summary_ud *u = p;
	struct fs_rec r;
	const struct fs_entity *e = fs_entity_lookup("organization");
	if (rec_from_values(u->ctx, &r, e, v, NULL))
		return 1;
	json_array_append_new(u->orgs, rec_to_json(&r, 0));
	rec_done(&r);
	return 0;
}

int fs_summary(struct fs_ctx *ctx, json_t **ret, struct fs_error *err)
{
	const struct fs_entity *oe = fs_entity_lookup("organization");
	struct summary_ud u = {ctx, json_array()};
	struct fs_query q = {.table = &oe->table};
	int rc = fs_store_select(ctx->st, &q, summary_cb, &u, err);
	size_t i;
	json_t *org;
	json_array_foreach(u.orgs, i, org) {
		if (rc)
			break;
		int64_t id = json_integer_value(json_object_get(org, "id"));
		struct fs_filter active = {"terminated", FS_EQ, fs_vnull()};
		struct fs_filter ended = {"terminated", FS_GE, fs_vtext("1900-01-01")};
		(void)((rc = count(ctx, "person", id, NULL, org, "people", err)) ||
		       (rc = count(ctx, "employer", id, NULL, org, "employers", err)) ||
		       (rc = count(ctx, "workplace", id, NULL, org, "workplaces", err)) ||
		       (rc = count(ctx, "employment", id, NULL, org, "employments", err)) ||
		       (rc = count(ctx, "employment", id, &active, org, "employments_active", err)) ||
		       (rc = count(ctx, "employment", id, &ended, org, "employments_terminated", err)) ||
		       (rc = count(ctx, "membership", id, NULL, org, "memberships", err)));
	}
	int64_t seq = 0;
	unsigned char head[FS_HASH_BYTES];
	char hex[2 * FS_HASH_BYTES + 1];
	if (!rc)
		rc = fs_store_journal_head(ctx->st, &seq, head, err);
	if (rc) {
		json_decref(u.orgs);
		return rc;
	}
	fs_hex(head, FS_HASH_BYTES, hex);
	*ret = json_pack("{s:o,s:{s:I,s:s}}", "organizations", u.orgs, "journal", "entries", (json_int_t)seq, "head", hex);
	return 0;
}
