/* import.c - CSV import of people (and optionally their employment), atomic by
 * default: any bad row and nothing is stored, with every bad row reported by line,
 * column and reason. Rows are matched to existing people by the national-ID hash,
 * else by external_id, so importing a file twice creates nobody twice. */
#include "internal.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/csv.h"
#include "util/textin.h"
#include "util/utf8.h"


#include "import_bulk.h"
#include "import_cols.h"
#include "import_seen.h"

#define fields fs_import_fields
#define NFIELDS FS_IMPORT_NFIELDS

/* ---- the import ---- */

struct imp {
	struct fs_ctx *ctx;
	const struct fs_import_opts *o;
	struct fs_import_report *rep;
	const struct fs_entity *pe, *ee, *we;
	int colfield[FS_IMPORT_COLUMNS_MAX]; /* field index per CSV column, -1 = ignored */
	char *header[FS_IMPORT_COLUMNS_MAX];
	size_t ncols;
	int has_employment;
	int id_col; /* column of fairshare_id, or -1 */
	int reject_col; /* column import_error (of a rejects file), or -1 */
	int unnamed[FS_IMPORT_COLUMNS_MAX]; /* an empty column name: its cells must be empty */
	int writing;
	int64_t next_person_id; /* the id of the next new person (SQLite: this import holds the only write lock); 0: ask */
	int raw;          /* bytes passed through as UTF-8, unchecked */
	struct fs_buf sample; /* cells that were not UTF-8, to tell the encoding */
	struct fs_error fatal; /* why a row could not be stored */
	struct import_seen seen;
	unsigned char seen_key[crypto_shorthash_siphashx24_KEYBYTES];
	/* current row */
	long line;
	struct fs_buf reasons;
	int row_bad;
};

static void row_error(struct imp *m, int column, const char *field, const char *msg)
{
	struct fs_import_report *rep = m->rep;
	m->row_bad = 1;
	rep->nerrors++;
	const char *hname = column > 0 ? (m->header[column - 1][0] ? m->header[column - 1] : "(no name)") : "";
	if (m->reasons.len)
		fs_buf_adds(&m->reasons, "; ");
	if (column > 0)
		fs_buf_addf(&m->reasons, "%s: %s", hname, msg);
	else
		fs_buf_adds(&m->reasons, msg);
	size_t max = m->o->max_errors ? m->o->max_errors : 1000;
	if (rep->errors_kept >= max)
		return;
	if (!rep->errors) {
		rep->errors = calloc(max, sizeof(*rep->errors));
		if (!rep->errors)
			return;
	}
	struct fs_import_row_error *e = &rep->errors[rep->errors_kept++];
	e->line = m->line;
	e->column = column;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : hname);
	snprintf(e->message, sizeof(e->message), "%s", msg);
	/* a column name or value in another encoding, or cut by the bound: every
	 * report (JSON, terminal, the web's table) needs valid UTF-8 */
	fs_utf8_repair(e->field);
	fs_utf8_repair(e->message);
}

/* Keep the bytes of a cell that is not UTF-8 for fs_textin_suggest. */
static void sample_add(struct imp *m, const char *s, size_t n)
{
	if (!m->raw || m->sample.len + n + 1 > 64u * 1024u)
		return;
	if (m->sample.len)
		fs_buf_addc(&m->sample, ' ');
	fs_buf_add(&m->sample, s, n);
}

/* What is wrong with a cell's bytes, or NULL when they are valid UTF-8. */
static const char *bad_text(const char *s, size_t n, char *msg, size_t msgsz)
{
	size_t bad = fs_utf8_invalid_at(s, n);
	if (!bad)
		return NULL;
	if (s[bad - 1] == '\0')
		snprintf(msg, msgsz, "holds a NUL byte (byte %zu), which no text has; a UTF-16 file without a byte-order mark? "
			 "(then name its encoding: utf-16le)", bad);
	else
		snprintf(msg, msgsz, "is not valid UTF-8 text (byte %zu); save the file as UTF-8 or name its encoding", bad);
	return msg;
}

static const char *cell_value(const struct fs_csv_field *c)
{
	/* Undo the spreadsheet-formula guard that export adds ('=... -> =...). */
	return c->data + fs_csv_unguard(c->data, c->len);
}

struct id_ud {
	int64_t id;
};

