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

#endif
