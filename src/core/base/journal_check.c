/* journal_check.c - reading the journal back: verify recomputes every log's chain
 * and compares every journaled row with its last entry (and each batch entry's
 * rows with the rows); the log of a record answers what happened to it. Above
 * journal.c (which appends) and batch.c: calls go one way (doc/architecture.md). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <stdarg.h>
#include <stdint.h>

#include <sodium.h>

#include "util/date.h"
#include "log.h"

/* ---- verify ---- */

struct slot {
	uint64_t key; /* 0 = empty */
	int64_t seq;
	unsigned char hash[FS_HASH_BYTES];
	unsigned char deleted, seen;
};

struct map {
	struct slot *s;
	size_t cap, n;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static struct slot *map_slot(struct map *m, uint64_t key, int insert)
{
	if (insert && (m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 1024;
		struct slot *ns = calloc(cap, sizeof(*ns));
		if (!ns)
			return NULL;
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->s[i].key)
				continue;
			size_t j = mix(m->s[i].key) & (cap - 1);
			while (ns[j].key)
				j = (j + 1) & (cap - 1);
			ns[j] = m->s[i];
		}
		free(m->s);
		m->s = ns;
		m->cap = cap;
	}
	if (!m->cap)
		return NULL;
	size_t j = mix(key) & (m->cap - 1);
	while (m->s[j].key && m->s[j].key != key)
		j = (j + 1) & (m->cap - 1);
	if (!m->s[j].key) {
		if (!insert)
			return NULL;
		m->s[j].key = key;
		m->n++;
	}
	return &m->s[j];
}

static int entity_index(const char *name, size_t n)
{
	for (size_t i = 0; i < fs_nentities; i++)
		if (strlen(fs_entities[i]->name) == n && memcmp(fs_entities[i]->name, name, n) == 0)
			return (int)i;
	return -1;
}

struct verify_ud {
	struct fs_ctx *ctx;
	struct fs_verify_report *rep;
	struct fs_buf *text;
	struct map map;
	int64_t expect_seq;
	unsigned char prev[FS_HASH_BYTES]; /* the newest entry's hash (the old chain's, up to split) */
	int64_t split;                     /* fs_journal_split */
	int64_t gaps;                      /* entry numbers may skip after this one (-1: never; journal_gaps) */
	int64_t gaps_until;                /* and up to this one (-1: no end; a SQLite copy's journal_gaps_until) */
	unsigned char old_head[FS_HASH_BYTES];
	struct map heads;                  /* each log's newest entry after split (key: org + 1) */
	const struct fs_entity *e;
	int eidx;
	int rc;
	int64_t batches; /* batch entries whose rows were found */
	struct fs_pkey_run run; /* people: their keys, read in the same id order as their rows */
	size_t at;		/* the next key of run */
	int join;		/* the rows scanned are people's, run holds their keys */
	struct fs_buf plain;	/* each row's opened seal, one buffer for all */
	struct map forgot;	/* people a 'forget' entry names (key: id + 1): a key may be gone only for them */
};


__attribute__((format(printf, 3, 4)))
static void problem(struct verify_ud *u, int64_t seq, const char *fmt, ...)
{
	u->rep->problems++;
	if (seq && (!u->rep->first_bad_seq || seq < u->rep->first_bad_seq))
		u->rep->first_bad_seq = seq;
	if (u->rep->problems <= FS_VERIFY_LISTED) {
		va_list ap;
		va_start(ap, fmt);
		fs_buf_vaddf(u->text, fmt, ap);
		va_end(ap);
		fs_buf_addc(u->text, '\n');
	}
}

static int batch_row(void *p, const struct fs_entity *e, int64_t id, const unsigned char *row_hash)
{
	struct verify_ud *u = p;
	int ei = entity_index(e->name, strlen(e->name));
	struct slot *s = ei < 0 ? NULL : map_slot(&u->map, ((uint64_t)(ei + 1) << 56) | (uint64_t)id, 1);
	if (!s)
		return FS_ENOMEM;
	s->seq = u->expect_seq - 1;
	s->deleted = 0;
	memcpy(s->hash, row_hash, FS_HASH_BYTES);
	return 0;
}