static int id_cb(void *p, const struct fs_value *v)
{
	((struct id_ud *)p)->id = v[0].i;
	return 1;
}

static int find_one(struct imp *m, const struct fs_entity *e, const struct fs_filter *f, size_t nf,
		    int64_t *id, struct fs_error *err)
{
	struct fs_query q = {.table = &e->table, .filters = f, .nfilters = nf, .limit = 1};
	struct id_ud u = {0};
	int rc = fs_store_select(m->ctx->st, &q, id_cb, &u, err);
	*id = u.id;
	return rc;
}

/* A workplace given by id or by name. */
static int resolve_workplace(struct imp *m, const char *v, char out[24], struct fs_error *err)
{
	char *end;
	long long id = strtoll(v, &end, 10);
	if (*v && !*end && id > 0) {
		snprintf(out, 24, "%lld", id);
		return 0;
	}
	struct fs_buf fold;
	fs_buf_init(&fold, 4096);
	int rc = fs_utf8_fold(v, strlen(v), &fold);
	int64_t found = 0;
	if (!rc) {
		struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(m->ctx->org_id)},
					 {"name_fold", FS_EQ, (struct fs_value){FS_VTEXT, 0, fold.data ? fold.data : "", fold.len}}};
		rc = find_one(m, m->we, f, 2, &found, err);
	}
	fs_buf_done(&fold);
	if (rc)
		return rc;
	if (!found)
		return fs_fail(err, FS_EINVAL, "workplace", "there is no workplace named '%.60s'", v);
	snprintf(out, 24, "%lld", (long long)found);
	return 0;
}

static int apply_cells(struct imp *m, struct fs_rec *r, const struct fs_csv_field *cells, int employment,
		       int report)
{
	struct fs_error err;
	int bad = 0;
	for (size_t c = 0; c < m->ncols; c++) {
		int fi = m->colfield[c];
		if (fi < 0 || fi == FAIRSHARE_ID_FIELD || (fi >= FIRST_EMPLOYMENT_FIELD) != employment)
			continue;
		const char *v = cell_value(&cells[c]);
		const char *name = fields[fi].field;
		char wp[24];
		fs_error_clear(&err);
		int rc = 0;
		if (strcmp(name, "workplace") == 0) {
			if (*v && !(rc = resolve_workplace(m, v, wp, &err)))
				rc = rec_set(m->ctx, r, "workplace_id", wp, &err);
		} else {
			rc = rec_set(m->ctx, r, name, v, &err);
		}
		if (rc) {
			if (rc != FS_EINVAL && rc != FS_ECONFLICT)
				return rc;
			bad = 1;
			if (report)
				row_error(m, (int)c + 1, name, err.message);
		}
	}
	return bad ? FS_EINVAL : 0;
}

static void write_reject(struct imp *m, const struct fs_csv_field *cells, size_t n)
{
	FILE *out = m->o->rejects;
	if (!out)
		return;
	for (size_t c = 0; c < n; c++) {
		if ((int)c == m->reject_col)
			continue; /* the reason of an earlier round */
		fs_csv_write_cell(out, cells[c].data, cells[c].len);
		fputc(',', out);
	}
	fs_csv_write_cell(out, m->reasons.data ? m->reasons.data : "", m->reasons.len);
	fputs("\r\n", out);
}

/* Apply the row's cells to an existing record and store it if anything changed. */
static int update_existing(struct imp *m, const struct fs_entity *e, int64_t id, const struct fs_csv_field *cells,
			   int employment, int *changed, struct fs_error *err)
{
	struct fs_row row;
	struct fs_rec before, after;
	rec_init(&before, e);
	rec_init(&after, e);
	*changed = 0;
	int rc = fs_store_get(m->ctx->st, &e->table, id, &row, err);
	if (rc)
		return rc;
	rc = rec_from_values(m->ctx, &before, e, row.vals, err);
	if (!rc)
		rc = rec_from_values(m->ctx, &after, e, row.vals, err);
	fs_row_free(&row);
	if (!rc)
		rc = apply_cells(m, &after, cells, employment, 0);
	if (!rc)
		rc = rec_finish(m->ctx, &after, 0, err);
	if (!rc && !rec_equal(&before, &after)) {
		fs_store_may_fail(m->ctx->st, 1); /* a unique key taken: the row's error, the import goes on */
		rc = rec_update(m->ctx, &before, &after, err);
		fs_store_may_fail(m->ctx->st, 0);
		*changed = !rc;
	}
	rec_done(&before);
	rec_done(&after);
	return rc;
}

