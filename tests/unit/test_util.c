/* test_util.c - unit tests of src/util: the name fold, UTF-8, dates, money, CSV, text encodings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "util/csv.h"
#include "util/sort.h"
#include "util/error.h"
#include "util/date.h"
#include "util/money.h"
#include "util/textin.h"
#include "util/translit.h"
#include "util/utf8.h"

static void fold_is(const char *in, const char *want)
{
	struct fs_buf b;
	fs_buf_init(&b, 4096);
	assert_int_equal(fs_utf8_fold(in, strlen(in), &b), 0);
	assert_string_equal(b.data ? b.data : "", want);
	fs_buf_done(&b);
}

static void test_fold_turkish(void **state)
{
	(void)state;
	fold_is("İlder", "ilder");
	fold_is("ILDER", "ilder");
	fold_is("ılder", "ilder");
	fold_is("Şükrü Ağaoğlu", "sukru agaoglu");
	fold_is("ÇİĞDEM ÖZTÜRK", "cigdem ozturk");
	fold_is("  Ali \t  Veli  ", "ali veli");
	fold_is("Ilder\xcc\x87", "ilder"); /* I + combining dot above (NFD) */
}

static void test_fold_cyrillic_kazakh(void **state)
{
	(void)state;
	fold_is("Жанболат", "жанболат");
	fold_is("ЖАНБОЛАТ", "жанболат");
	fold_is("Қасымов", "касымов");
	fold_is("Әбдірахманов", "абдирахманов");
	fold_is("Ковалёв", "ковалев");
	fold_is("ҰЛЫ ҮЙ ҒЫЛЫМ ҢӨҺ", "улы уи гылым нох");
}

static void key_same(const char *a, const char *b)
{
	struct fs_buf x, y;
	fs_buf_init(&x, 4096);
	fs_buf_init(&y, 4096);
	assert_int_equal(fs_name_key(a, strlen(a), &x), 0);
	assert_int_equal(fs_name_key(b, strlen(b), &y), 0);
	if (strcmp(x.data ? x.data : "", y.data ? y.data : ""))
		print_error("%s -> '%s' but %s -> '%s'\n", a, x.data, b, y.data);
	assert_string_equal(x.data ? x.data : "", y.data ? y.data : "");
	fs_buf_done(&x);
	fs_buf_done(&y);
}

static void key_differs(const char *a, const char *b)
{
	struct fs_buf x, y;
	fs_buf_init(&x, 4096);
	fs_buf_init(&y, 4096);
	assert_int_equal(fs_name_key(a, strlen(a), &x), 0);
	assert_int_equal(fs_name_key(b, strlen(b), &y), 0);
	assert_string_not_equal(x.data ? x.data : "", y.data ? y.data : "");
	fs_buf_done(&x);
	fs_buf_done(&y);
}

static void test_name_key(void **state)
{
	(void)state;
	key_same("Жанболат", "Zhanbolat");
	key_same("Zhanbolat", "Janbolat");
	key_same("Жанболат Қасымов", "Kasymov Zhanbolat");
	key_same("Қасымов", "Qasymov");
	key_same("İlder", "Ilder");
	key_same("Şahin", "Шахин");
	key_same("Ковалёв", "Kovalev");
	key_same("Сергей Иванов", "Sergey Ivanov");
	key_same("Нұрлан Жұмабаев", "Nurlan Zhumabayev");
	key_same("Ahmet  Yılmaz", "yilmaz ahmet");
	key_differs("Ahmet Yılmaz", "Mehmet Yılmaz");
	key_differs("Жанболат", "Жандос");
}