/* A batch entry binds the rows of its chunk in journal_rows, each as a create would. */
static int batch_entry(struct verify_ud *u, const struct fs_value *v, int64_t seq)
{
	char why[200];
	struct fs_error err = {0};
	int rc = fs_batch_rows(u->ctx, v, batch_row, u, why, sizeof(why), &err);
	if (rc == 1)
		problem(u, seq, "%s", why);
	else if (rc == 0)
		u->batches++;
	else
		u->rc = rc;
	return rc < 0;
}

static int journal_cb(void *p, const struct fs_value *v)
{
	struct verify_ud *u = p;
	int64_t seq = v[FS_J_SEQ].i;
	u->rep->entries++;
	if (seq != u->expect_seq && (u->gaps < 0 || u->expect_seq - 1 < u->gaps || seq < u->expect_seq ||
				     (u->gaps_until >= 0 && seq - 1 > u->gaps_until)))
		problem(u, u->expect_seq, "journal: entries %lld to %lld are missing", (long long)u->expect_seq, (long long)(seq - 1));
	u->expect_seq = seq + 1;
	unsigned char h[FS_HASH_BYTES];
	fs_hash_values("journal", v, FS_J_HASH, h);
	if (v[FS_J_HASH].type != FS_VBLOB || v[FS_J_HASH].n != FS_HASH_BYTES || memcmp(h, v[FS_J_HASH].p, FS_HASH_BYTES))
		problem(u, seq, "journal: entry %lld does not match its hash (altered)", (long long)seq);
	if (seq <= u->split) { /* the old single chain */
		if (v[FS_J_PREV_HASH].type != FS_VBLOB || v[FS_J_PREV_HASH].n != FS_HASH_BYTES ||
		    memcmp(u->prev, v[FS_J_PREV_HASH].p, FS_HASH_BYTES))
			problem(u, seq, "journal: entry %lld does not follow the entry before it (chain broken)", (long long)seq);
	} else if (v[FS_J_ORG_ID].type != FS_VINT || v[FS_J_ORG_ID].i < 0 || v[FS_J_ORG_ID].i >= (1LL << 55)) {
		problem(u, seq, "journal: entry %lld names no log (its org_id is not an organization's number)", (long long)seq);
	} else { /* its own log's chain: after the log's entry before it, the first after the old chain's head */
		struct slot *lh = map_slot(&u->heads, (uint64_t)v[FS_J_ORG_ID].i + 1, 1);
		if (!lh) {
			u->rc = FS_ENOMEM;
			return 1;
		}
		if (!lh->seen)
			memcpy(lh->hash, u->old_head, FS_HASH_BYTES);
		if (v[FS_J_PREV_HASH].type != FS_VBLOB || v[FS_J_PREV_HASH].n != FS_HASH_BYTES ||
		    memcmp(lh->hash, v[FS_J_PREV_HASH].p, FS_HASH_BYTES))
			problem(u, seq, "journal: entry %lld does not follow the entry before it in the log of %s %lld (chain broken)",
				(long long)seq, v[FS_J_ORG_ID].i ? "organization" : "the system,", (long long)v[FS_J_ORG_ID].i);
		if (v[FS_J_HASH].type == FS_VBLOB && v[FS_J_HASH].n == FS_HASH_BYTES)
			memcpy(lh->hash, v[FS_J_HASH].p, FS_HASH_BYTES);
		lh->seen = 1;
		lh->seq = seq;
	}
	if (v[FS_J_HASH].type == FS_VBLOB && v[FS_J_HASH].n == FS_HASH_BYTES)
		memcpy(u->prev, v[FS_J_HASH].p, FS_HASH_BYTES);
	if (seq == u->split && memcmp(u->prev, u->old_head, FS_HASH_BYTES))
		problem(u, seq, "journal: entry %lld, the end of the old chain, changed", (long long)seq);
	int ei = v[FS_J_ENTITY].type == FS_VTEXT ? entity_index(v[FS_J_ENTITY].p, v[FS_J_ENTITY].n) : -1;
	if (ei < 0) {
		problem(u, seq, "journal: entry %lld names an unknown kind of record", (long long)seq);
		return 0;
	}
	if (v[FS_J_ACTION].n == 5 && !memcmp(v[FS_J_ACTION].p, "batch", 5))
		return batch_entry(u, v, seq);
	if (v[FS_J_ACTION].n == 8 && !memcmp(v[FS_J_ACTION].p, "mismatch", 8)) /* reshape_check.c */
		problem(u, seq, "%s %lld differed from its journal entry when a migration journaled it anew (changed "
			"outside fairshare before the upgrade; entry %lld)", fs_entities[ei]->name, (long long)v[FS_J_ENTITY_ID].i,
			(long long)seq);
	if (v[FS_J_ACTION].n == 6 && !memcmp(v[FS_J_ACTION].p, "forget", 6) && v[FS_J_ENTITY_ID].type == FS_VINT &&
	    (uint64_t)v[FS_J_ENTITY_ID].i + 1 != 0) {
		struct slot *f = map_slot(&u->forgot, (uint64_t)v[FS_J_ENTITY_ID].i + 1, 1);
		if (!f) {
			u->rc = FS_ENOMEM;
			return 1;
		}
		f->seq = seq;
	}
	if ((v[FS_J_ACTION].n == 4 && !memcmp(v[FS_J_ACTION].p, "view", 4)) ||
	    (v[FS_J_ACTION].n == 9 && !memcmp(v[FS_J_ACTION].p, "transfers", 9)) ||
	    (v[FS_J_ACTION].n == 7 && !memcmp(v[FS_J_ACTION].p, "custody", 7)) ||
	    (v[FS_J_ACTION].n == 5 && !memcmp(v[FS_J_ACTION].p, "token", 5)) ||
	    (v[FS_J_ACTION].n == 6 && !memcmp(v[FS_J_ACTION].p, "forget", 6)) ||
	    (v[FS_J_ACTION].n == 6 && !memcmp(v[FS_J_ACTION].p, "rotate", 6)) ||
	    (v[FS_J_ACTION].n == 3 && !memcmp(v[FS_J_ACTION].p, "log", 3)))
		return 0; /* a view of sealed fields, a batch of transfers, a custody event, an API token made or
			   * revoked, a person forgotten, a key rotated, a log begun: no row of the register changed */
	struct slot *s = map_slot(&u->map, ((uint64_t)(ei + 1) << 56) | (uint64_t)v[FS_J_ENTITY_ID].i, 1);
	if (!s) {
		u->rc = FS_ENOMEM;
		return 1;
	}
	s->seq = seq;
	s->deleted = v[FS_J_ROW_HASH].type != FS_VBLOB;
	if (!s->deleted && v[FS_J_ROW_HASH].n == FS_HASH_BYTES)
		memcpy(s->hash, v[FS_J_ROW_HASH].p, FS_HASH_BYTES);
	return 0;
}

