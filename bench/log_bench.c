/* log_bench.c - the Merkle log's cost. Appends N journal entries (batches of
 * 10,000, each one committed transaction) to one organization's log, and the same
 * N entries to a second database with the tree switched off, in the same run
 * (three rounds, alternated, the best of each);
 * then times verify over the N entries, and inclusion and consistency proofs
 * (1000 of each, at random places) at size N. Times are CPU seconds of this
 * process (the I/O the kernel does for it included as system time is not), and
 * wall-clock seconds beside them.
 * usage: log_bench DIR N [tree|plain]   (with a third argument: only the appends
 * of that variant, for callgrind's instruction count; bench/log.sh) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/internal.h"
#include "log.h"

/* CPU time of this process: the machine may be shared, and wall time then says
 * more about the neighbours than about the tree */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int append(const char *db, long n, int tree, double *secs, double *wsecs, struct fs_ctx **ret)
{
	struct fs_ctx *ctx;
	struct fs_error err = {0};
	const struct fs_kv org[] = {{"slug", "bench"}, {"name", "Bench"}, {"country", "TR"}, {"currency", "TRY"}};
	if (fs_open(db, NULL, FS_INIT, &ctx, &err) || fs_create(ctx, fs_entity_find("organization"), org, 4, NULL, &err) ||
	    fs_use_org(ctx, "bench", &err)) {
		fprintf(stderr, "setup: %s\n", err.message);
		return 1;
	}
	ctx->log_off = !tree;
	struct fs_rec r;
	rec_init(&r, fs_entity_find("organization"));
	r.v[0] = fs_vint(fs_org(ctx));
	double t0 = now(), w0 = wall();
	for (long done = 0; done < n;) {
		int rc = fs_tx_begin(ctx, &err);
		for (long i = 0; !rc && i < 10000 && done < n; i++, done++)
			rc = fs_journal_note(ctx, "view", &r, "{\"bench\":1}", &err);
		if ((rc = fs_tx_end(ctx, rc, &err))) {
			fprintf(stderr, "append: %s\n", err.message);
			return 1;
		}
	}
	*secs = now() - t0;
	*wsecs = wall() - w0;
	rec_done(&r);
	*ret = ctx;
	return 0;
}

enum { ROUNDS = 3 };

/* a database and the files beside it gone, for a new one */
static void fresh(const char *db)
{
	static const char *const ext[] = {"", "-wal", "-shm", "-journal", ".key", ".signing.key"};
	char f[600];
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(f, sizeof(f), "%s%s", db, ext[i]);
		remove(f);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3 && argc != 4)
		return 2;
	long n = strtol(argv[2], NULL, 10);
	char a[512], b[512];
	snprintf(a, sizeof(a), "%s/tree.db", argv[1]);
	snprintf(b, sizeof(b), "%s/plain.db", argv[1]);
	struct fs_ctx *ct, *cp;
	double st, sp, wt, wp;
	if (argc == 4) { /* one variant alone */
		int tree = strcmp(argv[3], "tree") == 0;
		if (append(tree ? a : b, n, tree, &st, &wt, &ct))
			return 1;
		fs_close(ct);
		return 0;
	}
	/* three rounds, the two variants alternated, each into a new file: the
	 * best of each (a shared machine's slow minute falls on one run, not on
	 * one variant) */
	ct = NULL;
	st = sp = wt = wp = 1e30;
	for (int round = 0; round < ROUNDS; round++) {
		double s1, w1;
		if (ct)
			fs_close(ct);
		fresh(b);
		if (append(b, n, 0, &s1, &w1, &cp))
			return 1;
		fs_close(cp);
		sp = s1 < sp ? s1 : sp;
		wp = w1 < wp ? w1 : wp;
		fresh(a);
		if (append(a, n, 1, &s1, &w1, &ct))
			return 1;
		st = s1 < st ? s1 : st;
		wt = w1 < wt ? w1 : wt;
	}
	struct fs_error err = {0};
	struct fs_verify_report rep;
	double v0 = now(), vw0 = wall();
	int vrc = fs_verify(ct, &rep, &err);
	double v1 = now(), vw1 = wall();
	free(rep.text);
	int64_t org = fs_org(ct), size;
	unsigned char proof[FS_MERKLE_MAX_PROOF][32], root[32];
	size_t len, maxlen = 0;
	if (fs_log_size(ct, org, &size, &err) || fs_log_root(ct, org, size, root, &err))
		return 1;
	uint64_t s = 88172645463325252ULL;
	enum { K = 1000 };
	double i0 = now();
	for (int k = 0; k < K; k++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		if (fs_log_inclusion(ct, org, (int64_t)(s % (uint64_t)size), size, proof, &len, &err))
			return 1;
		maxlen = len > maxlen ? len : maxlen;
	}
	double i1 = now();
	for (int k = 0; k < K; k++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		if (fs_log_consistency(ct, org, 1 + (int64_t)(s % (uint64_t)size), size, proof, &len, &err))
			return 1;
	}
	double c1 = now();
	fs_close(ct);
	printf("entries %ld (CPU time): with the tree %.2f s (%.0f/s), without %.2f s (%.0f/s), tree cost %.1f %%\n", n, st, (double)n / st, sp,
	       (double)n / sp, 100.0 * (st - sp) / sp);
	printf("entries %ld (wall clock): with the tree %.2f s (%.0f/s), without %.2f s (%.0f/s), tree cost %.1f %%\n", n, wt, (double)n / wt,
	       wp, (double)n / wp, 100.0 * (wt - wp) / wp);
	printf("verify over %lld entries: %.2f s CPU, %.2f s wall (ok %d)\n", (long long)rep.entries, v1 - v0, vw1 - vw0, vrc == 0);
	printf("inclusion proof at size %lld: %.3f ms each (%zu hashes at most); consistency proof: %.3f ms each\n", (long long)size,
	       (i1 - i0) * 1000.0 / K, maxlen, (c1 - i1) * 1000.0 / K);
	return 0;
}
