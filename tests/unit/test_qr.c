/* test_qr.c - the proofs block as QR codes (src/core/qr.c): its parts joined are
 * the block byte for byte, and what is drawn (the half blocks of the text, the
 * runs of the SVG) is, module for module, what libqrencode encodes for each part. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <qrencode.h>

#include "core/fairshare.h"
#include "qr.h"

enum { QUIET = 4 };

static char *sample(size_t n, unsigned seed)
{
	char *t = malloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		t[i] = (seed >> 16) % 37 == 0 ? '\n' : (char)(' ' + (seed >> 16) % 95);
	}
	t[n] = 0;
	return t;
}

static void parts_join(void **state)
{
	(void)state;
	for (size_t n = 1; n < 9000; n += 997) {
		char *t = sample(n, (unsigned)n);
		size_t st[FS_QR_MAX_PARTS], len[FS_QR_MAX_PARTS];
		size_t k = fs_qr_parts(t, n, st, len, FS_QR_MAX_PARTS), at = 0;
		for (size_t i = 0; i < k; i++) {
			assert_int_equal(st[i], at);
			assert_true(len[i] > 0 && len[i] <= FS_QR_PART);
			at += len[i];
		}
		assert_int_equal(at, n);
		free(t);
	}
}

/* the module at (x, y) of the code of part as libqrencode makes it, quiet zone included */
static int want(const QRcode *q, int x, int y)
{
	x -= QUIET, y -= QUIET;
	return x >= 0 && y >= 0 && x < q->width && y < q->width && (q->data[y * q->width + x] & 1);
}

static void text_is_the_code(void **state)
{
	(void)state;
	size_t n = 2500;
	char *t = sample(n, 7), *out = NULL;
	struct fs_error err = {0};
	assert_int_equal(fs_qr_text(t, &out, &err), 0);
	size_t st[FS_QR_MAX_PARTS], len[FS_QR_MAX_PARTS];
	size_t k = fs_qr_parts(t, n, st, len, FS_QR_MAX_PARTS);
	assert_true(k >= 3);
	const char *p = out;
	for (size_t i = 0; i < k; i++) {
		char head[128];
		snprintf(head, sizeof(head), "QR %zu of %zu: bytes %zu to %zu", i + 1, k, st[i] + 1, st[i] + len[i]);
		assert_memory_equal(p, head, strlen(head));
		p = strchr(p, '\n') + 1;
		QRcode *q = QRcode_encodeData((int)len[i], (const unsigned char *)t + st[i], 0, QR_ECLEVEL_M);
		assert_non_null(q);
		int w = q->width + 2 * QUIET;
		for (int y = 0; y < w; y += 2) {
			for (int x = 0; x < w; x++) {
				int top, bottom;
				if (*p == ' ')
					top = bottom = 0, p += 1;
				else if (!memcmp(p, "\u2588", 3))
					top = bottom = 1, p += 3;
				else if (!memcmp(p, "\u2580", 3))
					top = 1, bottom = 0, p += 3;
				else if (!memcmp(p, "\u2584", 3))
					top = 0, bottom = 1, p += 3;
				else
					fail_msg("part %zu, line %d, column %d: not a half block", i + 1, y / 2, x);
				assert_int_equal(top, want(q, x, y));
				assert_int_equal(bottom, y + 1 < w ? want(q, x, y + 1) : 0);
			}
			assert_int_equal(*p, '\n');
			p++;
		}
		QRcode_free(q);
	}
	assert_int_equal(*p, 0);
	free(out);
	free(t);
}

static void svg_is_the_code(void **state)
{
	(void)state;
	size_t n = 2100;
	char *t = sample(n, 11), *out = NULL;
	struct fs_error err = {0};
	assert_int_equal(fs_qr_svg(t, &out, &err), 0);
	size_t st[FS_QR_MAX_PARTS], len[FS_QR_MAX_PARTS];
	size_t k = fs_qr_parts(t, n, st, len, FS_QR_MAX_PARTS);
	QRcode *q[FS_QR_MAX_PARTS];
	int top[FS_QR_MAX_PARTS + 1], wmax = 0;
	top[0] = 0;
	for (size_t i = 0; i < k; i++) {
		q[i] = QRcode_encodeData((int)len[i], (const unsigned char *)t + st[i], 0, QR_ECLEVEL_M);
		top[i + 1] = top[i] + q[i]->width + 2 * QUIET;
		wmax = q[i]->width + 2 * QUIET > wmax ? q[i]->width + 2 * QUIET : wmax;
	}
	char head[200];
	snprintf(head, sizeof(head), "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\"", wmax, top[k]);
	assert_memory_equal(out, head, strlen(head));
	snprintf(head, sizeof(head), "data-parts=\"%zu\"", k);
	assert_non_null(strstr(out, head));
	unsigned char *bits = calloc((size_t)wmax * (size_t)top[k], 1);
	const char *p = strstr(out, " d=\"") + 4;
	long x = 0, y = 0;
	while (*p == 'M' || *p == 'm') { /* M x y.5 h run, then m gap 0 h run along the row */
		char *e;
		if (*p == 'M') {
			x = strtol(p + 1, &e, 10);
			assert_int_equal(*e, ' ');
			y = strtol(e + 1, &e, 10);
			assert_memory_equal(e, ".5", 2);
			e += 2;
		} else {
			x += strtol(p + 1, &e, 10);
			assert_memory_equal(e, " 0", 2);
			e += 2;
		}
		assert_int_equal(*e, 'h');
		long run = strtol(e + 1, &e, 10);
		assert_true(run > 0);
		for (long i = 0; i < run; i++)
			bits[(size_t)y * (size_t)wmax + (size_t)(x + i)] = 1;
		x += run;
		p = e;
	}
	assert_string_equal(p, "\"/></svg>");
	for (size_t i = 0; i < k; i++) {
		for (int yy = 0; yy < q[i]->width + 2 * QUIET; yy++)
			for (int xx = 0; xx < wmax; xx++)
				assert_int_equal(bits[(size_t)(top[i] + yy) * (size_t)wmax + (size_t)xx], xx < q[i]->width + 2 * QUIET && want(q[i], xx, yy));
		QRcode_free(q[i]);
	}
	free(bits);
	free(out);
	free(t);
}

static void attach(void **state)
{
	(void)state;
	json_t *j = json_object();
	fs_proofs_attach(j, "fairshare proof v1\n", NULL);
	assert_string_equal(json_string_value(json_object_get(j, "proofs")), "fairshare proof v1\n");
	assert_non_null(strstr(json_string_value(json_object_get(j, "proof_qr_svg")), "data-parts=\"1\""));
	struct fs_error why = {0};
	fs_fail(&why, FS_EINVAL, "log", "the log is empty");
	fs_proofs_attach(j, NULL, &why);
	assert_true(json_is_null(json_object_get(j, "proofs")) && json_is_null(json_object_get(j, "proof_qr_svg")));
	assert_string_equal(json_string_value(json_object_get(j, "proofs_missing")), "the log is empty");
	/* a signing key's path is not told */
	fs_fail(&why, FS_EIO, "signing-key", "cannot read the signing key %s", "/secret/place.signing.key");
	fs_proofs_attach(j, NULL, &why);
	assert_null(strstr(json_string_value(json_object_get(j, "proofs_missing")), "/secret"));
	assert_non_null(strstr(json_string_value(json_object_get(j, "proofs_missing")), "signing key"));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(parts_join), cmocka_unit_test(text_is_the_code),
					   cmocka_unit_test(svg_is_the_code), cmocka_unit_test(attach)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
