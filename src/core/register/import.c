/* import.c - CSV import of people (and optionally their employment), atomic by
 * default: any bad row and nothing is stored, with every bad row reported by line,
 * column and reason. Rows are matched to existing people by the national-ID hash,
 * else by external_id, so importing a file twice creates nobody twice. */
#include "import_int.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/textin.h"
#include "util/utf8.h"

#include "import_bulk.h"
#include "import_cols.h"


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
		if (imp_bad_text(h[c].data, h[c].len, bad, sizeof(bad))) {
			char msg[240];
			snprintf(msg, sizeof(msg), "column name %s", bad);
			imp_row_error(m, (int)c + 1, NULL, msg);
			if (!memchr(h[c].data, '\0', h[c].len))
				imp_sample_add(m, h[c].data, h[c].len);
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
				imp_row_error(m, (int)c + 1, NULL, msg);
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
				imp_row_error(m, (int)c + 1, NULL, msg);
			}
		}
		if (fi < 0)
			continue;
		if (used[fi]) {
			char msg[160];
			snprintf(msg, sizeof(msg), "a second column for %s (the first is column %d)", fields[fi].field, used[fi]);
			imp_row_error(m, (int)c + 1, fields[fi].field, msg);
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
		imp_row_error(m, 0, "full_name", "no column for full_name (e.g. a column named 'full_name' or 'name')");
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

/* About how many rows a file holds from where it is read, at most (a people
 * file's row is 64 bytes or more); -1 when it cannot be known ahead (a pipe). */
static int64_t rows_ahead(FILE *in)
{
	struct stat sb;
	long at = ftell(in);
	if (fstat(fileno(in), &sb) || !S_ISREG(sb.st_mode) || at < 0 || sb.st_size < at)
		return -1;
	return (int64_t)(sb.st_size - at) / 64;
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
	m.ahead = rows_ahead(o->in);
	rc = o->dry_run ? fs_tx_begin(ctx, err) : fs_tx_begin_bulk(ctx, m.ahead, err);
	if (rc) {
		fs_csv_free(csv);
		fs_textin_free(tin);
		fs_buf_done(&m.reasons);
		fs_buf_done(&m.sample);
		return rc;
	}
	m.writing = 1;
	m.nid_hash_col = m.pe->hash_of[fs_field_index(m.pe, "national_id")];
	m.ext_col = m.pe->col_of[fs_field_index(m.pe, "external_id")];
	struct import_bulk bulk = {0};
	struct pipeline pl;
	rc = fs_batch_begin(ctx, "import", err);
	if (!rc)
		rc = import_bulk_begin(ctx, &bulk, err);
	if (!rc)
		rc = read_header(&m, csv, tin, err);
	if (!rc)
		rc = imp_pipe_begin(&pl, &m, bulk.on, err);
	else
		memset(&pl, 0, sizeof(pl));
	rep->separator = fs_csv_separator(csv);
	long read_line = m.line; /* the last line read (m.line: the row being stored) */
	struct fs_error csv_err; /* the file cannot be read on: after the rows read before it */
	int csv_rc = 0;
	while (!rc) {
		struct fs_error perr;
		fs_error_clear(&perr);
		int r = fs_csv_next(csv, &perr);
		if (r == 0)
			break;
		if (r < 0) {
			long at = perr.line ? perr.line : read_line + 1;
			if (r == FS_EIO) /* the bytes could not be decoded (or read) */
				csv_rc = fs_fail(&csv_err, FS_EINVAL, NULL, "%s, line %ld: %s; nothing was imported", o->name, at,
						 fs_textin_error(tin));
			else
				csv_rc = fs_fail(&csv_err, r, NULL, "%s: %s; nothing was imported", o->name, perr.message);
			break;
		}
		read_line = fs_csv_line(csv);
		size_t n = fs_csv_nfields(csv);
		const struct fs_csv_field *cells = fs_csv_fields(csv);
		if (n == 1 && cells[0].len == 0)
			continue; /* blank line */
		struct chunk *k = &pl.k[pl.fill];
		if (imp_chunk_add(&m, k, read_line, cells, n))
			rc = fs_fail(err, FS_ENOMEM, NULL, "%s, line %ld: out of memory", o->name, read_line);
		else if (k->n == (pl.threaded ? CHUNK : 1) || k->text.len >= CHUNK_BYTES)
			rc = imp_pipe_flush(&pl, 0, err);
	}
	if (!rc && pl.m)
		rc = imp_pipe_flush(&pl, 1, err); /* the rows read, before the end or what stopped the reading */
	if (!rc && csv_rc) {
		*err = csv_err;
		rc = csv_rc;
	}
	if (pl.m)
		imp_pipe_end(&pl);
	if (!rc && rep->rejected && !o->skip_invalid)
		rc = fs_fail(err, FS_EINVAL, NULL, "%s: %ld of %ld rows are invalid; nothing was imported",
			     o->name, rep->rejected, rep->rows);
	import_seen_free(&m.seen); /* before the indexes are built: the set is done with */
	rc = fs_batch_end(ctx, rc, err); /* the rows not yet bound by a batch entry */
	rc = import_bulk_end(ctx, &bulk, rc, err);
	if (m.sample.len)
		explain_encoding(&m, err, rc);
	/* the rows left out are written before anything is stored: a rejects file
	 * that could not be written (a full disk) fails the import, not a committed
	 * one reported as failed */
	if (!rc && o->rejects && (fflush(o->rejects) || ferror(o->rejects)))
		rc = fs_fail(err, FS_EIO, "rejects", "cannot write the rejected rows to the rejects file (%s); nothing was "
			     "imported", errno ? strerror(errno) : "write error");
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
