/* ledger_hash.c - the chain hashes of a ledger batch's groups on a second core
 * (ledger_batch.h). The main thread checks the next group's transfers and
 * inserts the group before it while this thread hashes: each row's hash over
 * its values and the hash of the row before it, as fs_hash_values always did,
 * so the rows, their hashes and the journal are byte-identical to one thread's.
 * A job is one group: its rows' values (all but prev_hash and hash), the hash
 * the first follows; the thread fills in prev_hash and hash row by row. Without
 * a thread (a small batch, or pthread_create failing) the job runs at once. */
#include "internal.h"

#include <string.h>

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

static void *worker(void *p)
{
	struct fs_lb_hasher *h = p;
	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (!h->job && !h->quit)
			pthread_cond_wait(&h->cv, &h->mu);
		if (!h->job)
			break;
		struct fs_lb_hash_job *j = h->job;
		pthread_mutex_unlock(&h->mu);
		run(j);
		pthread_mutex_lock(&h->mu);
		h->job = NULL;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

void fs_lb_hasher_start(struct fs_lb_hasher *h, int threaded)
{
	memset(h, 0, sizeof(*h));
	if (!threaded || !fs_lb_hash_threads)
		return;
	if (pthread_mutex_init(&h->mu, NULL))
		return;
	if (pthread_cond_init(&h->cv, NULL)) {
		pthread_mutex_destroy(&h->mu);
		return;
	}
	if (pthread_create(&h->thread, NULL, worker, h)) {
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->mu);
		return;
	}
	h->threaded = 1;
}

void fs_lb_hash_submit(struct fs_lb_hasher *h, struct fs_lb_hash_job *j)
{
	if (!h->threaded) {
		run(j);
		return;
	}
	pthread_mutex_lock(&h->mu);
	while (h->job) /* one job at a time: the one before is waited for first */
		pthread_cond_wait(&h->cv, &h->mu);
	h->job = j;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

void fs_lb_hash_wait(struct fs_lb_hasher *h)
{
	if (!h->threaded)
		return;
	pthread_mutex_lock(&h->mu);
	while (h->job)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

void fs_lb_hasher_stop(struct fs_lb_hasher *h)
{
	if (!h->threaded)
		return;
	pthread_mutex_lock(&h->mu);
	h->quit = 1;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->thread, NULL); /* after the job it may be running */
	pthread_cond_destroy(&h->cv);
	pthread_mutex_destroy(&h->mu);
	h->threaded = 0;
}
