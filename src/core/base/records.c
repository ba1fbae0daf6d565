/* records.c - the generic record machinery every entity goes through: the
 * in-memory record (fs_rec), parsing text fields by their kind, sealing and
 * opening the sealed fields, uniqueness, the JSON of a record, and its row
 * in the store. */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/money.h"
#include "util/utf8.h"
#include "entity_int.h"
#include "fs_assert.h"
#include "policy.h"

/* ---- records ---- */

void rec_init(struct fs_rec *r, const struct fs_entity *e)
{
	memset(r, 0, sizeof(*r));
	r->e = e;
}

void rec_done(struct fs_rec *r)
{
	/* what a record owns is its entity's columns and fields (none when blank) */
	size_t ncols = r->e ? r->e->table.ncols : FS_MAX_COLS, nfields = r->e ? r->e->nfields : FS_MAX_FIELDS;
	for (size_t i = 0; i < ncols; i++)
		if (r->own[i])
			free(r->own[i]);
	for (size_t i = 0; i < nfields; i++) {
		if (r->plain[i]) {
			memset(r->plain[i], 0, strlen(r->plain[i]));
			free(r->plain[i]);
		}
	}
	memset(r, 0, sizeof(*r));
}

static int set_col_bytes(struct fs_rec *r, int col, enum fs_vtype t, const void *p, size_t n)
{
	char *copy = malloc(n + 1);
	if (!copy)
		return FS_ENOMEM;
	if (n)
		memcpy(copy, p, n);
	copy[n] = '\0';
	free(r->own[col]);
	r->own[col] = copy;
	r->v[col] = (struct fs_value){t, 0, copy, n};
	return 0;
}

static void set_col_null(struct fs_rec *r, int col)
{
	free(r->own[col]);
	r->own[col] = NULL;
	r->v[col] = fs_vnull();
}

static int set_plain(struct fs_rec *r, size_t fi, const char *s)
{
	char *copy = NULL;
	if (s && !(copy = strdup(s)))
		return FS_ENOMEM;
	if (r->plain[fi]) {
		memset(r->plain[fi], 0, strlen(r->plain[fi]));
		free(r->plain[fi]);
	}
	r->plain[fi] = copy;
	r->sealed_dirty = 1;
	return 0;
}
/* Append the fields of r with flag to a seal's payload: u16 length (0xFFFF =
 * absent) + bytes each; *any set when one is present. */
static int payload_add(struct fs_buf *plain, const struct fs_rec *r, unsigned flag, int *any)
{
	int rc = 0;
	for (size_t i = 0; i < r->e->nfields && !rc; i++) {
		if (!(r->e->fields[i].flags & flag))
			continue;
		const char *p = r->plain[i];
		size_t n = p ? strlen(p) : 0xFFFF;
		unsigned char len[2] = {(unsigned char)(n >> 8), (unsigned char)n};
		rc = fs_buf_add(plain, len, 2);
		if (!rc && p) {
			rc = fs_buf_add(plain, p, n);
			*any = 1;
		}
	}
	return rc;
}

/* The seal made (rc 0; none when no field had a value) put in the record's
 * sealed column, the plain text wiped, both buffers freed. */
static int seal_put(struct fs_rec *r, int rc, int any, struct fs_buf *plain, struct fs_buf *out)
{
	if (plain->data)
		memset(plain->data, 0, plain->len);
	fs_buf_done(plain);
	if (!rc) {
		if (any)
			rc = set_col_bytes(r, r->e->sealed_col, FS_VBLOB, out->data, out->len);
		else
			set_col_null(r, r->e->sealed_col);
	}
	fs_buf_done(out);
	return rc;
}

/* Sealed payload: for each sealed field, u16 length (0xFFFF = absent) + bytes. */
static int seal_rec(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	if (r->v[0].type != FS_VINT)
		return 0; /* a new row: sealed by rec_insert once its id is known (the seal names its row) */
	struct fs_buf plain, out;
	fs_buf_init(&plain, 64 * 1024);
	fs_buf_init(&out, 64 * 1024);
	int any = 0;
	int rc = payload_add(&plain, r, FF_SEALED, &any);
	if (!rc && e->any_restricted && fs_restricted_row(e, r->v))
		rc = payload_add(&plain, r, FF_RESTRICTED, &any);
	if (!rc && any)
		rc = fs_seal_for(ctx, r, plain.data, plain.len, &out);
	rc = seal_put(r, rc, any, &plain, &out);
	if (rc == FS_EPERM)
		return fs_fail(err, rc, NULL, "%s %lld was forgotten: nothing is sealed for them again", e->name,
			       (long long)r->v[0].i);
	if (rc)
		return fs_fail(err, rc, NULL, "cannot seal the record");
	r->sealed_dirty = 0;
	return 0;
}

