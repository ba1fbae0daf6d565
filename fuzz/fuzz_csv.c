/* fuzz_csv.c - libFuzzer target: the CSV reader, and the field parsers (dates,
 * money, UTF-8 fold) on every field it yields. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/csv.h"
#include "util/date.h"
#include "util/money.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fs_csv *p = fs_csv_new_mem((const char *)data, size);
	if (!p)
		return 0;
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
			}
		}
	}
	fs_buf_done(&fold);
	fs_csv_free(p);
	return 0;
}
