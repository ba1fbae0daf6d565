/* proof.c - proofs a worker can keep: for each payment and claim of a person, the
 * journal entry that last wrote it (every column, so that its hash can be
 * recomputed), its place in the organization's Merkle log and its inclusion path,
 * followed by a signed checkpoint of the log; and the check of such a block,
 * which needs no database: only the text. */
#include "internal.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

#define PROOF_MAGIC "fairshare proof v1\n"
enum { MAX_ITEMS = 10000 };

struct ent_ud {
	int64_t *ids;
	size_t n, cap;
	int rc;
};

static int id_cb(void *p, const struct fs_value *v)
{
	struct ent_ud *u = p;
	if (u->n >= MAX_ITEMS || fs_grow(&u->ids, &u->cap, u->n, sizeof(*u->ids), 16))
		return u->rc = FS_ELIMIT, 1;
	u->ids[u->n++] = v[0].i;
	return 0;
}

static json_t *text_or_null(const struct fs_value *v)
{
	return v->type == FS_VTEXT ? json_stringn(v->p, v->n) : json_null();
}

static json_t *hex_or_null(const struct fs_value *v)
{
	char hex[65];
	if (v->type != FS_VBLOB || v->n != 32)
		return json_null();
	fs_hex(v->p, 32, hex);
	return json_string(hex);
}

struct entry_ud {
	json_t *entry;
	int64_t seq;
};

static int entry_cb(void *p, const struct fs_value *v)
{
	struct entry_ud *u = p;
	u->seq = v[FS_J_SEQ].i;
	u->entry = json_pack("{s:I,s:o,s:o,s:o,s:o,s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "seq", (json_int_t)v[FS_J_SEQ].i,
			     "ts", text_or_null(&v[FS_J_TS]), "actor", text_or_null(&v[FS_J_ACTOR]), "action",
			     text_or_null(&v[FS_J_ACTION]), "entity", text_or_null(&v[FS_J_ENTITY]), "entity_id",
			     (json_int_t)v[FS_J_ENTITY_ID].i, "org_id",
			     v[FS_J_ORG_ID].type == FS_VINT ? json_integer(v[FS_J_ORG_ID].i) : json_null(), "person_id",
			     v[FS_J_PERSON_ID].type == FS_VINT ? json_integer(v[FS_J_PERSON_ID].i) : json_null(), "before",
			     text_or_null(&v[FS_J_BEFORE]), "after", text_or_null(&v[FS_J_AFTER]), "row_hash",
			     hex_or_null(&v[FS_J_ROW_HASH]), "prev_hash", hex_or_null(&v[FS_J_PREV_HASH]));
	return 1;
}

