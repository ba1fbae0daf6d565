/* ledger_batch.h - private to the ledger's batch (ledger.c, ledger_batch.c):
 * the accounts and balances a batch loads once, the ids it has seen, the effect
 * of one transfer on the balances, and the lone transfers waiting to be stored
 * together (a group: one INSERT of up to FS_STORE_ROWS_MAX rows). */
#ifndef FS_LEDGER_BATCH_H
#define FS_LEDGER_BATCH_H

#include "util/handoff.h"

#include "ledger_int.h"

/* ---- accounts and their balances, loaded once per batch ---- */

struct acct {
	int64_t id;
	int64_t fund;
	int debit_normal; /* asset, expense */
	int no_negative;
	int asset; /* money credited out of it leaves the fund's assets (payout.c) */
	char currency[4];
	int64_t dp, cp, dpend, cpend;
	int touched;
};

/* ---- the chain hashes of a group's rows, on a second core (ledger_hash.c) ---- */

/* n rows of T_NCOLS values in vals, all but T_PREV and T_HASH set: the job fills
 * those in, row k's hash into hashes[k], the first row following prev. */
struct fs_lb_hash_job {
	struct fs_value *vals;
	size_t n;
	unsigned char prev[FS_HASH_BYTES];
	unsigned char (*hashes)[FS_HASH_BYTES];
};

/* 0: every job on the calling thread (test_ledger_pipe compares the two). */
extern int fs_lb_hash_threads;
/* h set up to hash the jobs (struct fs_lb_hash_job) handed over to it with
 * fs_handoff_submit: on a thread of its own when threaded (and
 * fs_lb_hash_threads), else each when submitted, as when no thread can start.
 * A job's values are not touched until fs_handoff_wait returned. */
void fs_lb_hasher_start(struct fs_handoff *h, int threaded);

struct batch {
	struct fs_ctx *ctx;
	int64_t fund;
	struct acct *accts;
	size_t nacct, capacct;
	char currency[4];
	char ts[24], today[11]; /* when the batch is recorded: once for its rows */
	struct fs_value v_ts, v_today, v_currency, v_actor; /* as its rows name them */
	char date_ok[11];                                   /* the value date last found good */
	unsigned char head[FS_HASH_BYTES];
	int64_t stored, first_seq, last_seq;
	struct fs_payout_rule rule;
	char requester[FS_ACTOR_MAX]; /* who requested the pending transfer being posted */
	/* ids recorded by this batch, with their row values for the idempotency
	 * check; and markers for pending transfers stored before the batch that it
	 * posts or voids. Allocated once for the whole batch: pointers stay valid. */
	struct seen_id {
		char id[72];
		struct fs_transfer t;
		char code[32];
		int resolved; /* for a pending one: posted or voided in this batch */
		int marker;   /* only a mark: a pending transfer stored before the batch */
	} *seen;
	size_t nseen, capseen;
	uint32_t *seen_index; /* open addressing over seen[]: index + 1, 0 = empty */
	size_t seen_cap;
	/* the groups: lone transfers checked good (ledger.c). gs[cur] is being
	 * filled; gs[!cur], when it has rows, is the one before it: hashed on the
	 * second core while cur fills, inserted when cur is full (or at a flush) */
	struct group {
		struct grow *rows;
		struct fs_value *vals; /* FS_STORE_ROWS_MAX rows of T_NCOLS */
		size_t n;
		size_t seen;        /* nseen when the group began */
		int64_t self_batch; /* rule.self_batch when it began */
		unsigned char hashes[FS_STORE_ROWS_MAX][FS_HASH_BYTES];
		struct fs_lb_hash_job job;
	} gs[2];
	int cur;
	struct fs_handoff hasher; /* the chain hashes (ledger_hash.c) */
	struct fs_error *err;
};

struct effect {
	struct acct *debit, *credit;
	int64_t dp, cp, dpend, cpend; /* deltas on debit (dp, dpend) and credit (cp, cpend) */
	int payout;      /* money leaves the fund's assets: 1 requested by the principal, 2 by b->requester */
	int64_t counted; /* towards the principal's rolling limit (payout.c) */
};

/* a lone transfer of the group: as resolved (its strings the caller's, but the
 * code and timeout copied), its effect, its sealed party */
struct grow {
	size_t i; /* its place in the batch */
	struct fs_transfer t;
	char code[32], timeout[24];
	struct effect ef;
	struct fs_buf party;
};

/* The account id of this organization, loaded with its balance on first use
 * (NULL: none such, or *rc a store error). */
struct acct *fs_lb_account(struct batch *b, int64_t id, int *rc);
/* The balance the account's owner sees, counting what is reserved against it, below zero where it may not be. */
int fs_lb_would_go_negative(const struct acct *a);
/* The entry of this batch for id, or NULL; seen[k] added to the index. */
struct seen_id *fs_lb_seen_find(struct batch *b, const char *id);
void fs_lb_seen_add(struct batch *b, size_t k);
/* Adds the effect, or returns the id of the account one of whose sums would
 * pass the largest amount (or go below zero) and changes nothing. */
int64_t fs_lb_apply(struct effect *e);
/* Takes back an effect fs_lb_apply added (so within range). */
void fs_lb_unapply(const struct effect *e);

#endif
