/* entity.c - the registry of every entity (each domain declares its own in its
 * *_defs.c: register/, claims/, funds/, record/, and registers them through
 * src/core/domains.c at start-up; the accounts' are here), the columns derived
 * from their fields, and finding an entity by name. Names no domain. */
#include "internal.h"

#include <ctype.h>
#include <pthread.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/money.h"
#include "util/utf8.h"
#include "entity_int.h"
#include "fs_assert.h"
#include "policy.h"

static const char *const role_names[] = {"admin", "organizer", "treasurer", "documenter", "viewer", NULL};
static const struct fs_field user_fields[] = {
	{"username", FK_TEXT, FF_REQUIRED | FF_IMMUTABLE | FF_UNIQUE, 64, NULL, NULL, "login name"},
	{"disabled", FK_BOOL, 0, 0, NULL, NULL, "a disabled account cannot log in"},
	{"password_hash", FK_TEXT, FF_SEALED | FF_REQUIRED, 256, NULL, NULL, "argon2id hash (set by 'user add' / 'user passwd')"},
};
static const struct fs_field role_fields[] = {
	{"user_id", FK_REF, FF_REQUIRED | FF_IMMUTABLE, 0, "user", NULL, "the account"},
	{"role", FK_ENUM, FF_REQUIRED, 0, NULL, role_names, "admin, organizer, treasurer, documenter, viewer"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct fs_entity fs_ent_user = {.name = "user", .plural = "users", .label = "username", .owned = 0,
	.fields = user_fields, .nfields = N(user_fields)};
struct fs_entity fs_ent_role = {.name = "role", .plural = "roles", .label = NULL, .owned = 1,
	.fields = role_fields, .nfields = N(role_fields)};

static struct fs_entity *const accounts[] = {&fs_ent_user, &fs_ent_role};
const struct fs_domain fs_domain_accounts = {"accounts", accounts, N(accounts)};

/* the registry: filled by fs_domain_add, in the domains' order, before any use */
static const struct fs_entity *registry[FS_MAX_ENTITIES];
const struct fs_entity *const *const fs_entities = registry;
size_t fs_nentities;
static int columns_done;

void fs_domain_add(const struct fs_domain *d)
{
	FS_ASSERT(!columns_done && d->n <= FS_MAX_ENTITIES - fs_nentities);
	for (size_t i = 0; i < d->n; i++)
		registry[fs_nentities++] = d->entities[i];
}


/* Column names are built once; they live as long as the process. */
static char name_pool[FS_NAME_POOL];

static void entity_init(struct fs_entity *e)
{
	static size_t pool_used;
	size_t nc = 0;
	e->table.name = e->plural;
	if (strcmp(e->name, "organization") == 0)
		e->table.name = "organizations";
	e->cols[nc++] = (struct fs_column){"id", FS_VINT};
	e->org_col = e->owned ? (int)nc : -1;
	if (e->owned)
		e->cols[nc++] = (struct fs_column){"org_id", FS_VINT};
	int any_sealed = 0;
	e->handling_col = -1;
	/* the record's arrays have room for every field and column (fs_limits.h) */
	FS_ASSERT(e->nfields <= FS_MAX_FIELDS);
	for (size_t i = 0; i < e->nfields; i++) {
		const struct fs_field *f = &e->fields[i];
		FS_ASSERT(nc + 2 <= FS_MAX_COLS); /* a field adds at most two columns */
		e->col_of[i] = e->fold_of[i] = e->hash_of[i] = -1;
		if (f->flags & FF_RESTRICTED)
			any_sealed = e->any_restricted = 1;
		if (!strcmp(f->name, "handling"))
			e->handling_col = (int)nc;
		if (f->flags & FF_SEALED) {
			any_sealed = 1;
			if (f->flags & FF_LOOKUP) {
				char *p = name_pool + pool_used;
				pool_used += (size_t)snprintf(p, sizeof(name_pool) - pool_used, "%s_hash", f->name) + 1;
				e->hash_of[i] = (int)nc;
				e->cols[nc++] = (struct fs_column){p, FS_VBLOB};
			}
			continue;
		}
		enum fs_vtype t = (f->kind == FK_MONEY || f->kind == FK_BOOL || f->kind == FK_REF || f->kind == FK_COUNT) ? FS_VINT : FS_VTEXT;
		const char *cname = f->name;
		if (f->kind == FK_MONEY) {
			char *p = name_pool + pool_used;
			pool_used += (size_t)snprintf(p, sizeof(name_pool) - pool_used, "%s_minor", f->name) + 1;
			cname = p;
		}
		e->col_of[i] = (int)nc;
		e->cols[nc++] = (struct fs_column){cname, t};
		if (f->kind == FK_NAME) {
			char *p = name_pool + pool_used;
			pool_used += (size_t)snprintf(p, sizeof(name_pool) - pool_used, "%s_fold", f->name) + 1;
			e->fold_of[i] = (int)nc;
			e->cols[nc++] = (struct fs_column){p, FS_VTEXT};
		}
	}
	FS_ASSERT(nc < FS_MAX_COLS && pool_used <= sizeof(name_pool));
	e->sealed_col = any_sealed ? (int)nc : -1;
	if (any_sealed)
		e->cols[nc++] = (struct fs_column){"sealed", FS_VBLOB};
	e->person_col = strcmp(e->name, "person") == 0 ? 0 : -1;
	for (size_t i = 0; i < nc; i++)
		if (strcmp(e->cols[i].name, "person_id") == 0)
			e->person_col = (int)i;
	e->table.cols = e->cols;
	e->table.ncols = nc;
}

/* Called once, after every domain is registered (domains.c holds the once). */
void fs_entities_init(void)
{
	FS_ASSERT(!columns_done && fs_nentities > 0);
	for (size_t i = 0; i < fs_nentities; i++)
		entity_init((struct fs_entity *)fs_entities[i]);
	columns_done = 1;
}

const struct fs_entity *fs_entity_lookup(const char *name)
{
	FS_ASSERT(columns_done); /* the domains are registered before any look-up */
	for (size_t i = 0; i < fs_nentities; i++)
		if (strcmp(fs_entities[i]->name, name) == 0 || strcmp(fs_entities[i]->plural, name) == 0 ||
		    (strcmp(name, "org") == 0 && strcmp(fs_entities[i]->name, "organization") == 0))
			return fs_entities[i];
	return NULL;
}

const struct fs_entity *fs_entity_by_table(const char *table)
{
	FS_ASSERT(columns_done);
	for (size_t i = 0; i < fs_nentities; i++)
		if (strcmp(fs_entities[i]->table.name, table) == 0 || strcmp(fs_entities[i]->name, table) == 0)
			return fs_entities[i];
	return NULL;
}

const char *fs_entity_name(const struct fs_entity *e) { return e->name; }
const char *fs_entity_plural(const struct fs_entity *e) { return e->plural; }
size_t fs_entity_nfields(const struct fs_entity *e) { return e->nfields; }
const struct fs_field *fs_entity_field(const struct fs_entity *e, size_t i) { return i < e->nfields ? &e->fields[i] : NULL; }
const char *fs_entity_label(const struct fs_entity *e) { return e->label; }

int fs_field_index(const struct fs_entity *e, const char *name)
{
	for (size_t i = 0; i < e->nfields; i++) {
		const char *f = e->fields[i].name; /* the first byte first: most names differ there */
		if (f == name || (f[0] == name[0] && strcmp(f, name) == 0))
			return (int)i;
	}
	/* money fields may be named by their column, e.g. wage_minor */
	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].kind == FK_MONEY && e->col_of[i] >= 0 && strcmp(e->cols[e->col_of[i]].name, name) == 0)
			return (int)i;
	return -1;
}
