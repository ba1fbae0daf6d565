/* journal.c - the tamper-evident journal: every change appends an entry, chained by
 * BLAKE2b to the one before in its log, in the same transaction as the change
 * (verify and the log of a record, which read it back: journal_check.c). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <stdarg.h>

#include "util/date.h"
#include "log.h"

void fs_now_iso(char out[32])
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	gmtime_r(&tv.tv_sec, &tm);
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03dZ", (int)(tv.tv_usec / 1000) % 1000);
}

static int64_t org_of(const struct fs_rec *r)
{
	const struct fs_entity *e = r->e;
	if (e->owned)
		return r->v[e->org_col].i;
	return strcmp(e->name, "organization") == 0 ? r->v[0].i : 0; /* accounts belong to no organization */
}

static int journal_entry(struct fs_ctx *ctx, const char *action, const struct fs_rec *before,
			 const struct fs_rec *after, const char *note, struct fs_error *err);

int fs_journal_append(struct fs_ctx *ctx, const char *action, const struct fs_rec *before,
		      const struct fs_rec *after, struct fs_error *err)
{
	return journal_entry(ctx, action, before, after, NULL, err);
}

int fs_journal_note(struct fs_ctx *ctx, const char *action, const struct fs_rec *about, const char *note,
		    struct fs_error *err)
{
	return journal_entry(ctx, action, about, NULL, note, err);
}

int fs_journal_transfers(struct fs_ctx *ctx, const struct fs_rec *fund, int64_t first_seq, int64_t last_seq,
			 int64_t count, const unsigned char head[32], struct fs_error *err)
{
	char hex[65], note[200];
	fs_hex(head, 32, hex);
	snprintf(note, sizeof(note), "{\"transfers\":%lld,\"first_seq\":%lld,\"last_seq\":%lld,\"head\":\"%s\"}",
		 (long long)count, (long long)first_seq, (long long)last_seq, hex);
	return journal_entry(ctx, "transfers", fund, NULL, note, err);
}

int fs_journal_batch(struct fs_ctx *ctx, const char *note, struct fs_error *err)
{
	struct fs_rec r;
	rec_init(&r, fs_entity_lookup("organization"));
	r.v[0] = fs_vint(ctx->org_id);
	int rc = journal_entry(ctx, "batch", &r, NULL, note, err);
	rec_done(&r);
	return rc;
}

int fs_journal_custody(struct fs_ctx *ctx, int64_t evidence_id, int64_t custody_seq, const unsigned char head[32],
		       struct fs_error *err)
{
	struct fs_rec r;
	rec_init(&r, fs_entity_lookup("evidence"));
	r.v[0] = fs_vint(evidence_id);
	r.v[r.e->org_col] = fs_vint(ctx->org_id);
	char hex[65], note[160];
	fs_hex(head, 32, hex);
	snprintf(note, sizeof(note), "{\"custody_seq\":%lld,\"head\":\"%s\"}", (long long)custody_seq, hex);
	int rc = journal_entry(ctx, "custody", &r, NULL, note, err);
	rec_done(&r);
	return rc;
}

struct anchor {
	int64_t org, seq;
	char head_hex[65];
};

struct anchor_ud {
	struct anchor *a;
	size_t n, cap;
	int rc;
};

/* the newest anchor of each organization (entries come newest first) */
static int anchor_cb(void *p, const struct fs_value *v)
{
	struct anchor_ud *u = p;
	int64_t org = v[1].type == FS_VINT ? v[1].i : 0;
	for (size_t i = 0; i < u->n; i++)
		if (u->a[i].org == org)
			return 0;
	json_t *j = v[0].type == FS_VTEXT ? json_loadb(v[0].p, v[0].n, 0, NULL) : NULL;
	const char *hex = json_string_value(json_object_get(j, "head"));
	if (hex && strlen(hex) == 64) {
		if (fs_grow(&u->a, &u->cap, u->n, sizeof(*u->a), 8)) {
			json_decref(j);
			return u->rc = FS_ENOMEM, 1;
		}
		struct anchor *a = &u->a[u->n++];
		a->org = org;
		a->seq = json_integer_value(json_object_get(j, "custody_seq"));
		memcpy(a->head_hex, hex, 65);
	}
	json_decref(j);
	return 0;
}

