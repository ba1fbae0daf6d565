/* fs_assert.h - assertions of invariants, kept on in every build (as TigerBeetle
 * keeps them in production).
 *
 * FS_ASSERT(cond) states what must hold whatever the input: a record's columns
 * within its arrays, a balance equal to the sum of its transfers, a seal of the
 * length its contents imply. Bad input is an error returned (FS_EINVAL ...), never
 * an assertion; an assertion that fails means the program itself is wrong, and
 * going on could store a wrong balance or an unreadable seal, so the process
 * stops at once (fs_assert_fail: one line on the standard error, then abort), the
 * only place where the core stops a process. NDEBUG does not turn it off. */
#ifndef FS_ASSERT_H
#define FS_ASSERT_H

_Noreturn void fs_assert_fail(const char *cond, const char *file, int line);

#define FS_ASSERT(cond) ((cond) ? (void)0 : fs_assert_fail(#cond, __FILE__, __LINE__))

#endif