static int import_employment(struct imp *m, int64_t person_id, const struct fs_csv_field *cells)
{
	struct fs_error err = {0};
	int hired_col = -1, any = 0;
	for (size_t c = 0; c < m->ncols; c++) {
		int fi = m->colfield[c];
		if (fi >= FIRST_EMPLOYMENT_FIELD && cells[c].len) {
			any = 1;
			if (strcmp(fields[fi].field, "hired") == 0)
				hired_col = (int)c;
		}
	}
	if (!any)
		return 0;
	if (hired_col < 0) {
		row_error(m, 0, "hired", "employment columns are filled but the hire date is missing");
		return FS_EINVAL;
	}
	struct fs_rec fresh;
	rec_init(&fresh, m->ee);
	int rc = apply_cells(m, &fresh, cells, 1, 1);
	if (!rc) {
		/* checked even when the person row is bad or nothing is being stored */
		fs_error_clear(&err);
		rec_set_int(&fresh, "person_id", person_id > 0 ? person_id : -1);
		rc = rec_finish(m->ctx, &fresh, 1, &err);
		if (rc == FS_EINVAL)
			row_error(m, 0, err.field, err.message);
	}
	if (rc || person_id <= 0 || !m->writing) {
		rec_done(&fresh);
		return rc;
	}
	/* the same person, workplace or employer, and hire date: the same employment */
	int64_t existing = 0;
	struct fs_filter f[3] = {{"person_id", FS_EQ, fs_vint(person_id)},
				 {"hired", FS_EQ, *rec_field(&fresh, "hired")},
				 {"employer_id", FS_EQ, *rec_field(&fresh, "employer_id")}};
	rc = find_one(m, m->ee, f, 3, &existing, &err);
	if (!rc && !existing) {
		fs_store_may_fail(m->ctx->st, 1); /* a conflict is the row's error: the import goes on */
		rc = rec_insert(m->ctx, &fresh, NULL, &err);
		fs_store_may_fail(m->ctx->st, 0);
		if (!rc)
			m->rep->employments_inserted++;
	} else if (!rc) {
		int changed;
		rc = update_existing(m, m->ee, existing, cells, 1, &changed, &err);
		m->rep->employments_updated += changed;
	}
	rec_done(&fresh);
	if (rc == FS_EINVAL || rc == FS_ECONFLICT) {
		row_error(m, 0, err.field, err.message);
		rc = FS_EINVAL;
	} else if (rc && !m->fatal.message[0]) {
		m->fatal = err;
	}
	return rc;
}

/* A row tried as new was sealed under a key made for the id it would have had;
 * its insert conflicted (the row matches a stored person), so no person has that
 * id: the key goes too, else a key row would stay for nobody. */
static int drop_tried_key(struct imp *m, const struct fs_rec *fresh, struct fs_error *err)
{
	int64_t tried = fresh->v[0].type == FS_VINT ? fresh->v[0].i : 0, holder = 0;
	if (tried <= 0)
		return 0;
	struct fs_filter f[1] = {{"id", FS_EQ, fs_vint(tried)}};
	int rc = find_one(m, m->pe, f, 1, &holder, err);
	if (!rc && !holder)
		rc = fs_person_key_drop(m->ctx, tried, err);
	return rc;
}