static void test_utf8_invalid(void **state)
{
	(void)state;
	assert_int_equal(fs_utf8_invalid_at("İlder", strlen("İlder")), 0);
	assert_int_equal(fs_utf8_invalid_at("abc\xff", 4), 4);
	assert_int_equal(fs_utf8_invalid_at("\xc0\xaf", 2), 1);           /* overlong */
	assert_int_equal(fs_utf8_invalid_at("\xed\xa0\x80", 3), 1);       /* surrogate */
	assert_int_equal(fs_utf8_invalid_at("a\xc4", 2), 2);              /* truncated */
	assert_int_equal(fs_utf8_invalid_at("\xfe\xff", 2), 1);
	assert_int_equal(fs_utf8_invalid_at("Ad\xfd", 3), 3);             /* Windows-1254 ı */
	assert_int_equal(fs_utf8_length("Қасым", strlen("Қасым")), 5);
}

static void repaired(const char *in, const char *want)
{
	char b[64];
	snprintf(b, sizeof(b), "%s", in);
	assert_string_equal(fs_utf8_repair(b), want);
	assert_int_equal(fs_utf8_invalid_at(b, strlen(b)), 0);
}

static void test_utf8_repair(void **state)
{
	(void)state;
	repaired("İlder", "İlder");
	repaired("ab\xd0", "ab");                /* cut after a lead byte */
	repaired("ab\xe2\x82", "ab");            /* cut inside a 3-byte sequence */
	repaired("ab\xf0\x9f\x98", "ab");        /* cut inside a 4-byte sequence */
	repaired("Ad\xfdn", "Ad?n");             /* Windows-1254 ı */
	repaired("\xe2\x82x", "??x");            /* broken in the middle */
	repaired("\xc0\xaf", "??");              /* overlong */
	repaired("\xed\xa0\x80z", "???z");        /* surrogate */
	repaired("\x80\x80\x80\x80", "????");     /* continuation bytes alone */
	/* fs_fail keeps a message cut by its bound valid */
	struct fs_error err = {0};
	char longv[600];
	memset(longv, 'a', sizeof(longv));
	for (size_t i = 1; i + 1 < sizeof(longv); i += 2)
		memcpy(longv + i - 1, "\xc5\x9f", 2); /* ş repeated */
	longv[sizeof(longv) - 1] = 0;
	fs_fail(&err, FS_EINVAL, "f\xc3", "x%s", longv);
	assert_int_equal(fs_utf8_invalid_at(err.message, strlen(err.message)), 0);
	assert_int_equal(fs_utf8_invalid_at(err.field, strlen(err.field)), 0);
	assert_true(strlen(err.message) >= 500);
}

