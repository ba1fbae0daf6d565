/* import_cols.h - the fields of a people import and the column names taken for each. */
#ifndef FS_IMPORT_COLS_H
#define FS_IMPORT_COLS_H

#include <stddef.h>

#include "util/buf.h"

#define FS_IMPORT_NFIELDS 21
#define FIRST_EMPLOYMENT_FIELD 8 /* employment columns start at "workplace" */
#define FAIRSHARE_ID_FIELD 0
/* The column the rejects file adds; ignored when that file is imported again. */
#define REJECT_COLUMN "import_error"

struct fs_import_field {
	const char *field;
	const char *const aliases[16]; /* folded, as import_normalize_header makes them; NULL-ended */
};
extern const struct fs_import_field fs_import_fields[FS_IMPORT_NFIELDS];

/* A column name folded (case, diacritics, Kazakh letters), dots dropped, spaces
 * and '-' as '_'. */
int import_normalize_header(const char *s, size_t n, struct fs_buf *out);
int import_field_by_name(const char *name);
int import_field_by_alias(const char *norm);

#endif
