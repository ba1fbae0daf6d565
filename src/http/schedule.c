/* schedule.c - the server's scheduled work: every --checkpoint-every seconds, a
 * signed checkpoint of each organization's log that grew (core:
 * checkpoint_due.c), on a thread and a database context of its own. */
#include "schedule.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/fairshare.h"

struct fs_sched {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stop;
	unsigned every_s;
	const char *db_path, *key_path, *signing_key;
};

static void *run(void *p)
{
	struct fs_sched *s = p;
	struct fs_ctx *ctx = NULL;
	int warned = 0;
	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)s->every_s;
		while (!s->stop && pthread_cond_timedwait(&s->cond, &s->lock, &until) != ETIMEDOUT)
			;
		if (s->stop)
			break;
		pthread_mutex_unlock(&s->lock);
		struct fs_error err = {0};
		int made = 0, rc = ctx ? 0 : fs_open(s->db_path, s->key_path, FS_SHARED, &ctx, &err);
		if (!rc)
			rc = fs_checkpoints_due(ctx, s->signing_key, &made, &err);
		if (rc && !warned++) /* said once: the next tries may succeed (a key put back) */
			fprintf(stderr, "http: scheduled checkpoint failed: %s\n", err.message);
		else if (!rc && made)
			fprintf(stderr, "http: %d scheduled checkpoint%s signed\n", made, made > 1 ? "s" : "");
		if (!rc)
			warned = 0;
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	fs_close(ctx);
	return NULL;
}

struct fs_sched *fs_sched_start(const char *db_path, const char *key_path, const char *signing_key, unsigned every_s)
{
	if (!every_s)
		return NULL;
	struct fs_sched *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	*s = (struct fs_sched){.every_s = every_s, .db_path = db_path, .key_path = key_path, .signing_key = signing_key};
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	if (pthread_create(&s->thread, NULL, run, s)) {
		pthread_mutex_destroy(&s->lock);
		pthread_cond_destroy(&s->cond);
		free(s);
		return NULL;
	}
	return s;
}

void fs_sched_stop(struct fs_sched *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = 1;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}