static void test_dates(void **state)
{
	(void)state;
	fs_date d;
	char out[11];
	struct fs_error err = {0};
	assert_int_equal(fs_date_parse("2011-08-31", &d, &err, "x"), 0);
	fs_date_format(d, out);
	assert_string_equal(out, "2011-08-31");
	assert_int_equal(fs_date_parse("31.08.2011", &d, &err, "x"), 0);
	fs_date_format(d, out);
	assert_string_equal(out, "2011-08-31");
	assert_int_equal(fs_date_parse("2024-02-29", &d, &err, "x"), 0);
	assert_int_equal(fs_date_parse("2023-02-29", &d, &err, "x"), FS_EINVAL);
	assert_int_equal(fs_date_parse("1970-13-01", &d, &err, "x"), FS_EINVAL);
	assert_int_equal(fs_date_parse("03/04/2011", &d, &err, "x"), FS_EINVAL);
	assert_non_null(strstr(err.message, "ambiguous"));
	/* year first is never ambiguous: Y/M/D */
	assert_int_equal(fs_date_parse("2011/12/15", &d, &err, "x"), 0);
	fs_date_format(d, out);
	assert_string_equal(out, "2011-12-15");
	assert_int_equal(fs_date_parse("2011/13/15", &d, &err, "x"), FS_EINVAL);
	assert_non_null(strstr(err.message, "not a valid calendar date"));
	assert_int_equal(fs_date_parse("2011/1/15", &d, &err, "x"), FS_EINVAL);
	assert_int_equal(fs_date_parse("2011-8-31", &d, &err, "x"), FS_EINVAL);
	assert_int_equal(fs_date_parse("", &d, &err, "x"), FS_EINVAL);
	assert_int_equal(fs_date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(fs_date_from_ymd(2011, 12, 15) - fs_date_from_ymd(2005, 2, 1), 2508);
	for (fs_date x = fs_date_from_ymd(1900, 1, 1); x < fs_date_from_ymd(2100, 1, 1); x += 37) {
		int y, m, dd;
		fs_date_to_ymd(x, &y, &m, &dd);
		assert_int_equal(fs_date_from_ymd(y, m, dd), x);
	}
}

static void money_is(const char *in, int64_t want)
{
	int64_t v = -1;
	struct fs_error err = {0};
	assert_int_equal(fs_money_parse(in, 2, &v, &err, "wage"), 0);
	assert_int_equal(v, want);
}

static void money_bad(const char *in)
{
	int64_t v = 7;
	struct fs_error err = {0};
	assert_int_equal(fs_money_parse(in, 2, &v, &err, "wage"), FS_EINVAL);
	assert_int_equal(v, 7); /* untouched on error */
	assert_true(err.message[0] != '\0');
}

static void test_money(void **state)
{
	(void)state;
	money_is("1800", 180000);
	money_is("1800.00", 180000);
	money_is("1800.5", 180050);
	money_is("1800,50", 180050);
	money_is("1.800,50", 180050);
	money_is("1,800.50", 180050);
	money_is("1 800,50", 180050);
	money_is("1.234.567,89", 123456789);
	money_is("0.01", 1);
	money_is("-12.34", -1234);
	money_is(" 10", 1000); /* spaces around an amount, leading and trailing alike */
	money_is("10 ", 1000);
	money_is("  1 800,50  ", 180050);
	money_bad("1,800");       /* ambiguous */
	money_bad("1800.123");    /* too many decimals */
	money_bad("18a0");
	money_bad("");
	money_bad("   ");
	money_bad("1 0 ");       /* a space inside is grouping: three digits after it */
	money_bad("1.80.0,00");   /* bad grouping */
	money_bad("99999999999999999999");
	char out[32];
	fs_money_format(180050, 2, out);
	assert_string_equal(out, "1800.50");
	fs_money_format(5, 2, out);
	assert_string_equal(out, "0.05");
	fs_money_format(-1234, 2, out);
	assert_string_equal(out, "-12.34");
	fs_money_format(INT64_MIN, 2, out);
	assert_string_equal(out, "-92233720368547758.08");
}

static int next(struct fs_csv *p, struct fs_error *err)
{
	return fs_csv_next(p, err);
}

static void test_csv_rfc4180(void **state)
{
	(void)state;
	const char *in = "\xef\xbb\xbfname,note\r\n\"Ali, Veli\",\"he said \"\"hi\"\"\"\r\n\"two\nlines\",x\nlast,\n";
	struct fs_csv *p = fs_csv_new_mem(in, strlen(in));
	struct fs_error err = {0};
	assert_int_equal(next(p, &err), 1);
	assert_int_equal(fs_csv_nfields(p), 2);
	assert_string_equal(fs_csv_fields(p)[0].data, "name");
	assert_int_equal(next(p, &err), 1);
	assert_string_equal(fs_csv_fields(p)[0].data, "Ali, Veli");
	assert_string_equal(fs_csv_fields(p)[1].data, "he said \"hi\"");
	assert_int_equal(fs_csv_line(p), 2);
	assert_int_equal(next(p, &err), 1);
	assert_string_equal(fs_csv_fields(p)[0].data, "two\nlines");
	assert_int_equal(fs_csv_line(p), 3);
	assert_int_equal(next(p, &err), 1);
	assert_int_equal(fs_csv_line(p), 5);
	assert_int_equal(fs_csv_nfields(p), 2);
	assert_int_equal(fs_csv_fields(p)[1].len, 0);
	assert_int_equal(next(p, &err), 0);
	fs_csv_free(p);
}

static void csv_error(const char *in, long line, const char *what)
{
	struct fs_csv *p = fs_csv_new_mem(in, strlen(in));
	struct fs_error err = {0};
	int rc;
	while ((rc = fs_csv_next(p, &err)) == 1)
		;
	assert_true(rc < 0);
	assert_int_equal(err.line, line);
	assert_non_null(strstr(err.message, what));
	fs_csv_free(p);
}

static void test_csv_errors(void **state)
{
	(void)state;
	csv_error("a,b\nx\"y,z\n", 2, "quote inside an unquoted field");
	csv_error("a,b\n\"x\"y,z\n", 2, "text after a closing quote");
	csv_error("a,b\n1,2\n\"never closed,z\n", 3, "never closed");
	struct fs_csv *p = fs_csv_new_mem("aaaaaaaaaa,b\n", 13);
	fs_csv_set_limits(p, 5, 10);
	struct fs_error err = {0};
	assert_int_equal(fs_csv_next(p, &err), FS_ELIMIT);
	fs_csv_free(p);
	p = fs_csv_new_mem("a,b,c,d\n", 8);
	fs_csv_set_limits(p, 5, 3);
	assert_int_equal(fs_csv_next(p, &err), FS_ELIMIT);
	fs_csv_free(p);
}

static void test_csv_line_ends(void **state)
{
	(void)state;
	const char *in = "a\rb\r\nc\n\nd";
	struct fs_csv *p = fs_csv_new_mem(in, strlen(in));
	struct fs_error err = {0};
	const char *want[] = {"a", "b", "c", "", "d"};
	for (int i = 0; i < 5; i++) {
		assert_int_equal(fs_csv_next(p, &err), 1);
		assert_string_equal(fs_csv_fields(p)[0].data, want[i]);
	}
	assert_int_equal(fs_csv_next(p, &err), 0);
	fs_csv_free(p);
}


static void test_csv_column_in_errors(void **state)
{
	(void)state;
	/* the column of an error is counted in fields, not bytes */
	struct fs_csv *p = fs_csv_new_mem("a,b,c\nxx,yyyyyyyyyyyy,z\n", 24);
	fs_csv_set_limits(p, 8, 10);
	struct fs_error err = {0};
	assert_int_equal(fs_csv_next(p, &err), 1);
	assert_int_equal(fs_csv_next(p, &err), FS_ELIMIT);
	assert_non_null(strstr(err.message, "line 2, column 2: field longer than the limit of 8 bytes"));
	fs_csv_free(p);
	csv_error("a,b\n1,2,x\"y\n", 2, "line 2, column 3: quote inside an unquoted field");
}

/* a reader handing the parser 1 to 7 bytes at a time: a chunk ends anywhere */
struct dribble {
	const char *data;
	size_t len, pos;
	unsigned seed;
};

static long dribble_read(void *ud, char *buf, size_t n)
{
	struct dribble *d = ud;
	d->seed = d->seed * 1103515245u + 12345u;
	size_t k = 1 + (d->seed >> 16) % 7;
	if (k > n)
		k = n;
	if (k > d->len - d->pos)
		k = d->len - d->pos;
	memcpy(buf, d->data + d->pos, k);
	d->pos += k;
	return (long)k;
}

/* the separator a trace ended with (its last byte) */
static char trace_sep(const char *trace)
{
	return trace[strlen(trace) - 1];
}

/* every record and the error of one reader, written out to compare */
static void csv_trace(struct fs_csv *p, char sep, size_t max_field, size_t max_fields, int bytewise, char *out, size_t cap)
{
	fs_csv_set_separator(p, sep);
	fs_csv_set_limits(p, max_field, max_fields);
	fs_csv_set_bytewise(p, bytewise);
	size_t n = 0;
	struct fs_error err = {0};
	int rc;
	while ((rc = fs_csv_next(p, &err)) == 1 && n + 64 < cap) {
		n += (size_t)snprintf(out + n, cap - n, "[%ld %zu]", fs_csv_line(p), fs_csv_nfields(p));
		for (size_t i = 0; i < fs_csv_nfields(p) && n + 10 < cap; i++) {
			const struct fs_csv_field *f = &fs_csv_fields(p)[i];
			assert_int_equal(f->data[f->len], '\0');
			for (size_t j = 0; j < f->len && n + 8 < cap; j++) /* a control byte (NUL too) as \xNN */
				n += (unsigned char)f->data[j] < 0x20 ? (size_t)snprintf(out + n, cap - n, "\\x%02x", f->data[j])
								       : (size_t)snprintf(out + n, cap - n, "%c", f->data[j]);
			out[n++] = '|';
		}
	}
	snprintf(out + n, cap - n, "=%d %ld %s %c", rc, err.line, err.message, fs_csv_separator(p));
	if (rc < 0) /* stopped: the same code again, nothing read past the error */
		assert_int_equal(fs_csv_next(p, &err), rc);
	fs_csv_free(p);
}

static void test_csv_runs(void **state)
{
	(void)state;
	/* the plain runs the reader copies whole read as the bytes one by one do:
	 * the same records, lines and errors (limits met inside a run included),
	 * from memory and through chunks that end anywhere */
	static const char alphabet[] = "ab,;\t\"\n\r \xc3\xa9\0xyz,,\"";
	static char in[400], a[20000], b[20000], c[20000];
	unsigned seed = 7;
	for (int round = 0; round < 20000; round++) {
		seed = seed * 1664525u + 1013904223u;
		size_t len = (seed >> 8) % sizeof(in);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1664525u + 1013904223u;
			in[i] = alphabet[(seed >> 10) % (sizeof(alphabet) - 1)];
		}
		static const char seps[] = {0, ',', ';', '\t'};
		static const size_t fields[] = {1, 3, 8, 64 * 1024};
		char sep = seps[round % 4];
		size_t max_field = fields[(round / 4) % 4], max_fields = round % 3 ? 256 : 4;
		csv_trace(fs_csv_new_mem(in, len), sep, max_field, max_fields, 1, a, sizeof(a));
		csv_trace(fs_csv_new_mem(in, len), sep, max_field, max_fields, 0, b, sizeof(b));
		/* (a separator found from the first line looks at the first chunk only:
		 * given, through the small chunks) */
		struct dribble d = {in, len, 0, (unsigned)round};
		csv_trace(fs_csv_new(dribble_read, &d), sep ? sep : trace_sep(a), max_field, max_fields, 0, c, sizeof(c));
		if (strcmp(a, b) != 0 || strcmp(a, c) != 0)
			fail_msg("round %d: one byte at a time:\n%s\nin runs:\n%s\nin runs, chunks of 1-7 bytes:\n%s", round, a, b, c);
	}
}

