/* ledger_int.h - private to the ledger's files (ledger.c, ledger_verify.c): the
 * columns of the transfer log and of the balances table. */
#ifndef FS_LEDGER_INT_H
#define FS_LEDGER_INT_H

enum { T_SEQ, T_ID, T_ORG, T_FUND, T_DEBIT, T_CREDIT, T_AMOUNT, T_CURRENCY, T_CODE, T_FLAGS, T_PENDING_ID, T_TIMEOUT,
       T_TS, T_VALUE_DATE, T_ACTOR, T_MEMO, T_PARTY, T_PREV, T_HASH, T_NCOLS };
enum { B_ACCOUNT, B_DP, B_CP, B_DPEND, B_CPEND, B_ORG, B_NCOLS };

/* An account's stored balance row: debits and credits posted and pending. */
struct fs_lb_bal {
	int64_t dp, cp, dpend, cpend;
};
/* The balance row of an account of the open organization into b (left as it is
 * when the account has none yet). */
int fs_lb_balance_row(struct fs_ctx *ctx, int64_t account, struct fs_lb_bal *b, struct fs_error *err);
enum { H_ORG, H_SEQ, H_TS, H_HASH, H_NCOLS };
extern const struct fs_table fs_transfer_heads_table;

/* The head of org's transfer chain (ledger_head.c): the hash a new row follows,
 * and the newest row's ts ("" when not known): a new row's ts is never earlier.
 * From its row in transfer_heads, else found from the transfers. */
int fs_transfer_head(struct fs_ctx *ctx, int64_t org, unsigned char head[FS_HASH_BYTES], char ts[24], struct fs_error *err);
/* After a batch stored rows: the head is now row seq (ts, hash). */
int fs_transfer_head_put(struct fs_ctx *ctx, int64_t org, int64_t seq, const char *ts, const unsigned char head[FS_HASH_BYTES],
			 struct fs_error *err);
/* verify: each row of transfer_heads against the newest row walked of its
 * organization's chain (ledger_verify.c gives them: n of org, seq, hash, ts);
 * problems appended as "what" lines through cb. */
struct fs_chain_end {
	int64_t org, seq;
	unsigned char hash[FS_HASH_BYTES];
	char ts[24];
};
int fs_transfer_heads_check(struct fs_ctx *ctx, const struct fs_chain_end *ends, size_t n,
			    void (*problem)(void *ud, const char *what, int64_t org), void *ud, struct fs_error *err);

/* 1 when id is a transfer id: 1-64 of A-Z a-z 0-9 . _ : - */
int fs_transfer_id_ok(const char *id);

/* Every record of a list ({"total", "items"}), however many: fs_list page by page. */
int fs_list_all(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_kv *filters, size_t nfilters, json_t **ret,
		struct fs_error *err);

/* The two-person rule of a fund (payout.c), loaded once per batch. */
struct fs_payout_rule {
	int64_t threshold_minor, limit_minor; /* approval threshold; rolling limit per account per 24 hours */
	int has_threshold, has_limit;
	int self_loaded;
	int64_t self_before; /* what the principal moved out on their own in the 24 hours before the batch */
	int64_t self_batch;  /* and in this batch so far */
};

int fs_payout_rule_load(struct fs_ctx *ctx, int64_t fund, struct fs_payout_rule *r, struct fs_error *err);

/* Money of amount_minor leaves the fund's assets, requested by requester (the
 * transfer log's actor; NULL: the principal, who moves it now). FS_T_OK when it
 * may move: within the threshold and the requester's rolling limit, or posted by
 * a second account holding funds.approve; FS_T_APPROVAL_REQUIRED otherwise; a
 * negative FS_E* on a store error. *ret_counted: what counts towards the
 * principal's rolling limit when it moves (b->self_batch). */
int fs_payout_check(struct fs_ctx *ctx, int64_t fund, struct fs_payout_rule *r, const char *requester, int64_t amount_minor,
		    int64_t *ret_counted, struct fs_error *err);

/* A week's strike pay entered for approval (fund_approval.c): the pending
 * transfers "strike-FUND-DAY-PERSON" of fund on day, *ret {id: {requester,
 * state: pending|posted|voided}}; and the approval of them all by a second
 * account, in one linked batch (*result: FS_T_OK, or the first failure). */
int fs_strike_pending_scan(struct fs_ctx *ctx, int64_t fund, const char *day, json_t **ret, struct fs_error *err);
int fs_strike_batch_approve(struct fs_ctx *ctx, int64_t fund, const char *batch_id, int *result, struct fs_error *err);

#endif
