/* test_util.c - unit tests of src/util: the name fold, UTF-8, dates, money, CSV. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "util/csv.h"
#include "util/error.h"
#include "util/date.h"
#include "util/money.h"
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
	money_bad("1,800");       /* ambiguous */
	money_bad("1800.123");    /* too many decimals */
	money_bad("18a0");
	money_bad("");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_turkish),   cmocka_unit_test(test_fold_cyrillic_kazakh),
		cmocka_unit_test(test_utf8_invalid), cmocka_unit_test(test_utf8_repair),   cmocka_unit_test(test_dates),
		cmocka_unit_test(test_name_key),
		cmocka_unit_test(test_money),          cmocka_unit_test(test_csv_rfc4180),
		cmocka_unit_test(test_csv_errors),     cmocka_unit_test(test_csv_line_ends),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