/* ---- sort.h ---- */

struct pair {
	int a, b;
};

static int pair_less(const struct pair *x, const struct pair *y)
{
	return x->a != y->a ? x->a < y->a : x->b < y->b;
}
FS_SORT_DEFINE(sort_pairs, struct pair, pair_less)

static int pair_cmp(const void *x, const void *y)
{
	const struct pair *p = x, *q = y;
	return pair_less(p, q) ? -1 : pair_less(q, p) ? 1 : 0;
}

static void test_sort(void **state)
{
	(void)state;
	/* the same order as qsort's over shapes that break a naive quicksort
	 * (sorted, reversed, all equal, organ pipe, few values) and random, at
	 * every small size and a large one (the heapsort below a deep partition) */
	enum { BIG = 200000 };
	struct pair *a = malloc(BIG * sizeof(*a)), *b = malloc(BIG * sizeof(*b)), *c = malloc(BIG * sizeof(*c));
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	unsigned seed = 1;
	for (int shape = 0; shape < 6; shape++) {
		for (size_t n = 0; n <= BIG; n = n < 70 ? n + 1 : n < 1000 ? n * 3 : n < BIG ? BIG : BIG + 1) {
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1664525u + 1013904223u;
				int r = (int)(seed >> 8);
				a[i].a = shape == 0 ? (int)i : shape == 1 ? (int)(n - i) : shape == 2 ? 7 : shape == 3 ? (int)(i < n / 2 ? i : n - i)
				       : shape == 4 ? r % 3 : r;
				a[i].b = shape == 2 ? r % 5 : (int)(i % 2);
			}
			memcpy(b, a, n * sizeof(*a));
			memcpy(c, a, n * sizeof(*a));
			if (n)
				qsort(b, n, sizeof(*b), pair_cmp);
			sort_pairs(a, n);
			sort_pairs_intro(c, n, 0); /* no partition allowed: the heapsort at once */
			for (size_t i = 0; i < n; i++)
				if (a[i].a != b[i].a || a[i].b != b[i].b || c[i].a != b[i].a || c[i].b != b[i].b)
					fail_msg("shape %d, %zu elements: differs at %zu (%s)", shape, n, i,
						 a[i].a != b[i].a || a[i].b != b[i].b ? "introsort" : "heapsort");
		}
	}
	free(a);
	free(b);
	free(c);
}