/* One data row. Returns 0, FS_EINVAL for a bad row, or a fatal error. */
static int import_row(struct imp *m, const struct fs_csv_field *cells, size_t n)
{
	struct fs_error err;
	fs_error_clear(&err);
	/* a row may end before trailing columns that have no name (a spreadsheet's "a,b,") */
	size_t need = m->ncols;
	while (need > n && m->unnamed[need - 1])
		need--;
	if (n < need || n > m->ncols) {
		char msg[120];
		snprintf(msg, sizeof(msg), "has %zu fields; the header has %zu", n, m->ncols);
		row_error(m, 0, NULL, msg);
		return FS_EINVAL;
	}
	static const struct fs_csv_field empty = {"", 0};
	struct fs_csv_field padded[FS_IMPORT_COLUMNS_MAX];
	if (n < m->ncols) {
		memcpy(padded, cells, n * sizeof(*cells));
		for (size_t c = n; c < m->ncols; c++)
			padded[c] = empty;
		cells = padded;
		n = m->ncols;
	}
	int sampled = 0;
	for (size_t c = 0; c < n; c++) {
		char msg[200];
		if (bad_text(cells[c].data, cells[c].len, msg, sizeof(msg))) {
			row_error(m, (int)c + 1, NULL, msg);
			if (memchr(cells[c].data, '\0', cells[c].len))
				continue; /* not a matter of the encoding */
			for (size_t k = 0; k < n && !sampled; k++)
				sample_add(m, cells[k].data, cells[k].len);
			sampled = 1;
		} else if (m->unnamed[c] && cells[c].len) {
			snprintf(msg, sizeof(msg), "holds '%.60s' but the column has no name in the header line; name the column "
				 "(or empty the cell)", cells[c].data);
			row_error(m, (int)c + 1, NULL, msg);
		}
	}
	if (m->row_bad)
		return FS_EINVAL;
	struct fs_rec fresh;
	rec_init(&fresh, m->pe);
	fresh.unique_checked = 1;
	int rc = apply_cells(m, &fresh, cells, 0, 1);
	if (!rc) {
		rc = rec_finish(m->ctx, &fresh, 1, &err);
		if (rc == FS_EINVAL)
			row_error(m, 0, err.field, err.message);
	}
	/* duplicates inside the file */
	unsigned char key[16];
	const struct fs_value *hash = &fresh.v[m->pe->hash_of[fs_field_index(m->pe, "national_id")]];
	const struct fs_value *ext = rec_field(&fresh, "external_id");
	int64_t existing = 0;
	if (!rc) {
		const char *what = NULL;
		long other = 0;
		if (hash->type == FS_VBLOB) {
			memcpy(key, hash->p, 16); /* a keyed hash already */
			key[0] ^= 'n';
			other = import_seen_put(&m->seen, key, m->line);
			what = "national ID";
		}
		if (!other && ext->type == FS_VTEXT) {
			crypto_shorthash_siphashx24(key, ext->p, ext->n, m->seen_key); /* 128 bits, keyed per import */
			other = import_seen_put(&m->seen, key, m->line);
			what = "external_id";
		}
		if (other < 0) {
			rc = FS_ENOMEM;
		} else if (other > 0) {
			char msg[120];
			snprintf(msg, sizeof(msg), "duplicate in file: the same %s as line %ld", what, other);
			row_error(m, 0, what, msg);
			rc = FS_EINVAL;
		}
	}
	/* match an existing person: by fairshare_id, national ID, external_id */
	if (!rc && m->id_col >= 0 && cells[m->id_col].len) {
		int64_t want = 0;
		char *end;
		want = strtoll(cells[m->id_col].data, &end, 10);
		struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(m->ctx->org_id)}, {"id", FS_EQ, fs_vint(want)}};
		if (*end || want <= 0 || (rc = find_one(m, m->pe, f, 2, &existing, &err)) || !existing) {
			row_error(m, m->id_col + 1, "fairshare_id", "there is no person with this fairshare_id in the organization");
			rc = rc ? rc : FS_EINVAL;
		}
	}
	int64_t person_id = 0;
	if (!rc && !existing && m->writing) {
		/* Most rows are new: insert, and look for a match only when a unique
		 * key (national ID, external_id) is taken already. */
		fresh.want_id = m->next_person_id; /* rec_insert checks the row got it */
		fs_store_may_fail(m->ctx->st, 1); /* a unique key taken: matched below, in the same transaction */
		rc = rec_insert(m->ctx, &fresh, &person_id, &err);
		fs_store_may_fail(m->ctx->st, 0);
		if (!rc) {
			m->next_person_id = m->ctx->pkey_bulk ? person_id + 1 : 0;
			m->rep->inserted++;
			goto employment;
		}
		if (rc == FS_ECONFLICT)
			rc = drop_tried_key(m, &fresh, &err);
	}
	if (!rc && !existing && m->writing) {
		struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(m->ctx->org_id)}};
		if (hash->type == FS_VBLOB) {
			f[1] = (struct fs_filter){"national_id_hash", FS_EQ, *hash};
			rc = find_one(m, m->pe, f, 2, &existing, &err);
		}
		if (!rc && !existing && ext->type == FS_VTEXT) {
			f[1] = (struct fs_filter){"external_id", FS_EQ, *ext};
			rc = find_one(m, m->pe, f, 2, &existing, &err);
		}
	}
	person_id = existing;
	if (!rc && m->writing) {
		if (!existing) {
			rc = fs_fail(&err, FS_ECONFLICT, NULL, "conflicts with a person that cannot be matched");
		} else {
			int changed;
			rc = update_existing(m, m->pe, existing, cells, 0, &changed, &err);
			if (!rc && changed)
				m->rep->updated++;
			else if (!rc)
				m->rep->unchanged++;
		}
		if (rc == FS_ECONFLICT || rc == FS_EINVAL) {
			row_error(m, 0, err.field, err.message);
			rc = FS_EINVAL;
		}
	}
