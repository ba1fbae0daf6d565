/* import_pipe.c - the people import's worker thread (import.c says what it does
 * with it): one job at a time, handed over under a mutex, so that everything a
 * job wrote is seen by the thread that waits for it. */
#include "import_pipe.h"

#include <string.h>

static void *worker(void *arg)
{
	struct import_pipe *p = arg;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->job && !p->quit)
			pthread_cond_wait(&p->cv, &p->mu);
		if (!p->job)
			break;
		void *job = p->job;
		pthread_mutex_unlock(&p->mu);
		p->run(job);
		pthread_mutex_lock(&p->mu);
		p->job = NULL;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int import_pipe_start(struct import_pipe *p, void (*run)(void *job))
{
	memset(p, 0, sizeof(*p));
	p->run = run;
	if (pthread_mutex_init(&p->mu, NULL))
		return 0;
	if (pthread_cond_init(&p->cv, NULL)) {
		pthread_mutex_destroy(&p->mu);
		return 0;
	}
	if (pthread_create(&p->thread, NULL, worker, p)) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		return 0;
	}
	p->threaded = 1;
	return 1;
}

void import_pipe_submit(struct import_pipe *p, void *job)
{
	pthread_mutex_lock(&p->mu);
	while (p->job) /* one job at a time: the one before is waited for first */
		pthread_cond_wait(&p->cv, &p->mu);
	p->job = job;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void import_pipe_wait(struct import_pipe *p)
{
	if (!p->threaded)
		return;
	pthread_mutex_lock(&p->mu);
	while (p->job)
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

void import_pipe_stop(struct import_pipe *p)
{
	if (!p->threaded)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	p->threaded = 0;
}