/* ---- fs_imap (core/internal.h) ---- */

static void test_imap(void **state)
{
	(void)state;
	/* keys that differ only in their high bits, or step by an even number,
	 * or are negative: each found with its value, none that was not put */
	static const int64_t step[] = {1, 10, 1024, (int64_t)1 << 32, -7};
	for (size_t s = 0; s < sizeof(step) / sizeof(step[0]); s++) {
		struct fs_imap m = {0};
		assert_null(fs_imap_slot(&m, 5, 0)); /* empty */
		enum { N = 50000 };
		for (int64_t i = 1; i <= N; i++) {
			int64_t *v = fs_imap_slot(&m, i * step[s], 1);
			assert_non_null(v);
			assert_int_equal(*v, 0);
			*v = i;
		}
		assert_int_equal(m.n, N);
		assert_true(m.cap >= 2 * N);
		for (int64_t i = 1; i <= N; i++) {
			int64_t *v = fs_imap_slot(&m, i * step[s], 0);
			assert_non_null(v);
			assert_int_equal(*v, i);
			assert_ptr_equal(fs_imap_slot(&m, i * step[s], 1), v); /* put again: the same slot */
		}
		assert_int_equal(m.n, N);
		assert_null(fs_imap_slot(&m, (N + 1) * step[s], 0));
		assert_null(fs_imap_slot(&m, -(step[s] * 3 + 1), 0));
		fs_imap_free(&m);
	}
}