employment:
	if (rc && rc != FS_EINVAL && !m->fatal.message[0])
		m->fatal = err;
	rec_done(&fresh);
	if (m->has_employment && (rc == 0 || rc == FS_EINVAL)) {
		int erc = import_employment(m, rc ? 0 : person_id, cells);
		if (!rc)
			rc = erc;
	}
	return rc;
}

static int read_header(struct imp *m, struct fs_csv *csv, struct fs_textin *tin, struct fs_error *err)
{
	struct fs_error perr;
	fs_error_clear(&perr);
	int rc = fs_csv_next(csv, &perr);
	if (rc == 0)
		return fs_fail(err, FS_EINVAL, NULL, "%s is empty: the first line must name the columns", m->o->name);
	if (rc == FS_EIO)
		return fs_fail(err, FS_EINVAL, NULL, "%s, line 1: %s", m->o->name, fs_textin_error(tin));
	if (rc < 0)
		return fs_fail(err, rc, NULL, "%s: %s", m->o->name, perr.message);
	size_t n = fs_csv_nfields(csv);
	const struct fs_csv_field *h = fs_csv_fields(csv);
	if (n > FS_IMPORT_COLUMNS_MAX)
		return fs_fail(err, FS_ELIMIT, NULL, "%s has %zu columns; at most %d", m->o->name, n, FS_IMPORT_COLUMNS_MAX);
	m->ncols = n;
	m->line = 1;
	struct fs_buf norm, mnorm;
	fs_buf_init(&norm, 4096);
	fs_buf_init(&mnorm, 4096);
	int used[NFIELDS] = {0};
	for (size_t c = 0; c < n; c++) {
		m->header[c] = strndup(h[c].data, h[c].len);
		m->colfield[c] = -1;
		if (!m->header[c])
			return FS_ENOMEM;
		char bad[200];
		if (bad_text(h[c].data, h[c].len, bad, sizeof(bad))) {
			char msg[240];
			snprintf(msg, sizeof(msg), "column name %s", bad);
			row_error(m, (int)c + 1, NULL, msg);
			if (!memchr(h[c].data, '\0', h[c].len))
				sample_add(m, h[c].data, h[c].len);
			continue;
		}
		import_normalize_header(h[c].data, h[c].len, &norm);
		const char *nm = norm.data ? norm.data : "";
		int fi = -1, mapped = 0;
		for (size_t k = 0; k < m->o->nmap && !mapped; k++) {
			import_normalize_header(m->o->map[k].key, strlen(m->o->map[k].key), &mnorm);
			if (strcmp(mnorm.data ? mnorm.data : "", nm) != 0)
				continue;
			mapped = 1;
			const char *target = m->o->map[k].value;
			if (strcmp(target, "-") == 0)
				break; /* ignored on purpose */
			fi = import_field_by_name(target);
			if (fi < 0) {
				char msg[200];
				snprintf(msg, sizeof(msg), "--map names an unknown field '%.40s'", target);
				row_error(m, (int)c + 1, NULL, msg);
			}
		}
		if (!mapped && !*nm) { /* "a,b," as a spreadsheet writes: its cells must be empty */
			m->unnamed[c] = 1;
			continue;
		}
		if (!mapped && !strcmp(nm, REJECT_COLUMN)) { /* the rejects file, imported again */
			m->reject_col = (int)c;
			continue;
		}
		if (!mapped) {
			fi = import_field_by_alias(nm);
			if (fi < 0) {
				char msg[240];
				snprintf(msg, sizeof(msg),
					 "unknown column '%.50s'; name its field with --map '%.50s=FIELD' or skip it with --map '%.50s=-'",
					 m->header[c], m->header[c], m->header[c]);
				row_error(m, (int)c + 1, NULL, msg);
			}
		}
		if (fi < 0)
			continue;
		if (used[fi]) {
			char msg[160];
			snprintf(msg, sizeof(msg), "a second column for %s (the first is column %d)", fields[fi].field, used[fi]);
			row_error(m, (int)c + 1, fields[fi].field, msg);
			continue;
		}
		used[fi] = (int)c + 1;
		m->colfield[c] = fi;
		if (fi == FAIRSHARE_ID_FIELD)
			m->id_col = (int)c;
		if (fi >= FIRST_EMPLOYMENT_FIELD)
			m->has_employment = 1;
	}
	fs_buf_done(&norm);
	fs_buf_done(&mnorm);
	if (!used[import_field_by_name("full_name")] && !m->row_bad)
		row_error(m, 0, "full_name", "no column for full_name (e.g. a column named 'full_name' or 'name')");
	if (m->row_bad) {
		m->row_bad = 0;
		return fs_fail(err, FS_EINVAL, NULL, "%s: the header line has problems; nothing was imported", m->o->name);
	}
	if (m->o->rejects) {
		for (size_t c = 0; c < n; c++) {
			if ((int)c == m->reject_col)
				continue;
			fs_csv_write_cell(m->o->rejects, m->header[c], strlen(m->header[c]));
			fputc(',', m->o->rejects);
		}
		fputs(REJECT_COLUMN "\r\n", m->o->rejects);
	}
	return 0;
}