int rec_seal_new_person(struct fs_keys *k, struct fs_rec *r, int64_t id, const unsigned char key[32],
			struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	if (e->person_col != 0 || e->any_restricted || e->sealed_col < 0)
		return fs_fail(err, FS_EINVAL, NULL, "only a person's seal is made this way");
	r->v[0] = fs_vint(id); /* the seal names its row */
	struct fs_buf plain, out;
	fs_buf_init(&plain, 64 * 1024);
	fs_buf_init(&out, 64 * 1024);
	int any = 0;
	int rc = payload_add(&plain, r, FF_SEALED, &any);
	if (!rc && any) {
		char ad[FS_SEAL_AD_MAX];
		fs_seal_ad(e->table.name, id, "sealed", ad);
		rc = fs_seal_with(k, key, FS_SEAL_BOUND_PERSON, ad, plain.data, plain.len, &out);
	}
	rc = seal_put(r, rc, any, &plain, &out);
	if (rc)
		return fs_fail(err, rc, NULL, "cannot seal the record");
	r->sealed_dirty = 0;
	return 0;
}

int rec_set_bytes(struct fs_rec *r, int col, int type, const void *p, size_t n)
{
	if (type == FS_VNULL)
		return set_col_null(r, col), 0;
	return set_col_bytes(r, col, (enum fs_vtype)type, p, n);
}

int rec_set_plain(struct fs_rec *r, size_t fi, const char *s)
{
	return set_plain(r, fi, s);
}

int rec_seal(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	return seal_rec(ctx, r, err);
}

static int unseal_rec(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	const struct fs_value *sv = &r->v[e->sealed_col];
	if (sv->type != FS_VBLOB)
		return 0;
	struct fs_buf plain;
	fs_buf_init(&plain, 64 * 1024);
	int rc = fs_unseal_for(ctx, e, r->v, sv->p, sv->n, &plain);
	if (rc < 0) {
		fs_buf_done(&plain);
		return fs_fail(err, FS_ECRYPTO, NULL,
			       "the sealed fields of %s %lld cannot be opened: wrong key file, or the data "
			       "was altered or moved from another row", e->name, (long long)r->v[0].i);
	}
	rc = rc ? 0 : rec_open_payload(r, plain.data ? plain.data : "", plain.len); /* 1: forgotten, nothing to open */
	if (plain.data)
		memset(plain.data, 0, plain.len);
	fs_buf_done(&plain);
	if (rc)
		return fs_fail(err, rc, NULL, "the sealed fields of %s %lld are malformed", e->name, (long long)r->v[0].i);
	return 0;
}

int rec_from_values(struct fs_ctx *ctx, struct fs_rec *r, const struct fs_entity *e,
		    const struct fs_value *vals, struct fs_error *err)
{
	return rec_from_values_ex(ctx, r, e, vals, 1, err);
}

int rec_from_values_ex(struct fs_ctx *ctx, struct fs_rec *r, const struct fs_entity *e,
		       const struct fs_value *vals, int unseal, struct fs_error *err)
{
	rec_init(r, e);
	for (size_t i = 0; i < e->table.ncols; i++) {
		if (vals[i].type == FS_VTEXT || vals[i].type == FS_VBLOB) {
			if (set_col_bytes(r, (int)i, vals[i].type, vals[i].p, vals[i].n))
				return fs_fail(err, FS_ENOMEM, NULL, "out of memory");
		} else {
			r->v[i] = vals[i];
		}
	}
	return e->sealed_col >= 0 && unseal ? unseal_rec(ctx, r, err) : 0;
}

const struct fs_value *rec_field(const struct fs_rec *r, const char *name)
{
	int fi = fs_field_index(r->e, name);
	if (fi < 0 || r->e->col_of[fi] < 0)
		return NULL;
	return &r->v[r->e->col_of[fi]];
}

const char *rec_sealed(const struct fs_rec *r, const char *name)
{
	int fi = fs_field_index(r->e, name);
	return fi < 0 ? NULL : r->plain[fi];
}

