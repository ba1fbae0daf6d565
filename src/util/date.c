/* date.c - civil-date arithmetic (H. Hinnant's days_from_civil) and parsing. */
#include "date.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

fs_date fs_date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (fs_date)(era * 146097 + (int)doe - 719468);
}

void fs_date_to_ymd(fs_date days, int *y, int *m, int *d)
{
	int z = days + 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

int fs_date_valid_ymd(int y, int m, int d)
{
	return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int fs_date_parse(const char *s, fs_date *ret, struct fs_error *err, const char *field)
{
	int y, m, d;
	size_t n = strlen(s);
	if (n == 10 && s[4] == '-' && s[7] == '-' && !digits(s, 4, &y) && !digits(s + 5, 2, &m) &&
	    !digits(s + 8, 2, &d)) {
		/* ISO */
	} else if (n == 10 && s[2] == '.' && s[5] == '.' && !digits(s, 2, &d) &&
		   !digits(s + 3, 2, &m) && !digits(s + 6, 4, &y)) {
		/* DD.MM.YYYY */
	} else if (n == 10 && s[4] == '/' && s[7] == '/' && !digits(s, 4, &y) && !digits(s + 5, 2, &m) &&
		   !digits(s + 8, 2, &d)) {
		/* YYYY/MM/DD: the year first is never ambiguous */
	} else if (strchr(s, '/')) {
		return fs_fail(err, FS_EINVAL, field,
			       "'%.40s' is ambiguous (day/month order); write YYYY-MM-DD or DD.MM.YYYY", s);
	} else {
		return fs_fail(err, FS_EINVAL, field, "'%.40s' is not a date; write YYYY-MM-DD", s);
	}
	if (!fs_date_valid_ymd(y, m, d))
		return fs_fail(err, FS_EINVAL, field, "'%.40s' is not a valid calendar date (1900-2199)", s);
	*ret = fs_date_from_ymd(y, m, d);
	return 0;
}

void fs_date_format(fs_date days, char out[11])
{
	int y, m, d;
	fs_date_to_ymd(days, &y, &m, &d);
	out[0] = (char)('0' + (y / 1000) % 10);
	out[1] = (char)('0' + (y / 100) % 10);
	out[2] = (char)('0' + (y / 10) % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

fs_date fs_date_today(void)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	return fs_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int fs_time_parse(const char *s, int64_t *ret)
{
	size_t n = strlen(s);
	if (n < 16 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':')
		return -1;
	char day[11];
	memcpy(day, s, 10);
	day[10] = '\0';
	fs_date d;
	if (fs_date_parse(day, &d, NULL, NULL) || day[4] != '-')
		return -1;
	int h, m, sec = 0;
	const char *p = s + 11;
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[3]) ||
	    !isdigit((unsigned char)p[4]))
		return -1;
	h = (p[0] - '0') * 10 + (p[1] - '0');
	m = (p[3] - '0') * 10 + (p[4] - '0');
	p += 5;
	if (*p == ':') {
		if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
			return -1;
		sec = (p[1] - '0') * 10 + (p[2] - '0');
		p += 3;
	}
	if (*p == 'Z')
		p++;
	if (*p || h > 23 || m > 59 || sec > 59)
		return -1;
	*ret = (int64_t)d * 86400 + h * 3600 + m * 60 + sec;
	return 0;
}

void fs_time_format(int64_t t, char out[21])
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t rem = t - days * 86400;
	char d[11];
	fs_date_format((fs_date)days, d);
	int h = (int)(rem / 3600) % 24, m = (int)(rem / 60 % 60), sec = (int)(rem % 60);
	memcpy(out, d, 10);
	out[10] = 'T';
	out[11] = (char)('0' + h / 10), out[12] = (char)('0' + h % 10), out[13] = ':';
	out[14] = (char)('0' + m / 10), out[15] = (char)('0' + m % 10), out[16] = ':';
	out[17] = (char)('0' + sec / 10), out[18] = (char)('0' + sec % 10), out[19] = 'Z', out[20] = '\0';
}
