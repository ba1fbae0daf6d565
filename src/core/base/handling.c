/* handling.c - who sees which record: the principal's role in the context, and
 * the handling level of every record a role can reach, decided here for every
 * front end (the principal and its role: principal.c). A record with a handling field carries its own level, raised to
 * the most closed of the records it references (a violation's incident, a
 * hearing's case, a citation's report or evidence); an assessment or citation
 * takes its subject's level; a person link takes the levels of the records that
 * name either person. A record the principal may not read answers, everywhere,
 * as if it did not exist. */
#include "internal.h"

#include <string.h>

#include "policy.h"


int fs_can(struct fs_ctx *ctx, const char *capability)
{
	return fs_principal_can(ctx, capability); /* principal.c: the account's role here */
}

int fs_rank_shown(struct fs_ctx *ctx, int rank, int public_only)
{
	if (rank < 0)
		return 1;
	if (public_only && rank != FS_HANDLING_PUBLIC)
		return 0;
	return fs_can(ctx, fs_handling_capability(rank));
}

int fs_sees_every_level(struct fs_ctx *ctx)
{
	for (int r = 0; r <= FS_HANDLING_MOST; r++)
		if (!fs_can(ctx, fs_handling_capability(r)))
			return 0;
	return 1;
}

/* Records that have no handling field and take the level of the record they are
 * about, named by an entity name in one field and its id in another. */
static const struct {
	const char *entity, *kind, *id;
} about[] = {{"assessment", "subject", "subject_id"}, {"citation", "subject", "subject_id"}};

/* Fields naming a person that make the record about what the record says of that
 * person (a person link: "these two are the same person", and why). */
static const struct {
	const char *entity, *field;
} about_person[] = {{"link", "person_a"}, {"link", "person_b"}};

/* Records that name a person: a person's level in the record is the most closed
 * of theirs (a person named nowhere in the record is internal). */
static const char *const naming_person[] = {"violation", "detention", "case"};

static int handled_depth(const struct fs_entity *e, int depth)
{
	if (!e || depth > FS_HANDLING_CHAIN_MAX)
		return 0;
	if (e->handling_col >= 0)
		return 1;
	for (size_t i = 0; i < sizeof(about) / sizeof(about[0]); i++)
		if (!strcmp(e->name, about[i].entity))
			return 1;
	for (size_t i = 0; i < sizeof(about_person) / sizeof(about_person[0]); i++)
		if (!strcmp(e->name, about_person[i].entity))
			return 1;
	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].kind == FK_REF && handled_depth(fs_entity_lookup(e->fields[i].ref), depth + 1))
			return 1;
	return 0;
}

int fs_handled(const struct fs_entity *e)
{
	return handled_depth(e, 0);
}

static int max_rank(int a, int b)
{
	return a > b ? a : b;
}

static int row_rank(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *vals, struct fs_hcache *c,
		    int depth);

/* The rank of record id of e (the most closed level when it cannot be read or
 * belongs to another organization). */
static int id_rank(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, struct fs_hcache *c, int depth)
{
	if (!e || depth > FS_HANDLING_CHAIN_MAX)
		return FS_HANDLING_MOST;
	unsigned h = (unsigned)((uint64_t)id * 2654435761u ^ (uintptr_t)e) % (sizeof(c->slot) / sizeof(c->slot[0]));
	if (c && c->slot[h].e == e && c->slot[h].id == id)
		return c->slot[h].rank;
	struct fs_row row;
	int rank = FS_HANDLING_MOST;
	if (!fs_store_get_raw(ctx->st, &e->table, id, &row, NULL)) {
		if (!e->owned || row.vals[e->org_col].i == ctx->org_id)
			rank = max_rank(row_rank(ctx, e, row.vals, c, depth), FS_HANDLING_PUBLIC);
		fs_row_free(&row);
	}
	if (c)
		c->slot[h].e = e, c->slot[h].id = id, c->slot[h].rank = rank;
	return rank;
}

struct person_ud {
	struct fs_ctx *ctx;
	const struct fs_entity *e;
	struct fs_hcache *c;
	int depth, rank, any;
};

static int person_cb(void *p, const struct fs_value *v)
{
	struct person_ud *u = p;
	u->any = 1;
	u->rank = max_rank(u->rank, row_rank(u->ctx, u->e, v, u->c, u->depth));
	return u->rank >= FS_HANDLING_MOST; /* nothing is more closed: stop */
}

