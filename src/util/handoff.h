/* handoff.h - one worker thread that runs one job at a time: the bulk paths'
 * second core (the people import's checks and seals, the ledger batch's chain
 * hashes, claims compute's rules engine). The main thread hands a job over and
 * goes on with its own part (storing the job before); a job is handed over
 * only when the one before is done, so at most two are in flight. Everything a
 * job wrote is seen by the thread that waited for it (the hand-over is under a
 * mutex). Without a thread (none could start) each job runs when submitted. */
#ifndef FS_HANDOFF_H
#define FS_HANDOFF_H

#include <pthread.h>

struct fs_handoff {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	void (*run)(void *job);
	void *job; /* submitted, not done yet (NULL: none) */
	int quit;
	int threaded; /* the thread runs (else submit runs the job itself) */
};

/* h set up to run each job handed over: on a thread of its own when threaded
 * and one could start (1), else in fs_handoff_submit itself (0). */
int fs_handoff_start(struct fs_handoff *h, void (*run)(void *job), int threaded);
/* Hands job over once the job before it is done; job's data is not the
 * caller's again until fs_handoff_wait returned. */
void fs_handoff_submit(struct fs_handoff *h, void *job);
/* Until the job submitted last is done. */
void fs_handoff_wait(struct fs_handoff *h);
/* After the job it may be running, the thread joined (nothing when it never started). */
void fs_handoff_stop(struct fs_handoff *h);

#endif