/* The file was not UTF-8: say which encodings would read it, in the report and
 * in the error (rc: the import's result so far). */
static void explain_encoding(struct imp *m, struct fs_error *err, int rc)
{
	struct fs_import_report *rep = m->rep;
	int n = fs_textin_suggest(m->sample.data, m->sample.len, rep->suggested, sizeof(rep->suggested));
	if (!rc || !err)
		return;
	char first[40];
	size_t fl = strcspn(rep->suggested, ",");
	fl = fl < sizeof(first) - 1 ? fl : sizeof(first) - 1;
	memcpy(first, rep->suggested, fl);
	first[fl] = '\0';
	char msg[sizeof(err->message)];
	int w;
	if (n)
		w = snprintf(msg, sizeof(msg), "%s. The file is not UTF-8 text; it reads cleanly as %s: import it with the "
			     "encoding %s (--encoding %s)", err->message, rep->suggested, first, first);
	else
		w = snprintf(msg, sizeof(msg), "%s. The file is not UTF-8 text, nor cleanly windows-1254, iso-8859-9, "
			     "windows-1251, koi8-r or cp866: save it as UTF-8, or name its encoding (--encoding)", err->message);
	if (w < 0)
		return;
	snprintf(err->message, sizeof(err->message), "%s", msg);
	fs_utf8_repair(err->message);
}

/* About how many rows a file holds from where it is read (a people file's row
 * is about 100 bytes); 0 when it cannot be known ahead (a pipe). */
static int64_t rows_ahead(FILE *in)
{
	struct stat sb;
	long at = ftell(in);
	if (fstat(fileno(in), &sb) || !S_ISREG(sb.st_mode) || at < 0 || sb.st_size < at)
		return 0;
	return (int64_t)(sb.st_size - at) / 100;
}

