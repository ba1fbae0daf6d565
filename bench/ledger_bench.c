/* ledger_bench.c - posts N transfers through the batch path of the ledger
 * (fs_ledger_transfer, 8190 a batch, each batch one committed transaction),
 * times them, then times the fund's balances, and writes the ledger-cli export
 * for the comparison run by bench/funds.sh. usage: ledger_bench DIR N [transfers]
 * (with "transfers": only the transfers, for the instruction count per transfer).
 * BENCH_PG_DB=postgres://... : into that (empty) PostgreSQL database instead, its key
 * file DIR/ledger.key (bench/pg.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/fairshare.h"

/* "b" and x in decimal, as snprintf(out, 24, "b%ld", x) writes it (x >= 0): the
 * caller's work, not the ledger's, so done without snprintf's 600 instructions
 * (led27) */
static void bench_id(char out[24], long x)
{
	char d[20];
	int n = 0;
	do
		d[n++] = (char)('0' + x % 10);
	while ((x /= 10) > 0);
	out[0] = 'b';
	for (int k = 0; k < n; k++)
		out[1 + k] = d[n - 1 - k];
	out[n + 1] = '\0';
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 3 && argc != 4)
		return 2;
	int only_transfers = argc == 4 && strcmp(argv[3], "transfers") == 0;
	long n = strtol(argv[2], NULL, 10);
	char db[512], out[512];
	char key[512];
	const char *pg = getenv("BENCH_PG_DB");
	snprintf(db, sizeof(db), "%s", pg && *pg ? pg : "");
	if (!pg || !*pg)
		snprintf(db, sizeof(db), "%s/ledger.db", argv[1]);
	snprintf(key, sizeof(key), "%s/ledger.key", argv[1]);
	snprintf(out, sizeof(out), "%s/export.journal", argv[1]);
	struct fs_ctx *ctx;
	struct fs_error err = {0};
	const struct fs_kv org[] = {{"slug", "bench"}, {"name", "Bench"}, {"country", "TR"}, {"currency", "TRY"}};
	const struct fs_kv fund[] = {{"name", "Strike fund"}};
	int64_t fid, acct[4];
	if (fs_open(db, pg && *pg ? key : NULL, FS_INIT, &ctx, &err) || fs_create(ctx, fs_entity_find("organization"), org, 4, NULL, &err) ||
	    fs_use_org(ctx, "bench", &err) || fs_fund_create(ctx, fund, 1, &fid, &err) ||
	    fs_account_by_name(ctx, fid, "assets:bank", &acct[0], &err) || fs_account_by_name(ctx, fid, "income:payroll", &acct[1], &err) ||
	    fs_account_by_name(ctx, fid, "expenses:strike-pay", &acct[2], &err) || fs_account_by_name(ctx, fid, "assets:cash", &acct[3], &err)) {
		fprintf(stderr, "setup: %s\n", err.message);
		return 1;
	}
	enum { BATCH = 8190 };
	struct fs_transfer *t = calloc(BATCH, sizeof(*t));
	int *res = calloc(BATCH, sizeof(*res));
	char (*ids)[24] = calloc(BATCH, 24);
	double t0 = now();
	long done = 0, failed = 0;
	while (done < n) {
		size_t k = n - done < BATCH ? (size_t)(n - done) : BATCH;
		for (size_t i = 0; i < k; i++) {
			long x = done + (long)i;
			bench_id(ids[i], x);
			int out_ = x % 4 == 3; /* one in four pays strike pay from the bank */
			t[i] = (struct fs_transfer){.id = ids[i], .debit_account = out_ ? acct[2] : acct[0],
						    .credit_account = out_ ? acct[0] : acct[1], .amount_minor = out_ ? 2500 + x % 100 : 5000 + x % 1000,
						    .code = out_ ? "strike_pay" : "payroll", .value_date = "2026-03-01"};
		}
		if (fs_ledger_transfer(ctx, fid, t, k, res, &err)) {
			fprintf(stderr, "batch: %s\n", err.message);
			return 1;
		}
		for (size_t i = 0; i < k; i++)
			failed += res[i] != 0;
		done += (long)k;
	}
	double t1 = now();
	if (only_transfers) { /* the transfers' figures alone (timed, or counted by callgrind) */
		fs_close(ctx);
		printf("transfers %ld failed %ld seconds %.3f per_second %.0f\n", n, failed, t1 - t0,
		       t1 > t0 ? (double)n / (t1 - t0) : 0.0);
		return failed ? 1 : 0;
	}
	json_t *b;
	double t2 = now();
	if (fs_fund_balances(ctx, fid, &b, &err))
		return 1;
	double t3 = now();
	json_decref(b);
	FILE *f = fopen(out, "w");
	if (!f || fs_ledger_export(ctx, fid, f, FS_LEDGER_LEDGER, 0, &err))
		return 1;
	fclose(f);
	struct fs_verify_report rep;
	double t4 = now();
	int vrc = fs_verify(ctx, &rep, &err);
	double t5 = now();
	free(rep.text);
	printf("transfers %ld failed %ld seconds %.3f per_second %.0f balances_seconds %.6f verify_seconds %.2f verify_ok %d\n", n, failed,
	       t1 - t0, (double)n / (t1 - t0), t3 - t2, t5 - t4, vrc == 0);
	fs_close(ctx);
	return failed ? 1 : 0;
}