/* the entry's line, its index in its log and its inclusion path against size; takes u->entry */
static int emit(struct fs_ctx *ctx, struct entry_ud *u, int64_t size, struct fs_buf *out, struct fs_error *err)
{
	int rc = 0;
	int64_t org, index;
	unsigned char leaf[32], path[FS_MERKLE_MAX_PROOF][32];
	size_t len = 0;
	if (!rc)
		rc = fs_log_leaf_of(ctx, u->seq, &org, &index, leaf, err);
	if (!rc)
		rc = fs_log_inclusion(ctx, org, index, size, path, &len, err);
	char *line = rc ? NULL : json_dumps(u->entry, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(u->entry);
	if (!rc && !line)
		rc = FS_ENOMEM;
	if (!rc && (fs_buf_cat(out, "entry: ", line, "\n", NULL) || fs_buf_addf(out, "index: %lld\npath:", (long long)index)))
		rc = FS_ENOMEM;
	for (size_t i = 0; !rc && i < len; i++) {
		char hex[65];
		fs_hex(path[i], 32, hex);
		if (fs_buf_cat(out, " ", hex, NULL))
			rc = FS_ENOMEM;
	}
	if (!rc && fs_buf_addc(out, '\n'))
		rc = FS_ENOMEM;
	free(line);
	return rc;
}

/* one item: the entry line, its index and its path */
static int add_item(struct fs_ctx *ctx, const char *entity, int64_t id, int64_t size, struct fs_buf *out, struct fs_error *err)
{
	struct fs_filter f[2] = {{"entity", FS_EQ, fs_vtext(entity)}, {"entity_id", FS_EQ, fs_vint(id)}};
	struct fs_query q = {.table = &fs_journal_table, .filters = f, .nfilters = 2, .descending = 1, .limit = 1};
	struct entry_ud u = {0};
	int rc = fs_store_select(ctx->st, &q, entry_cb, &u, err);
	int64_t bseq = 0;
	unsigned char bound[32];
	if (!rc && !u.entry) /* created by bulk work and not changed since: its batch entry binds it */
		rc = fs_batch_created(ctx, fs_entity_lookup(entity), id, &bseq, bound, err);
	if (!rc && !u.entry && bseq) {
		struct fs_filter sf = {"seq", FS_EQ, fs_vint(bseq)};
		struct fs_query sq = {.table = &fs_journal_table, .filters = &sf, .nfilters = 1, .limit = 1};
		rc = fs_store_select(ctx->st, &sq, entry_cb, &u, err);
	}
	if (!rc && !u.entry)
		rc = fs_fail(err, FS_EINTEGRITY, NULL, "%s %lld has no journal entry", entity, (long long)id);
	if (!rc && bseq) { /* which row of the batch: shown, bound by the chunk the database keeps */
		char hex[65];
		fs_hex(bound, 32, hex);
		if (fs_buf_addf(out, "bound: %s %lld row_hash %s\n", entity, (long long)id, hex))
			rc = FS_ENOMEM;
	}
	if (rc) {
		json_decref(u.entry);
		return rc;
	}
	return emit(ctx, &u, size, out, err);
}

int fs_statement_proofs(struct fs_ctx *ctx, int64_t person, char **ret, struct fs_error *err)
{
	/* the read's capability, checked here for every front end (#10) */
	int cap_rc = fs_principal_require(ctx, "register.read", err);
	if (cap_rc)
		return cap_rc;
	char *cp_text = NULL;
	struct fs_checkpoint cp;
	int rc = fs_read_begin(ctx, err); /* the checkpoint and the proofs of one snapshot */
	if (rc)
		return rc;
	if (!(rc = fs_checkpoint_sign(ctx, NULL, 0, &cp_text, err)))
		rc = fs_checkpoint_parse(cp_text, strlen(cp_text), &cp, err);
	struct fs_buf out;
	fs_buf_init(&out, FS_TEXT_MAX);
	if (!rc && fs_buf_adds(&out, PROOF_MAGIC))
		rc = FS_ENOMEM;
	static const char *const kinds[] = {"payment", "claim"};
	for (size_t k = 0; !rc && k < 2; k++) {
		const struct fs_entity *e = fs_entity_lookup(kinds[k]);
		struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"person_id", FS_EQ, fs_vint(person)}};
		static const char *const cols[] = {"id"};
		struct fs_query q = {.table = &e->table, .filters = f, .nfilters = 2, .columns = cols, .ncolumns = 1, .raw = 1};
		struct ent_ud u = {0};
		rc = fs_store_select(ctx->st, &q, id_cb, &u, err);
		if (!rc && u.rc)
			rc = fs_fail(err, u.rc, NULL, "more than %d %s records", MAX_ITEMS, kinds[k]);
		for (size_t i = 0; !rc && i < u.n; i++)
			rc = add_item(ctx, kinds[k], u.ids[i], cp.size, &out, err);
		free(u.ids);
	}
	fs_read_end(ctx);
	if (!rc && fs_buf_adds(&out, cp_text))
		rc = FS_ENOMEM;
	free(cp_text);
	if (rc) {
		fs_buf_done(&out);
		return rc;
	}
	*ret = fs_buf_take(&out);
	return 0;
}

