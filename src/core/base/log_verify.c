/* log_verify.c - the Merkle logs against the journal: verify recomputes every
 * leaf and every complete subtree from the journal entries and compares them
 * with what is stored (log.h, layout 3): every node from FS_LOG_LOW up must be
 * there and equal, a level-FS_LOG_LOW node must name its chunk's last entry, and
 * each log's head must hold its size, last entry and frontier; a row an older
 * layout left (a pack, a leaf, a low node: kept by the upgrade because it
 * differed, or stored empty because it was missing) is compared or named too.
 * And the one-time build of the logs of a database from before them. */
#include "internal.h"
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LEVELS = FS_LOG_LEVELS };

struct lv_ud {
	struct fs_log_trees ts;
	struct fs_buf *text;
	int64_t problems;
};

static void lproblem(struct lv_ud *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lproblem(struct lv_ud *u, const char *fmt, ...)
{
	if (u->problems++ >= FS_LOG_VERIFY_LISTED)
		return;
	va_list ap;
	va_start(ap, fmt);
	fs_buf_vaddf(u->text, fmt, ap);
	va_end(ap);
	fs_buf_addc(u->text, '\n');
}

static struct fs_log_tree *tree_of(struct fs_log_trees *ts, int64_t org, int create)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ts->t[i].org == org)
			return &ts->t[i];
	if (!create || fs_grow(&ts->t, &ts->cap, ts->n, sizeof(*ts->t), 8))
		return NULL;
	struct fs_log_tree *t = &ts->t[ts->n++];
	memset(t, 0, sizeof(*t));
	t->org = org;
	return t;
}

struct fs_log_tree *fs_log_tree_of(struct fs_log_trees *ts, int64_t org)
{
	return tree_of(ts, org, 0);
}

static int push(struct fs_log_tree *t, unsigned level, const unsigned char h[32])
{
	if (fs_grow(&t->lv[level], &t->cap[level], t->n[level] * 32, 1, 32 * 1024))
		return FS_ENOMEM;
	memcpy(t->lv[level] + 32 * t->n[level]++, h, 32);
	return 0;
}

static int entry_cb(void *p, const struct fs_value *v)
{
	struct fs_log_trees *ts = p;
	if (v[2].type != FS_VBLOB || v[2].n != 32)
		return 0; /* the chain check names it */
	struct fs_log_tree *t = tree_of(ts, v[1].type == FS_VINT ? v[1].i : 0, 1);
	unsigned char h[32];
	if (!t || fs_grow(&t->seq, &t->capseq, t->n[0], sizeof(*t->seq), 1024))
		return ts->rc = FS_ENOMEM, 1;
	t->seq[t->n[0]] = v[0].i;
	fs_merkle_leaf(v[2].p, 32, h);
	if (push(t, 0, h))
		return ts->rc = FS_ENOMEM, 1;
	for (unsigned level = 0; level + 1 < LEVELS && (t->n[level] & 1) == 0; level++) {
		fs_merkle_node(t->lv[level] + 32 * (t->n[level] - 2), t->lv[level] + 32 * (t->n[level] - 1), h);
		if (push(t, level + 1, h))
			return ts->rc = FS_ENOMEM, 1;
	}
	return 0;
}

int fs_log_trees_load(struct fs_ctx *ctx, struct fs_log_trees *ts, struct fs_error *err)
{
	static const char *const jcols[] = {"seq", "org_id", "hash"};
	struct fs_query jq = {.table = &fs_journal_table, .columns = jcols, .ncolumns = 3, .raw = 1};
	memset(ts, 0, sizeof(*ts));
	int rc = fs_store_select(ctx->st, &jq, entry_cb, ts, err);
	return rc ? rc : ts->rc ? fs_fail(err, ts->rc, NULL, "out of memory") : 0;
}

void fs_log_trees_free(struct fs_log_trees *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		for (unsigned l = 0; l < LEVELS; l++)
			free(ts->t[i].lv[l]);
		free(ts->t[i].seq);
	}
	free(ts->t);
	memset(ts, 0, sizeof(*ts));
}

