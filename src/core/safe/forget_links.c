/* forget_links.c - forgetting a person reaches the records about them.
 *
 * Destroying a person's key makes their own sealed fields unreadable (keys.c).
 * The text that other records hold about them is destroyed with it: every free
 * text and sealed field (places, bodies, charges, courts, case numbers, appeals,
 * the lawyer, a violation's method and perpetrator) of the detentions, legal
 * cases and violations naming the person, and of the hearings of those cases.
 * The records themselves stay, with their kinds, dates, verdicts and references,
 * so every count holds; each one cleared gets an 'erase' journal entry with its
 * new row (and no copy of the old text). Text written while a record was public
 * or internal stays in the journal entries of that time (the hash chain covers
 * them); a restricted record's text never entered the journal. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define PURGE_OWED "forget_purge_owed" /* meta: the tables a forget's rewrite is owed to, space-separated */

struct ids {
	int64_t *v;
	size_t n, cap;
	int rc;
};

static int ids_cb(void *p, const struct fs_value *v)
{
	struct ids *u = p;
	if (fs_grow(&u->v, &u->cap, u->n, sizeof(*u->v), 64))
		return u->rc = FS_ENOMEM, 1;
	u->v[u->n++] = v[0].i;
	return 0;
}

static int ids_where(struct fs_ctx *ctx, const struct fs_entity *e, const char *col, int64_t id, struct ids *out,
		     struct fs_error *err)
{
	static const char *const idcol[] = {"id"};
	struct fs_filter f[2] = {{col, FS_EQ, fs_vint(id)}, {"org_id", FS_EQ, fs_vint(ctx->org_id)}};
	struct fs_query q = {.table = &e->table, .filters = f, .nfilters = 2, .columns = idcol, .ncolumns = 1, .raw = 1};
	int rc = fs_store_select(ctx->st, &q, ids_cb, out, err);
	return rc ? rc : out->rc;
}

/* Clear the text of one record; *cleared counts it when it held any. */
static int clear_row(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, int64_t *cleared, struct fs_error *err)
{
	struct fs_row row;
	int rc = fs_store_get_raw(ctx->st, &e->table, id, &row, err);
	if (rc)
		return rc;
	struct fs_rec r;
	rc = rec_from_values_ex(ctx, &r, e, row.vals, 1, err);
	fs_row_free(&row);
	int any = 0;
	for (size_t i = 0; !rc && i < e->nfields; i++) {
		unsigned fl = e->fields[i].flags;
		if (fl & FF_SEALED) {
			any |= r.plain[i] != NULL;
			rc = rec_set_plain(&r, i, NULL);
		} else if ((fl & FF_RESTRICTED) && e->fields[i].kind == FK_TEXT) {
			any |= rec_restricted_text(&r, i) != NULL;
			/* a required one keeps an empty text (NOT NULL in the schema) */
			rc = rec_set_plain(&r, i, (fl & FF_REQUIRED) ? "" : NULL);
			if (!rc)
				rc = rec_set_bytes(&r, e->col_of[i], (fl & FF_REQUIRED) ? FS_VTEXT : FS_VNULL, "", 0);
		}
	}
	if (!rc && any)
		rc = rec_reseal(ctx, &r, err);
	if (!rc && any)
		rc = fs_store_update(ctx->st, &e->table, r.v, err);
	if (!rc && any)
		rc = fs_journal_append(ctx, "erase", NULL, &r, err);
	if (!rc && any)
		++*cleared;
	rec_done(&r);
	return rc;
}

int fs_forget_links(struct fs_ctx *ctx, int64_t person, int64_t *cleared, struct fs_error *err)
{
	static const char *const about[] = {"detention", "case", "violation"};
	const struct fs_entity *hearing = fs_entity_lookup("hearing");
	int rc = 0;
	for (size_t k = 0; !rc && k < sizeof(about) / sizeof(about[0]); k++) {
		const struct fs_entity *e = fs_entity_lookup(about[k]);
		struct ids u = {0};
		rc = e ? ids_where(ctx, e, "person_id", person, &u, err) : FS_EINVAL;
		for (size_t i = 0; !rc && i < u.n; i++) {
			rc = clear_row(ctx, e, u.v[i], cleared, err);
			struct ids h = {0};
			if (!rc && hearing && !strcmp(about[k], "case"))
				rc = ids_where(ctx, hearing, "case_id", u.v[i], &h, err);
			for (size_t j = 0; !rc && j < h.n; j++)
				rc = clear_row(ctx, hearing, h.v[j], cleared, err);
			free(h.v);
		}
		free(u.v);
	}
	return rc;
}

/* ---- a person forgotten: their key destroyed, their links cleared, journaled ---- */

static int exec_sql(struct fs_ctx *ctx, const char *sql, struct fs_error *err)
{
	struct fs_stmt *s;
	int rc = ctx->st->ops->prepare(ctx->st, sql, &s, err);
	if (rc)
		return rc;
	while ((rc = ctx->st->ops->step(s, err)) > 0)
		;
	ctx->st->ops->release(s);
	return rc;
}

