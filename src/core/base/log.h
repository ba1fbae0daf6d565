/* log.h - private to the core: the journal as one Merkle log per organization
 * (RFC 9162, merkle.h) kept in the store. Log 0 is the system log (accounts,
 * and whatever belongs to no organization); log N is organization N's. Each
 * journal entry is one leaf of its organization's log: SHA-256(0x00 || entry hash).
 * The leaves are stored in packs of 16, one row per pack (level FS_LOG_PACK_LEVEL,
 * index = leaf index / 16, hash = the leaves' hashes one after the other, seq =
 * the journal entry of its first leaf); every complete subtree of FS_LOG_LOW
 * levels or more is stored once (table log_nodes); the subtrees below (2 to 16
 * leaves, all inside one pack) are hashed again from their pack when read. An
 * append keeps its leaf in memory (ctx->logc.pack) and writes it with its pack:
 * when the pack is full, and else before the log is read and at commit
 * (fs_log_flush); one time in sixteen on average it writes a higher node. Every
 * proof reads O(log n) rows. */
#ifndef FS_LOG_H
#define FS_LOG_H

#include <stdint.h>

#include "merkle.h"

/* levels 1 .. FS_LOG_LOW - 1 are not stored; a pack holds the leaves of one level-4 subtree */
enum { FS_LOG_LOW = 5, FS_LOG_PACK = 16, FS_LOG_PACK_LEVEL = 63 };
/* meta merkle_log: 1 = leaves one per row (before packs), 2 = packed */
enum { FS_LOG_LAYOUT_SINGLE = 1, FS_LOG_LAYOUT_PACKED = 2 };

struct fs_ctx;
struct fs_buf;
struct fs_error;

/* Add the journal entry seq (its hash) to the log of org. Inside the caller's transaction. */
int fs_log_append(struct fs_ctx *ctx, int64_t org, int64_t seq, const unsigned char entry_hash[32], struct fs_error *err);
/* Write the incomplete pack an append left in memory (nothing if none). fs_tx_end
 * calls it before the commit; every reader of the log here before it reads. */
int fs_log_flush(struct fs_ctx *ctx, struct fs_error *err);
/* The number of leaves of org's log. */
int fs_log_size(struct fs_ctx *ctx, int64_t org, int64_t *size, struct fs_error *err);
/* The tree head over the first size leaves (size <= the log's size). */
int fs_log_root(struct fs_ctx *ctx, int64_t org, int64_t size, unsigned char root[32], struct fs_error *err);
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
/* *layout: 0 (no log yet), FS_LOG_LAYOUT_SINGLE or FS_LOG_LAYOUT_PACKED */
int fs_log_built(struct fs_ctx *ctx, int *layout, struct fs_error *err);
/* A log of one leaf per row (FS_LOG_LAYOUT_SINGLE) rewritten in packs, once: the
 * leaves as stored (not recomputed from the journal, so that verify still sees
 * any difference); a leaf after a hole in its pack is left out, and verify names
 * it missing. */
int fs_log_pack_single(struct fs_ctx *ctx, struct fs_error *err);
int fs_log_mark_built(struct fs_ctx *ctx, struct fs_error *err);
/* checkpoint.c: a signed checkpoint; store = 0 keeps it out of the database (a read-only open) */
int fs_checkpoint_sign(struct fs_ctx *ctx, const char *key_path, int store, char **ret, struct fs_error *err);

/* checkpoint.c: msg signed with this database's signing key (path NULL: the default); its public half in pk */
int fs_signing_sign(struct fs_ctx *ctx, const char *path, const void *msg, size_t n, unsigned char sig[64],
		    unsigned char pk[32], struct fs_error *err);

/* checkpoint.c: the signed texts' "name: value\n" line at *p, the value copied to out (at most cap - 1
 * bytes) and *p moved past it; 0, or -1 when the line is not that name's or too long */
int fs_text_field(const char **p, const char *end, const char *name, char *out, size_t cap);
#endif