int fs_import_people(struct fs_ctx *ctx, const struct fs_import_opts *o, struct fs_import_report *rep,
		     struct fs_error *err)
{
	memset(rep, 0, sizeof(*rep));
	struct imp m = {.ctx = ctx, .o = o, .rep = rep, .id_col = -1, .reject_col = -1};
	m.pe = fs_entity_find("person");
	m.ee = fs_entity_find("employment");
	m.we = fs_entity_find("workplace");
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	if (o->separator && o->separator != ',' && o->separator != ';' && o->separator != '\t')
		return fs_fail(err, FS_EINVAL, "separator", "the separator is a comma, a semicolon or a tab");
	struct fs_textin *tin;
	int rc = fs_textin_open(o->in, o->encoding, &tin, err);
	if (rc)
		return rc;
	struct fs_csv *csv = fs_csv_new(fs_textin_read, tin);
	if (!csv) {
		fs_textin_free(tin);
		return FS_ENOMEM;
	}
	fs_csv_set_separator(csv, o->separator);
	snprintf(rep->encoding, sizeof(rep->encoding), "%s", fs_textin_encoding(tin));
	m.raw = fs_textin_is_raw(tin);
	randombytes_buf(m.seen_key, sizeof(m.seen_key));
	fs_buf_init(&m.reasons, 8192);
	fs_buf_init(&m.sample, 64u * 1024u + 16);
	rc = o->dry_run ? fs_tx_begin(ctx, err) : fs_tx_begin_bulk(ctx, rows_ahead(o->in), err);
	if (rc) {
		fs_csv_free(csv);
		fs_textin_free(tin);
		fs_buf_done(&m.reasons);
		fs_buf_done(&m.sample);
		return rc;
	}
	m.writing = 1;
	struct import_bulk bulk = {0};
	rc = fs_batch_begin(ctx, "import", err);
	if (!rc)
		rc = import_bulk_begin(ctx, &bulk, err);
	if (!rc)
		rc = read_header(&m, csv, tin, err);
	rep->separator = fs_csv_separator(csv);
	while (!rc) {
		struct fs_error perr;
		fs_error_clear(&perr);
		int r = fs_csv_next(csv, &perr);
		if (r == 0)
			break;
		if (r < 0) {
			m.line = perr.line ? perr.line : m.line + 1;
			if (r == FS_EIO) /* the bytes could not be decoded (or read) */
				rc = fs_fail(err, FS_EINVAL, NULL, "%s, line %ld: %s; nothing was imported", o->name, m.line,
					     fs_textin_error(tin));
			else
				rc = fs_fail(err, r, NULL, "%s: %s; nothing was imported", o->name, perr.message);
			break;
		}
		m.line = fs_csv_line(csv);
		size_t n = fs_csv_nfields(csv);
		const struct fs_csv_field *cells = fs_csv_fields(csv);
		if (n == 1 && cells[0].len == 0)
			continue; /* blank line */
		rep->rows++;
		m.row_bad = 0;
		fs_buf_reset(&m.reasons);
		int r2 = import_row(&m, cells, n);
		if (r2 == FS_EINVAL || m.row_bad) {
			rep->rejected++;
			if (o->skip_invalid)
				write_reject(&m, cells, n);
			else
				m.writing = 0; /* keep checking the rest, store nothing */
		} else if (r2) {
			rc = fs_fail(err, r2, m.fatal.field[0] ? m.fatal.field : NULL, "%s, line %ld: %s%s%s", o->name, m.line,
				     r2 == FS_ENOMEM ? "out of memory" : "cannot store the row",
				     m.fatal.message[0] ? ": " : "", m.fatal.message);
		}
	}
	if (!rc && rep->rejected && !o->skip_invalid)
		rc = fs_fail(err, FS_EINVAL, NULL, "%s: %ld of %ld rows are invalid; nothing was imported",
			     o->name, rep->rejected, rep->rows);
	import_seen_free(&m.seen); /* before the indexes are built: the set is done with */
	rc = fs_batch_end(ctx, rc, err); /* the rows not yet bound by a batch entry */
	rc = import_bulk_end(ctx, &bulk, rc, err);
	if (m.sample.len)
		explain_encoding(&m, err, rc);
	if (!rc && o->dry_run) {
		fs_tx_end(ctx, FS_EINVAL, NULL); /* roll back */
	} else {
		rc = fs_tx_end(ctx, rc, err);
	}
	for (size_t c = 0; c < m.ncols; c++)
		free(m.header[c]);
	fs_buf_done(&m.reasons);
	fs_buf_done(&m.sample);
	fs_csv_free(csv);
	fs_textin_free(tin);
	if (rc && rc != FS_EINVAL) {
		rep->inserted = rep->updated = rep->unchanged = 0;
		rep->employments_inserted = rep->employments_updated = 0;
	}
	if (rc == FS_EINVAL && !o->skip_invalid) {
		rep->inserted = rep->updated = rep->unchanged = 0;
		rep->employments_inserted = rep->employments_updated = 0;
	}
	return rc;
}

void fs_import_report_done(struct fs_import_report *rep)
{
	free(rep->errors);
	rep->errors = NULL;
}
