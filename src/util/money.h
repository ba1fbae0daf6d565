/* money.h - exact money: int64 minor units with an ISO 4217 currency.
 *
 * Parsing accepts "1800", "1800.5", "1800.50", "1800,50", "1.800,50", "1,800.50",
 * "1 800,50". A lone separator followed by exactly three digits ("1,800") is refused
 * as ambiguous. No floating point is used anywhere. */
#ifndef FS_MONEY_H
#define FS_MONEY_H

#include <stdint.h>

#include "error.h"

#define FS_MONEY_MAX_MINOR 100000000000000000LL /* 10^17 minor units */

/* Minor-unit exponent of a supported currency, or -1 when unknown. */
int fs_currency_exponent(const char *code);

int fs_money_parse(const char *s, int exponent, int64_t *ret_minor, struct fs_error *err,
		   const char *field);
/* "1800.50" style, with '-' when negative; out must hold 32 bytes. */
void fs_money_format(int64_t minor, int exponent, char out[32]);

/* Checked sums of money: *ret = a + b (a - b, a * b) and 0, or FS_ELIMIT when the
 * result would pass the range of int64 (then *ret is not to be used). Every sum
 * of money goes through one of these. */
static inline int fs_money_add(int64_t a, int64_t b, int64_t *ret)
{
	return __builtin_add_overflow(a, b, ret) ? FS_ELIMIT : 0;
}

static inline int fs_money_sub(int64_t a, int64_t b, int64_t *ret)
{
	return __builtin_sub_overflow(a, b, ret) ? FS_ELIMIT : 0;
}

static inline int fs_money_mul(int64_t a, int64_t b, int64_t *ret)
{
	return __builtin_mul_overflow(a, b, ret) ? FS_ELIMIT : 0;
}

#endif