static int row_cb(void *p, const struct fs_value *v)
{
	struct verify_ud *u = p;
	const struct fs_entity *e = u->e;
	int64_t id = v[0].i;
	u->rep->rows++;
	struct slot *s = map_slot(&u->map, ((uint64_t)(u->eidx + 1) << 56) | (uint64_t)id, 0);
	if (!s || s->deleted) {
		problem(u, 0, "%s %lld has no journal entry (added outside fairshare)", e->name, (long long)id);
		return 0;
	}
	s->seen = 1;
	unsigned char h[FS_HASH_BYTES];
	fs_hash_values(e->table.name, v, e->table.ncols, h);
	if (memcmp(h, s->hash, FS_HASH_BYTES))
		problem(u, s->seq, "%s %lld differs from its journal entry %lld (changed outside fairshare)", e->name, (long long)id, (long long)s->seq);
	int key_rc = FS_PKEY_LOOKUP;
	const unsigned char *key = NULL;
	if (u->join) { /* both in id order: the row's key is the next one, or it has none */
		while (u->at < u->run.n && u->run.ids[u->at] < id)
			u->at++;
		key_rc = FS_ENOTFOUND;
		if (u->at < u->run.n && u->run.ids[u->at] == id) {
			key_rc = u->run.state[u->at];
			key = u->run.keys[u->at];
		}
	}
	if (u->join && key_rc == 1 && ((uint64_t)id + 1 == 0 || !map_slot(&u->forgot, (uint64_t)id + 1, 0)))
		problem(u, 0, "%s %lld: their key is gone (marked forgotten) with no 'forget' entry in the journal (destroyed "
			"outside fairshare)", e->name, (long long)id);
	const char *bad = fs_seal_row_check_key(u->ctx, e, v, key_rc, key, &u->plain);
	if (bad)
		problem(u, 0, "%s %lld: %s", e->name, (long long)id, bad);
	return 0;
}

