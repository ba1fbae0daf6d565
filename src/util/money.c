/* money.c - parsing and formatting decimal money amounts into minor units. */
#include "money.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *code;
	int exponent;
} currencies[] = {
	{"TRY", 2}, {"KZT", 2}, {"RUB", 2}, {"USD", 2}, {"EUR", 2}, {"GBP", 2}, {"UAH", 2},
	{"KGS", 2}, {"UZS", 2}, {"AZN", 2}, {"GEL", 2}, {"BYN", 2},
};

int fs_currency_exponent(const char *code)
{
	for (size_t i = 0; i < sizeof(currencies) / sizeof(currencies[0]); i++)
		if (strcmp(code, currencies[i].code) == 0)
			return currencies[i].exponent;
	return -1;
}

int fs_money_parse(const char *s, int exponent, int64_t *ret_minor, struct fs_error *err,
		   const char *field)
{
	char digits[40];
	size_t nd = 0;
	int negative = 0;
	/* spaces around the amount are not part of it (a copied cell, a form field):
	 * leading and trailing alike */
	char trimmed[64];
	const char *p = s;
	while (*p == ' ')
		p++;
	size_t len = strlen(p);
	while (len && p[len - 1] == ' ')
		len--;
	if (len >= sizeof(trimmed))
		goto too_big;
	memcpy(trimmed, p, len);
	trimmed[len] = '\0';
	p = trimmed;
	if (*p == '-') {
		negative = 1;
		p++;
	}
	/* Find the decimal separator: the last '.' or ',' when both kinds occur, or a
	 * single separator not followed by exactly three digits. */
	const char *last_dot = strrchr(p, '.'), *last_comma = strrchr(p, ',');
	const char *dec = NULL;
	char group = 0;
	if (last_dot && last_comma) {
		dec = last_dot > last_comma ? last_dot : last_comma;
		group = dec == last_dot ? ',' : '.';
	} else if (last_dot || last_comma) {
		const char *sep = last_dot ? last_dot : last_comma;
		char c = *sep;
		size_t count = 0;
		for (const char *q = p; *q; q++)
			count += *q == c;
		size_t after = strlen(sep + 1);
		if (count == 1 && after != 3) {
			dec = sep;
		} else if (count == 1 && after == 3) {
			return fs_fail(err, FS_EINVAL, field,
				       "'%.40s' is ambiguous: write 1800.00 or 1800,00 for an amount with "
				       "decimals", s);
		} else {
			group = c;
		}
	}
	size_t frac = 0;
	int seen_digit = 0;
	size_t group_run = 0; /* digits since the last group separator */
	int grouped = 0;
	for (const char *q = p; *q; q++) {
		if (q == dec) {
			if (grouped && group_run != 3)
				goto bad;
			frac = 0;
			for (const char *f = q + 1; *f; f++) {
				if (*f < '0' || *f > '9')
					goto bad;
				if ((int)++frac > exponent)
					return fs_fail(err, FS_EINVAL, field,
						       "'%.40s' has more than %d decimal places", s, exponent);
				if (nd + 1 >= sizeof(digits))
					goto too_big;
				digits[nd++] = *f;
			}
			break;
		}
		if (*q >= '0' && *q <= '9') {
			if (nd + 1 >= sizeof(digits))
				goto too_big;
			digits[nd++] = *q;
			seen_digit = 1;
			group_run++;
		} else if ((*q == group || *q == ' ' || *q == '\'') && seen_digit) {
			if (grouped && group_run != 3)
				goto bad;
			if (!grouped && group_run > 3)
				goto bad;
			grouped = 1;
			group_run = 0;
		} else {
			goto bad;
		}
	}
	if (!dec && grouped && group_run != 3)
		goto bad;
	if (!seen_digit)
		goto bad;
	while ((int)frac < exponent) {
		if (nd + 1 >= sizeof(digits))
			goto too_big;
		digits[nd++] = '0';
		frac++;
	}
	int64_t v = 0;
	for (size_t i = 0; i < nd; i++) {
		if (v > (FS_MONEY_MAX_MINOR - (digits[i] - '0')) / 10)
			goto too_big;
		v = v * 10 + (digits[i] - '0');
	}
	*ret_minor = negative ? -v : v;
	return 0;
bad:
	return fs_fail(err, FS_EINVAL, field, "'%.40s' is not an amount; write it like 1800.00", s);
too_big:
	return fs_fail(err, FS_EINVAL, field, "'%.40s' is too large an amount", s);
}

void fs_money_format(int64_t minor, int exponent, char out[32])
{
	uint64_t v = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
	char digits[24];
	int n = 0;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n <= exponent)
		digits[n++] = '0';
	int k = 0;
	if (minor < 0)
		out[k++] = '-';
	for (int i = n - 1; i >= 0; i--) {
		out[k++] = digits[i];
		if (i == exponent && exponent > 0)
			out[k++] = '.';
	}
	out[k] = '\0';
}