int rec_set_int(struct fs_rec *r, const char *field, int64_t v)
{
	int fi = fs_field_index(r->e, field);
	if (fi < 0 || r->e->col_of[fi] < 0)
		return FS_EINVAL;
	r->v[r->e->col_of[fi]] = fs_vint(v);
	return 0;
}

static int parse_bool(const char *s, int *out)
{
	static const char *const yes[] = {"1", "yes", "y", "true", "evet", "e", "да", "иә", "ия", NULL};
	static const char *const no[] = {"0", "no", "n", "false", "hayır", "hayir", "h", "нет", "жоқ", NULL};
	char low[16];
	size_t n = strlen(s);
	if (n >= sizeof(low))
		return -1;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	for (size_t i = 0; yes[i]; i++)
		if (strcmp(low, yes[i]) == 0)
			return *out = 1, 0;
	for (size_t i = 0; no[i]; i++)
		if (strcmp(low, no[i]) == 0)
			return *out = 0, 0;
	return -1;
}

int rec_check_text(const char *s, size_t n, unsigned max, int multiline, struct fs_error *err,
		   const char *field)
{
	/* printable ASCII, the common case, in one pass: valid UTF-8 with neither a
	 * control nor a direction control, one character a byte */
	size_t a = 0;
	while (n - a >= 8) { /* eight bytes at a time: none below 0x20, none above 0x7E */
		uint64_t v;
		memcpy(&v, s + a, 8);
		if ((((v - 0x2020202020202020ULL) & ~v) | (v + 0x0101010101010101ULL) | v) & 0x8080808080808080ULL)
			break;
		a += 8;
	}
	while (a < n && (unsigned char)s[a] >= 0x20 && (unsigned char)s[a] < 0x7F)
		a++;
	if (a == n)
		return max && n > max ? fs_fail(err, FS_EINVAL, field, "is longer than %u characters", max) : 0;
	size_t bad = fs_utf8_invalid_at(s, n);
	if (bad && s[bad - 1] == '\0')
		return fs_fail(err, FS_EINVAL, field, "contains a NUL byte (byte %zu), which no text holds", bad);
	if (bad)
		return fs_fail(err, FS_EINVAL, field,
			       "is not valid UTF-8 text (byte %zu); save the file as UTF-8", bad);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7F)
			return fs_fail(err, FS_EINVAL, field, "contains a control character");
	}
	uint32_t bidi = fs_utf8_bidi_control(s, n);
	if (bidi)
		return fs_fail(err, FS_EINVAL, field,
			       "contains the invisible direction control U+%04X, which would show the text reversed; "
			       "remove it", (unsigned)bidi);
	if (max && fs_utf8_length(s, n) > max)
		return fs_fail(err, FS_EINVAL, field, "is longer than %u characters", max);
	return 0;
}

int rec_ref_check(struct fs_ctx *ctx, const struct fs_field *f, int64_t id, struct fs_error *err)
{
	const struct fs_entity *target = fs_entity_lookup(f->ref);
	struct fs_row row;
	int rc = fs_store_get(ctx->st, &target->table, id, &row, NULL);
	if (rc == FS_ENOTFOUND)
		return fs_fail(err, FS_EINVAL, f->name, "there is no %s with id %lld", target->name, (long long)id);
	if (rc)
		return fs_fail(err, rc, f->name, "cannot look up %s %lld", target->name, (long long)id);
	/* a record may name only its own organization's records, and of the
	 * organizations only its own */
	int other_org = target->owned ? row.vals[target->org_col].i != ctx->org_id
				      : target == fs_entity_lookup("organization") && id != ctx->org_id;
	fs_row_free(&row);
	if (other_org) /* not confirmed to exist: the same answer as a missing one */
		return fs_fail(err, FS_EINVAL, f->name, "there is no %s with id %lld", target->name, (long long)id);
	return 0;
}

int rec_set(struct fs_ctx *ctx, struct fs_rec *r, const char *key, const char *value, struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	int fi = fs_field_index(e, key);
	if (fi < 0) {
		char names[512];
		size_t used = 0;
		names[0] = '\0';
		for (size_t i = 0; i < e->nfields && used < sizeof(names); i++)
			used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "", e->fields[i].name);
		return fs_fail(err, FS_EINVAL, key, "%s has no field '%.40s' (fields: %s)", e->name, key, names);
	}
	return rec_set_field(ctx, r, fi, value, err);
}

