/* export.c - people out as CSV (formula-safe, re-importable) or JSON; any of the
 * record's entities out as CSV or JSON, public records only on request. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/csv.h"
#include "util/money.h"

int fs_csv_write_cell(FILE *out, const char *s, size_t n)
{
	/* A cell a spreadsheet would run as a formula gets a leading apostrophe;
	 * import removes it again (fs_csv_needs_guard: the rule round-trips). */
	int guard = fs_csv_needs_guard(s, n);
	int quote = guard;
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (n && (s[0] == ' ' || s[n - 1] == ' '))
		quote = 1;
	if (quote)
		fputc('"', out);
	if (guard)
		fputc('\'', out);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			fputc('"', out);
		fputc(s[i], out);
	}
	if (quote)
		fputc('"', out);
	return ferror(out) ? FS_EIO : 0;
}

/* One writer for both exports: the id column, then the named fields. */
struct export_ud {
	struct fs_ctx *ctx;
	const struct fs_entity *e;
	FILE *out;
	enum fs_export_format fmt;
	int reveal; /* sealed fields in the JSON form */
	const char *fields[FS_MAX_FIELDS];
	size_t nfields;
	int64_t n;
	int rc;
	struct fs_error *err;
	int filter, public_only; /* rows the principal may not read (or not public) left out */
	struct fs_hcache *cache;
};

static void write_value(FILE *out, const struct fs_field *f, const struct fs_rec *r)
{
	if (f->flags & FF_SEALED) {
		const char *s = rec_sealed(r, f->name);
		fs_csv_write_cell(out, s ? s : "", s ? strlen(s) : 0);
		return;
	}
	const struct fs_value *fv = rec_field(r, f->name);
	char num[32];
	if (fv->type == FS_VTEXT) {
		fs_csv_write_cell(out, fv->p, fv->n);
	} else if (fv->type == FS_VINT) {
		if (f->kind == FK_MONEY)
			fs_money_format(fv->i, 2, num);
		else if (f->kind == FK_BOOL)
			snprintf(num, sizeof(num), "%s", fv->i ? "yes" : "no");
		else
			snprintf(num, sizeof(num), "%lld", (long long)fv->i);
		fputs(num, out);
	}
}

static int export_cb(void *p, const struct fs_value *v)
{
	struct export_ud *u = p;
	struct fs_rec r;
	if (u->filter && !fs_row_shown(u->ctx, u->e, v, u->public_only, u->cache))
		return 0;
	if ((u->rc = rec_from_values(u->ctx, &r, u->e, v, u->err)))
		return 1;
	if (u->fmt == FS_EXPORT_JSON) {
		json_t *j = rec_to_json(&r, u->reveal ? REC_JSON_REVEAL : 0);
		fputs(u->n ? ",\n" : "\n", u->out);
		json_dumpf(j, u->out, JSON_COMPACT);
		json_decref(j);
	} else {
		fprintf(u->out, "%lld", (long long)v[0].i);
		for (size_t i = 0; i < u->nfields; i++) {
			fputc(',', u->out);
			write_value(u->out, &u->e->fields[fs_field_index(u->e, u->fields[i])], &r);
		}
		fputs("\r\n", u->out);
	}
	rec_done(&r);
	u->n++;
	if (ferror(u->out))
		u->rc = fs_fail(u->err, FS_EIO, NULL, "cannot write the export");
	return u->rc != 0;
}

static int export_run(struct export_ud *u, const char *id_header, const struct fs_filter *f, size_t nf)
{
	FILE *out = u->out;
	if (u->fmt == FS_EXPORT_JSON) {
		fputc('[', out);
	} else {
		fputs(id_header, out);
		for (size_t i = 0; i < u->nfields; i++)
			fprintf(out, ",%s", u->fields[i]);
		fputs("\r\n", out);
	}
	struct fs_query q = {.table = &u->e->table, .filters = f, .nfilters = nf};
	int rc = fs_select_rows(u->ctx, &q, export_cb, u, &u->rc, u->err);
	if (u->fmt == FS_EXPORT_JSON)
		fputs(u->n ? "\n]\n" : "]\n", out);
	if (!rc && (fflush(out) != 0 || ferror(out)))
		rc = fs_fail(u->err, FS_EIO, NULL, "cannot write the export");
	return rc;
}

int fs_export_people(struct fs_ctx *ctx, FILE *out, enum fs_export_format fmt, unsigned flags,
		     struct fs_error *err)
{
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	static const char *const csv_fields[] = {"external_id", "full_name", "national_id", "birth_date", "phone", "address"};
	if ((flags & FS_REVEAL) && !fs_can(ctx, "people.reveal"))
		return fs_fail(err, FS_EPERM, "reveal", "your role cannot see sealed fields");
	struct export_ud u = {.ctx = ctx, .e = fs_entity_find("person"), .out = out, .fmt = fmt,
			      .reveal = (flags & FS_REVEAL) != 0, .nfields = (flags & FS_REVEAL) ? 6 : 2, .err = err};
	for (size_t i = 0; i < u.nfields; i++)
		u.fields[i] = csv_fields[i];
	struct fs_filter f = {"org_id", FS_EQ, fs_vint(ctx->org_id)};
	return export_run(&u, "fairshare_id", &f, 1);
}

/* ---- the record's entities ---- */

int fs_export_records(struct fs_ctx *ctx, const struct fs_entity *e, FILE *out, enum fs_export_format fmt, unsigned flags,
		      struct fs_error *err)
{
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	int pub = (flags & FS_PUBLIC_ONLY) != 0;
	if (pub && !fs_handled(e))
		return fs_fail(err, FS_EINVAL, "public", "%s have no handling level; there is no public export of them", e->plural);
	if ((flags & FS_REVEAL) && !pub && !fs_can(ctx, "people.reveal"))
		return fs_fail(err, FS_EPERM, "reveal", "your role cannot see sealed fields");
	struct export_ud u = {.ctx = ctx, .e = e, .out = out, .fmt = fmt, .reveal = (flags & FS_REVEAL) && !pub, .err = err,
			      .filter = pub || !fs_sees_every_level(ctx), .public_only = pub};
	for (size_t i = 0; i < e->nfields; i++)
		if (!(e->fields[i].flags & FF_SEALED) || u.reveal)
			u.fields[u.nfields++] = e->fields[i].name;
	struct fs_filter f = {"org_id", FS_EQ, fs_vint(ctx->org_id)};
	if (u.filter && !(u.cache = calloc(1, sizeof(*u.cache))))
		return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	int rc = export_run(&u, "id", &f, 1);
	free(u.cache);
	return rc;
}