/* From which entry numbers may skip one a rolled-back transaction took: where
 * they come from a sequence (PostgreSQL, since schema 27: meta journal_gaps, or
 * from the start on a database made there) and, in a copy of such a database
 * into SQLite, up to its last entry copied (store_copy.c keeps both marks: meta
 * journal_gaps_until); -1 where every number is the highest plus one (SQLite), so
 * a gap is entries cut. On SQLite a mark without its end is no mark: the entries
 * SQLite numbered after a copy stay gapless, whatever a hand-set row says. */
static int64_t meta_int(struct fs_ctx *ctx, const char *key)
{
	struct fs_buf v;
	fs_buf_init(&v, 64);
	int64_t g = -1;
	if (fs_store_meta_get(ctx->st, key, &v, NULL) == 0 && v.data) {
		char *end = NULL;
		long long x = strtoll(v.data, &end, 10);
		if (end != v.data && !*end && x >= 0)
			g = x;
	}
	fs_buf_done(&v);
	return g;
}

static int64_t journal_gaps(struct fs_ctx *ctx, int64_t *until)
{
	int64_t g = meta_int(ctx, "journal_gaps");
	*until = -1;
	if (ctx->st->ops->next_id)
		return g >= 0 ? g : 0;
	*until = meta_int(ctx, "journal_gaps_until");
	return *until >= 0 ? g : -1;
}

/* Every row of u->e in one ordered pass, each against its journal entry. People
 * come in runs of ids, each run's keys read first in one ordered pass of their
 * own (person_keys), not looked up row by row. */
static int scan_rows(struct verify_ud *u, struct fs_error *err)
{
	const struct fs_entity *e = u->e;
	struct fs_query rq = {.table = &e->table, .raw = 1}; /* the row as stored and hashed */
	u->join = e->person_col == 0 && e->sealed_col >= 0;
	if (!u->join)
		return fs_store_select(u->ctx->st, &rq, row_cb, u, err);
	int64_t from = INT64_MIN;
	int rc = 0;
	for (;;) {
		if ((rc = fs_person_keys_run(u->ctx, from, &u->run, err)))
			break;
		int last = u->run.n < FS_PKEY_RUN || u->run.ids[u->run.n - 1] == INT64_MAX;
		struct fs_filter f[2] = {{"id", FS_GE, fs_vint(from)}, {"id", FS_LE, fs_vint(u->run.n ? u->run.ids[u->run.n - 1] : 0)}};
		rq.filters = f;
		rq.nfilters = last ? 1 : 2; /* the last run: every row from its first on */
		u->at = 0;
		if ((rc = fs_store_select(u->ctx->st, &rq, row_cb, u, err)) || last)
			break;
		from = u->run.ids[u->run.n - 1] + 1;
	}
	u->join = 0;
	return rc;
}

/* The journal's part of verify (verify.c): the hash chain, every row of every
 * entity against its last entry, the rows bound by batch entries. Counts go
 * into rep, one line per problem into text. */