void fs_log_tree_frontier(const struct fs_log_tree *t, unsigned char *out, size_t *n)
{
	uint64_t size = t->n[0];
	*n = 0;
	for (unsigned level = 0; level < LEVELS && (size >> level); level++)
		if ((size >> level) & 1) {
			memcpy(out + *n, t->lv[level] + 32 * ((size >> level) - 1), 32);
			*n += 32;
		}
}

/* a pack of leaves an older layout left (the upgrade kept it: it differed, or it
 * was missing and is stored empty): each leaf compared with its journal entry's */
static void pack_check(struct lv_ud *u, struct fs_log_tree *t, int64_t org, int64_t k, const struct fs_value *v)
{
	int64_t first = k * FS_LOG_PACK;
	if (v[4].type != FS_VBLOB || v[4].n % 32 || v[4].n > 32 * FS_LOG_PACK) {
		lproblem(u, "log %lld: the pack of leaves %lld to %lld is not a row of hashes", (long long)org, (long long)first,
			 (long long)(first + FS_LOG_PACK - 1));
		return;
	}
	int64_t n = (int64_t)(v[4].n / 32), have = t ? (int64_t)t->n[0] : 0;
	if (first + n > have) {
		lproblem(u, "log %lld: leaves %lld to %lld have no journal entry behind them (entries cut from the journal?)",
			 (long long)org, (long long)(have > first ? have : first), (long long)(first + n - 1));
		return;
	}
	for (int64_t i = 0; i < n; i++)
		if (memcmp((const unsigned char *)v[4].p + 32 * i, t->lv[0] + 32 * (first + i), 32))
			lproblem(u, "log %lld: leaf %lld differs from the journal (entry or tree altered)", (long long)org,
				 (long long)(first + i));
	int64_t want = have - first < FS_LOG_PACK ? have - first : FS_LOG_PACK;
	if (n < want)
		lproblem(u, "log %lld: leaves %lld to %lld were missing from the tree when it was upgraded", (long long)org,
			 (long long)(first + n), (long long)(first + want - 1));
	if (n > 0 && (v[5].type != FS_VINT || v[5].i != t->seq[first]))
		lproblem(u, "log %lld: the pack of leaves from %lld names journal entry %lld as its first, not %lld",
			 (long long)org, (long long)first, v[5].type == FS_VINT ? (long long)v[5].i : -1LL, (long long)t->seq[first]);
}

static void head_check(struct lv_ud *u, struct fs_log_tree *t, int64_t org, const struct fs_value *v)
{
	if (!t) {
		lproblem(u, "log %lld: its head has no journal entry behind it (entries cut from the journal?)", (long long)org);
		return;
	}
	t->head_seen = 1;
	unsigned char f[LEVELS * 32];
	size_t n;
	fs_log_tree_frontier(t, f, &n);
	if (v[3].i != (int64_t)t->n[0])
		lproblem(u, "log %lld: its head says %lld entries, the journal has %zu (entries cut or added?)", (long long)org,
			 (long long)v[3].i, t->n[0]);
	else if (v[4].type != FS_VBLOB || v[4].n != n || memcmp(v[4].p, f, n))
		lproblem(u, "log %lld: its head's frontier differs from the journal (entry or tree altered)", (long long)org);
	else if (v[5].type != FS_VINT || v[5].i != t->seq[t->n[0] - 1])
		lproblem(u, "log %lld: its head names journal entry %lld as its last, not %lld", (long long)org,
			 v[5].type == FS_VINT ? (long long)v[5].i : -1LL, (long long)t->seq[t->n[0] - 1]);
}

