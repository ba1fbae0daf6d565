/* ledger_hash.c - the chain hashes of a ledger batch's groups on a second core
 * (ledger_batch.h). The main thread checks the next group's transfers and
 * inserts the group before it while this thread hashes: each row's hash over
 * its values and the hash of the row before it, as fs_hash_values always did,
 * so the rows, their hashes and the journal are byte-identical to one thread's.
 * A job is one group: its rows' values (all but prev_hash and hash), the hash
 * the first follows; the thread fills in prev_hash and hash row by row. Without
 * a thread (a small batch, or pthread_create failing) the job runs at once. */
#include "internal.h"

#include "ledger_batch.h"

int fs_lb_hash_threads = 1;

static void run(struct fs_lb_hash_job *j)
{
	const unsigned char *prev = j->prev;
	for (size_t k = 0; k < j->n; k++) {
		struct fs_value *v = &j->vals[k * T_NCOLS];
		v[T_PREV] = fs_vblob(prev, FS_HASH_BYTES);
		fs_hash_values("transfers", &v[T_ID], T_HASH - T_ID, j->hashes[k]);
		v[T_HASH] = fs_vblob(j->hashes[k], FS_HASH_BYTES);
		prev = j->hashes[k];
	}
}

static void run_job(void *j)
{
	run(j);
}

void fs_lb_hasher_start(struct fs_handoff *h, int threaded)
{
	fs_handoff_start(h, run_job, threaded && fs_lb_hash_threads);
}
