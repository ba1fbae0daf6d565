/* import_rows.c - one row of an import checked (the cells, the person record,
 * the duplicates inside the file: on the worker thread when there is one) and
 * stored (matched to a stored person, inserted with the seal made ahead for its
 * id or sealed again, or updated; its employment) on the main thread. */
#include "import_int.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

#include "import_cols.h"

void imp_row_error(struct imp *m, int column, const char *field, const char *msg)
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

/* A row's problem: reported at once (k NULL), or noted in the chunk for the main
 * thread to report with the row (the worker's). column -1: the fatal error. */
void imp_note(struct imp *m, struct chunk *k, struct rowjob *j, int column, const char *field, const char *msg)
{
	if (!k) {
		imp_row_error(m, column, field, msg);
		return;
	}
	if (fs_grow(&k->errs, &k->caperrs, k->nerrs, sizeof(*k->errs), 16)) {
		if (j->rc == 0 || j->rc == FS_EINVAL)
			j->rc = FS_ENOMEM; /* the row cannot be reported: the import stops */
		return;
	}
	struct rowerr *e = &k->errs[k->nerrs++];
	e->column = column;
	e->has_field = field != NULL;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	snprintf(e->message, sizeof(e->message), "%s", msg);
	j->nerr++;
}

/* Keep the bytes of a cell that is not UTF-8 for fs_textin_suggest. */
void imp_sample_add(struct imp *m, const char *s, size_t n)
{
	if (!m->raw || m->sample.len + n + 1 > 64u * 1024u)
		return;
	if (m->sample.len)
		fs_buf_addc(&m->sample, ' ');
	fs_buf_add(&m->sample, s, n);
}

/* What is wrong with a cell's bytes, or NULL when they are valid UTF-8. */
const char *imp_bad_text(const char *s, size_t n, char *msg, size_t msgsz)
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