int fs_journal_custody_anchors(struct fs_ctx *ctx, fs_custody_anchor_cb cb, void *ud, struct fs_error *err)
{
	struct fs_filter f = {"action", FS_EQ, fs_vtext("custody")};
	static const char *const cols[] = {"after_json", "org_id"};
	struct fs_query q = {.table = &fs_journal_table, .filters = &f, .nfilters = 1, .order_by = "seq", .descending = 1,
			     .columns = cols, .ncolumns = 2};
	struct anchor_ud u = {0};
	int rc = fs_store_select(ctx->st, &q, anchor_cb, &u, err);
	if (!rc)
		rc = u.rc;
	for (size_t i = 0; !rc && i < u.n; i++)
		rc = cb(ud, u.a[i].org, u.a[i].seq, u.a[i].head_hex);
	free(u.a);
	return rc;
}

/* The point where the one chain of the landed databases ends (migration 26 wrote
 * it into meta journal_chains when the journal had entries; none: 0) and its
 * entry's hash. Entries up to it follow the entry before them, whatever its log
 * (chain v1); every later entry follows the entry before it in its own log, the
 * first of each log the old chain's head (chain v2). The entry's hash formula is
 * the same in both (so proofs and their verifiers need no version). */
int fs_journal_split(struct fs_ctx *ctx, int64_t *split, unsigned char old_head[32], struct fs_error *err)
{
	struct fs_buf v;
	fs_buf_init(&v, 64);
	int rc = fs_store_meta_get(ctx->st, "journal_chains", &v, NULL);
	int64_t s = 0;
	if (rc == 0) {
		char *end = NULL;
		s = v.data ? strtoll(v.data, &end, 10) : -1;
		if (!v.data || end == v.data || *end || s < 0)
			rc = fs_fail(err, FS_EINTEGRITY, NULL, "meta journal_chains is '%.30s', not an entry number", v.data ? v.data : "");
	} else if (rc == FS_ENOTFOUND) {
		rc = 0;
	} else {
		rc = fs_fail(err, rc, NULL, "cannot read the database's meta data");
	}
	fs_buf_done(&v);
	memset(old_head, 0, 32);
	if (!rc && s > 0) {
		struct fs_row row;
		rc = fs_store_get_raw(ctx->st, &fs_journal_table, s, &row, err);
		if (rc == FS_ENOTFOUND)
			rc = fs_fail(err, FS_EINTEGRITY, NULL, "journal entry %lld, the end of the old chain, is missing", (long long)s);
		if (rc)
			return rc;
		if (row.vals[FS_J_HASH].type == FS_VBLOB && row.vals[FS_J_HASH].n == 32)
			memcpy(old_head, row.vals[FS_J_HASH].p, 32);
		fs_row_free(&row);
	}
	if (!rc)
		*split = s;
	return rc;
}

static int hash_cb(void *p, const struct fs_value *v)
{
	if (v[0].type == FS_VBLOB && v[0].n == 32)
		memcpy(p, v[0].p, 32);
	return 1;
}

/* The newest entry of log org (after the split), else the old chain's head: what
 * the next entry of org follows. The journal's newest entry (any log) gives the
 * next number where the store has no sequence for it (SQLite: one writer at a
 * time). Read once per transaction and log; a log not the transaction's own
 * organization's (the system's) is locked first (lock_shared: PostgreSQL). */
static int chain_head(struct fs_ctx *ctx, int64_t org, struct fs_error *err)
{
	int rc;
	if (!ctx->head_valid) {
		ctx->head_seq = 0;
		memset(ctx->head_hash, 0, sizeof(ctx->head_hash));
		if ((!ctx->st->ops->next_id && (rc = fs_store_journal_head(ctx->st, &ctx->head_seq, ctx->head_hash, err))) ||
		    (rc = fs_journal_split(ctx, &ctx->chain_split, ctx->chain_old, err)))
			return rc;
		ctx->chain_org = -1;
		ctx->head_valid = 1;
	}
	if (ctx->chain_org == org)
		return 0;
	ctx->chain_org = -1;
	if (ctx->st->ops->lock_shared && (rc = ctx->st->ops->lock_shared(ctx->st, org, err)))
		return rc;
	memcpy(ctx->chain_hash, ctx->chain_old, FS_HASH_BYTES);
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(org)}, {"seq", FS_GE, fs_vint(ctx->chain_split + 1)}};
	static const char *const cols[] = {"hash"};
	struct fs_query q = {.table = &fs_journal_table, .filters = f, .nfilters = 2, .order_by = "seq", .descending = 1,
			     .limit = 1, .columns = cols, .ncolumns = 1, .raw = 1};
	if ((rc = fs_store_select(ctx->st, &q, hash_cb, ctx->chain_hash, err)))
		return rc;
	ctx->chain_org = org;
	return 0;
}