int rec_set_field(struct fs_ctx *ctx, struct fs_rec *r, int fi, const char *value, struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	FS_ASSERT(fi >= 0 && (size_t)fi < e->nfields);
	const struct fs_field *f = &e->fields[fi];
	int col = e->col_of[fi];
	if ((f->flags & FF_RESTRICTED) && r->plain[fi] && set_plain(r, (size_t)fi, NULL))
		return FS_ENOMEM; /* the column holds the text again until rec_finish */
	/* trim surrounding blanks */
	const char *s = value ? value : "";
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	/* a copy to check (and to case in place): on the stack unless long */
	char small[512];
	char *t = n < sizeof(small) ? small : malloc(n + 1);
	if (!t)
		return FS_ENOMEM;
	memcpy(t, s, n);
	t[n] = '\0';
	int rc = 0;
	if (n == 0) {
		if (f->flags & FF_REQUIRED)
			rc = fs_fail(err, FS_EINVAL, f->name, "is required");
		else if (f->flags & FF_SEALED) {
			rc = set_plain(r, (size_t)fi, NULL);
			if (!rc && e->hash_of[fi] >= 0)
				set_col_null(r, e->hash_of[fi]);
		} else {
			set_col_null(r, col);
			if (e->fold_of[fi] >= 0)
				set_col_null(r, e->fold_of[fi]);
			if (f->kind == FK_BOOL)
				r->v[col] = fs_vint(0);
		}
		goto out;
	}
	char norm[64];
	const char *store = t;
	switch (f->kind) {
	case FK_TEXT:
	case FK_NAME:
		rc = rec_check_text(t, n, f->max, strcmp(f->name, "address") == 0, err, f->name);
		if (!rc && strcmp(f->name, "slug") == 0) {
			for (size_t i = 0; i < n && !rc; i++)
				if (!(islower((unsigned char)t[i]) || isdigit((unsigned char)t[i]) || t[i] == '-'))
					rc = fs_fail(err, FS_EINVAL, f->name, "use lower-case letters a-z, digits and '-'");
		}
		if (!rc && strcmp(f->name, "national_id") == 0 && e->normalize_id) {
			rc = e->normalize_id(e->owned ? ctx->org_country : NULL, t, norm, sizeof(norm), err, f->name);
			store = norm;
		}
		if (!rc && strcmp(f->name, "phone") == 0) {
			for (size_t i = 0; i < n && !rc; i++)
				if (!strchr("0123456789+-() .", t[i]))
					rc = fs_fail(err, FS_EINVAL, f->name, "a phone number has digits, spaces and + - ( ) only");
		}
		break;
	case FK_CODE:
		if (n != f->max)
			rc = fs_fail(err, FS_EINVAL, f->name, "'%.16s' is not a %u-letter code", t, f->max);
		for (size_t i = 0; i < n && !rc; i++) {
			if (!isalpha((unsigned char)t[i]))
				rc = fs_fail(err, FS_EINVAL, f->name, "'%.16s' is not a %u-letter code", t, f->max);
			t[i] = (char)toupper((unsigned char)t[i]);
		}
		if (!rc && strcmp(f->name, "currency") == 0 && fs_currency_exponent(t) < 0)
			rc = fs_fail(err, FS_EINVAL, f->name, "'%s' is not a supported currency", t);
		break;
	case FK_DATE: {
		fs_date d;
		rc = fs_date_parse(t, &d, err, f->name);
		if (!rc)
			fs_date_format(d, norm);
		store = norm;
		break;
	}
	case FK_TIME: {
		int64_t at;
		rc = fs_time_parse(t, &at);
		if (rc)
			rc = fs_fail(err, FS_EINVAL, f->name, "'%.32s' is not a date and time (2011-12-16T11:30, UTC)", t);
		else
			fs_time_format(at, norm);
		store = norm;
		break;
	}
	case FK_MONEY: {
		int64_t minor;
		rc = fs_money_parse(t, 2, &minor, err, f->name);
		if (!rc && minor < 0)
			rc = fs_fail(err, FS_EINVAL, f->name, "cannot be negative");
		if (!rc)
			r->v[col] = fs_vint(minor);
		goto out;
	}
	case FK_BOOL: {
		int b;
		if (parse_bool(t, &b))
			rc = fs_fail(err, FS_EINVAL, f->name, "'%.16s' is not yes or no", t);
		else
			r->v[col] = fs_vint(b);
		goto out;
	}
	case FK_COUNT: {
		char *end;
		errno = 0;
		long long v = strtoll(t, &end, 10);
		if (*end || end == t || v < 0 || errno)
			rc = fs_fail(err, FS_EINVAL, f->name, "'%.24s' is not a whole number (0 or more)", t);
		else
			r->v[col] = fs_vint(v);
		goto out;
	}
	case FK_REF: {
		char *end;
		long long id = strtoll(t, &end, 10);
		if (*end || id <= 0)
			rc = fs_fail(err, FS_EINVAL, f->name, "'%.24s' is not a record id", t);
		else
			rc = rec_ref_check(ctx, f, id, err);
		if (!rc)
			r->v[col] = fs_vint(id);
		goto out;
	}
	case FK_ENUM: {
		for (size_t i = 0; i < n; i++)
			t[i] = (char)tolower((unsigned char)t[i]);
		size_t k;
		for (k = 0; f->values[k]; k++)
			if (strcmp(f->values[k], t) == 0)
				break;
		if (!f->values[k]) {
			char names[512];
			size_t used = 0;
			for (size_t i = 0; f->values[i] && used < sizeof(names); i++)
				used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "", f->values[i]);
			rc = fs_fail(err, FS_EINVAL, f->name, "'%.32s' is not one of: %s", t, names);
		}
		break;
	}
	}
	if (!rc) {
		if (f->flags & FF_SEALED) {
			rc = set_plain(r, (size_t)fi, store);
			if (!rc && e->hash_of[fi] >= 0) {
				unsigned char h[FS_HASH_BYTES];
				fs_lookup_hash(&ctx->keys, store, strlen(store), h);
				rc = set_col_bytes(r, e->hash_of[fi], FS_VBLOB, h, sizeof(h));
			}
		} else {
			rc = set_col_bytes(r, col, FS_VTEXT, store, strlen(store));
			if (!rc && e->fold_of[fi] >= 0) {
				struct fs_buf fold;
				fs_buf_init(&fold, 4096);
				rc = fs_utf8_fold(store, strlen(store), &fold);
				if (!rc)
					rc = set_col_bytes(r, e->fold_of[fi], FS_VTEXT, fold.data ? fold.data : "", fold.len);
				fs_buf_done(&fold);
			}
		}
	}
