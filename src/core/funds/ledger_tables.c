/* ledger_tables.c - the ledger's two tables as the store sees them: the transfer
 * log and the balances (columns named in ledger_int.h). Data only, apart from
 * ledger.c, so that the files reading these tables (party.c, payout.c,
 * ledger_verify.c) do not depend on the ledger's operations. And the chains'
 * heads, one row per organization (ledger_head.c). */
#include "internal.h"
#include "ledger_int.h"

static const struct fs_column transfer_cols[T_NCOLS] = {
	{"seq", FS_VINT}, {"id", FS_VTEXT}, {"org_id", FS_VINT}, {"fund_id", FS_VINT}, {"debit_account_id", FS_VINT},
	{"credit_account_id", FS_VINT}, {"amount_minor", FS_VINT}, {"currency", FS_VTEXT}, {"code", FS_VTEXT},
	{"flags", FS_VINT}, {"pending_id", FS_VTEXT}, {"timeout_at", FS_VTEXT}, {"ts", FS_VTEXT}, {"value_date", FS_VTEXT},
	{"actor", FS_VTEXT}, {"memo", FS_VTEXT}, {"party", FS_VBLOB}, {"prev_hash", FS_VBLOB}, {"hash", FS_VBLOB}};
const struct fs_table fs_transfers_table = {"transfers", transfer_cols, T_NCOLS};
static const struct fs_column balance_cols[B_NCOLS] = {{"account_id", FS_VINT}, {"debits_posted", FS_VINT},
	{"credits_posted", FS_VINT}, {"debits_pending", FS_VINT}, {"credits_pending", FS_VINT}, {"org_id", FS_VINT}};
const struct fs_table fs_balances_table = {"balances", balance_cols, B_NCOLS};
static const struct fs_column head_cols[H_NCOLS] = {{"org_id", FS_VINT}, {"seq", FS_VINT}, {"ts", FS_VTEXT}, {"hash", FS_VBLOB}};
const struct fs_table fs_transfer_heads_table = {"transfer_heads", head_cols, H_NCOLS};