static int node_cb(void *p, const struct fs_value *v)
{
	struct lv_ud *u = p;
	int64_t org = v[1].i, level = v[2].i, index = v[3].i;
	struct fs_log_tree *t = tree_of(&u->ts, org, 0);
	if (level == FS_LOG_HEAD_LEVEL && v[0].i == FS_LOG_KEY(org, level, 0)) {
		head_check(u, t, org, v);
		return 0;
	}
	if (level == FS_LOG_PACK_LEVEL && index >= 0 && v[0].i == FS_LOG_KEY(org, level, index)) {
		pack_check(u, t, org, index, v);
		return 0;
	}
	if (level == 0) { /* nothing reads a leaf alone since packs: it would stand for a leaf not in the tree */
		lproblem(u, "log %lld: leaf %lld is stored alone, outside its pack (no version reads it)", (long long)org,
			 (long long)index);
		return 0;
	}
	if (level < 0 || level >= LEVELS || index < 0 || v[0].i != FS_LOG_KEY(org, level, index)) {
		lproblem(u, "log %lld: a node is stored under a key that is not its own (level %lld index %lld)", (long long)org,
			 (long long)level, (long long)index);
		return 0;
	}
	if (!t || (size_t)index >= t->n[level]) {
		lproblem(u, "log %lld: node %lld/%lld has no journal entry behind it (entries cut from the journal?)",
			 (long long)org, (long long)level, (long long)index);
		return 0;
	}
	t->matched[level]++;
	if (level < FS_LOG_LOW && v[4].type == FS_VBLOB && v[4].n == 0)
		lproblem(u, "log %lld: node %lld/%lld was missing from the tree when it was upgraded", (long long)org,
			 (long long)level, (long long)index);
	else if (v[4].type != FS_VBLOB || v[4].n != 32 || memcmp(v[4].p, t->lv[level] + 32 * index, 32))
		lproblem(u, "log %lld: node %lld/%lld differs from the journal (entry or tree altered)", (long long)org,
			 (long long)level, (long long)index);
	else if (level == FS_LOG_LOW && (v[5].type != FS_VINT || v[5].i != t->seq[((size_t)index + 1) * FS_LOG_CHUNK - 1]))
		lproblem(u, "log %lld: node %lld/%lld names journal entry %lld as the last of its chunk, not %lld", (long long)org,
			 (long long)level, (long long)index, v[5].type == FS_VINT ? (long long)v[5].i : -1LL,
			 (long long)t->seq[((size_t)index + 1) * FS_LOG_CHUNK - 1]);
	return 0;
}

int fs_log_verify(struct fs_ctx *ctx, struct fs_buf *text, int64_t *problems, struct fs_error *err)
{
	struct lv_ud u = {.text = text};
	int rc = fs_log_flush(ctx, err);
	if (!rc)
		rc = fs_log_trees_load(ctx, &u.ts, err);
	struct fs_query nq = {.table = &fs_log_nodes_table, .raw = 1};
	if (!rc)
		rc = fs_store_select(ctx->st, &nq, node_cb, &u, err);
	for (size_t i = 0; !rc && i < u.ts.n; i++) {
		struct fs_log_tree *t = &u.ts.t[i];
		if (!t->head_seen)
			lproblem(&u, "log %lld: its head is missing from the tree", (long long)t->org);
		for (unsigned l = FS_LOG_LOW; l < LEVELS; l++)
			if (t->matched[l] < t->n[l]) { /* the levels below are not stored */
				lproblem(&u, "log %lld: %zu nodes of level %u are missing from the tree", (long long)t->org,
					 t->n[l] - t->matched[l], l);
				break;
			}
	}
	fs_log_trees_free(&u.ts);
	if (u.problems > FS_LOG_VERIFY_LISTED)
		fs_buf_addf(text, "log: ... and %lld more problems of the tree\n", (long long)(u.problems - FS_LOG_VERIFY_LISTED));
	*problems = u.problems;
	return rc;
}

/* ---- the build of a database from before the logs ---- */

struct build_ud {
	int64_t *seq, *org;
	unsigned char (*hash)[32];
	size_t n, cap;
	int rc;
};

static int build_cb(void *p, const struct fs_value *v)
{
	struct build_ud *u = p;
	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 1024;
		int64_t *s = realloc(u->seq, cap * sizeof(*s)), *o = s ? realloc(u->org, cap * sizeof(*o)) : NULL;
		if (s)
			u->seq = s;
		if (o)
			u->org = o;
		unsigned char(*h)[32] = o ? realloc(u->hash, cap * 32) : NULL;
		if (!h)
			return u->rc = FS_ENOMEM, 1;
		u->hash = h;
		u->cap = cap;
	}
	u->seq[u->n] = v[0].i;
	u->org[u->n] = v[1].type == FS_VINT ? v[1].i : 0;
	if (v[2].type == FS_VBLOB && v[2].n == 32)
		memcpy(u->hash[u->n], v[2].p, 32);
	else
		memset(u->hash[u->n], 0, 32);
	u->n++;
	return 0;
}