/* the journal entry's hash from its columns as the proof carries them */
static int entry_hash(json_t *j, unsigned char out[32])
{
	struct fs_value v[FS_J_HASH];
	unsigned char rh[32], ph[32];
	const char *s;
	v[FS_J_SEQ] = fs_vint(json_integer_value(json_object_get(j, "seq")));
	static const char *const texts[] = {"ts", "actor", "action", "entity"};
	for (int i = 0; i < 4; i++) {
		json_t *t = json_object_get(j, texts[i]);
		if (!json_is_string(t))
			return -1;
		v[FS_J_TS + i] = (struct fs_value){FS_VTEXT, 0, json_string_value(t), json_string_length(t)};
	}
	v[FS_J_ENTITY_ID] = fs_vint(json_integer_value(json_object_get(j, "entity_id")));
	json_t *o = json_object_get(j, "org_id"), *p = json_object_get(j, "person_id");
	v[FS_J_ORG_ID] = json_is_integer(o) ? fs_vint(json_integer_value(o)) : fs_vnull();
	v[FS_J_PERSON_ID] = json_is_integer(p) ? fs_vint(json_integer_value(p)) : fs_vnull();
	json_t *b = json_object_get(j, "before"), *a = json_object_get(j, "after");
	v[FS_J_BEFORE] = json_is_string(b) ? (struct fs_value){FS_VTEXT, 0, json_string_value(b), json_string_length(b)} : fs_vnull();
	v[FS_J_AFTER] = json_is_string(a) ? (struct fs_value){FS_VTEXT, 0, json_string_value(a), json_string_length(a)} : fs_vnull();
	s = json_string_value(json_object_get(j, "row_hash"));
	if (s && fs_unhex(s, rh, 32))
		return -1;
	v[FS_J_ROW_HASH] = s ? fs_vblob(rh, 32) : fs_vnull();
	s = json_string_value(json_object_get(j, "prev_hash"));
	if (!s || fs_unhex(s, ph, 32))
		return -1;
	v[FS_J_PREV_HASH] = fs_vblob(ph, 32);
	return fs_hash_values("journal", v, FS_J_HASH, out);
}

int fs_proof_verify(const char *text, size_t n, json_t **ret, struct fs_error *err)
{
	struct fs_checkpoint cp;
	int rc = fs_checkpoint_parse(text, n, &cp, err);
	if (rc)
		return rc;
	const char *p = memmem(text, n, PROOF_MAGIC, strlen(PROOF_MAGIC)), *end = text + n;
	if (!p)
		return fs_fail(err, FS_EINVAL, "proof", "no proofs found (they begin with the line 'fairshare proof v1')");
	p += strlen(PROOF_MAGIC);
	json_t *items = json_array();
	int bad = 0;
	while (!rc && p < end && end - p > 7 && (!memcmp(p, "entry: ", 7) || !memcmp(p, "bound: ", 7))) {
		if (!memcmp(p, "bound: ", 7)) { /* a row created by a batch: the entry below is the batch's */
			const char *e = memchr(p, '\n', (size_t)(end - p));
			p = e ? e + 1 : end;
			continue;
		}
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *l2 = eol ? eol + 1 : end, *eol2 = eol ? memchr(l2, '\n', (size_t)(end - l2)) : NULL;
		const char *l3 = eol2 ? eol2 + 1 : end, *eol3 = eol2 ? memchr(l3, '\n', (size_t)(end - l3)) : NULL;
		if (!eol3 || strncmp(l2, "index: ", 7) || strncmp(l3, "path:", 5)) {
			rc = fs_fail(err, FS_EINVAL, "proof", "proof %zu is incomplete (entry, index and path lines)", json_array_size(items) + 1);
			break;
		}
		json_t *j = json_loadb(p + 7, (size_t)(eol - p - 7), 0, NULL);
		int64_t index = strtoll(l2 + 7, NULL, 10);
		unsigned char path[FS_MERKLE_MAX_PROOF][32], h[32], leaf[32];
		size_t len = 0;
		int ok = j != NULL && index >= 0;
		for (const char *q = l3 + 5; ok && q < eol3;) {
			while (q < eol3 && *q == ' ')
				q++;
			if (q >= eol3)
				break;
			char hex[65];
			if (eol3 - q < 64 || len >= FS_MERKLE_MAX_PROOF) {
				ok = 0;
				break;
			}
			memcpy(hex, q, 64);
			hex[64] = 0;
			ok = fs_unhex(hex, path[len++], 32) == 0;
			q += 64;
		}
		ok = ok && entry_hash(j, h) == 0;
		if (ok) {
			fs_merkle_leaf(h, 32, leaf);
			ok = fs_merkle_verify_inclusion(leaf, (uint64_t)index, (uint64_t)cp.size, cp.root,
							(const unsigned char(*)[32])path, len) == 0;
		}
		bad += !ok;
		json_t *it = json_pack("{s:b,s:o,s:I,s:I}", "ok", ok, "entity", json_incref(json_object_get(j, "entity")) ? json_object_get(j, "entity") : json_null(),
				       "entity_id", (json_int_t)json_integer_value(json_object_get(j, "entity_id")), "seq",
				       (json_int_t)json_integer_value(json_object_get(j, "seq")));
		json_t *after = json_is_string(json_object_get(j, "after")) ? json_loads(json_string_value(json_object_get(j, "after")), 0, NULL) : NULL;
		json_object_set_new(it, "after", after ? after : json_null());
		json_array_append_new(items, it);
		json_decref(j);
		p = eol3 + 1;
	}
	if (rc) {
		json_decref(items);
		return rc;
	}
	char root[65];
	fs_hex(cp.root, 32, root);
	*ret = json_pack("{s:b,s:s,s:I,s:s,s:s,s:o}", "ok", !bad && json_array_size(items) > 0, "org", cp.org, "size",
			 (json_int_t)cp.size, "root", root, "time", cp.time, "items", items);
	if (bad)
		return fs_fail(err, FS_EINTEGRITY, "proof", "%d of %zu proofs do not hold against the checkpoint", bad,
			       json_array_size(items));
	return 0;
}

