/* import_pipe.h - the people import's second thread (import_pipe.c). */
#ifndef FS_IMPORT_PIPE_H
#define FS_IMPORT_PIPE_H

#include <pthread.h>

/* One worker thread that runs one job at a time (run(job)), as the ledger's
 * hasher does (ledger_hash.c): submit waits for the job before to be done, so
 * at most two chunks are in flight, the one the worker prepares and the one
 * the main thread stores. Without a thread (threaded 0) nothing runs here. */
struct import_pipe {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	void (*run)(void *job);
	void *job; /* the job submitted and not done yet (NULL: none) */
	int quit;
	int threaded;
};

/* 1 when the thread started (else threaded stays 0 and the caller runs the work itself). */
int import_pipe_start(struct import_pipe *p, void (*run)(void *job));
void import_pipe_submit(struct import_pipe *p, void *job);
void import_pipe_wait(struct import_pipe *p);
/* After the job it may be running; the thread joined. */
void import_pipe_stop(struct import_pipe *p);

#endif
