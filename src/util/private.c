/* private.c - private files and folders, locked temporaries (see private.h). */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int fs_private_create(const char *path, int excl)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (excl ? O_EXCL : O_TRUNC), 0600);
	if (fd < 0)
		return -1;
	/* an existing file keeps its mode through open(2): made private here; not
	 * a device or a pipe named as the output (--rejects /dev/null as root must
	 * not take /dev/null from everyone else) */
	struct stat sb;
	if (fstat(fd, &sb) == 0 && !S_ISREG(sb.st_mode))
		return fd;
	if (fchmod(fd, 0600)) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

FILE *fs_private_fopen(const char *path)
{
	int fd = fs_private_create(path, 0);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

int fs_private_mkdir(const char *path)
{
	if (mkdir(path, 0700) == 0)
		return 0;
	struct stat sb;
	if (errno == EEXIST && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return 0;
	if (errno == EEXIST)
		errno = ENOTDIR;
	return -1;
}

unsigned fs_private_leak(const char *path)
{
	struct stat sb;
	if (lstat(path, &sb) || S_ISLNK(sb.st_mode))
		return 0;
	return (unsigned)(sb.st_mode & 077);
}

int fs_tmp_create(const char *dir, const char *prefix, char *path, size_t cap)
{
	for (int tries = 0; tries < 8; tries++) {
		if ((size_t)snprintf(path, cap, "%s/%sXXXXXX", dir, prefix) >= cap) {
			errno = ENAMETOOLONG;
			return -1;
		}
		int fd = mkostemp(path, O_CLOEXEC);
		if (fd < 0)
			return -1;
		struct stat sb;
		if (flock(fd, LOCK_EX) == 0 && fstat(fd, &sb) == 0 && sb.st_nlink > 0 && fchmod(fd, 0600) == 0)
			return fd;
		/* a sweeper took it between mkostemp and flock: make another */
		close(fd);
	}
	errno = EAGAIN;
	return -1;
}

int fs_tmp_stale(const char *dir, const char *name, const char *const *prefixes, int remove)
{
	int match = 0;
	for (size_t i = 0; prefixes[i] && !match; i++)
		match = strncmp(name, prefixes[i], strlen(prefixes[i])) == 0;
	if (!match)
		return 0;
	size_t need = strlen(dir) + strlen(name) + 2;
	char *path = malloc(need);
	if (!path)
		return -1;
	snprintf(path, need, "%s/%s", dir, name);
	int rc = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat a, b;
	if (fd >= 0 && fstat(fd, &a) == 0 && S_ISREG(a.st_mode) && flock(fd, LOCK_EX | LOCK_NB) == 0) {
		/* still the same file under that name (not renamed away and replaced) */
		if (lstat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			rc = remove ? (unlink(path) == 0 ? 1 : -1) : 1;
	}
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

void fs_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}