static int org_id_cb(void *p, const struct fs_value *v)
{
	struct build_ud *u = p;
	if (fs_grow(&u->org, &u->cap, u->n, sizeof(*u->org), 16))
		return u->rc = FS_ENOMEM, 1;
	u->org[u->n++] = v[0].i;
	return 0;
}

int fs_log_built(struct fs_ctx *ctx, int *layout, struct fs_error *err)
{
	struct fs_buf v;
	fs_buf_init(&v, 64);
	int rc = fs_store_meta_get(ctx->st, "merkle_log", &v, NULL);
	*layout = rc ? 0
		: v.data && strcmp(v.data, "3") == 0 ? FS_LOG_LAYOUT_CHUNKS
		: v.data && strcmp(v.data, "2") == 0 ? FS_LOG_LAYOUT_PACKED
						     : FS_LOG_LAYOUT_SINGLE;
	fs_buf_done(&v);
	return rc && rc != FS_ENOTFOUND ? fs_fail(err, rc, NULL, "cannot read the database's meta data") : 0;
}

int fs_log_mark_built(struct fs_ctx *ctx, struct fs_error *err)
{
	return fs_store_meta_set(ctx->st, "merkle_log", "3", err);
}

int fs_log_build(struct fs_ctx *ctx, struct fs_error *err)
{
	char saved[FS_ACTOR_MAX];
	snprintf(saved, sizeof(saved), "%s", ctx->actor);
	fs_set_actor(ctx, "fairshare-migrate");
	int built = 0;
	int rc = fs_tx_begin(ctx, err);
	if (!rc) /* inside the write lock: another process may have done it */
		rc = fs_log_built(ctx, &built, err);
	struct build_ud u = {0};
	static const char *const jcols[] = {"seq", "org_id", "hash"};
	struct fs_query jq = {.table = &fs_journal_table, .columns = jcols, .ncolumns = 3};
	if (!rc && !built)
		rc = fs_store_select(ctx->st, &jq, build_cb, &u, err);
	if (!rc)
		rc = u.rc;
	for (size_t i = 0; !rc && !built && i < u.n; i++)
		rc = fs_log_append(ctx, u.org[i], u.seq[i], u.hash[i], err);
	char note[200], hex[65];
	fs_hex(u.n ? u.hash[u.n - 1] : (const unsigned char[32]){0}, 32, hex);
	snprintf(note, sizeof(note), "{\"chain_seq\":%lld,\"chain_head\":\"%s\"}", (long long)(u.n ? u.seq[u.n - 1] : 0), hex);
	free(u.seq);
	free(u.hash);
	free(u.org);
	memset(&u, 0, sizeof(u));
	/* each log, the system's (0) and every organization's, binds the old chain's head */
	const struct fs_entity *oe = fs_entity_lookup("organization");
	static const char *const ocols[] = {"id"};
	struct fs_query oq = {.table = &oe->table, .columns = ocols, .ncolumns = 1};
	if (!rc && !built && fs_grow(&u.org, &u.cap, 0, sizeof(*u.org), 16) == 0) {
		u.org[u.n++] = 0;
		rc = fs_store_select(ctx->st, &oq, org_id_cb, &u, err);
	}
	for (size_t i = 0; !rc && !built && i < u.n; i++) {
		struct fs_rec r;
		rec_init(&r, oe);
		r.v[0] = fs_vint(u.org[i]);
		rc = fs_journal_note(ctx, "log", &r, note, err);
		rec_done(&r);
	}
	free(u.org);
	if (!rc && !built)
		rc = fs_log_mark_built(ctx, err);
	rc = fs_tx_end(ctx, rc, err);
	fs_set_actor(ctx, saved);
	return rc;
}