out:
	if (t != small)
		free(t);
	return rc;
}

int rec_other_cb(void *ud, const struct fs_value *vals)
{
	struct rec_other_ud *o = ud;
	if (vals[0].i != o->self) {
		o->other = vals[0].i;
		return 1;
	}
	return 0;
}

/* Refuse a value that another record of the organization already has. */
static int unique_check(struct fs_ctx *ctx, struct fs_rec *r, int col, const char *label, struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	if (r->v[col].type == FS_VNULL)
		return 0;
	struct fs_filter f[2] = {{e->cols[col].name, FS_EQ, r->v[col]}};
	size_t nf = 1;
	if (e->owned)
		f[nf++] = (struct fs_filter){"org_id", FS_EQ, fs_vint(ctx->org_id)};
	struct fs_query q = {.table = &e->table, .filters = f, .nfilters = nf, .limit = 2};
	struct rec_other_ud ud = {r->v[0].i, 0};
	int rc = fs_store_select(ctx->st, &q, rec_other_cb, &ud, err);
	if (rc)
		return rc;
	if (ud.other)
		return fs_fail(err, FS_ECONFLICT, label, "%s %lld has the same %s already", e->name,
			       (long long)ud.other, label);
	return 0;
}

int rec_finish(struct fs_ctx *ctx, struct fs_rec *r, int creating, struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	int rc;
	if (creating && e->owned)
		r->v[e->org_col] = fs_vint(ctx->org_id);
	for (size_t i = 0; i < e->nfields; i++) {
		const struct fs_field *f = &e->fields[i];
		int missing = (f->flags & FF_SEALED) ? !r->plain[i] : r->v[e->col_of[i]].type == FS_VNULL;
		if (f->kind == FK_BOOL && missing) {
			r->v[e->col_of[i]] = fs_vint(0);
			missing = 0;
		}
		if ((f->flags & FF_REQUIRED) && missing)
			return fs_fail(err, FS_EINVAL, f->name, "is required");
	}
	if (e->check && (rc = e->check(ctx, r, err)))
		return rc;
	for (size_t i = 0; i < e->nfields; i++) {
		const struct fs_field *f = &e->fields[i];
		int col = (f->flags & FF_LOOKUP) ? e->hash_of[i] : (f->flags & FF_UNIQUE) ? e->col_of[i] : -1;
		if (col >= 0 && !r->unique_checked && (rc = unique_check(ctx, r, col, f->name, err)))
			return rc;
	}
	if (e->any_restricted)
		return rec_reseal(ctx, r, err);
	if (e->sealed_col >= 0 && (r->sealed_dirty || creating) && (rc = seal_rec(ctx, r, err)))
		return rc;
	return 0;
}

