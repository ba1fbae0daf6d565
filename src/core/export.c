/* export.c - people out as CSV (formula-safe, re-importable) or JSON; any of the
 * record's entities out as CSV or JSON, public records only on request. */
#include "internal.h"

#include <string.h>

#include "../util/money.h"

int fs_csv_write_cell(FILE *out, const char *s, size_t n)
{
	/* A cell a spreadsheet would run as a formula gets a leading apostrophe;
	 * import removes it again. */
	int guard = n && strchr("=+-@\t\r", s[0]);
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

struct export_ud {
	struct fs_ctx *ctx;
	FILE *out;
	enum fs_export_format fmt;
	unsigned flags;
	int64_t n;
	int rc;
	struct fs_error *err;
};

static const char *const csv_fields[] = {"external_id", "full_name", "national_id", "birth_date", "phone", "address"};

static int export_cb(void *p, const struct fs_value *v)
{
	struct export_ud *u = p;
	const struct fs_entity *e = fs_entity_find("person");
	struct fs_rec r;
	if ((u->rc = rec_from_values(u->ctx, &r, e, v, u->err)))
		return 1;
	if (u->fmt == FS_EXPORT_JSON) {
		json_t *j = rec_to_json(&r, (u->flags & FS_REVEAL) ? REC_JSON_REVEAL : 0);
		fputs(u->n ? ",\n" : "\n", u->out);
		json_dumpf(j, u->out, JSON_COMPACT);
		json_decref(j);
	} else {
		size_t nf = (u->flags & FS_REVEAL) ? 6 : 2;
		fprintf(u->out, "%lld,", (long long)v[0].i);
		for (size_t i = 0; i < nf; i++) {
			const char *s = NULL;
			size_t len = 0;
			if (i >= 2) {
				s = rec_sealed(&r, csv_fields[i]);
				len = s ? strlen(s) : 0;
			} else {
				const struct fs_value *fv = rec_field(&r, csv_fields[i]);
				if (fv->type == FS_VTEXT) {
					s = fv->p;
					len = fv->n;
				}
			}
			if (i)
				fputc(',', u->out);
			fs_csv_write_cell(u->out, s ? s : "", len);
		}
		fputs("\r\n", u->out);
	}
	rec_done(&r);
	u->n++;
	if (ferror(u->out))
		u->rc = fs_fail(u->err, FS_EIO, NULL, "cannot write the export");
	return u->rc != 0;
}

int fs_export_people(struct fs_ctx *ctx, FILE *out, enum fs_export_format fmt, unsigned flags,
		     struct fs_error *err)
{
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	const struct fs_entity *e = fs_entity_find("person");
	struct export_ud u = {ctx, out, fmt, flags, 0, 0, err};
	if (fmt == FS_EXPORT_JSON) {
		fputc('[', out);
	} else {
		size_t nf = (flags & FS_REVEAL) ? 6 : 2;
		fputs("fairshare_id", out);
		for (size_t i = 0; i < nf; i++)
			fprintf(out, ",%s", csv_fields[i]);
		fputs("\r\n", out);
	}
	struct fs_filter f = {"org_id", FS_EQ, fs_vint(ctx->org_id)};
	struct fs_query q = {.table = &e->table, .filters = &f, .nfilters = 1};
	int rc = fs_store_select(ctx->st, &q, export_cb, &u, err);
	if (!rc)
		rc = u.rc;
	if (fmt == FS_EXPORT_JSON)
		fputs(u.n ? "\n]\n" : "]\n", out);
	if (!rc && (fflush(out) != 0 || ferror(out)))
		rc = fs_fail(err, FS_EIO, NULL, "cannot write the export");
	return rc;
}

/* ---- the record's entities ---- */

struct rexport_ud {
	struct fs_ctx *ctx;
	const struct fs_entity *e;
	FILE *out;
	enum fs_export_format fmt;
	unsigned flags;
	int64_t n;
	int rc;
	struct fs_error *err;
};

static int shown(const struct fs_field *f, unsigned flags)
{
	return !(f->flags & FF_SEALED) || ((flags & FS_REVEAL) && !(flags & FS_PUBLIC_ONLY));
}

static int rexport_cb(void *p, const struct fs_value *v)
{
	struct rexport_ud *u = p;
	const struct fs_entity *e = u->e;
	struct fs_rec r;
	if ((u->rc = rec_from_values(u->ctx, &r, e, v, u->err)))
		return 1;
	int reveal = (u->flags & FS_REVEAL) && !(u->flags & FS_PUBLIC_ONLY);
	if (u->fmt == FS_EXPORT_JSON) {
		json_t *j = rec_to_json(&r, reveal ? REC_JSON_REVEAL : 0);
		fputs(u->n ? ",\n" : "\n", u->out);
		json_dumpf(j, u->out, JSON_COMPACT);
		json_decref(j);
	} else {
		fprintf(u->out, "%lld", (long long)v[0].i);
		for (size_t i = 0; i < e->nfields; i++) {
			const struct fs_field *f = &e->fields[i];
			if (!shown(f, u->flags))
				continue;
			fputc(',', u->out);
			if (f->flags & FF_SEALED) {
				const char *s = rec_sealed(&r, f->name);
				fs_csv_write_cell(u->out, s ? s : "", s ? strlen(s) : 0);
				continue;
			}
			const struct fs_value *fv = rec_field(&r, f->name);
			char num[32];
			if (fv->type == FS_VTEXT) {
				fs_csv_write_cell(u->out, fv->p, fv->n);
			} else if (fv->type == FS_VINT) {
				if (f->kind == FK_MONEY)
					fs_money_format(fv->i, 2, num);
				else if (f->kind == FK_BOOL)
					snprintf(num, sizeof(num), "%s", fv->i ? "yes" : "no");
				else
					snprintf(num, sizeof(num), "%lld", (long long)fv->i);
				fputs(num, u->out);
			}
		}
		fputs("\r\n", u->out);
	}
	rec_done(&r);
	u->n++;
	if (ferror(u->out))
		u->rc = fs_fail(u->err, FS_EIO, NULL, "cannot write the export");
	return u->rc != 0;
}

int fs_export_records(struct fs_ctx *ctx, const struct fs_entity *e, FILE *out, enum fs_export_format fmt, unsigned flags,
		      struct fs_error *err)
{
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	int has_handling = fs_field_index(e, "handling") >= 0;
	if ((flags & FS_PUBLIC_ONLY) && !has_handling)
		return fs_fail(err, FS_EINVAL, "public", "%s have no handling level; there is no public export of them", e->plural);
	struct rexport_ud u = {ctx, e, out, fmt, flags, 0, 0, err};
	if (fmt == FS_EXPORT_JSON) {
		fputc('[', out);
	} else {
		fputs("id", out);
		for (size_t i = 0; i < e->nfields; i++)
			if (shown(&e->fields[i], flags))
				fprintf(out, ",%s", e->fields[i].name);
		fputs("\r\n", out);
	}
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"handling", FS_EQ, fs_vtext("public")}};
	struct fs_query q = {.table = &e->table, .filters = f, .nfilters = (flags & FS_PUBLIC_ONLY) ? 2 : 1};
	int rc = fs_select_rows(ctx, &q, rexport_cb, &u, &u.rc, err);
	if (fmt == FS_EXPORT_JSON)
		fputs(u.n ? "\n]\n" : "]\n", out);
	if (!rc && (fflush(out) != 0 || ferror(out)))
		rc = fs_fail(err, FS_EIO, NULL, "cannot write the export");
	return rc;
}