static void sep_is(const char *in, char set, char want, size_t nfields)
{
	struct fs_csv *p = fs_csv_new_mem(in, strlen(in));
	fs_csv_set_separator(p, set);
	struct fs_error err = {0};
	assert_int_equal(fs_csv_next(p, &err), 1);
	assert_int_equal(fs_csv_separator(p), want);
	assert_int_equal(fs_csv_nfields(p), nfields);
	fs_csv_free(p);
}

static void test_csv_separator(void **state)
{
	(void)state;
	sep_is("a;b;c\n1;2;3\n", 0, ';', 3);
	sep_is("a\tb\tc\n", 0, '\t', 3);
	sep_is("a,b;c\n", 0, ',', 2);          /* a tie: comma */
	sep_is("\"x,y,z\";b\n", 0, ';', 2);     /* commas inside quotes do not count */
	sep_is("a;b,c;d\n", 0, ';', 3);
	sep_is("abc\n", 0, ',', 1);
	sep_is("\xef\xbb\xbf" "a;b\n", 0, ';', 2); /* after a BOM */
	sep_is("a;b,c\n", ',', ',', 2);         /* as set */
	sep_is("a;b\tc\n", '\t', '\t', 2);
}

static void test_csv_guard(void **state)
{
	(void)state;
	static const char *const guarded[] = {"=1+2", "+1", "-5", "@x", "\tx", "\rx", "'=x", "''@x"};
	static const char *const plain[] = {"", "'", "''", "abc", "'abc", "1-2", "a=b", "x'=y"};
	for (size_t i = 0; i < sizeof(guarded) / sizeof(guarded[0]); i++) {
		const char *s = guarded[i];
		assert_true(fs_csv_needs_guard(s, strlen(s)));
		/* export writes ' + s; import takes one ' off exactly then */
		char w[16];
		snprintf(w, sizeof(w), "'%s", s);
		assert_int_equal(fs_csv_unguard(w, strlen(w)), 1);
		assert_string_equal(w + fs_csv_unguard(w, strlen(w)), s);
	}
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		const char *s = plain[i];
		assert_false(fs_csv_needs_guard(s, strlen(s)));
		assert_int_equal(fs_csv_unguard(s, strlen(s)), 0); /* read as it is */
	}
}