static int json_str(struct fs_buf *out, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	int rc = fs_buf_addc(out, '"');
	size_t run = 0; /* bytes copied as they are, flushed in one go */
	for (size_t i = 0; i < n && !rc; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c != '"' && c != '\\') {
			run++;
			continue;
		}
		rc = fs_buf_add(out, p + i - run, run);
		run = 0;
		char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
		if (!rc && (c == '"' || c == '\\'))
			rc = fs_buf_addc(out, '\\') || fs_buf_addc(out, (char)c);
		else if (!rc)
			rc = fs_buf_add(out, esc, sizeof(esc));
	}
	if (!rc)
		rc = fs_buf_add(out, p + n - run, run);
	return rc ? rc : fs_buf_addc(out, '"');
}

int rec_json_text(const struct fs_rec *r, unsigned mode, struct fs_buf *out)
{
	return rec_values_json_text(r->e, r->v, (const char *const *)r->plain, mode, out);
}

/* The JSON of a row straight from its column values; plain holds the opened
 * sealed fields (needed only for the reveal and journal modes). */
int rec_values_json_text(const struct fs_entity *e, const struct fs_value *v0, const char *const *plain,
			 unsigned mode, struct fs_buf *out)
{
	int rc = fs_buf_adds(out, "{\"id\":") || fs_buf_addi(out, v0[0].i);
	if (!rc && e->owned)
		rc = fs_buf_adds(out, ",\"org_id\":") || fs_buf_addi(out, v0[e->org_col].i);
	for (size_t i = 0; i < e->nfields && !rc; i++) {
		const struct fs_field *f = &e->fields[i];
		if (f->flags & FF_SEALED) {
			if (!(mode & (REC_JSON_REVEAL | REC_JSON_JOURNAL)))
				continue;
			const char *p = plain ? plain[i] : NULL;
			rc = fs_buf_cat(out, ",\"", f->name, "\":", NULL);
			if (!rc && !p)
				rc = fs_buf_adds(out, "null");
			else if (!rc)
				rc = (mode & REC_JSON_REVEAL) ? json_str(out, p, strlen(p)) : fs_buf_adds(out, "\"[sealed]\"");
			continue;
		}
		const struct fs_value *v = &v0[e->col_of[i]];
		rc = fs_buf_cat(out, ",\"", e->cols[e->col_of[i]].name, "\":", NULL);
		if (rc)
			break;
		if (f->flags & FF_RESTRICTED) { /* shown like any field; in the journal only when not sealed at rest */
			const char *p = plain && plain[i] ? plain[i] : v->type == FS_VTEXT && v->n ? (const char *)v->p : NULL;
			if (!p)
				rc = fs_buf_adds(out, "null");
			else if ((mode & REC_JSON_JOURNAL) && fs_restricted_row(e, v0))
				rc = fs_buf_adds(out, "\"[sealed]\"");
			else
				rc = json_str(out, p, strlen(p));
		} else if (v->type == FS_VNULL)
			rc = fs_buf_adds(out, "null");
		else if (f->kind == FK_BOOL)
			rc = fs_buf_adds(out, v->i ? "true" : "false");
		else if (v->type == FS_VINT)
			rc = fs_buf_addi(out, v->i);
		else
			rc = json_str(out, v->p, v->n);
	}
	return rc ? rc : fs_buf_addc(out, '}');
}

json_t *rec_to_json(const struct fs_rec *r, unsigned mode)
{
	struct fs_buf text;
	fs_buf_init(&text, FS_TEXT_MAX);
	json_t *j = rec_json_text(r, mode, &text) ? NULL : json_loadb(text.data, text.len, 0, NULL);
	fs_buf_done(&text);
	return j ? j : json_object();
}

