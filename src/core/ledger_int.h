/* ledger_int.h - private to the ledger's files (ledger.c, ledger_verify.c): the
 * columns of the transfer log and of the balances table. */
#ifndef FS_LEDGER_INT_H
#define FS_LEDGER_INT_H

enum { T_SEQ, T_ID, T_ORG, T_FUND, T_DEBIT, T_CREDIT, T_AMOUNT, T_CURRENCY, T_CODE, T_FLAGS, T_PENDING_ID, T_TIMEOUT,
       T_TS, T_VALUE_DATE, T_ACTOR, T_MEMO, T_PARTY, T_PREV, T_HASH, T_NCOLS };
enum { B_ACCOUNT, B_DP, B_CP, B_DPEND, B_CPEND, B_NCOLS };

/* 1 when id is a transfer id: 1-64 of A-Z a-z 0-9 . _ : - */
int fs_transfer_id_ok(const char *id);

/* Every record of a list ({"total", "items"}), however many: fs_list page by page. */
int fs_list_all(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_kv *filters, size_t nfilters, json_t **ret,
		struct fs_error *err);

#endif