const char *imp_cell_value(const struct fs_csv_field *c)
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
		       int report, struct chunk *k, struct rowjob *j)
{
	struct fs_error err;
	int bad = 0;
	for (size_t c = 0; c < m->ncols; c++) {
		int fi = m->colfield[c];
		if (fi < 0 || fi == FAIRSHARE_ID_FIELD || (fi >= FIRST_EMPLOYMENT_FIELD) != employment)
			continue;
		const char *v = imp_cell_value(&cells[c]);
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
				imp_note(m, k, j, (int)c + 1, name, err.message);
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
		rc = apply_cells(m, &after, cells, employment, 0, NULL, NULL);
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
		imp_row_error(m, 0, "hired", "employment columns are filled but the hire date is missing");
		return FS_EINVAL;
	}
	struct fs_rec fresh;
	rec_init(&fresh, m->ee);
	int rc = apply_cells(m, &fresh, cells, 1, 1, NULL, NULL);
	if (!rc) {
		/* checked even when the person row is bad or nothing is being stored */
		fs_error_clear(&err);
		rec_set_int(&fresh, "person_id", person_id > 0 ? person_id : -1);
		rc = rec_finish(m->ctx, &fresh, 1, &err);
		if (rc == FS_EINVAL)
			imp_row_error(m, 0, err.field, err.message);
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
		imp_row_error(m, 0, err.field, err.message);
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

/* The check of one data row (the worker's, or in turn on the main thread): its
 * fields and bytes, the person record (rec_finish: no store is asked, the import
 * checks uniqueness itself), the duplicates inside the file. Each problem is
 * noted in the order the one-thread import reported it; j->rc: 0, FS_EINVAL for
 * a bad row, or a fatal error. */
void imp_check_row(struct imp *m, struct chunk *k, struct rowjob *j, const struct fs_csv_field *cells)
{
	struct fs_error err;
	fs_error_clear(&err);
	rec_done(&j->fresh); /* the record of the chunk's last use (freed here, off the main thread) */
	j->rc = j->early = j->counted = j->sealed = j->inserted = 0;
	j->pid = 0;
	j->err0 = k->nerrs;
	j->nerr = 0;
	size_t n = j->n;
	/* a row may end before trailing columns that have no name (a spreadsheet's "a,b,") */
	size_t need = m->ncols;
	while (need > n && m->unnamed[need - 1])
		need--;
	if (n < need || n > m->ncols) {
		char msg[120];
		snprintf(msg, sizeof(msg), "has %zu fields; the header has %zu", n, m->ncols);
		imp_note(m, k, j, 0, NULL, msg);
		j->rc = j->rc ? j->rc : FS_EINVAL;
		j->early = 1;
		return;
	}
	n = m->ncols; /* the cells were padded with empty ones as read */
	int sampled = 0, bad = 0;
	for (size_t c = 0; c < n; c++) {
		char msg[200];
		if (imp_bad_text(cells[c].data, cells[c].len, msg, sizeof(msg))) {
			imp_note(m, k, j, (int)c + 1, NULL, msg);
			bad = 1;
			if (memchr(cells[c].data, '\0', cells[c].len))
				continue; /* not a matter of the encoding */
			for (size_t x = 0; x < n && !sampled; x++)
				imp_sample_add(m, cells[x].data, cells[x].len);
			sampled = 1;
		} else if (m->unnamed[c] && cells[c].len) {
			snprintf(msg, sizeof(msg), "holds '%.60s' but the column has no name in the header line; name the column "
				 "(or empty the cell)", cells[c].data);
			imp_note(m, k, j, (int)c + 1, NULL, msg);
			bad = 1;
		}
	}
	if (bad || j->rc) {
		j->rc = j->rc ? j->rc : FS_EINVAL;
		j->early = 1;
		return;
	}
	struct fs_rec *fresh = &j->fresh;
	rec_init(fresh, m->pe);
	fresh->unique_checked = 1;
	int rc = apply_cells(m, fresh, cells, 0, 1, k, j);
	if (!rc) {
		rc = rec_finish(m->ctx, fresh, 1, &err);
		if (rc == FS_EINVAL)
			imp_note(m, k, j, 0, err.field, err.message);
	}
	/* duplicates inside the file */
	unsigned char key[16];
	const struct fs_value *hash = &fresh->v[m->nid_hash_col];
	const struct fs_value *ext = &fresh->v[m->ext_col];
	if (!rc) {
		const char *what = NULL;
		long other = 0;
		if (hash->type == FS_VBLOB) {
			memcpy(key, hash->p, 16); /* a keyed hash already */
			key[0] ^= 'n';
			other = import_seen_put(&m->seen, key, j->line);
			what = "national ID";
		}
		if (!other && ext->type == FS_VTEXT) {
			crypto_shorthash_siphashx24(key, ext->p, ext->n, m->seen_key); /* 128 bits, keyed per import */
			other = import_seen_put(&m->seen, key, j->line);
			what = "external_id";
		}
		if (other < 0) {
			rc = FS_ENOMEM;
		} else if (other > 0) {
			char msg[120];
			snprintf(msg, sizeof(msg), "duplicate in file: the same %s as line %ld", what, other);
			imp_note(m, k, j, 0, what, msg);
			rc = FS_EINVAL;
		}
	}
	if (rc && rc != FS_EINVAL) /* what the main thread keeps as the row's fatal error */
		imp_note(m, k, j, -1, err.field, err.message);
	if (!j->rc || j->rc == FS_EINVAL)
		j->rc = rc;
}

/* A new person sealed ahead by the worker for the id it gets: the row inserted
 * with that seal and row hash, then its key row. 1 when the seal is not for the
 * id the row is given (then nothing was done: the caller seals as before). */
static int insert_sealed(struct imp *m, struct rowjob *j, int64_t *person_id, struct fs_error *err)
{
	struct fs_ctx *ctx = m->ctx;
	if (!j->sealed || j->pid != m->next_person_id || j->pid < fs_person_keys_fresh_from(ctx))
		return 1;
	fs_store_may_fail(ctx->st, 1); /* a unique key taken: matched by the caller, in the same transaction */
	int rc = rec_insert_sealed(ctx, &j->fresh, j->hash, person_id, err);
	fs_store_may_fail(ctx->st, 0);
	if (rc)
		return rc; /* FS_ECONFLICT: no key row was stored for it, none to take back */
	rc = fs_person_key_insert_new(ctx, *person_id, ctx->org_id, j->wrapped, j->nwrapped, err);
	if (rc == FS_ECONFLICT) /* never the row's: the person row is in */
		rc = fs_fail(err, FS_EINTEGRITY, NULL, "person %lld has a key row already", (long long)*person_id);
	return rc;
}

/* The stored person a row matches: by national ID, else by external_id (0: none). */
static int find_match(struct imp *m, const struct fs_value *hash, const struct fs_value *ext, int64_t *existing,
		      struct fs_error *err)
{
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(m->ctx->org_id)}};
	int rc = 0;
	*existing = 0;
	if (hash->type == FS_VBLOB) {
		f[1] = (struct fs_filter){"national_id_hash", FS_EQ, *hash};
		rc = find_one(m, m->pe, f, 2, existing, err);
	}
	if (!rc && !*existing && ext->type == FS_VTEXT) {
		f[1] = (struct fs_filter){"external_id", FS_EQ, *ext};
		rc = find_one(m, m->pe, f, 2, existing, err);
	}
	return rc;
}

/* One data row stored (the main thread, in the file's order): the check's
 * problems reported, then the match, the insert or the update, the employment.
 * Returns 0, FS_EINVAL for a bad row, or a fatal error. */
