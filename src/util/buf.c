/* buf.c - growable byte buffer with a hard limit. */
#include "buf.h"
#include "error.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fs_buf_init(struct fs_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void fs_buf_done(struct fs_buf *b)
{
	free(b->data);
	fs_buf_init(b, b->max);
}

void fs_buf_reset(struct fs_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int grow(struct fs_buf *b, size_t need)
{
	if (need > b->max)
		return FS_ELIMIT;
	if (need + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need + 1)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return FS_ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int fs_buf_add(struct fs_buf *b, const void *p, size_t n)
{
	if (n > b->max - b->len)
		return FS_ELIMIT;
	int rc = grow(b, b->len + n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int fs_buf_addc(struct fs_buf *b, char c)
{
	if (b->len + 1 < b->cap) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return 0;
	}
	return fs_buf_add(b, &c, 1);
}

int fs_buf_adds(struct fs_buf *b, const char *s)
{
	return fs_buf_add(b, s, strlen(s));
}

int fs_buf_vaddf(struct fs_buf *b, const char *fmt, va_list ap)
{
	char tmp[256];
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	int rc;
	if (n < 0) {
		rc = FS_EINVAL;
	} else if ((size_t)n < sizeof(tmp)) {
		rc = fs_buf_add(b, tmp, (size_t)n);
	} else {
		char *big = malloc((size_t)n + 1);
		rc = big ? 0 : FS_ENOMEM;
		if (big) {
			vsnprintf(big, (size_t)n + 1, fmt, again);
			rc = fs_buf_add(b, big, (size_t)n);
			free(big);
		}
	}
	va_end(again);
	return rc;
}

int fs_buf_addf(struct fs_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = fs_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int fs_buf_cat(struct fs_buf *b, ...)
{
	va_list ap;
	va_start(ap, b);
	int rc = 0;
	const char *s;
	while (!rc && (s = va_arg(ap, const char *)))
		rc = fs_buf_add(b, s, strlen(s));
	va_end(ap);
	return rc;
}

size_t fs_digits(long long v, char tmp[FS_DIGITS_MAX])
{
	size_t n = 0;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		tmp[FS_DIGITS_MAX - 1 - n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[FS_DIGITS_MAX - 1 - n++] = '-';
	return n;
}

int fs_buf_addi(struct fs_buf *b, long long v)
{
	char tmp[FS_DIGITS_MAX];
	size_t n = fs_digits(v, tmp);
	return fs_buf_add(b, tmp + FS_DIGITS_MAX - n, n);
}

int fs_buf_load(struct fs_buf *b, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return FS_EIO;
	char chunk[8192];
	size_t got;
	int rc = 0;
	while (!rc && (got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = fs_buf_add(b, chunk, got);
	if (!rc && ferror(f))
		rc = FS_EIO;
	fclose(f);
	return rc;
}

char *fs_buf_take(struct fs_buf *b)
{
	if (!b->data) {
		if (grow(b, 0))
			return NULL;
		b->data[0] = '\0';
	}
	char *p = b->data;
	fs_buf_init(b, b->max);
	return p;
}

int fs_grow(void *arrp, size_t *cap, size_t n, size_t elem, size_t first)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : first;
	if (ncap <= n || ncap > SIZE_MAX / elem)
		return FS_ENOMEM;
	void *old;
	memcpy(&old, arrp, sizeof(old));
	void *grown = realloc(old, ncap * elem);
	if (!grown)
		return FS_ENOMEM;
	memcpy(arrp, &grown, sizeof(grown));
	*cap = ncap;
	return 0;
}