int fs_person_forget(struct fs_ctx *ctx, int64_t person, const char *reason, struct fs_error *err)
{
	if (!reason || strlen(reason) < 3 || strlen(reason) > 500)
		return fs_fail(err, FS_EINVAL, "reason", "say why the person is forgotten (3 to 500 characters)");
	for (const char *p = reason; *p; p++)
		if ((unsigned char)*p < 0x20)
			return fs_fail(err, FS_EINVAL, "reason", "contains a control character");
	const struct fs_entity *e = fs_entity_lookup("person");
	struct fs_row row;
	int rc = fs_store_get(ctx->st, &e->table, person, &row, NULL);
	if (rc == FS_ENOTFOUND || (!rc && row.vals[e->org_col].i != ctx->org_id)) {
		if (!rc)
			fs_row_free(&row);
		return fs_fail(err, FS_ENOTFOUND, NULL, "there is no person with id %lld", (long long)person);
	}
	if (rc)
		return fs_fail(err, rc, NULL, "cannot read person %lld", (long long)person);
	fs_row_free(&row);
	/* overwrite what is deleted, in the file and (by the checkpoint below) the WAL */
	if ((rc = exec_sql(ctx, "PRAGMA secure_delete = ON", err)) || (rc = fs_tx_begin(ctx, err)))
		return rc;
	rc = fs_person_key_state(ctx, person, err);
	int again = rc == 1; /* forgotten already: the rewrite below is done again (one that failed or never ran) */
	if (rc == 1)
		rc = fs_fail(err, FS_ECONFLICT, NULL, "person %lld was forgotten already", (long long)person);
	else if (rc == FS_ENOTFOUND)
		rc = 0; /* nothing sealed under a key of their own: the marker alone */
	char ts[32];
	fs_now_iso(ts);
	int64_t cleared = 0;
	if (!rc) /* the text of the records about them goes too (forget_links.c) */
		rc = fs_forget_links(ctx, person, &cleared, err);
	if (!rc)
		rc = fs_person_key_mark_forgotten(ctx, person, ts, err);
	if (!rc) { /* journaled with who (the actor) and why */
		json_t *note = json_pack("{s:s,s:s,s:I}", "reason", reason, "destroyed",
					 "the person's key: their sealed fields; the text of the records about them",
					 "records_cleared", (json_int_t)cleared);
		char *text = note ? json_dumps(note, JSON_COMPACT) : NULL;
		struct fs_rec r;
		rec_init(&r, e);
		r.v[0] = fs_vint(person);
		r.v[e->org_col] = fs_vint(ctx->org_id);
		rc = text ? fs_journal_note(ctx, "forget", &r, text, err) : FS_ENOMEM;
		rec_done(&r);
		free(text);
		json_decref(note);
	}
	/* PostgreSQL keeps the rows' old versions (the wrapped key, the cleared text)
	 * until a rewrite, done after the commit: the tables owed it are noted in the
	 * same transaction, so that a crash (or a failed rewrite) before it is made
	 * good by the next writable open (fs_forget_purge_owed). A person forgotten
	 * already (a retry): every table is owed the rewrite again, whatever left an
	 * old version behind */
	static const char *const cleared_in[] = {"person_keys", "detention", "case", "violation", "hearing"};
	char owed[128] = "";
	int retry = again && rc == FS_ECONFLICT && ctx->st->ops->purge;
	if (retry)
		rc = 0; /* the error stays said in err, and is returned below */
	for (size_t k = 0; !rc && ctx->st->ops->purge && k < sizeof(cleared_in) / sizeof(cleared_in[0]); k++) {
		const struct fs_entity *t = k ? fs_entity_lookup(cleared_in[k]) : NULL;
		if (k && (!t || (!cleared && !retry)))
			continue;
		size_t l = strlen(owed);
		snprintf(owed + l, sizeof(owed) - l, "%s%s", l ? " " : "", t ? t->table.name : cleared_in[0]);
	}
	if (!rc && owed[0])
		rc = fs_store_meta_set(ctx->st, PURGE_OWED, owed, err);
	fs_pkeys_wipe(ctx);
	rc = fs_tx_end(ctx, rc, err);
	if (!rc)
		rc = exec_sql(ctx, "PRAGMA wal_checkpoint(TRUNCATE)", err);
	struct fs_error perr = {0};
	if (!rc && owed[0] && (rc = fs_forget_purge_owed(ctx, &perr)))
		rc = fs_fail(err, rc, NULL, "person %lld is forgotten, but the old versions of their rows are not rewritten "
			     "away yet (%s); the next command that opens the database for writing does it", (long long)person,
			     perr.message);
	return !rc && retry ? FS_ECONFLICT : rc; /* a retry: "forgotten already", as said in err */
}

int fs_forget_purge_owed(struct fs_ctx *ctx, struct fs_error *err)
{
	if (!ctx->st->ops->purge)
		return 0;
	struct fs_buf v;
	fs_buf_init(&v, 128);
	int rc = fs_store_meta_get(ctx->st, PURGE_OWED, &v, NULL);
	if (rc == FS_ENOTFOUND || (!rc && (!v.data || !v.data[0]))) {
		fs_buf_done(&v);
		return 0;
	}
	char *save = NULL;
	for (char *name = rc ? NULL : strtok_r(v.data, " ", &save); name && !rc; name = strtok_r(NULL, " ", &save))
		rc = ctx->st->ops->purge(ctx->st, name, err);
	fs_buf_done(&v);
	if (!rc) /* every table rewritten: nothing owed (the meta row's own old version holds only table names) */
		rc = fs_store_meta_set(ctx->st, PURGE_OWED, "", err);
	return rc;
}
