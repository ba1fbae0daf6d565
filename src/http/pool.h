/* pool.h - the server's database contexts, lent to one request at a time.
 * libmicrohttpd runs one thread per connection; a request takes a context for
 * its final handler call only and gives it back before returning, so a slow
 * request holds one context and no other connection waits on it while another
 * is free. At most `cap` contexts are ever open (memory stays bounded); a request
 * finding all busy waits for the next one given back. Each context carries the
 * HTTP layer's own lookups (h_auth.c's cache) beside the core's page cache. */
#ifndef FS_HTTP_POOL_H
#define FS_HTTP_POOL_H

#include <stddef.h>

struct fs_ctx;
struct fs_error;
struct fs_pool;

struct fs_pool_slot {
	struct fs_ctx *ctx;
	void *auth_cache;      /* h_auth.c's, owned by the slot */
	int busy;              /* lent to a request (or being opened for one) */
	unsigned long given;   /* when it was last given back: the warmest is lent first */
};

/* db and key are kept by pointer (they outlive the pool). NULL when out of memory. */
struct fs_pool *fs_pool_new(const char *db_path, const char *key_path, int open_flags, size_t cap);
/* A free context (opened on first need), or NULL with err when the database cannot
 * be opened. Blocks while cap contexts are busy. The slot's auth cache is made the
 * calling thread's (fs_http_auth_cache_use) until fs_pool_give. */
struct fs_pool_slot *fs_pool_take(struct fs_pool *p, struct fs_error *err);
/* Gives back a slot from fs_pool_take (NULL: nothing). */
void fs_pool_give(struct fs_pool *p, struct fs_pool_slot *s);
/* How many contexts are open (for tests and /metrics). */
size_t fs_pool_open_count(struct fs_pool *p);
/* Closes every context; none may be taken. Accepts NULL. */
void fs_pool_free(struct fs_pool *p);

#endif