static void test_bidi_controls(void **state)
{
	(void)state;
	assert_int_equal(fs_utf8_bidi_control("Ali Kaya", 8), 0);
	assert_int_equal(fs_utf8_bidi_control("\xe2\x80\xaa", 3), 0x202A);
	assert_int_equal(fs_utf8_bidi_control("a\xe2\x80\xae" "b", 5), 0x202E);
	assert_int_equal(fs_utf8_bidi_control("\xe2\x81\xa6", 3), 0x2066);
	assert_int_equal(fs_utf8_bidi_control("x\xe2\x81\xa9", 4), 0x2069);
	assert_int_equal(fs_utf8_bidi_control("\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa", 12), 0); /* neighbours */
	assert_int_equal(fs_utf8_bidi_control("\xe2\x80", 2), 0); /* cut */
}

/* Read all of a memory file through fs_textin. */
static int textin_all(const char *data, size_t n, const char *enc, char *out, size_t outsz, char *name, struct fs_error *err)
{
	FILE *f = fmemopen((void *)data, n, "rb");
	struct fs_textin *t;
	int rc = fs_textin_open(f, enc, &t, err);
	if (rc) {
		fclose(f);
		return rc;
	}
	snprintf(name, 32, "%s", fs_textin_encoding(t));
	size_t used = 0;
	long got;
	while ((got = fs_textin_read(t, out + used, outsz - 1 - used)) > 0)
		used += (size_t)got;
	out[used] = '\0';
	if (got < 0)
		snprintf(err->message, sizeof(err->message), "%s", fs_textin_error(t));
	fs_textin_free(t);
	fclose(f);
	return got < 0 ? FS_EIO : 0;
}

static void test_textin(void **state)
{
	(void)state;
	char out[256], name[32];
	struct fs_error err = {0};
	/* UTF-16LE with a BOM: "Şa\tb" */
	assert_int_equal(textin_all("\xff\xfe\x5e\x01" "a\0\t\0b\0", 10, NULL, out, sizeof(out), name, &err), 0);
	assert_string_equal(name, "UTF-16LE");
	assert_string_equal(out, "Şa\tb");
	/* UTF-16BE with a BOM; "utf-16" accepts either mark */
	assert_int_equal(textin_all("\xfe\xff\x04\x16\0a", 6, "utf-16", out, sizeof(out), name, &err), 0);
	assert_string_equal(name, "UTF-16BE");
	assert_string_equal(out, "Жa");
	/* a UTF-8 BOM is dropped, the bytes pass unchanged */
	assert_int_equal(textin_all("\xef\xbb\xbfx\xfd", 5, NULL, out, sizeof(out), name, &err), 0);
	assert_string_equal(name, "UTF-8");
	assert_string_equal(out, "x\xfd");
	/* an 8-bit code page by name */
	assert_int_equal(textin_all("\xdd\xfe\xf0", 3, "windows-1254", out, sizeof(out), name, &err), 0);
	assert_string_equal(out, "İşğ");
	assert_int_equal(textin_all("\xc6\xe0", 2, "cp1251", out, sizeof(out), name, &err), 0);
	assert_string_equal(out, "Жа");
	/* refused: unknown names, iconv suffixes, a mark that contradicts */
	assert_int_equal(textin_all("a", 1, "klingon-8", out, sizeof(out), name, &err), FS_EINVAL);
	assert_int_equal(textin_all("a", 1, "cp1251//TRANSLIT", out, sizeof(out), name, &err), FS_EINVAL);
	assert_int_equal(textin_all("\xff\xfe" "a\0", 4, "windows-1254", out, sizeof(out), name, &err), FS_EINVAL);
	assert_non_null(strstr(err.message, "UTF-16LE byte-order mark"));
	/* a byte the code page does not define: where */
	assert_int_equal(textin_all("ab\x81", 3, "windows-1254", out, sizeof(out), name, &err), FS_EIO);
	assert_non_null(strstr(err.message, "byte 3 (0x81) is not WINDOWS-1254 text"));
	/* UTF-16 cut in the middle of a character */
	assert_int_equal(textin_all("\xff\xfe" "a\0b", 5, NULL, out, sizeof(out), name, &err), FS_EIO);
	assert_non_null(strstr(err.message, "ends inside a character"));
}

