/* private.h - files and folders only their owner can read, whatever the umask;
 * temporary files that a later process can tell apart from those in use.
 *
 * Every file fairshare creates is mode 0600 (evidence and backup copies 0400)
 * and every folder 0700. A temporary file is held under an exclusive flock(2)
 * for as long as its writer lives: a temporary whose lock can be taken belongs
 * to a process that died, and may be removed. */
#ifndef FS_PRIVATE_H
#define FS_PRIVATE_H

#include <stdio.h>

/* open(2) path for writing, mode 0600 (fchmod'ed, so an existing file is made
 * private too). excl: fail with EEXIST when it exists; else it is truncated.
 * Returns the descriptor or -1 with errno. */
int fs_private_create(const char *path, int excl);
/* The same as a stdio stream ("wb"); NULL with errno. */
FILE *fs_private_fopen(const char *path);
/* mkdir(2) mode 0700; 0 when created or present as a folder, -1 with errno. */
int fs_private_mkdir(const char *path);
/* mode & 077 of a path's permissions when group or others may use it, 0 when
 * private or absent (lstat: a symbolic link's own bits are not looked at). */
unsigned fs_private_leak(const char *path);

/* A new temporary dir/PREFIXxxxxxx (mode 0600), locked. path gets its name
 * (cap bytes). Returns the descriptor or -1 with errno. Close it only after
 * the file was renamed or removed: closing releases the lock. */
int fs_tmp_create(const char *dir, const char *prefix, char *path, size_t cap);
/* Is dir/name a temporary (one of prefixes) of a process that is gone?
 * remove: unlink it then. 1 stale (removed), 0 in use or not one, -1 error. */
int fs_tmp_stale(const char *dir, const char *name, const char *const *prefixes, int remove);

/* fsync a folder (after a rename into it); errors ignored. */
void fs_fsync_dir(const char *dir);

#endif