int fs_journal_verify(struct fs_ctx *ctx, struct fs_verify_report *rep, struct fs_buf *text, struct fs_error *err)
{
	struct verify_ud u = {.ctx = ctx, .rep = rep, .text = text, .expect_seq = 1};
	u.gaps = journal_gaps(ctx, &u.gaps_until);
	struct fs_query q = {.table = &fs_journal_table};
	struct fs_error serr = {0};
	int rc = fs_journal_split(ctx, &u.split, u.old_head, &serr);
	if (rc == FS_EINTEGRITY) { /* named as a problem; every entry then checked as a log's */
		problem(&u, 0, "journal: %s", serr.message);
		rc = 0;
		u.split = 0;
	} else if (rc && err) {
		*err = serr;
	}
	if (!rc)
		rc = fs_store_select(ctx->st, &q, journal_cb, &u, err);
	if (!rc)
		rc = u.rc;
	if (!rc && u.split && u.expect_seq <= u.split)
		problem(&u, u.split, "journal: the old chain ends at entry %lld, the journal at %lld (entries cut)", (long long)u.split,
			(long long)(u.expect_seq - 1));
	fs_hex(u.prev, FS_HASH_BYTES, rep->head_hash);
	fs_buf_init(&u.plain, 64 * 1024);
	for (size_t i = 0; !rc && i < fs_nentities; i++) {
		u.e = fs_entities[i];
		u.eidx = (int)i;
		rc = scan_rows(&u, err);
	}
	fs_pkey_run_done(&u.run);
	if (u.plain.data)
		sodium_memzero(u.plain.data, u.plain.cap);
	fs_buf_done(&u.plain);
	if (!rc) {
		int64_t extra = 0;
		rc = fs_batch_unbound(ctx, u.batches, &extra, err);
		if (!rc && extra)
			problem(&u, 0, "journal_rows: %lld chunks of rows are bound by no journal entry (added outside fairshare)",
				(long long)extra);
	}
	for (size_t i = 0; !rc && i < u.map.cap; i++) {
		struct slot *s = &u.map.s[i];
		if (s->key && !s->deleted && !s->seen)
			problem(&u, s->seq, "%s %lld is in the journal but missing from the database (deleted outside fairshare; entry %lld)",
				fs_entities[(s->key >> 56) - 1]->name, (long long)(s->key & ((1ULL << 56) - 1)), (long long)s->seq);
	}
	free(u.map.s);
	free(u.heads.s);
	free(u.forgot.s);
	return rc;
}

/* ---- log ---- */

struct log_ud {
	json_t *items;
};

static json_t *parse_or_null(const struct fs_value *v)
{
	if (v->type != FS_VTEXT)
		return json_null();
	json_t *j = json_loadb(v->p, v->n, 0, NULL);
	return j ? j : json_stringn(v->p, v->n);
}

static int log_cb(void *p, const struct fs_value *v)
{
	struct log_ud *u = p;
	char hex[2 * FS_HASH_BYTES + 1] = "";
	if (v[FS_J_HASH].type == FS_VBLOB && v[FS_J_HASH].n == FS_HASH_BYTES)
		fs_hex(v[FS_J_HASH].p, FS_HASH_BYTES, hex);
	json_t *o = json_object();
	json_object_set_new(o, "seq", json_integer(v[FS_J_SEQ].i));
	json_object_set_new(o, "ts", json_stringn(v[FS_J_TS].p, v[FS_J_TS].n));
	json_object_set_new(o, "actor", json_stringn(v[FS_J_ACTOR].p, v[FS_J_ACTOR].n));
	json_object_set_new(o, "action", json_stringn(v[FS_J_ACTION].p, v[FS_J_ACTION].n));
	json_object_set_new(o, "entity", json_stringn(v[FS_J_ENTITY].p, v[FS_J_ENTITY].n));
	json_object_set_new(o, "entity_id", json_integer(v[FS_J_ENTITY_ID].i));
	json_object_set_new(o, "org_id", v[FS_J_ORG_ID].type == FS_VINT ? json_integer(v[FS_J_ORG_ID].i) : json_null());
	json_object_set_new(o, "person_id", v[FS_J_PERSON_ID].type == FS_VINT ? json_integer(v[FS_J_PERSON_ID].i) : json_null());
	json_object_set_new(o, "before", parse_or_null(&v[FS_J_BEFORE]));
	json_object_set_new(o, "after", parse_or_null(&v[FS_J_AFTER]));
	json_object_set_new(o, "hash", json_string(hex));
	json_array_append_new(u->items, o);
	return 0;
}

