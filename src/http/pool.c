/* pool.c - the server's database contexts, lent to one request at a time (see pool.h). */
#include "pool.h"
#include "route.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/fairshare.h"

/* A request waiting for a context: served in the order they came (a condition
 * variable alone wakes whichever thread, and the unlucky wait for ever). */
struct waiter {
	pthread_cond_t cv;
	struct fs_pool_slot *slot; /* handed over by fs_pool_give */
	struct waiter *next;
};

struct fs_pool {
	const char *db_path, *key_path;
	int open_flags;
	pthread_mutex_t lock;
	struct waiter *first, **last; /* the queue */
	size_t cap;
	unsigned long clock;        /* counts the slots given back */
	struct fs_pool_slot *slots; /* cap of them, never moved: a lent slot's address is the request's */
};

struct fs_pool *fs_pool_new(const char *db_path, const char *key_path, int open_flags, size_t cap)
{
	struct fs_pool *p = calloc(1, sizeof(*p));
	if (!p || !cap || !(p->slots = calloc(cap, sizeof(*p->slots)))) {
		free(p);
		return NULL;
	}
	p->db_path = db_path, p->key_path = key_path, p->open_flags = open_flags, p->cap = cap;
	pthread_mutex_init(&p->lock, NULL);
	p->last = &p->first;
	return p;
}

struct fs_pool_slot *fs_pool_take(struct fs_pool *p, struct fs_error *err)
{
	struct fs_pool_slot *s = NULL, *empty = NULL;
	pthread_mutex_lock(&p->lock);
	if (!p->first) /* nobody waits before us */
		for (size_t i = 0; i < p->cap; i++) {
			struct fs_pool_slot *x = &p->slots[i];
			if (x->busy)
				continue;
			if (x->ctx && (!s || x->given > s->given))
				s = x; /* the most recently given back: its caches and pages are warm */
			else if (!x->ctx && !empty)
				empty = x;
		}
	if (!s)
		s = empty;
	if (s) {
		s->busy = 1;
	} else {
		struct waiter w = {.slot = NULL, .next = NULL};
		pthread_cond_init(&w.cv, NULL);
		*p->last = &w;
		p->last = &w.next;
		while (!w.slot)
			pthread_cond_wait(&w.cv, &p->lock);
		s = w.slot; /* busy already: handed over */
		pthread_cond_destroy(&w.cv);
	}
	pthread_mutex_unlock(&p->lock);
	if (!s->ctx) { /* a new context, opened outside the lock: a slow open holds up no one else */
		void *cache = fs_http_auth_cache_new();
		struct fs_ctx *ctx = NULL;
		if (!cache || fs_open(p->db_path, p->key_path, p->open_flags | FS_SHARED, &ctx, err)) {
			if (!cache)
				fs_fail(err, FS_ENOMEM, NULL, "out of memory");
			free(cache);
			fs_pool_give(p, s); /* empty: the next one tries to open it */
			return NULL;
		}
		s->ctx = ctx, s->auth_cache = cache;
	}
	fs_http_auth_cache_use(s->auth_cache);
	return s;
}

void fs_pool_give(struct fs_pool *p, struct fs_pool_slot *s)
{
	if (!s)
		return;
	fs_http_auth_cache_use(NULL);
	if (s->ctx && !fs_idle(s->ctx)) {
		/* a context given back inside a transaction, or with a statement part
		 * way through its rows: lent again, it would answer from its old
		 * snapshot (or wait on its own lock). Closed; the next take opens anew. */
		static const char line[] = "http: a database context came back busy: closed\n";
		(void)!write(STDERR_FILENO, line, sizeof(line) - 1);
		fs_close(s->ctx);
		free(s->auth_cache);
		s->ctx = NULL, s->auth_cache = NULL;
	}
	pthread_mutex_lock(&p->lock);
	s->given = ++p->clock;
	struct waiter *w = p->first;
	if (w) { /* straight to the first in the queue */
		if (!(p->first = w->next))
			p->last = &p->first;
		w->slot = s;
		pthread_cond_signal(&w->cv);
	} else {
		s->busy = 0;
	}
	pthread_mutex_unlock(&p->lock);
}

size_t fs_pool_open_count(struct fs_pool *p)
{
	size_t n = 0;
	pthread_mutex_lock(&p->lock);
	for (size_t i = 0; i < p->cap; i++)
		n += p->slots[i].ctx != NULL;
	pthread_mutex_unlock(&p->lock);
	return n;
}

void fs_pool_free(struct fs_pool *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->cap; i++) {
		fs_close(p->slots[i].ctx);
		free(p->slots[i].auth_cache);
	}
	free(p->slots);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