static int journal_entry(struct fs_ctx *ctx, const char *action, const struct fs_rec *before,
			 const struct fs_rec *after, const char *note, struct fs_error *err)
{
	const struct fs_rec *r = after ? after : before;
	const struct fs_entity *e = r->e;
	int rc;
	if (ctx->batch && ctx->batch_touch && (rc = ctx->batch_touch(ctx, e, r->v[0].i, err)))
		return rc; /* a record a pending batch created: the batch entry comes first */
	int64_t org = org_of(r);
	if ((rc = chain_head(ctx, org, err)))
		return rc;
	char ts[32];
	fs_now_iso(ts);
	struct fs_buf bj, aj;
	fs_buf_init(&bj, FS_TEXT_MAX);
	fs_buf_init(&aj, FS_TEXT_MAX);
	int jrc = note ? fs_buf_adds(&aj, note)
		       : (before && rec_json_text(before, REC_JSON_JOURNAL, &bj)) || (after && rec_json_text(after, REC_JSON_JOURNAL, &aj));
	unsigned char row_hash[FS_HASH_BYTES], hash[FS_HASH_BYTES];
	if (after)
		fs_hash_values(e->table.name, after->v, e->table.ncols, row_hash);
	struct fs_value v[FS_J_NCOLS];
	int64_t seq = ctx->head_seq + 1; /* a sequence's number where the store has one: taken under the log's lock */
	if (ctx->st->ops->next_id && !jrc && (rc = fs_store_next_id(ctx->st, &fs_journal_table, &seq, err))) {
		fs_buf_done(&bj);
		fs_buf_done(&aj);
		return rc;
	}
	v[FS_J_SEQ] = fs_vint(seq);
	v[FS_J_TS] = fs_vtext(ts);
	v[FS_J_ACTOR] = fs_vtext(ctx->actor);
	v[FS_J_ACTION] = fs_vtext(action);
	v[FS_J_ENTITY] = fs_vtext(e->name);
	v[FS_J_ENTITY_ID] = fs_vint(r->v[0].i);
	v[FS_J_ORG_ID] = fs_vint(org);
	v[FS_J_PERSON_ID] = e->person_col >= 0 ? r->v[e->person_col] : fs_vnull();
	v[FS_J_BEFORE] = before && !note ? (struct fs_value){FS_VTEXT, 0, bj.data, bj.len} : fs_vnull();
	v[FS_J_AFTER] = after || note ? (struct fs_value){FS_VTEXT, 0, aj.data, aj.len} : fs_vnull();
	v[FS_J_ROW_HASH] = after ? fs_vblob(row_hash, sizeof(row_hash)) : fs_vnull();
	v[FS_J_PREV_HASH] = fs_vblob(ctx->chain_hash, FS_HASH_BYTES); /* the entry before it in its own log */
	fs_hash_values("journal", v, FS_J_HASH, hash);
	v[FS_J_HASH] = fs_vblob(hash, sizeof(hash));
	int64_t got = seq;
	rc = jrc ? fs_fail(err, FS_ENOMEM, NULL, "out of memory")
	    : ctx->st->ops->next_id ? fs_store_insert_id(ctx->st, &fs_journal_table, v, err)
				     : fs_store_insert(ctx->st, &fs_journal_table, v, &got, err);
	fs_buf_done(&bj);
	fs_buf_done(&aj);
	if (rc)
		return rc;
	if (got != seq)
		return fs_fail(err, FS_EINTEGRITY, NULL, "journal entry got number %lld, expected %lld",
			       (long long)got, (long long)seq);
	if (!ctx->log_off && (rc = fs_log_append(ctx, org, seq, hash, err))) /* a leaf of its organization's Merkle log */
		return rc;
	ctx->head_seq = seq;
	memcpy(ctx->head_hash, hash, FS_HASH_BYTES);
	memcpy(ctx->chain_hash, hash, FS_HASH_BYTES);
	return 0;
}
