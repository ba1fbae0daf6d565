/* csv.h - a streaming RFC 4180 CSV reader with hard limits.
 *
 * Accepts quoted fields with embedded separators, doubled quotes and line breaks; CRLF,
 * LF or CR line ends; a UTF-8 BOM at the start. Refuses (with line and column) a
 * quote inside an unquoted field, text after a closing quote, an unterminated quote,
 * a field over max_field bytes and a record over max_fields fields; the column an
 * error names is counted in fields, not bytes. Bytes are not checked for UTF-8 here: the caller validates each field and reports the column.
 *
 * Pull interface: fs_csv_next() fills the parser's field array, valid until the next
 * call. The parser owns its memory; fs_csv_free() releases it. */
#ifndef FS_CSV_H
#define FS_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

#define FS_CSV_MAX_FIELD_DEFAULT (64u * 1024u)
#define FS_CSV_MAX_FIELDS_DEFAULT 256u

/* Reads up to n bytes into buf; returns bytes read, 0 at end, -1 on error. */
typedef long (*fs_csv_read_fn)(void *ud, char *buf, size_t n);

struct fs_csv;

struct fs_csv_field {
	const char *data; /* NUL-terminated; may contain NUL only if the input did */
	size_t len;
};

struct fs_csv *fs_csv_new(fs_csv_read_fn read, void *ud);
struct fs_csv *fs_csv_new_file(FILE *f);
/* Parse from memory (not copied; must outlive the parser). */
struct fs_csv *fs_csv_new_mem(const char *data, size_t len);
void fs_csv_free(struct fs_csv *p);
void fs_csv_set_limits(struct fs_csv *p, size_t max_field, size_t max_fields);
/* The field separator: ',' (the default), ';' or '\t'; 0 = the one the first line
 * uses most (outside quotes), ',' on a tie or when it has none. Set before the first
 * fs_csv_next; fs_csv_separator tells the one in use once a record was read. */
void fs_csv_set_separator(struct fs_csv *p, char sep);
/* Every byte through the reader's state machine, none taken in runs: the same
 * records and errors, slower (the tests' oracle for the runs). */
void fs_csv_set_bytewise(struct fs_csv *p, int on);
char fs_csv_separator(const struct fs_csv *p);

/* The spreadsheet-formula guard, exactly reversible: a cell whose first character
 * after any leading apostrophes is = + - @ tab or CR is written with one more
 * apostrophe in front (fs_csv_needs_guard says so); on reading, a cell that starts
 * with an apostrophe and would need the guard without it loses that one apostrophe
 * (fs_csv_unguard returns the bytes to skip: 0 or 1). */
int fs_csv_needs_guard(const char *s, size_t n);
size_t fs_csv_unguard(const char *s, size_t n);

/* 1 = a record is ready, 0 = end of input, <0 = error (err filled with line/column);
 * after an error every further call returns the same code (the reader stopped). */
int fs_csv_next(struct fs_csv *p, struct fs_error *err);
size_t fs_csv_nfields(const struct fs_csv *p);
const struct fs_csv_field *fs_csv_fields(const struct fs_csv *p);
/* Physical line on which the current record started (1-based). */
long fs_csv_line(const struct fs_csv *p);

#endif