static int bound(const char *s, int upper, char out[32], struct fs_error *err, const char *field)
{
	/* A date bounds the whole day; a timestamp is used as given. */
	fs_date d;
	if (strlen(s) == 10) {
		int rc = fs_date_parse(s, &d, err, field);
		if (rc)
			return rc;
		char day[11];
		fs_date_format(d, day);
		snprintf(out, 32, "%sT%s", day, upper ? "23:59:59.999Z" : "00:00:00.000Z");
		return 0;
	}
	if (strlen(s) < 11 || strlen(s) > 24 || s[10] != 'T')
		return fs_fail(err, FS_EINVAL, field, "'%.30s' is not a date (YYYY-MM-DD) or a timestamp (YYYY-MM-DDTHH:MM:SSZ)", s);
	snprintf(out, 32, "%s", s);
	return 0;
}

/* The record as the batch created it: the "before" of its next entry, else the row
 * as it is when it still has the hash the batch bound (NULL: changed since, unseen). */
static json_t *as_created(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, int64_t seq,
			  const unsigned char row_hash[FS_HASH_BYTES], json_t *items)
{
	json_t *next = NULL;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		json_int_t s = json_integer_value(json_object_get(it, "seq"));
		if (s > seq && (!next || s < json_integer_value(json_object_get(next, "seq"))))
			next = it;
	}
	if (next && json_is_object(json_object_get(next, "before")))
		return json_incref(json_object_get(next, "before"));
	struct fs_row row;
	struct fs_error err = {0};
	if (fs_store_get_raw(ctx->st, &e->table, id, &row, &err))
		return NULL;
	unsigned char h[FS_HASH_BYTES];
	json_t *j = NULL;
	struct fs_rec r;
	rec_init(&r, e);
	if (!fs_hash_values(e->table.name, row.vals, e->table.ncols, h) && !memcmp(h, row_hash, FS_HASH_BYTES) &&
	    !rec_from_values_ex(ctx, &r, e, row.vals, 0, &err)) {
		struct fs_buf b;
		fs_buf_init(&b, FS_TEXT_MAX);
		if (!rec_json_text(&r, REC_JSON_JOURNAL, &b))
			j = json_loadb(b.data, b.len, 0, NULL);
		fs_buf_done(&b);
	}
	rec_done(&r);
	fs_row_free(&row);
	return j;
}