struct seqs_ud {
	int64_t *seqs;
	size_t n, cap;
	int rc;
};

static int seq_cb(void *p, const struct fs_value *v)
{
	struct seqs_ud *u = p;
	if (v[FS_J_ACTION].type == FS_VTEXT && v[FS_J_ACTION].n == 4 && !memcmp(v[FS_J_ACTION].p, "view", 4))
		return 0;
	if (u->n >= MAX_ITEMS || fs_grow(&u->seqs, &u->cap, u->n, sizeof(*u->seqs), 16))
		return u->rc = FS_ELIMIT, 1;
	u->seqs[u->n++] = v[FS_J_SEQ].i;
	return 0;
}

int fs_fund_report_proofs(struct fs_ctx *ctx, int64_t fund, char **ret, struct fs_error *err)
{
	char *cp_text = NULL;
	struct fs_checkpoint cp;
	int rc = fs_read_begin(ctx, err);
	if (rc)
		return rc;
	if (!(rc = fs_checkpoint_sign(ctx, NULL, 0, &cp_text, err)))
		rc = fs_checkpoint_parse(cp_text, strlen(cp_text), &cp, err);
	struct fs_buf out;
	fs_buf_init(&out, 1u << 20);
	if (!rc && fs_buf_adds(&out, PROOF_MAGIC))
		rc = FS_ENOMEM;
	/* every entry about the fund: its creation and changes, and each batch of transfers with the
	 * ledger chain's head it bound (verify compares the ledger with those heads) */
	struct fs_filter f[3] = {{"entity", FS_EQ, fs_vtext("fund")}, {"entity_id", FS_EQ, fs_vint(fund)},
				 {"org_id", FS_EQ, fs_vint(ctx->org_id)}};
	struct fs_query q = {.table = &fs_journal_table, .filters = f, .nfilters = 3};
	struct seqs_ud s = {0};
	if (!rc)
		rc = fs_store_select(ctx->st, &q, seq_cb, &s, err);
	if (!rc && s.rc)
		rc = fs_fail(err, s.rc, NULL, "more than %d journal entries about fund %lld", MAX_ITEMS, (long long)fund);
	if (!rc && !s.n)
		rc = fs_fail(err, FS_ENOTFOUND, NULL, "fund %lld has no journal entry", (long long)fund);
	for (size_t i = 0; !rc && i < s.n; i++) {
		struct fs_filter sf = {"seq", FS_EQ, fs_vint(s.seqs[i])};
		struct fs_query sq = {.table = &fs_journal_table, .filters = &sf, .nfilters = 1, .limit = 1};
		struct entry_ud u = {0};
		rc = fs_store_select(ctx->st, &sq, entry_cb, &u, err);
		if (!rc && u.entry)
			rc = emit(ctx, &u, cp.size, &out, err);
	}
	free(s.seqs);
	fs_read_end(ctx);
	if (!rc && fs_buf_adds(&out, cp_text))
		rc = FS_ENOMEM;
	free(cp_text);
	if (rc) {
		fs_buf_done(&out);
		return rc;
	}
	*ret = fs_buf_take(&out);
	return 0;
}
