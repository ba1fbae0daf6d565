/* handoff.c - one worker thread, one job at a time (handoff.h). */
#include "handoff.h"

#include <string.h>

static void *worker(void *arg)
{
	struct fs_handoff *h = arg;
	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (!h->job && !h->quit)
			pthread_cond_wait(&h->cv, &h->mu);
		if (!h->job)
			break;
		void *job = h->job;
		pthread_mutex_unlock(&h->mu);
		h->run(job);
		pthread_mutex_lock(&h->mu);
		h->job = NULL;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

int fs_handoff_start(struct fs_handoff *h, void (*run)(void *job), int threaded)
{
	memset(h, 0, sizeof(*h));
	h->run = run;
	if (!threaded || pthread_mutex_init(&h->mu, NULL))
		return 0;
	if (pthread_cond_init(&h->cv, NULL)) {
		pthread_mutex_destroy(&h->mu);
		return 0;
	}
	if (pthread_create(&h->thread, NULL, worker, h)) {
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->mu);
		return 0;
	}
	h->threaded = 1;
	return 1;
}

void fs_handoff_submit(struct fs_handoff *h, void *job)
{
	if (!h->threaded) {
		h->run(job);
		return;
	}
	pthread_mutex_lock(&h->mu);
	while (h->job) /* one job at a time: the one before is waited for first */
		pthread_cond_wait(&h->cv, &h->mu);
	h->job = job;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

void fs_handoff_wait(struct fs_handoff *h)
{
	if (!h->threaded)
		return;
	pthread_mutex_lock(&h->mu);
	while (h->job)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

void fs_handoff_stop(struct fs_handoff *h)
{
	if (!h->threaded)
		return;
	pthread_mutex_lock(&h->mu);
	h->quit = 1;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->thread, NULL);
	pthread_cond_destroy(&h->cv);
	pthread_mutex_destroy(&h->mu);
	h->threaded = 0;
}
