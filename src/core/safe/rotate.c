/* rotate.c - key rotation: every sealed value re-sealed under a new data key.
 *
 * Crash-safe in three steps. (1) The new key is written to KEY.new (in the form
 * of the old: plain or wrapped by the same passphrase) before anything is sealed
 * with it, then the database notes "rotating to <fingerprint>". (2) Rows are
 * re-sealed table by table in batches; each batch commits with its progress
 * (table, last id), so after kill -9 a rerun carries on where the last commit
 * stopped; every re-sealed row gets a 'rekey' journal entry (the row hash covers
 * the seal). (3) One transaction makes the new fingerprint the database's and
 * ends the rotation; then KEY.new replaces KEY (an open that finds the
 * database's fingerprint in KEY.new finishes that rename itself). */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keyfile.h"

#define META_ROTATING "key_rotation"
#define META_PROGRESS "key_rotation_progress"

static int meta_text(struct fs_ctx *ctx, const char *key, char *out, size_t cap)
{
	struct fs_buf v;
	fs_buf_init(&v, 256);
	out[0] = '\0';
	int rc = fs_store_meta_get(ctx->st, key, &v, NULL);
	if (!rc && v.data)
		snprintf(out, cap, "%s", v.data);
	fs_buf_done(&v);
	return rc == FS_ENOTFOUND ? 0 : rc;
}

int fs_key_rotating(struct fs_ctx *ctx)
{
	char v[80];
	return !meta_text(ctx, META_ROTATING, v, sizeof(v)) && v[0];
}

static int new_path(const struct fs_ctx *ctx, char out[4096])
{
	return (size_t)snprintf(out, 4096, "%s.new", ctx->key_path) >= 4096 ? FS_EINVAL : 0;
}

