/* log.h - private to the core: the journal as one Merkle log per organization
 * (RFC 9162, merkle.h) kept in the store. Log 0 is the system log (accounts,
 * and whatever belongs to no organization); log N is organization N's. Each
 * journal entry is one leaf of its organization's log: SHA-256(0x00 || entry hash).
 * What is stored (table log_nodes; layout 3, meta merkle_log):
 * - no leaf: a leaf is the hash of its journal entry's hash, which the journal keeps;
 * - every complete subtree of FS_LOG_LOW levels or more (one row per 256 leaves
 *   and above); a level-FS_LOG_LOW row's seq is the journal entry of its last leaf,
 *   so that the entries under it are one indexed range of the journal;
 * - one head row per log (level FS_LOG_HEAD_LEVEL, index 0): idx = the log's size,
 *   seq = the journal entry of its last leaf, hash = the frontier (the complete
 *   subtrees the next leaf joins, one hash per set bit of the size, lowest first).
 * An append keeps the frontier in memory (ctx->logc) and writes a node one time in
 * 256 (and one above it, on average); the head is written once per transaction
 * (fs_log_flush, before the log is read and at commit). A subtree below
 * FS_LOG_LOW levels is hashed again, when a proof needs it, from the 256 (or
 * fewer) journal entries of its chunk, read by the index journal(org_id, seq). */
#ifndef FS_LOG_H
#define FS_LOG_H

#include <stdint.h>

#include "merkle.h"

/* levels 0 .. FS_LOG_LOW - 1 are not stored: a chunk of FS_LOG_CHUNK leaves is hashed
 * again from the journal. The older layouts: FS_LOG_PACK leaves a row at level
 * FS_LOG_PACK_LEVEL and nodes from level FS_LOG_OLD_LOW up (2), or a row for every
 * leaf and node (1); log_pack.c brings both to 3. */
enum { FS_LOG_LOW = 8, FS_LOG_CHUNK = 1 << FS_LOG_LOW, FS_LOG_HEAD_LEVEL = 62 };
enum { FS_LOG_PACK = 16, FS_LOG_PACK_LEVEL = 63, FS_LOG_OLD_LOW = 5 };
/* meta merkle_log: 1 = leaves one per row (before packs), 2 = packed, 3 = chunks (no leaf stored) */
enum { FS_LOG_LAYOUT_SINGLE = 1, FS_LOG_LAYOUT_PACKED = 2, FS_LOG_LAYOUT_CHUNKS = 3 };
/* log_nodes' columns; a row's key: organization (22 bits), level (6), index (35) */
enum { FS_LN_ID, FS_LN_ORG, FS_LN_LEVEL, FS_LN_INDEX, FS_LN_HASH, FS_LN_SEQ, FS_LN_NCOLS };
extern const struct fs_table fs_log_nodes_table;
#define FS_LOG_KEY(org, level, index) (((int64_t)(org) << 41) | ((int64_t)(level) << 35) | (int64_t)(index))

struct fs_ctx;
struct fs_buf;
struct fs_error;

/* Add the journal entry seq (its hash) to the log of org. Inside the caller's transaction. */
int fs_log_append(struct fs_ctx *ctx, int64_t org, int64_t seq, const unsigned char entry_hash[32], struct fs_error *err);
/* Write the head an append left in memory (nothing if none). fs_tx_end
 * calls it before the commit; every reader of the log here before it reads. */
int fs_log_flush(struct fs_ctx *ctx, struct fs_error *err);
/* The number of leaves of org's log. */
int fs_log_size(struct fs_ctx *ctx, int64_t org, int64_t *size, struct fs_error *err);
/* The tree head over the first size leaves (size <= the log's size). */
int fs_log_root(struct fs_ctx *ctx, int64_t org, int64_t size, unsigned char root[32], struct fs_error *err);
/* Before a root is signed (checkpoint.c): root, the tree head over the log's size,
 * is the one the head's frontier implies, the head names the journal's last entry
 * of org, and a log without a head has no entry: FS_EINTEGRITY, else 0. Cheap (a
 * few look-ups); what it cannot see (a stored node and the frontier altered alike,
 * an entry inside the log) is verify's to find. */