static void test_textin_long(void **state)
{
	(void)state;
	/* characters cut by the reader's buffers are joined again */
	enum { N = 40000 };
	static char in[2 + 2 * N], out[3 * N + 16];
	in[0] = '\xff';
	in[1] = '\xfe';
	for (int i = 0; i < N; i++) {
		in[2 + 2 * i] = 0x16; /* U+0416 Ж */
		in[3 + 2 * i] = 0x04;
	}
	char name[32];
	struct fs_error err = {0};
	assert_int_equal(textin_all(in, sizeof(in), NULL, out, sizeof(out), name, &err), 0);
	assert_int_equal(strlen(out), 2 * N);
	assert_int_equal(fs_utf8_invalid_at(out, strlen(out)), 0);
}

static void suggest_is(const char *utf8, const char *enc, const char *want)
{
	char raw[512], sug[160];
	iconv_t cd = iconv_open(enc, "UTF-8");
	assert_true(cd != (iconv_t)-1);
	char *ip = (char *)utf8, *op = raw;
	size_t il = strlen(utf8), ol = sizeof(raw);
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	fs_textin_suggest(raw, sizeof(raw) - ol, sug, sizeof(sug));
	assert_string_equal(sug, want);
}

static void test_textin_suggest(void **state)
{
	(void)state;
	suggest_is("Sicil No;Ad Soyad;Doğum Tarihi;Ücret;İşe Giriş Tarihi Şükrü İlder Ayşe Çelik Karadere Ocağı",
		   "WINDOWS-1254", "windows-1254, iso-8859-9");
	suggest_is("Фамилия Имя Отчество;Дата рождения;Адрес;Зарплата Иванов Иван Иванович Москва",
		   "WINDOWS-1251", "windows-1251");
	suggest_is("Фамилия Имя Отчество;Дата рождения;Адрес;Зарплата Иванов Иван Иванович Москва",
		   "KOI8-R", "koi8-r");
	suggest_is("Фамилия Имя Отчество;Дата рождения;Адрес;Зарплата Иванов Иван Иванович Москва",
		   "CP866", "cp866");
	char sug[160];
	assert_int_equal(fs_textin_suggest("\x01\x02\x03\x04\x05\x06\x07\x08", 8, sug, sizeof(sug)), 0);
	assert_string_equal(sug, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_turkish),   cmocka_unit_test(test_fold_cyrillic_kazakh),
		cmocka_unit_test(test_utf8_invalid), cmocka_unit_test(test_utf8_repair),   cmocka_unit_test(test_dates),
		cmocka_unit_test(test_name_key),
		cmocka_unit_test(test_money),          cmocka_unit_test(test_csv_rfc4180),
		cmocka_unit_test(test_csv_errors),     cmocka_unit_test(test_csv_line_ends),
		cmocka_unit_test(test_csv_column_in_errors), cmocka_unit_test(test_csv_separator), cmocka_unit_test(test_csv_runs), cmocka_unit_test(test_sort), cmocka_unit_test(test_imap),
		cmocka_unit_test(test_csv_guard),      cmocka_unit_test(test_bidi_controls),
		cmocka_unit_test(test_textin),         cmocka_unit_test(test_textin_long),
		cmocka_unit_test(test_textin_suggest),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
