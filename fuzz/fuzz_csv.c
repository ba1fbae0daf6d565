/* fuzz_csv.c - libFuzzer target: the CSV reader (comma, found separator, and
 * through the text decoder), the field parsers (dates, money, UTF-8 fold, the
 * formula guard) on every field it yields, and the encoding guesser; the reader
 * taking plain runs whole gives what it gives one byte at a time. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"
#include "util/date.h"
#include "util/money.h"
#include "util/textin.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse(struct fs_csv *p)
{
	fs_csv_set_limits(p, 4096, 64);
	struct fs_error err;
	struct fs_buf fold;
	fs_buf_init(&fold, 1u << 16);
	int rc;
	while ((rc = fs_csv_next(p, &err)) == 1) {
		const struct fs_csv_field *f = fs_csv_fields(p);
		for (size_t i = 0; i < fs_csv_nfields(p); i++) {
			fs_date d;
			int64_t minor;
			(void)fs_date_parse(f[i].data, &d, &err, "f");
			(void)fs_money_parse(f[i].data, 2, &minor, &err, "f");
			if (!fs_utf8_invalid_at(f[i].data, f[i].len)) {
				fs_buf_reset(&fold);
				(void)fs_utf8_fold(f[i].data, f[i].len, &fold);
				(void)fs_utf8_bidi_control(f[i].data, f[i].len);
			}
			/* the guard round-trips: export adds one ', import takes one off */
			if (f[i].len < 4000 && fs_csv_needs_guard(f[i].data, f[i].len)) {
				char g[4002];
				g[0] = '\'';
				memcpy(g + 1, f[i].data, f[i].len);
				if (fs_csv_unguard(g, f[i].len + 1) != 1)
					abort();
			} else if (fs_csv_unguard(f[i].data, f[i].len) > 1) {
				abort();
			}
		}
	}
	if (rc < 0 && fs_utf8_invalid_at(err.message, strlen(err.message)))
		abort(); /* every message is valid UTF-8 */
	fs_buf_done(&fold);
	fs_csv_free(p);
}

static uint64_t mix(uint64_t h, const void *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ ((const unsigned char *)b)[i]) * 0x100000001b3ULL;
	return h;
}

/* every record, line and error the reader gives, folded into one number */
static uint64_t trace(const uint8_t *data, size_t size, int bytewise)
{
	struct fs_csv *p = fs_csv_new_mem((const char *)data, size);
	if (!p)
		return 0;
	fs_csv_set_limits(p, 64, 16);
	fs_csv_set_bytewise(p, bytewise);
	struct fs_error err = {0};
	uint64_t h = 0xcbf29ce484222325ULL;
	int rc;
	while ((rc = fs_csv_next(p, &err)) == 1) {
		long line = fs_csv_line(p);
		h = mix(h, &line, sizeof(line));
		for (size_t i = 0; i < fs_csv_nfields(p); i++) {
			const struct fs_csv_field *f = &fs_csv_fields(p)[i];
			h = mix(mix(h, &f->len, sizeof(f->len)), f->data, f->len + 1);
		}
	}
	h = mix(mix(mix(h, &rc, sizeof(rc)), &err.line, sizeof(err.line)), err.message, strlen(err.message));
	fs_csv_free(p);
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the plain runs read as the bytes one by one (small limits: met inside runs) */
	if (trace(data, size, 0) != trace(data, size, 1))
		abort();

	struct fs_csv *p = fs_csv_new_mem((const char *)data, size);
	if (p)
		parse(p);
	p = fs_csv_new_mem((const char *)data, size);
	if (p) {
		fs_csv_set_separator(p, 0); /* the separator the first line uses */
		parse(p);
	}
	/* through the decoder: a BOM, or a code page picked by the first byte */
	static const char *const enc[] = {NULL, "windows-1254", "windows-1251", "utf-16le"};
	FILE *in = size ? fmemopen((void *)data, size, "rb") : NULL;
	struct fs_textin *t;
	struct fs_error err;
	if (in && !fs_textin_open(in, enc[data[0] & 3], &t, &err)) {
		p = fs_csv_new(fs_textin_read, t);
		if (p) {
			fs_csv_set_separator(p, 0);
			parse(p);
		}
		fs_textin_free(t);
	}
	if (in)
		fclose(in);
	char sug[160];
	(void)fs_textin_suggest((const char *)data, size < 4096 ? size : 4096, sug, sizeof(sug));
	return 0;
}
