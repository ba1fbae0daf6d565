/* textin.c - reading UTF-8, UTF-16 and 8-bit code pages as UTF-8 (iconv). */
#include "textin.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define INBUF 16384

struct fs_textin {
	FILE *f;
	iconv_t cd;     /* (iconv_t)-1 when raw */
	char in[INBUF];
	size_t in_len, in_pos;
	long long offset; /* input bytes consumed before in[0] */
	int eof, failed;
	char name[32];
	char errmsg[200];
};

static int fill(struct fs_textin *t)
{
	if (t->in_pos > 0) {
		memmove(t->in, t->in + t->in_pos, t->in_len - t->in_pos);
		t->offset += (long long)t->in_pos;
		t->in_len -= t->in_pos;
		t->in_pos = 0;
	}
	if (t->eof || t->in_len == INBUF)
		return 0;
	size_t got = fread(t->in + t->in_len, 1, INBUF - t->in_len, t->f);
	if (got == 0) {
		if (ferror(t->f))
			return -1;
		t->eof = 1;
	}
	t->in_len += got;
	return 0;
}

const char *fs_textin_canonical(const char *name, char *buf, size_t bufsz)
{
	if (!name || !*name || strlen(name) >= bufsz || strlen(name) > 30)
		return NULL;
	for (size_t i = 0;; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c && !isalnum(c) && c != '-' && c != '_' && c != '.')
			return NULL; /* no "//TRANSLIT" or other iconv suffixes */
		buf[i] = (char)toupper(c);
		if (!c)
			break;
	}
	if (!strcmp(buf, "UTF8"))
		snprintf(buf, bufsz, "UTF-8");
	iconv_t cd = iconv_open("UTF-8", buf);
	if (cd == (iconv_t)-1)
		return NULL;
	iconv_close(cd);
	return buf;
}

int fs_textin_open(FILE *f, const char *encoding, struct fs_textin **ret, struct fs_error *err)
{
	*ret = NULL;
	struct fs_textin *t = calloc(1, sizeof(*t));
	if (!t)
		return FS_ENOMEM;
	t->f = f;
	t->cd = (iconv_t)-1;
	char want[32] = "";
	if (encoding && *encoding && strcmp(encoding, "auto") != 0 &&
	    !fs_textin_canonical(encoding, want, sizeof(want))) {
		free(t);
		return fs_fail(err, FS_EINVAL, "encoding",
			       "unknown encoding '%.40s'; use e.g. utf-8, utf-16, windows-1254, windows-1251, iso-8859-9, "
			       "koi8-r or cp866", encoding);
	}
	if (fill(t)) {
		free(t);
		return fs_fail(err, FS_EIO, NULL, "read error");
	}
	while (t->in_len < 4 && !t->eof && !fill(t))
		;
	const unsigned char *b = (const unsigned char *)t->in;
	const char *bom = NULL;
	if (t->in_len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		bom = "UTF-8";
		t->in_pos = 3;
	} else if (t->in_len >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
		bom = "UTF-16LE";
		t->in_pos = 2;
	} else if (t->in_len >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
		bom = "UTF-16BE";
		t->in_pos = 2;
	}
	if (bom && *want) {
		/* "utf-16" names the family the mark chooses from; anything else must agree */
		int agrees = !strcmp(want, bom) || (!strcmp(want, "UTF-16") && !strncmp(bom, "UTF-16", 6));
		if (!agrees) {
			free(t);
			return fs_fail(err, FS_EINVAL, "encoding",
				       "the file starts with a %s byte-order mark, but the encoding given is %s; "
				       "leave the encoding out", bom, want);
		}
	}
	const char *use = bom ? bom : *want ? want : "UTF-8";
	if (!strcmp(use, "UTF-16") && !bom)
		use = "UTF-16LE"; /* no mark: Windows' "Unicode text" is little-endian */
	snprintf(t->name, sizeof(t->name), "%s", use);
	if (strcmp(use, "UTF-8") != 0) {
		t->cd = iconv_open("UTF-8", use);
		if (t->cd == (iconv_t)-1) {
			free(t);
			return fs_fail(err, FS_EINVAL, "encoding", "cannot read %s text here", use);
		}
	}
	*ret = t;
	return 0;
}

void fs_textin_free(struct fs_textin *t)
{
	if (!t)
		return;
	if (t->cd != (iconv_t)-1)
		iconv_close(t->cd);
	free(t);
}

const char *fs_textin_encoding(const struct fs_textin *t)
{
	return t->name;
}

int fs_textin_is_raw(const struct fs_textin *t)
{
	return t->cd == (iconv_t)-1 && !strcmp(t->name, "UTF-8");
}

const char *fs_textin_error(const struct fs_textin *t)
{
	return t->errmsg[0] ? t->errmsg : "read error";
}

