/* utf8.c - UTF-8 validation, decoding and the name fold. */
#include "utf8.h"

#include <string.h>

size_t fs_utf8_invalid_at(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		/* eight bytes of ASCII at a time, none of them NUL (an import checks every cell) */
		while (n - i >= 8) {
			uint64_t v;
			memcpy(&v, s + i, 8);
			uint64_t zero = (v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL;
			if ((v & 0x8080808080808080ULL) || zero)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		unsigned c = s[i];
		if (c == 0)
			return i + 1;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		uint32_t min;
		uint32_t cp;
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
			min = 0x80;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			min = 0x800;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			min = 0x10000;
			cp = c & 0x07;
		} else {
			return i + 1;
		}
		if (n - i < len)
			return i + 1;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i + k + 1;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i + 1;
		i += len;
	}
	return 0;
}

/* Length of the valid sequence a lead byte starts, 0 when c cannot lead one. */
static size_t lead_length(unsigned c)
{
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF)
		return 3;
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	return 0;
}

char *fs_utf8_repair(char *s)
{
	size_t n = strlen(s);
	/* drop a sequence truncated at the very end */
	size_t back = n;
	while (back > 0 && n - back < 3 && ((unsigned char)s[back - 1] & 0xC0) == 0x80)
		back--;
	if (back > 0) {
		size_t want = lead_length((unsigned char)s[back - 1]);
		if (want > n - (back - 1)) {
			n = back - 1;
			s[n] = 0;
		}
	}
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len = lead_length(c);
		if (len && len <= n - i && fs_utf8_invalid_at(s + i, len) == 0) {
			i += len;
			continue;
		}
		s[i++] = '?';
	}
	return s;
}

uint32_t fs_utf8_bidi_control(const char *s, size_t n)
{
	for (size_t i = 0; i + 2 < n; i++) {
		/* U+202A..U+202E are E2 80 AA..AE; U+2066..U+2069 are E2 81 A6..A9 */
		if ((unsigned char)s[i] != 0xE2)
			continue;
		unsigned char b1 = (unsigned char)s[i + 1], b2 = (unsigned char)s[i + 2];
		if (b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE)
			return 0x202Au + (b2 - 0xAAu);
		if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)
			return 0x2066u + (b2 - 0xA6u);
	}
	return 0;
}

size_t fs_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	if (n == 0) {
		*cp = 0;
		return 0;
	}
	unsigned c = s[0];
	if (c < 0x80 || n < 2) {
		*cp = c;
		return 1;
	}
	if (c < 0xE0) {
		*cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (c < 0xF0 || n < 4) {
		if (n < 3) {
			*cp = c;
			return 1;
		}
		*cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return 3;
	}
	*cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
	      ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
	return 4;
}

size_t fs_utf8_length(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

/* Base letters for U+00C0..U+017F, lower case, "" = drop, NULL = keep as is. */
static const char *const latin1[0x180 - 0xC0] = {
	/* C0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	/* D0 */ "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
	/* E0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	/* F0 */ "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
	/* 100 */ "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
	/* 110 */ "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
	/* 120 */ "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
	/* 130 */ "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
	/* 140 */ "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
	/* 150 */ "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
	/* 160 */ "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
	/* 170 */ "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};

static void put_cp(struct fs_buf *out, uint32_t cp, int *rc)
{
	char tmp[4];
	size_t n;
	if (cp < 0x80) {
		tmp[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		tmp[0] = (char)(0xC0 | (cp >> 6));
		tmp[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		tmp[0] = (char)(0xE0 | (cp >> 12));
		tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		tmp[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		tmp[0] = (char)(0xF0 | (cp >> 18));
		tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		tmp[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	if (!*rc)
		*rc = fs_buf_add(out, tmp, n);
}

/* Cyrillic: lower-case, then map Kazakh/other letters to the Russian base. */
static uint32_t fold_cyrillic(uint32_t cp)
{
	if (cp >= 0x0410 && cp <= 0x042F)
		cp += 0x20;
	else if (cp >= 0x0400 && cp <= 0x040F)
		cp += 0x50;
	else if (((cp >= 0x0460 && cp <= 0x0481) || (cp >= 0x048A && cp <= 0x04BF) ||
		  (cp >= 0x04D0 && cp <= 0x04FF)) && (cp & 1) == 0)
		cp += 1; /* paired upper/lower: upper even */
	else if (cp >= 0x04C1 && cp <= 0x04CE && (cp & 1) == 1)
		cp += 1; /* paired upper/lower: upper odd */
	switch (cp) {
	case 0x0451: return 0x0435; /* ё → е */
	case 0x0439: return 0x0438; /* й → и */
	case 0x0456: return 0x0438; /* і → и */
	case 0x0457: return 0x0438; /* ї → и */
	case 0x04D9: return 0x0430; /* ә → а */
	case 0x0493: return 0x0433; /* ғ → г */
	case 0x049B: return 0x043A; /* қ → к */
	case 0x04A3: return 0x043D; /* ң → н */
	case 0x04E9: return 0x043E; /* ө → о */
	case 0x04B1: return 0x0443; /* ұ → у */
	case 0x04AF: return 0x0443; /* ү → у */
	case 0x04BB: return 0x0445; /* һ → х */
	case 0x045E: return 0x0443; /* ў → у */
	case 0x0454: return 0x0435; /* є → е */
	default: return cp;
	}
}

int fs_utf8_fold(const char *s, size_t n, struct fs_buf *out)
{
	int rc = 0;
	int pending_space = 0;
	size_t start_len = out->len;
	size_t i = 0;
	while (i < n && !rc) {
		uint32_t cp;
		size_t used = fs_utf8_decode(s + i, n - i, &cp);
		if (used == 0)
			break;
		i += used;
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 ||
		    cp == 0x2009 || cp == 0x202F) {
			pending_space = out->len > start_len;
			continue;
		}
		if (cp >= 0x0300 && cp <= 0x036F)
			continue; /* combining diacritics */
		if (pending_space) {
			rc = fs_buf_addc(out, ' ');
			pending_space = 0;
		}
		if (cp < 0x80) {
			char c = (char)cp;
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			rc = rc ? rc : fs_buf_addc(out, c);
		} else if (cp >= 0xC0 && cp < 0x180 && latin1[cp - 0xC0]) {
			rc = rc ? rc : fs_buf_adds(out, latin1[cp - 0xC0]);
		} else if (cp >= 0x0218 && cp <= 0x021B) { /* Ș ș Ț ț */
			rc = rc ? rc : fs_buf_addc(out, cp < 0x021A ? 's' : 't');
		} else if (cp >= 0x0400 && cp <= 0x04FF) {
			put_cp(out, fold_cyrillic(cp), &rc);
		} else if (cp >= 0x0391 && cp <= 0x03A9) {
			put_cp(out, cp + 0x20, &rc); /* Greek capitals */
		} else {
			put_cp(out, cp, &rc);
		}
	}
	return rc;
}
