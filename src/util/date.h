/* date.h - calendar dates as days since 1970-01-01 (proleptic Gregorian).
 *
 * Accepted input: ISO "YYYY-MM-DD", and "DD.MM.YYYY" as written in Turkish, Russian
 * and Kazakh spreadsheets. Slash dates are refused as ambiguous (03/04/2011). Years
 * 1900..2199 only. */
#ifndef FS_DATE_H
#define FS_DATE_H

#include <stdint.h>

#include "error.h"

typedef int32_t fs_date; /* days since 1970-01-01 */

int fs_date_parse(const char *s, fs_date *ret, struct fs_error *err, const char *field);
/* Writes "YYYY-MM-DD" (11 bytes with NUL). */
void fs_date_format(fs_date d, char out[11]);
fs_date fs_date_from_ymd(int y, int m, int d);
void fs_date_to_ymd(fs_date days, int *y, int *m, int *d);
int fs_date_valid_ymd(int y, int m, int d);
fs_date fs_date_today(void);
/* Date and time in UTC: "YYYY-MM-DDTHH:MM[:SS][Z]" (or a space for T) to seconds
 * since 1970; -1 when malformed. */
int fs_time_parse(const char *s, int64_t *ret);
/* Writes "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with NUL). */
void fs_time_format(int64_t t, char out[21]);

#endif