int rec_equal(const struct fs_rec *a, const struct fs_rec *b)
{
	const struct fs_entity *e = a->e;
	for (size_t i = 0; i < e->nfields; i++) {
		if (!(e->fields[i].flags & FF_RESTRICTED))
			continue;
		const char *x = rec_restricted_text(a, i), *y = rec_restricted_text(b, i);
		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y)))
			return 0;
	}
	for (size_t i = 0; i < e->table.ncols; i++) {
		if ((int)i == e->sealed_col)
			continue;
		int restricted_col = 0;
		for (size_t k = 0; k < e->nfields && e->any_restricted; k++)
			restricted_col |= (e->fields[k].flags & FF_RESTRICTED) && e->col_of[k] == (int)i;
		if (restricted_col)
			continue;
		const struct fs_value *x = &a->v[i], *y = &b->v[i];
		if (x->type != y->type)
			return 0;
		if (x->type == FS_VINT && x->i != y->i)
			return 0;
		if ((x->type == FS_VTEXT || x->type == FS_VBLOB) && (x->n != y->n || memcmp(x->p, y->p, x->n)))
			return 0;
	}
	for (size_t i = 0; i < e->nfields; i++) {
		if (e->fields[i].flags & FF_RESTRICTED)
			continue;
		const char *x = a->plain[i], *y = b->plain[i];
		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y)))
			return 0;
	}
	return 1;
}

/* ---- restricted text: sealed in a restricted row, plain otherwise (restrict.c decides which rows) ---- */

/* Restricted text goes into the seal (its column left empty) while the record is
 * restricted, and back into its column when it is not. */
int rec_reseal(struct fs_ctx *ctx, struct fs_rec *r, struct fs_error *err)
{
	const struct fs_entity *e = r->e;
	int restricted = fs_restricted_row(e, r->v), rc = 0;
	for (size_t i = 0; i < e->nfields && !rc && e->any_restricted; i++) {
		if (!(e->fields[i].flags & FF_RESTRICTED))
			continue;
		int col = e->col_of[i];
		const char *text = rec_restricted_text(r, i);
		char *copy = text ? strdup(text) : NULL;
		if (text && !copy)
			return FS_ENOMEM;
		if (restricted) {
			rc = rec_set_plain(r, i, copy);
			if (!rc && (e->fields[i].flags & FF_REQUIRED))
				rc = rec_set_bytes(r, col, FS_VTEXT, "", 0); /* NOT NULL in the schema */
			else
				rec_set_bytes(r, col, FS_VNULL, NULL, 0);
		} else {
			rc = rec_set_plain(r, i, NULL);
			if (!rc)
				rc = rec_set_bytes(r, col, copy ? FS_VTEXT : FS_VNULL, copy, copy ? strlen(copy) : 0);
		}
		if (copy) {
			memset(copy, 0, strlen(copy));
			free(copy);
		}
	}
	return rc ? fs_fail(err, rc, NULL, "out of memory") : rec_seal(ctx, r, err);
}

const char *rec_restricted_text(const struct fs_rec *r, size_t fi)
{
	const struct fs_value *v = &r->v[r->e->col_of[fi]];
	if (r->plain[fi])
		return r->plain[fi];
	return v->type == FS_VTEXT && v->n ? (const char *)v->p : NULL;
}

int rec_open_payload(struct fs_rec *r, const char *plain, size_t n)
{
	const struct fs_entity *e = r->e;
	const char *fp[FS_MAX_FIELDS];
	size_t fl[FS_MAX_FIELDS];
	int rc = fs_payload_split(e, plain, n, fp, fl);
	for (size_t i = 0; i < e->nfields && !rc; i++) {
		if (!fp[i])
			continue;
		int col = e->col_of[i];
		if (col >= 0 && !(r->v[col].type == FS_VNULL || (r->v[col].type == FS_VTEXT && r->v[col].n == 0)))
			continue; /* restricted text already open (the store's row hook) */
		if (col >= 0)
			rc = rec_set_bytes(r, col, FS_VTEXT, fp[i], fl[i]);
		else if (!(r->plain[i] = strndup(fp[i], fl[i])))
			rc = FS_ENOMEM;
	}
	r->sealed_dirty = 0;
	return rc;
}