int fs_log_head_check(struct fs_ctx *ctx, int64_t org, int64_t size, const unsigned char root[32], struct fs_error *err);
int fs_log_inclusion(struct fs_ctx *ctx, int64_t org, int64_t index, int64_t size,
		     unsigned char proof[][FS_MERKLE_HASH], size_t *len, struct fs_error *err);
int fs_log_consistency(struct fs_ctx *ctx, int64_t org, int64_t first, int64_t second,
		       unsigned char proof[][FS_MERKLE_HASH], size_t *len, struct fs_error *err);
/* The leaf of journal entry seq: its log, index and leaf hash (FS_ENOTFOUND if none). */
int fs_log_leaf_of(struct fs_ctx *ctx, int64_t seq, int64_t *org, int64_t *index, unsigned char leaf[32],
		   struct fs_error *err);
/* verify: every stored node recomputed from the journal; problems appended to text. */
int fs_log_verify(struct fs_ctx *ctx, struct fs_buf *text, int64_t *problems, struct fs_error *err);
/* A database from before the log: every journal entry becomes a leaf of its log, in
 * order, and each log gets one entry binding the old chain's head. Once (meta merkle_log). */
int fs_log_build(struct fs_ctx *ctx, struct fs_error *err);
/* *layout: 0 (no log yet) or FS_LOG_LAYOUT_* */
int fs_log_built(struct fs_ctx *ctx, int *layout, struct fs_error *err);
/* A log of one leaf per row (FS_LOG_LAYOUT_SINGLE) rewritten in packs, once: the
 * leaves as stored (not recomputed from the journal, so that verify still sees
 * any difference); a leaf after a hole in its pack is left out, and verify names
 * it missing. */
int fs_log_pack_single(struct fs_ctx *ctx, struct fs_error *err);
/* An older layout (1 or 2) brought to chunks (3) in one transaction, once (log_pack.c):
 * the stored leaves, packs and nodes below FS_LOG_LOW that equal what the journal
 * implies are deleted, those that differ are kept as stored (verify names them), one
 * missing is stored as an empty row (verify names it missing); every head is written
 * from the journal; the nodes from FS_LOG_LOW up stay as they are. */
int fs_log_unpack(struct fs_ctx *ctx, struct fs_error *err);
int fs_log_mark_built(struct fs_ctx *ctx, struct fs_error *err);
/* log_verify.c: the tree each log's journal entries imply, every level in memory
 * (verify, log_pack.c) */
enum { FS_LOG_LEVELS = 36 };
struct fs_log_tree {
	int64_t org;
	unsigned char *lv[FS_LOG_LEVELS]; /* level L: its complete subtrees, 32 bytes each */
	size_t n[FS_LOG_LEVELS], cap[FS_LOG_LEVELS], matched[FS_LOG_LEVELS];
	int64_t *seq; /* the journal entry of each leaf */
	size_t capseq;
	int head_seen;
};
struct fs_log_trees {
	struct fs_log_tree *t;
	size_t n, cap;
	int rc;
};
int fs_log_trees_load(struct fs_ctx *ctx, struct fs_log_trees *ts, struct fs_error *err);
struct fs_log_tree *fs_log_tree_of(struct fs_log_trees *ts, int64_t org);
void fs_log_trees_free(struct fs_log_trees *ts);
/* the frontier of t at its full size, as a head row holds it; *n bytes into out (FS_LOG_LEVELS * 32) */
void fs_log_tree_frontier(const struct fs_log_tree *t, unsigned char *out, size_t *n);

/* checkpoint.c: a signed checkpoint; store = 0 keeps it out of the database (a read-only open) */
int fs_checkpoint_sign(struct fs_ctx *ctx, const char *key_path, int store, char **ret, struct fs_error *err);

/* checkpoint.c: msg signed with this database's signing key (path NULL: the default); its public half in pk */
int fs_signing_sign(struct fs_ctx *ctx, const char *path, const void *msg, size_t n, unsigned char sig[64],
		    unsigned char pk[32], struct fs_error *err);

/* checkpoint.c: the signed texts' "name: value\n" line at *p, the value copied to out (at most cap - 1
 * bytes) and *p moved past it; 0, or -1 when the line is not that name's or too long */
int fs_text_field(const char **p, const char *end, const char *name, char *out, size_t cap);
#endif
