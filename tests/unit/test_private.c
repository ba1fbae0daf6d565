/* test_private.c - private files whatever the umask, and locked temporaries
 * told apart from those of a process that is gone (src/util/private.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/private.h"
#include "fixture.h"

static char dir[64];

static int setup(void **state)
{
	return fx_tmpdir(dir, "private");
}

static int teardown(void **state)
{
	return fx_rmtree(dir);
}

static unsigned mode_of(const char *path)
{
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	return (unsigned)(sb.st_mode & 07777);
}

static void test_create_whatever_the_umask(void **state)
{
	char path[128];
	mode_t old = umask(0);
	snprintf(path, sizeof(path), "%s/new", dir);
	int fd = fs_private_create(path, 1);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(fs_private_create(path, 1), -1); /* excl */
	assert_int_equal(errno, EEXIST);
	chmod(path, 0644);
	assert_int_equal(fs_private_leak(path), 044);
	fd = fs_private_create(path, 0); /* an existing file is made private */
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(fs_private_leak(path), 0);
	snprintf(path, sizeof(path), "%s/stream", dir);
	FILE *f = fs_private_fopen(path);
	assert_non_null(f);
	fclose(f);
	assert_int_equal(mode_of(path), 0600);
	snprintf(path, sizeof(path), "%s/folder", dir);
	assert_int_equal(fs_private_mkdir(path), 0);
	assert_int_equal(mode_of(path), 0700);
	assert_int_equal(fs_private_mkdir(path), 0); /* there already */
	snprintf(path, sizeof(path), "%s/new", dir);
	assert_int_equal(fs_private_mkdir(path), -1); /* a file, not a folder */
	assert_int_equal(errno, ENOTDIR);
	umask(old);
}

/* A pipe or a device named as the output is written, its mode left as it is
 * (`--rejects /dev/null` as root once made /dev/null 0600 for everyone). */
static void test_not_a_regular_file(void **state)
{
	(void)state;
	char fifo[96];
	snprintf(fifo, sizeof(fifo), "%s/out.fifo", dir);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	assert_int_equal(chmod(fifo, 0644), 0);
	int rd = open(fifo, O_RDONLY | O_NONBLOCK); /* a reader, so that the open for writing does not wait */
	assert_true(rd >= 0);
	int fd = fs_private_create(fifo, 0);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x", 1), 1);
	char c = 0;
	assert_int_equal(read(rd, &c, 1), 1);
	assert_int_equal(c, 'x');
	struct stat sb;
	assert_int_equal(stat(fifo, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0644);
	close(fd);
	close(rd);
	/* a regular file that exists is made private */
	char file[96];
	snprintf(file, sizeof(file), "%s/out.csv", dir);
	int pre = open(file, O_WRONLY | O_CREAT, 0644);
	assert_true(pre >= 0);
	assert_int_equal(fchmod(pre, 0644), 0);
	close(pre);
	fd = fs_private_create(file, 0);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(stat(file, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
}

static void test_temporaries(void **state)
{
	static const char *const prefixes[] = {".add-", NULL};
	char path[128];
	mode_t old = umask(0);
	int fd = fs_tmp_create(dir, ".add-", path, sizeof(path));
	umask(old);
	assert_true(fd >= 0);
	assert_int_equal(mode_of(path), 0600);
	const char *name = strrchr(path, '/') + 1;
	/* in use (its lock is held, here by another open of this very process) */
	assert_int_equal(fs_tmp_stale(dir, name, prefixes, 1), 0);
	assert_int_equal(access(path, F_OK), 0);
	/* a name that is not a temporary is never touched */
	static const char *const other[] = {".snap-", NULL};
	close(fd);
	assert_int_equal(fs_tmp_stale(dir, name, other, 1), 0);
	assert_int_equal(access(path, F_OK), 0);
	/* its writer gone: stale; reported without removing, then removed */
	assert_int_equal(fs_tmp_stale(dir, name, prefixes, 0), 1);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(fs_tmp_stale(dir, name, prefixes, 1), 1);
	assert_int_equal(access(path, F_OK), -1);
	/* too long a name */
	char small[16];
	assert_int_equal(fs_tmp_create(dir, ".add-", small, sizeof(small)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_whatever_the_umask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_temporaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_regular_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
