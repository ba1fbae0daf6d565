/* domains.c - the core assembled: every domain's entities registered with
 * base/entity.c at start-up, in one order (the schema check's and rotation's
 * cursor's: register, claims, the accounts, funds, record), and what needs all
 * of them. The one file that names every domain; base names none, so calls go
 * one way: domains.c -> each domain's *_defs.c -> base. */
#include "internal.h"

#include <pthread.h>

#include "entity_int.h"
#include "policy.h"

static const struct fs_domain *const domains[] = {&fs_domain_register, &fs_domain_claims, &fs_domain_accounts,
						  &fs_domain_funds, &fs_domain_record};

static void register_all(void)
{
	for (size_t i = 0; i < sizeof(domains) / sizeof(domains[0]); i++)
		fs_domain_add(domains[i]);
	fs_entities_init();
}

void fs_domains_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, register_all);
}

const struct fs_entity *fs_entity_find(const char *name)
{
	fs_domains_init();
	return fs_entity_lookup(name);
}

/* Every entity's policy: its writer, whether it has a handling level (fairshare policy --json). */
json_t *fs_entity_policy(void)
{
	fs_domains_init();
	json_t *out = json_array();
	for (size_t i = 0; out && i < fs_nentities; i++) {
		const struct fs_entity *e = fs_entities[i];
		json_array_append_new(out, json_pack("{s:s,s:s,s:b,s:s,s:b,s:b}", "name", e->name, "plural", e->plural, "owned",
						     e->owned, "writer", fs_entity_write_capability(e), "handled", fs_handled(e),
						     "own_handling", e->handling_col >= 0));
	}
	return out;
}
