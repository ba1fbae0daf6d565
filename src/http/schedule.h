/* schedule.h - the server's scheduled checkpoints (schedule.c). */
#ifndef FS_HTTP_SCHEDULE_H
#define FS_HTTP_SCHEDULE_H

struct fs_sched;
/* Every every_s seconds a checkpoint of each organization's log that grew; NULL
 * when every_s is 0 (none) or the thread cannot start. */
struct fs_sched *fs_sched_start(const char *db_path, const char *key_path, const char *signing_key, unsigned every_s);
/* Wakes the thread, waits for it; NULL is fine. */
void fs_sched_stop(struct fs_sched *s);

#endif
