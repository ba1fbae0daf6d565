/* slow.h - the handler pool: requests that may take long (writes, imports,
 * exports, reports; every route not marked FS_ROUTE_FAST) leave the I/O thread
 * that read them. The connection is suspended (MHD_suspend_connection), a pool
 * thread answers it, and the connection is resumed for its I/O thread to send
 * the answer; meanwhile that I/O thread serves its other connections. Jobs are
 * taken in the order they came. */
#ifndef FS_HTTP_SLOW_H
#define FS_HTTP_SLOW_H

#include <microhttpd.h>

struct fs_slow;

/* run(job, ud) answers one job on a pool thread; it is given the connection
 * suspended and must not resume it (the pool does, after run returns). */
typedef void fs_slow_fn(struct MHD_Connection *c, void *job, void *ud);

/* NULL when the threads cannot start. */
struct fs_slow *fs_slow_new(unsigned threads, fs_slow_fn *run, void *ud);
/* Suspends c and queues the job: 0. -1 when the pool is draining (nothing done:
 * answer inline). */
int fs_slow_submit(struct fs_slow *w, struct MHD_Connection *c, void *job);
/* No job taken any more; returns once every queued and running job is answered
 * and its connection resumed (call before MHD_stop_daemon: it must find no
 * connection suspended). */
void fs_slow_drain(struct fs_slow *w);
/* Stops and joins the threads (after fs_slow_drain). Accepts NULL. */
void fs_slow_free(struct fs_slow *w);

#endif
