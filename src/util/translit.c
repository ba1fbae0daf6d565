/* translit.c - the cross-script name key (see translit.h). */
#include "translit.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Russian Cyrillic (after the fold: lower case, Kazakh letters at their Russian
 * base, ё→е, й→и) to Latin, U+0430..U+044F. */
static const char *const cyr[32] = {"a", "b", "v", "g", "d", "e", "j", "z", "i", "i", "k", "l", "m", "n", "o", "p",
				    "r", "s", "t", "u", "f", "h", "c", "c", "s", "s", "", "i", "", "e", "u", "a"};

/* spelling variants, longest first: pattern -> replacement */
static const char *const variants[][2] = {
	{"shch", "s"}, {"zh", "j"}, {"dzh", "j"}, {"dj", "j"}, {"sh", "s"}, {"ch", "c"}, {"kh", "h"}, {"ts", "c"},
	{"gh", "g"}, {"yu", "u"}, {"ya", "a"}, {"yo", "o"}, {"ye", "e"}, {"iy", "i"}, {"ii", "i"}, {"y", "i"},
	{"w", "v"}, {"q", "k"}, {"x", "h"}, {"tch", "c"},
};

static int cmp_words(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int fs_name_key(const char *name, size_t n, struct fs_buf *out)
{
	struct fs_buf fold, lat;
	fs_buf_init(&fold, 4096);
	fs_buf_init(&lat, 4096);
	int rc = fs_utf8_fold(name, n, &fold);
	/* to Latin: Cyrillic letters transliterated, anything else non-ASCII dropped */
	for (size_t i = 0; !rc && i < fold.len;) {
		uint32_t cp;
		size_t used = fs_utf8_decode(fold.data + i, fold.len - i, &cp);
		i += used ? used : 1;
		if (cp >= 0x430 && cp <= 0x44F)
			rc = fs_buf_adds(&lat, cyr[cp - 0x430]);
		else if ((cp >= 'a' && cp <= 'z') || cp == ' ')
			rc = fs_buf_addc(&lat, (char)cp);
		else if (cp == '-' || cp == '\'')
			rc = fs_buf_addc(&lat, ' ');
	}
	/* spelling variants, then doubled letters */
	struct fs_buf norm;
	fs_buf_init(&norm, 4096);
	for (size_t i = 0; !rc && i < lat.len;) {
		int hit = 0;
		for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]) && !hit; v++) {
			size_t pl = strlen(variants[v][0]);
			if (i + pl <= lat.len && !memcmp(lat.data + i, variants[v][0], pl)) {
				rc = fs_buf_adds(&norm, variants[v][1]);
				i += pl;
				hit = 1;
			}
		}
		if (!hit) {
			char c = lat.data[i++];
			if (!(norm.len && norm.data[norm.len - 1] == c && c != ' '))
				rc = fs_buf_addc(&norm, c);
		}
	}
	/* words sorted */
	char *words[32];
	size_t nw = 0;
	for (char *save = NULL, *w = norm.data ? strtok_r(norm.data, " ", &save) : NULL; w && nw < 32; w = strtok_r(NULL, " ", &save))
		words[nw++] = w;
	qsort(words, nw, sizeof(words[0]), cmp_words);
	for (size_t i = 0; !rc && i < nw; i++)
		rc = fs_buf_cat(out, i ? " " : "", words[i], NULL);
	fs_buf_done(&fold);
	fs_buf_done(&lat);
	fs_buf_done(&norm);
	return rc;
}
