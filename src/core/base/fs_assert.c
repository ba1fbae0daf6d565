/* fs_assert.c - an invariant broken (fs_assert.h): say which, where, and stop. */
#include "fs_assert.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Noreturn void fs_assert_fail(const char *cond, const char *file, int line)
{
	/* write(2) and no stdio: nothing allocated, nothing buffered; the text is the
	 * source's own (the condition and its place), never data */
	char num[16];
	int n = 0;
	char digits[16];
	unsigned u = line > 0 ? (unsigned)line : 0;
	do
		digits[n++] = (char)('0' + u % 10);
	while ((u /= 10) && n < (int)sizeof(digits));
	for (int i = 0; i < n; i++)
		num[i] = digits[n - 1 - i];
	const char *parts[] = {"fairshare: invariant broken at ", file, ":", NULL, ": ", cond, "\n"};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *p = parts[i] ? parts[i] : num;
		size_t len = parts[i] ? strlen(p) : (size_t)n;
		if (write(2, p, len) < 0)
			break;
	}
	abort();
}