long fs_textin_read(void *ud, char *buf, size_t n)
{
	struct fs_textin *t = ud;
	if (t->failed)
		return -1;
	for (;;) {
		if (t->in_pos == t->in_len || (t->cd != (iconv_t)-1 && t->in_len - t->in_pos < 8 && !t->eof)) {
			if (fill(t)) {
				t->failed = 1;
				snprintf(t->errmsg, sizeof(t->errmsg), "read error");
				return -1;
			}
			if (t->in_pos == t->in_len)
				return 0;
		}
		if (t->cd == (iconv_t)-1) {
			size_t k = t->in_len - t->in_pos;
			if (k > n)
				k = n;
			memcpy(buf, t->in + t->in_pos, k);
			t->in_pos += k;
			return (long)k;
		}
		char *ip = t->in + t->in_pos, *op = buf;
		size_t il = t->in_len - t->in_pos, ol = n;
		size_t r = iconv(t->cd, &ip, &il, &op, &ol);
		int e = errno;
		t->in_pos = (size_t)(ip - t->in);
		long produced = (long)(n - ol);
		if (r != (size_t)-1 || e == E2BIG) {
			if (produced > 0)
				return produced;
			continue;
		}
		if (e == EINVAL && !t->eof) { /* a character cut by the buffer: read on */
			if (produced > 0)
				return produced;
			if (t->in_pos > 0 || t->in_len < INBUF)
				continue;
		}
		if (produced > 0)
			return produced; /* the error again on the next call */
		t->failed = 1;
		long long at = t->offset + (long long)t->in_pos + 1;
		if (e == EINVAL)
			snprintf(t->errmsg, sizeof(t->errmsg), "the file ends inside a character (byte %lld); it is not %s text", at, t->name);
		else
			snprintf(t->errmsg, sizeof(t->errmsg), "byte %lld (0x%02X) is not %s text; name the file's encoding with --encoding",
				 at, (unsigned char)t->in[t->in_pos], t->name);
		return -1;
	}
}

/* ---- which encodings would read a byte string as plausible text ---- */

static int is_latin_ok(uint32_t cp)
{
	static const uint32_t ok[] = {0xC7, 0xE7, 0x11E, 0x11F, 0x130, 0x131, 0xD6, 0xF6, 0x15E, 0x15F,
				      0xDC, 0xFC, 0xC2, 0xE2, 0xCE, 0xEE, 0xDB, 0xFB, 0xE4, 0xE9};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (ok[i] == cp)
			return 1;
	return 0;
}

static int latin_upper(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z';
	if (cp < 0x100)
		return cp < 0xDF;
	return cp == 0x130 || (cp & 1) == 0;
}

/* Counts words and implausible things in UTF-8 text: a word mixing Latin and
 * Cyrillic, a word whose case runs lower-to-upper, a rare accented letter, a
 * control or symbol character that no name, date or amount holds. */
static void judge(const char *s, size_t n, long *words, long *bad)
{
	int script = 0, letters = 0, uppers = 0, first_upper = 0, lower_then_upper = 0;
	*words = *bad = 0;
	for (size_t i = 0; i <= n;) {
		uint32_t cp = 0;
		size_t used = i < n ? fs_utf8_decode(s + i, n - i, &cp) : 1;
		int sc = 0, up = 0;
		if (i < n && cp < 0x80 && isalpha((int)cp)) {
			sc = 1;
			up = latin_upper(cp);
		} else if (i < n && cp >= 0xC0 && cp < 0x250 && cp != 0xD7 && cp != 0xF7) {
			sc = 1;
			up = latin_upper(cp);
			if (!is_latin_ok(cp))
				++*bad;
		} else if (i < n && cp >= 0x400 && cp < 0x500) {
			sc = 2;
			up = cp < 0x430 || (cp >= 0x460 && (cp & 1) == 0);
		} else if (i < n && cp >= 0x80 && cp != 0xA0 && cp != 0xAB && cp != 0xBB && cp != 0xB0 &&
			   cp != 0x2013 && cp != 0x2014 && cp != 0x2019 && cp != 0x201C && cp != 0x201D &&
			   cp != 0x2116 && cp != 0x2026) {
			++*bad;
		} else if (i < n && cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') {
			++*bad;
		}
		if (sc) {
			if (letters && script != sc)
				script = 3;
			else if (!letters)
				script = sc;
			if (letters == 0)
				first_upper = up;
			else if (up && letters > uppers)
				lower_then_upper = 1;
			letters++;
			uppers += up;
		} else if (letters) {
			++*words;
			int cased = uppers == 0 || uppers == letters || (first_upper && uppers == 1);
			if (script == 3 || !cased || lower_then_upper)
				++*bad;
			letters = uppers = lower_then_upper = 0;
		}
		i += used ? used : 1;
	}
}

int fs_textin_suggest(const char *s, size_t n, char *out, size_t outsz)
{
	static const char *const candidates[] = {"windows-1254", "iso-8859-9", "windows-1251", "koi8-r", "cp866"};
	int found = 0;
	if (outsz)
		out[0] = '\0';
	if (n == 0)
		return 0;
	size_t cap = n * 4 + 4;
	char *conv = malloc(cap);
	if (!conv)
		return 0;
	for (size_t k = 0; k < sizeof(candidates) / sizeof(candidates[0]); k++) {
		iconv_t cd = iconv_open("UTF-8", candidates[k]);
		if (cd == (iconv_t)-1)
			continue;
		char *ip = (char *)s, *op = conv;
		size_t il = n, ol = cap;
		size_t r = iconv(cd, &ip, &il, &op, &ol);
		iconv_close(cd);
		if (r == (size_t)-1)
			continue;
		long words, bad;
		judge(conv, cap - ol, &words, &bad);
		if (words == 0 || bad * 10 > words)
			continue;
		size_t used = strlen(out);
		snprintf(out + used, outsz - used, "%s%s", found ? ", " : "", candidates[k]);
		found++;
	}
	free(conv);
	return found;
}