/* A person's level in the record: the most closed of the records naming them. */
static int person_rank(struct fs_ctx *ctx, int64_t person, struct fs_hcache *c, int depth)
{
	struct person_ud u = {ctx, NULL, c, depth + 1, FS_HANDLING_PUBLIC, 0};
	for (size_t i = 0; i < sizeof(naming_person) / sizeof(naming_person[0]) && u.rank < FS_HANDLING_MOST; i++) {
		u.e = fs_entity_lookup(naming_person[i]);
		struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"person_id", FS_EQ, fs_vint(person)}};
		struct fs_query q = {.table = &u.e->table, .filters = f, .nfilters = 2, .raw = 1};
		if (fs_store_select(ctx->st, &q, person_cb, &u, NULL))
			return FS_HANDLING_MOST;
	}
	return u.any ? u.rank : FS_HANDLING_DEFAULT;
}

static int row_rank(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *vals, struct fs_hcache *c,
		    int depth)
{
	if (depth > FS_HANDLING_CHAIN_MAX)
		return FS_HANDLING_MOST;
	int rank = -1;
	if (e->handling_col >= 0) {
		const struct fs_value *h = &vals[e->handling_col];
		rank = h->type == FS_VTEXT ? fs_handling_rank(h->p, h->n) : FS_HANDLING_DEFAULT;
	}
	for (size_t i = 0; i < sizeof(about) / sizeof(about[0]); i++) {
		if (strcmp(e->name, about[i].entity))
			continue;
		const struct fs_value *k = &vals[e->col_of[fs_field_index(e, about[i].kind)]];
		const struct fs_value *id = &vals[e->col_of[fs_field_index(e, about[i].id)]];
		char kind[32];
		snprintf(kind, sizeof(kind), "%.*s", k->type == FS_VTEXT ? (int)k->n : 0, k->type == FS_VTEXT ? (const char *)k->p : "");
		int r = FS_HANDLING_MOST;
		if (id->type == FS_VINT && !strcmp(kind, "person"))
			r = person_rank(ctx, id->i, c, depth);
		else if (id->type == FS_VINT && fs_handled(fs_entity_lookup(kind)))
			r = id_rank(ctx, fs_entity_lookup(kind), id->i, c, depth + 1);
		rank = max_rank(rank, r);
	}
	for (size_t i = 0; i < sizeof(about_person) / sizeof(about_person[0]); i++) {
		if (strcmp(e->name, about_person[i].entity))
			continue;
		const struct fs_value *p = &vals[e->col_of[fs_field_index(e, about_person[i].field)]];
		rank = max_rank(rank, p->type == FS_VINT ? person_rank(ctx, p->i, c, depth) : FS_HANDLING_MOST);
	}
	for (size_t i = 0; i < e->nfields && rank < FS_HANDLING_MOST; i++) {
		const struct fs_field *f = &e->fields[i];
		const struct fs_entity *to = f->kind == FK_REF ? fs_entity_lookup(f->ref) : NULL;
		if (!to || !fs_handled(to) || e->col_of[i] < 0 || vals[e->col_of[i]].type != FS_VINT)
			continue;
		rank = max_rank(rank, id_rank(ctx, to, vals[e->col_of[i]].i, c, depth + 1));
	}
	return rank;
}

int fs_row_rank(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *vals, struct fs_hcache *cache)
{
	return fs_handled(e) ? row_rank(ctx, e, vals, cache, 0) : -1;
}

int fs_row_shown(struct fs_ctx *ctx, const struct fs_entity *e, const struct fs_value *vals, int public_only,
		 struct fs_hcache *cache)
{
	if (!public_only && fs_sees_every_level(ctx))
		return 1; /* nothing to look up */
	return fs_rank_shown(ctx, fs_row_rank(ctx, e, vals, cache), public_only);
}

int fs_id_shown(struct fs_ctx *ctx, const struct fs_entity *e, int64_t id, int public_only, struct fs_hcache *cache)
{
	if (!public_only && fs_sees_every_level(ctx))
		return 1;
	return fs_rank_shown(ctx, fs_handled(e) ? id_rank(ctx, e, id, cache, 0) : -1, public_only);
}

int fs_about_shown(struct fs_ctx *ctx, const char *kind, size_t n, int64_t id, struct fs_hcache *cache)
{
	if (fs_sees_every_level(ctx))
		return 1;
	char k[32];
	snprintf(k, sizeof(k), "%.*s", (int)(n < sizeof(k) ? n : 0), kind ? kind : "");
	const struct fs_entity *e = fs_entity_lookup(k);
	int rank = FS_HANDLING_MOST;
	if (e && !strcmp(e->name, "person"))
		rank = person_rank(ctx, id, cache, 0);
	else if (e && fs_handled(e))
		rank = id_rank(ctx, e, id, cache, 0);
	return fs_rank_shown(ctx, rank, 0);
}