static int log_batch_created(struct fs_ctx *ctx, const struct fs_log_opts *o, const char *since, const char *until,
			     const struct fs_entity *e, int64_t id, json_t *items, struct fs_error *err)
{
	int64_t seq;
	unsigned char row_hash[FS_HASH_BYTES];
	int rc = fs_batch_created(ctx, e, id, &seq, row_hash, err);
	if (rc || !seq)
		return rc;
	struct fs_filter f = {"seq", FS_EQ, fs_vint(seq)};
	struct fs_query q = {.table = &fs_journal_table, .filters = &f, .nfilters = 1, .limit = 1};
	struct log_ud one = {json_array()};
	rc = fs_store_select(ctx->st, &q, log_cb, &one, err);
	json_t *it = json_array_get(one.items, 0);
	if (rc || !it || (o->org_id > 0 && json_integer_value(json_object_get(it, "org_id")) != o->org_id)) {
		json_decref(one.items);
		return rc;
	}
	char hex[2 * FS_HASH_BYTES + 1];
	fs_hex(row_hash, FS_HASH_BYTES, hex);
	json_t *batch = json_object_get(it, "after");
	json_object_set(batch, "seq", json_object_get(it, "seq"));
	json_object_set_new(batch, "row_hash", json_string(hex));
	json_object_set(it, "batch", batch);
	json_object_set_new(it, "action", json_string("create"));
	json_object_set_new(it, "entity", json_string(e->name));
	json_object_set_new(it, "entity_id", json_integer(id));
	json_object_set_new(it, "person_id", e->person_col == 0 ? json_integer(id) : json_null());
	json_t *created = as_created(ctx, e, id, seq, row_hash, items);
	json_object_set_new(it, "after", created ? created : json_null());
	/* in seq order, as the other entries */
	size_t at = 0, n = json_array_size(items);
	while (at < n) {
		json_int_t s = json_integer_value(json_object_get(json_array_get(items, at), "seq"));
		if (o->descending ? s < seq : s > seq)
			break;
		at++;
	}
	const char *ts = json_string_value(json_object_get(it, "ts"));
	int in_time = ts && (!since || strcmp(ts, since) >= 0) && (!until || strcmp(ts, until) <= 0);
	if (in_time && o->offset <= 0 && !(o->limit > 0 && at >= (size_t)o->limit))
		json_array_insert(items, at, it);
	if (o->limit > 0 && json_array_size(items) > (size_t)o->limit)
		json_array_remove(items, json_array_size(items) - 1);
	json_decref(one.items);
	return 0;
}

int fs_log(struct fs_ctx *ctx, const struct fs_log_opts *o, json_t **ret, struct fs_error *err)
{
	struct fs_filter f[8];
	size_t nf = 0;
	char since[32], until[32];
	int rc = 0;
	if (o->entity) {
		const struct fs_entity *e = fs_entity_lookup(o->entity);
		if (!e)
			return fs_fail(err, FS_EINVAL, "entity", "'%.32s' is not a kind of record (person, employer, workplace, employment, membership, organization)", o->entity);
		f[nf++] = (struct fs_filter){"entity", FS_EQ, fs_vtext(e->name)};
	}
	if (o->entity_id > 0)
		f[nf++] = (struct fs_filter){"entity_id", FS_EQ, fs_vint(o->entity_id)};
	if (o->person_id > 0)
		f[nf++] = (struct fs_filter){"person_id", FS_EQ, fs_vint(o->person_id)};
	if (o->org_id > 0)
		f[nf++] = (struct fs_filter){"org_id", FS_EQ, fs_vint(o->org_id)};
	if (o->since && (rc = bound(o->since, 0, since, err, "since")))
		return rc;
	if (o->since)
		f[nf++] = (struct fs_filter){"ts", FS_GE, fs_vtext(since)};
	if (o->until && (rc = bound(o->until, 1, until, err, "until")))
		return rc;
	if (o->until)
		f[nf++] = (struct fs_filter){"ts", FS_LE, fs_vtext(until)};
	struct fs_query q = {.table = &fs_journal_table, .filters = f, .nfilters = nf,
			     .descending = o->descending, .limit = o->limit, .offset = o->offset};
	struct log_ud u = {json_array()};
	rc = fs_store_select(ctx->st, &q, log_cb, &u, err);
	/* a record created by a batch: the batch entry is its creation */
	const struct fs_entity *be = o->entity ? fs_entity_lookup(o->entity) : o->person_id > 0 ? fs_entity_lookup("person") : NULL;
	int64_t bid = o->entity_id > 0 ? o->entity_id : o->person_id;
	if (!rc && be && bid > 0 && (!o->person_id || (be->person_col == 0 && bid == o->person_id)))
		rc = log_batch_created(ctx, o, o->since ? since : NULL, o->until ? until : NULL, be, bid, u.items, err);
	if (rc) {
		json_decref(u.items);
		return rc;
	}
	*ret = u.items;
	return 0;
}
