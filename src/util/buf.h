/* buf.h - a growable byte buffer with a hard upper bound (after curl's dynbuf).
 *
 * data is always NUL-terminated when non-NULL; len excludes the NUL. Appending past
 * max returns FS_ELIMIT and leaves the buffer as it was. */
#ifndef FS_BUF_H
#define FS_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct fs_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

void fs_buf_init(struct fs_buf *b, size_t max);
void fs_buf_done(struct fs_buf *b);
void fs_buf_reset(struct fs_buf *b);
int fs_buf_add(struct fs_buf *b, const void *p, size_t n);
int fs_buf_addc(struct fs_buf *b, char c);
int fs_buf_adds(struct fs_buf *b, const char *s);
int fs_buf_addf(struct fs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same with a va_list (ap is left as vsnprintf leaves it: va_end it after). */
int fs_buf_vaddf(struct fs_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Append NUL-terminated strings up to a NULL: fast path for building text. */
int fs_buf_cat(struct fs_buf *b, ...);
/* Append a decimal integer. */
int fs_buf_addi(struct fs_buf *b, long long v);
/* v in decimal, written backwards from the end of tmp (no NUL): its first character
 * is tmp + FS_DIGITS_MAX - the length returned */
#define FS_DIGITS_MAX 24
size_t fs_digits(long long v, char tmp[FS_DIGITS_MAX]);
/* Append a whole file (up to the buffer's limit): 0, FS_EIO when it cannot be
 * opened or read, FS_ELIMIT when it is too large. */
int fs_buf_load(struct fs_buf *b, const char *path);
/* Room for one more element in a growable array (capacity doubles, first
 * allocation first elements): arrp points at the array pointer. 0, or FS_ENOMEM
 * with the array and *cap unchanged. Use: fs_grow(&v, &cap, n, sizeof(*v), 64). */
int fs_grow(void *arrp, size_t *cap, size_t n, size_t elem, size_t first);
/* Hand the storage to the caller (NUL-terminated, never NULL on success). */
char *fs_buf_take(struct fs_buf *b);

#endif
