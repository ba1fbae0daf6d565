/* slow.c - the handler pool (see slow.h). */
#include "slow.h"

#include <pthread.h>
#include <stdlib.h>

struct job {
	struct MHD_Connection *c;
	void *job;
	struct job *next;
};

struct fs_slow {
	fs_slow_fn *run;
	void *ud;
	pthread_mutex_t lock;
	pthread_cond_t work, idle;
	struct job *first, **last;
	unsigned in_flight; /* queued or running */
	int draining, stop;
	unsigned nthreads;
	pthread_t *threads;
};

static void *worker(void *arg)
{
	struct fs_slow *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->first && !w->stop)
			pthread_cond_wait(&w->work, &w->lock);
		if (!w->first)
			break;
		struct job *j = w->first;
		if (!(w->first = j->next))
			w->last = &w->first;
		pthread_mutex_unlock(&w->lock);
		w->run(j->c, j->job, w->ud);
		MHD_resume_connection(j->c);
		free(j);
		pthread_mutex_lock(&w->lock);
		if (!--w->in_flight)
			pthread_cond_broadcast(&w->idle);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct fs_slow *fs_slow_new(unsigned threads, fs_slow_fn *run, void *ud)
{
	struct fs_slow *w = calloc(1, sizeof(*w));
	if (!w || !threads || !(w->threads = calloc(threads, sizeof(*w->threads)))) {
		free(w);
		return NULL;
	}
	w->run = run, w->ud = ud, w->last = &w->first;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->idle, NULL);
	for (; w->nthreads < threads; w->nthreads++)
		if (pthread_create(&w->threads[w->nthreads], NULL, worker, w))
			break;
	if (!w->nthreads) {
		fs_slow_free(w);
		return NULL;
	}
	return w;
}

int fs_slow_submit(struct fs_slow *w, struct MHD_Connection *c, void *job)
{
	struct job *j = malloc(sizeof(*j));
	if (!j)
		return -1;
	*j = (struct job){c, job, NULL};
	pthread_mutex_lock(&w->lock);
	if (w->draining) {
		pthread_mutex_unlock(&w->lock);
		free(j);
		return -1;
	}
	/* suspended before any pool thread can see the job (and resume it) */
	MHD_suspend_connection(c);
	w->in_flight++;
	*w->last = j;
	w->last = &j->next;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

void fs_slow_drain(struct fs_slow *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->draining = 1;
	while (w->in_flight)
		pthread_cond_wait(&w->idle, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

void fs_slow_free(struct fs_slow *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_broadcast(&w->work);
	pthread_mutex_unlock(&w->lock);
	for (unsigned i = 0; i < w->nthreads; i++)
		pthread_join(w->threads[i], NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->idle);
	free(w->threads);
	free(w);
}