static int store_row(struct imp *m, struct chunk *k, struct rowjob *j, const struct fs_csv_field *cells)
{
	struct fs_error err;
	fs_error_clear(&err);
	int rc = j->rc;
	for (size_t i = 0; i < j->nerr; i++) {
		const struct rowerr *e = &k->errs[j->err0 + i];
		if (e->column >= 0) {
			imp_row_error(m, e->column, e->has_field ? e->field : NULL, e->message);
		} else if (!m->fatal.message[0]) {
			snprintf(m->fatal.field, sizeof(m->fatal.field), "%s", e->field);
			snprintf(m->fatal.message, sizeof(m->fatal.message), "%s", e->message);
		}
	}
	if (j->early)
		return rc;
	struct fs_rec *fresh = &j->fresh;
	const struct fs_value *hash = &fresh->v[m->nid_hash_col];
	const struct fs_value *ext = &fresh->v[m->ext_col];
	int64_t existing = 0;
	/* match an existing person: by fairshare_id, national ID, external_id */
	if (!rc && m->id_col >= 0 && cells[m->id_col].len) {
		int64_t want = 0;
		char *end;
		want = strtoll(cells[m->id_col].data, &end, 10);
		struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(m->ctx->org_id)}, {"id", FS_EQ, fs_vint(want)}};
		if (*end || want <= 0 || (rc = find_one(m, m->pe, f, 2, &existing, &err)) || !existing) {
			imp_row_error(m, m->id_col + 1, "fairshare_id", "there is no person with this fairshare_id in the organization");
			rc = rc ? rc : FS_EINVAL;
		}
	}
	int64_t person_id = 0;
	if (!rc && !existing && m->writing && m->pl->threaded && !j->counted)
		rc = find_match(m, hash, ext, &existing, &err); /* the worker saw a stored person's key: looked up first */
	if (!rc && !existing && m->writing) {
		/* Most rows are new: insert, and look for a match only when a unique
		 * key (national ID, external_id) is taken already. */
		int sealed = 1;
		if ((rc = insert_sealed(m, j, &person_id, &err)) == 1) {
			sealed = 0;
			fresh->want_id = m->next_person_id; /* rec_insert checks the row got it */
			fs_store_may_fail(m->ctx->st, 1); /* a unique key taken: matched below, in the same transaction */
			rc = rec_insert(m->ctx, fresh, &person_id, &err);
			fs_store_may_fail(m->ctx->st, 0);
		}
		if (!rc) {
			m->next_person_id = m->ctx->pkey_bulk ? person_id + 1 : 0;
			m->rep->inserted++;
			m->rep->sealed_ahead += sealed;
			m->rep->sealed_again += !sealed && j->sealed;
			j->inserted = 1;
			goto employment;
		}
		if (rc == FS_ECONFLICT && !sealed)
			rc = drop_tried_key(m, fresh, &err);
		else if (rc == FS_ECONFLICT)
			rc = 0;
	}
	if (!rc && !existing && m->writing)
		rc = find_match(m, hash, ext, &existing, &err);
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
			imp_row_error(m, 0, err.field, err.message);
			rc = FS_EINVAL;
		}
	}
employment:
	if (rc && rc != FS_EINVAL && !m->fatal.message[0])
		m->fatal = err;
	if (m->has_employment && (rc == 0 || rc == FS_EINVAL)) {
		int erc = import_employment(m, rc ? 0 : person_id, cells);
		if (!rc)
			rc = erc;
	}
	return rc;
}

/* One row of the file taken: stored, counted, rejected or the import stopped
 * (err). */
int imp_take_row(struct imp *m, struct chunk *k, struct rowjob *j, struct fs_error *err)
{
	const struct fs_import_opts *o = m->o;
	const struct fs_csv_field *cells = &k->cells[j->cell0];
	m->line = j->line;
	m->rep->rows++;
	m->row_bad = 0;
	fs_buf_reset(&m->reasons);
	int r2 = store_row(m, k, j, cells);
	if (j->counted != j->inserted) /* the worker's count of ids follows what happened */
		atomic_fetch_add(&m->pl->skipped, j->counted ? 1 : -1);
	if (r2 == FS_EINVAL || m->row_bad) {
		m->rep->rejected++;
		if (o->skip_invalid) {
			write_reject(m, cells, j->n);
		} else {
			m->writing = 0; /* keep checking the rest, store nothing */
			atomic_store(&m->pl->stop, 1);
		}
	} else if (r2) {
		return fs_fail(err, r2, m->fatal.field[0] ? m->fatal.field : NULL, "%s, line %ld: %s%s%s", o->name, m->line,
			       r2 == FS_ENOMEM ? "out of memory" : "cannot store the row", m->fatal.message[0] ? ": " : "",
			       m->fatal.message);
	}
	return 0;
}

/* ---- the chunks ---- */
