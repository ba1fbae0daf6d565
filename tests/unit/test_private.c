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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