static void fsync_dir_of(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int fs_key_rotation_settle(struct fs_ctx *ctx, const char *db_fpr, struct fs_error *err)
{
	(void)err;
	char np[4096], fpr[2 * FS_HASH_BYTES + 1];
	unsigned char master[32];
	if (new_path(ctx, np) || access(np, F_OK) != 0 || fs_key_rotating(ctx))
		return -1;
	struct fs_error ignored = {0};
	/* a split key's next key, sealed by the old key these shares opened: the
	 * rotation ended before KEY.new was removed; it is removed now */
	int next = !fs_rotate_next_read(np, &ctx->keys, master, &ignored);
	if (!next && fs_keyfile_master(np, master, &ignored))
		return -1;
	struct fs_keys k;
	fs_keys_derive(&k, master);
	sodium_memzero(master, sizeof(master));
	fs_hex(k.fingerprint, FS_HASH_BYTES, fpr);
	if (strcmp(fpr, db_fpr) != 0 || (next ? unlink(np) : rename(np, ctx->key_path)) != 0) {
		fs_keys_wipe(&k);
		return -1;
	}
	fsync_dir_of(ctx->key_path); /* the last step of a rotation, finished */
	ctx->keys = k;
	fs_keys_wipe(&k);
	return 0;
}

struct ids_ud {
	int64_t *ids;
	size_t n, cap;
	int rc;
};

static int ids_cb(void *p, const struct fs_value *v)
{
	struct ids_ud *u = p;
	if (fs_grow(&u->ids, &u->cap, u->n, sizeof(*u->ids), 1024))
		return u->rc = FS_ENOMEM, 1;
	u->ids[u->n++] = v[0].i;
	return 0;
}

/* Open one row with the old keys, seal it with the new ones, store, journal. */
static int rekey_row(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_keys *old,
		     struct fs_keys *newk, int64_t *resealed, struct fs_error *err)
{
	struct fs_row row;
	int rc = fs_store_get_raw(ctx->st, &e->table, id, &row, err);
	if (rc)
		return rc;
	int sealed = row.vals[e->sealed_col].type == FS_VBLOB;
	if (!sealed || (e->person_col == 0 && fs_person_forgotten(ctx, id))) {
		fs_row_free(&row); /* nothing sealed, or nothing left to open */
		return 0;
	}
	struct fs_rec r;
	ctx->keys = *old;
	fs_pkeys_wipe(ctx);
	rc = rec_from_values_ex(ctx, &r, e, row.vals, 1, err);
	*old = ctx->keys;
	ctx->keys = *newk;
	fs_pkeys_wipe(ctx);
	fs_row_free(&row);
	if (!rc && e->person_col == 0)
		rc = fs_person_key_renew(ctx, id, r.v[e->org_col].i, err);
	for (size_t i = 0; !rc && i < e->nfields; i++) { /* lookup hashes are keyed too */
		if (!(e->fields[i].flags & FF_LOOKUP) || !r.plain[i])
			continue;
		unsigned char h[FS_HASH_BYTES];
		fs_lookup_hash(&ctx->keys, r.plain[i], strlen(r.plain[i]), h);
		rc = rec_set_bytes(&r, e->hash_of[i], FS_VBLOB, h, sizeof(h));
	}
	if (!rc)
		rc = rec_reseal(ctx, &r, err);
	if (!rc)
		rc = fs_store_update(ctx->st, &e->table, r.v, err);
	if (!rc)
		rc = fs_journal_append(ctx, "rekey", NULL, &r, err);
	*newk = ctx->keys; /* the nonce counter moves on */
	rec_done(&r);
	if (!rc)
		++*resealed;
	return rc;
}

static int rotate_note(struct fs_ctx *ctx, const char *phase, const char *fpr, int64_t n, struct fs_error *err)
{
	char note[200];
	snprintf(note, sizeof(note), "{\"phase\":\"%s\",\"new_key\":\"%.16s\",\"resealed\":%lld}", phase, fpr, (long long)n);
	struct fs_rec r;
	rec_init(&r, fs_entity_lookup("organization"));
	r.v[0] = fs_vint(ctx->org_id);
	int rc = fs_journal_note(ctx, "rotate", &r, note, err);
	rec_done(&r);
	return rc;
}

int fs_key_rotate(struct fs_ctx *ctx, int64_t batch, int64_t *resealed, struct fs_error *err)
{
	return fs_key_rotate_to(ctx, batch, NULL, resealed, err);
}

void fs_key_next_sweep(struct fs_ctx *ctx)
{
	char np[4096];
	if (!new_path(ctx, np) && !fs_key_rotating(ctx))
		fs_rotate_next_sweep(np);
}

int fs_key_rotate_to(struct fs_ctx *ctx, int64_t batch, const char *shares_dir, int64_t *resealed,
		     struct fs_error *err)
{
	char np[4096], newfpr[2 * FS_HASH_BYTES + 1], prog[80];
	unsigned char master[32];
	struct fs_keys old = ctx->keys, newk;
	int kind = fs_keyfile_kind(ctx->key_path, err);
	int rc = kind < 0 ? kind : new_path(ctx, np) ? fs_fail(err, FS_EINVAL, "key", "key file path too long") : 0;
	*resealed = 0;
	if (batch < 1)
		batch = 1000;
	int started = 0, split = kind == FS_KEY_SPLIT;
	if (!rc && split && !shares_dir && !fs_key_rotating(ctx))
		rc = fs_fail(err, FS_EINVAL, "out", "the key is split among officers: its new key is split the same way, "
			     "into new shares written to a folder; give it with --out DIR");
	if (!rc && !(rc = fs_tx_begin(ctx, err))) { /* (1) under the write lock: one rotation at a time */
		char dbfpr[80], have[2 * FS_HASH_BYTES + 1];
		fs_hex(ctx->keys.fingerprint, FS_HASH_BYTES, have);
		rc = meta_text(ctx, "key_fingerprint", dbfpr, sizeof(dbfpr));
		if (!rc && strcmp(dbfpr, have) && !fs_key_rotating(ctx))
			rc = fs_fail(err, FS_ECONFLICT, "key", "the key was changed by another run meanwhile; run this again");
		if (!rc && !fs_key_rotating(ctx)) { /* a new key, safe on disk before it seals anything */
			started = 1;
			crypto_kdf_keygen(master);
			/* split: the new key sealed by the old one, and its new shares, out before it seals anything */
			rc = split ? fs_rotate_next_write(np, &old, master, err) : fs_keyfile_write_like(np, kind, master, err);
			if (!rc && split)
				rc = fs_rotate_shares_write(ctx->key_path, shares_dir, master, err);
			fs_keys_derive(&newk, master);
			fs_hex(newk.fingerprint, FS_HASH_BYTES, newfpr);
			if (!rc)
				rc = fs_store_meta_set(ctx->st, META_ROTATING, newfpr, err);
			if (!rc)
				rc = fs_store_meta_set(ctx->st, META_PROGRESS, "0 0", err);
			if (!rc)
				rc = rotate_note(ctx, "start", newfpr, 0, err);
		}
		rc = fs_tx_end(ctx, rc, err);
	}
	if (!rc && !started) { /* carry on with the key written before the interruption */
		char want[80];
		rc = meta_text(ctx, META_ROTATING, want, sizeof(want));
		if (!rc)
			rc = split ? fs_rotate_next_read(np, &old, master, err) : fs_keyfile_master(np, master, err);
		if (!rc) {
			fs_keys_derive(&newk, master);
			fs_hex(newk.fingerprint, FS_HASH_BYTES, newfpr);
			if (strcmp(newfpr, want))
				rc = fs_fail(err, FS_ECRYPTO, "key", "%s is not the key this rotation started with", np);
		}
	}
	sodium_memzero(master, sizeof(master));
	/* (2) table by table, batch by batch; the progress is read and written under the write lock */
	for (int finished = 0; !rc && !finished;) {
		long k = 0;
		long long last = 0;
		struct ids_ud u = {0};
		rc = fs_tx_begin(ctx, err);
		if (!rc)
			rc = meta_text(ctx, META_PROGRESS, prog, sizeof(prog));
		if (!rc) {
			char *end;
			k = strtol(prog, &end, 10);
			last = *end == ' ' ? strtoll(end + 1, &end, 10) : -1;
			if (!fs_key_rotating(ctx) || !prog[0])
				finished = 1; /* another run finished it meanwhile */
			else if (k < 0 || k > (long)fs_nentities || last < 0)
				rc = fs_fail(err, FS_EINTEGRITY, "key", "the rotation's progress note is unreadable (%.40s)", prog);
			else if (k == (long)fs_nentities)
				finished = 1;
		}
		const struct fs_entity *e = !rc && !finished ? fs_entities[k] : NULL;
		if (e && e->sealed_col >= 0) {
			struct fs_filter f = {"id", FS_GE, fs_vint(last + 1)};
			static const char *const idcol[] = {"id"};
			struct fs_query q = {.table = &e->table, .filters = &f, .nfilters = 1, .limit = batch, .columns = idcol,
					     .ncolumns = 1};
			rc = fs_store_select(ctx->st, &q, ids_cb, &u, err);
			if (!rc)
				rc = u.rc;
			for (size_t i = 0; !rc && i < u.n; i++)
				rc = rekey_row(ctx, e, u.ids[i], &old, &newk, resealed, err);
		}
		if (e) {
			int more = u.n == (size_t)batch;
			snprintf(prog, sizeof(prog), "%ld %lld", more ? k : k + 1, more ? (long long)u.ids[u.n - 1] : 0LL);
			if (!rc)
				rc = fs_store_meta_set(ctx->st, META_PROGRESS, prog, err);
		}
		free(u.ids);
		rc = fs_tx_end(ctx, rc, err);
	}
	/* (3) person keys not re-made above are re-wrapped; the new key becomes the database's */
	int64_t rewrapped = 0;
	int mine = 0;
	if (!rc && !(rc = fs_tx_begin(ctx, err))) {
		ctx->keys = newk;
		mine = fs_key_rotating(ctx); /* else another run finished it, rename and all */
		if (mine)
			rc = fs_person_keys_rewrap(ctx, &old, &rewrapped, err);
		if (!rc && mine) /* the transfer log's chain covers the parties: their keys are re-wrapped */
			rc = fs_party_keys_rotate(ctx, &old, &rewrapped, err);
		if (!rc && mine)
			rc = fs_store_meta_set(ctx->st, "key_fingerprint", newfpr, err);
		if (!rc && mine)
			rc = fs_store_meta_set(ctx->st, META_ROTATING, "", err);
		if (!rc && mine)
			rc = fs_store_meta_set(ctx->st, META_PROGRESS, "", err);
		if (!rc && mine)
			rc = rotate_note(ctx, "done", newfpr, *resealed + rewrapped, err);
		rc = fs_tx_end(ctx, rc, err);
		if (rc)
			ctx->keys = old;
	}
	if (!rc && mine && split && unlink(np) != 0 && errno != ENOENT) /* the key file's note "k of n" stays right */
		rc = fs_fail(err, FS_EIO, "key", "the database uses the new key; remove %s by hand (%s)", np, strerror(errno));
	else if (!rc && mine && !split && rename(np, ctx->key_path) != 0)
		rc = fs_fail(err, FS_EIO, "key", "the database uses the new key; move %s to %s by hand (%s)", np,
			     ctx->key_path, strerror(errno));
	if (!rc)
		fsync_dir_of(ctx->key_path);
	if (rc)
		ctx->keys = old;
	fs_pkeys_wipe(ctx);
	fs_keys_wipe(&old);
	sodium_memzero(&newk, sizeof(newk));
	*resealed += rewrapped;
	return rc;
}
