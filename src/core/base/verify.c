/* verify.c - `fairshare verify`: the whole database checked, the journal first
 * (journal.c), then what each part keeps beside it: the Merkle logs (log_verify.c),
 * the ledger's transfer log and balances (funds/ledger_verify.c), the evidence
 * files and their custody chain (record/evidence.c), the files on disk
 * (files.c) and the store's own check. The one file that calls into every
 * domain's check, so that none of them, nor the journal, calls another's. */
#include "internal.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

int fs_verify(struct fs_ctx *ctx, struct fs_verify_report *rep, struct fs_error *err)
{
	memset(rep, 0, sizeof(*rep));
	struct fs_buf text;
	fs_buf_init(&text, FS_TEXT_MAX);
	int rc = fs_journal_verify(ctx, rep, &text, err);
	if (!rc) { /* the Merkle logs: every leaf and subtree recomputed from the journal */
		int64_t problems = 0;
		rc = fs_log_verify(ctx, &text, &problems, err);
		rep->problems += problems;
	}
	if (!rc) { /* the ledger: its own chain and the balances it implies */
		int64_t problems = 0, transfers = 0;
		rc = fs_ledger_verify(ctx, &text, &problems, &transfers, err);
		rep->problems += problems;
		rep->rows += transfers;
	}
	if (!rc) { /* evidence files and their custody chain */
		int64_t problems = 0, files = 0;
		rc = fs_evidence_check(ctx, &text, &problems, &files, err);
		rep->problems += problems;
		rep->rows += files;
	}
	if (!rc)
		rep->warnings = fs_files_check(ctx, &text);
	if (!rc) {
		size_t before = text.len;
		rc = ctx->st->ops->check(ctx->st, &text, err);
		for (size_t i = before; i < text.len; i++)
			rep->problems += text.data[i] == '\n';
	}
	if (rc) {
		fs_buf_done(&text);
		return rc;
	}
	if (rep->problems > FS_VERIFY_LISTED)
		fs_buf_addf(&text, "... and %lld more problems\n", (long long)(rep->problems - FS_VERIFY_LISTED));
	rep->text = fs_buf_take(&text);
	if (rep->problems)
		return fs_fail(err, FS_EINTEGRITY, NULL, "%lld problem%s found", (long long)rep->problems,
			       rep->problems == 1 ? "" : "s");
	return 0;
}
