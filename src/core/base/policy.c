/* policy.c - the capability table: which role holds which capability, and which
 * capability writing each kind of record needs. The one place that names roles. */
#include "policy.h"

#include <string.h>

#include "fairshare.h"

enum {
	ADMIN = 1 << 0,
	ORGANIZER = 1 << 1,
	TREASURER = 1 << 2,
	DOCUMENTER = 1 << 3,
	VIEWER = 1 << 4,
	ALL = ADMIN | ORGANIZER | TREASURER | DOCUMENTER | VIEWER,
};

static const struct {
	const char *name;
	unsigned bit;
} roles[] = {{"admin", ADMIN}, {"organizer", ORGANIZER}, {"treasurer", TREASURER}, {"documenter", DOCUMENTER}, {"viewer", VIEWER}};

/* role x capability; see policy.h for what each capability covers */
static const struct {
	const char *name;
	unsigned roles;
} capabilities[] = {
	{"register.read", ALL},
	{"register.write", ADMIN | ORGANIZER},
	{"people.reveal", ADMIN | ORGANIZER},
	{"payments.write", ADMIN | TREASURER},
	{"funds.read", ALL},
	{"funds.transfer", ADMIN | TREASURER},
	{"funds.approve", ADMIN | TREASURER},
	{"record.read", ALL},
	{"record.restricted", ADMIN | ORGANIZER | DOCUMENTER},
	{"record.write", ADMIN | ORGANIZER | DOCUMENTER},
	{"record.review", ADMIN | ORGANIZER | DOCUMENTER},
	{"users.manage", ADMIN},
	{"org.manage", ADMIN},
	{"log.checkpoint", ADMIN | ORGANIZER | TREASURER | DOCUMENTER}, /* sign a checkpoint of the log */
	{"tokens.own", ALL}, /* make, list and revoke one's own API tokens (users.c) */
};

/* kind of record -> the capability that writes it; anything else of an
 * organization's register needs register.write */
static const struct {
	const char *entity, *capability;
} writers[] = {
	{"incident", "record.write"}, {"violation", "record.write"}, {"assessment", "record.write"},
	{"case", "record.write"},     {"report", "record.write"},    {"detention", "record.write"},
	{"link", "record.write"},     {"action", "record.write"},    {"stage", "record.write"},
	{"demand", "record.write"},   {"hearing", "record.write"},   {"citation", "record.write"},
	{"evidence", "record.write"}, {"payment", "payments.write"}, {"fund", "funds.transfer"},
	{"account", "funds.transfer"}, {"pledge", "funds.transfer"}, {"organization", "org.manage"},
	{"user", "users.manage"},     {"role", "users.manage"},
};

/* handling level -> the capability that reads a record at that level, from the
 * most open to the most closed (a record's level is its rank in this list) */
static const struct {
	const char *level, *capability;
} handling[] = {
	{"public", "record.read"},
	{"internal", "record.restricted"},
	{"restricted", "record.restricted"},
	{"sealed", "record.restricted"},
};

static unsigned role_bit(const char *role)
{
	for (size_t i = 0; role && i < sizeof(roles) / sizeof(roles[0]); i++)
		if (!strcmp(role, roles[i].name))
			return roles[i].bit;
	return 0;
}

int fs_role_valid(const char *role)
{
	return role_bit(role) != 0;
}

int fs_role_can(const char *role, const char *capability)
{
	unsigned bit = role_bit(role);
	for (size_t i = 0; bit && capability && i < sizeof(capabilities) / sizeof(capabilities[0]); i++)
		if (!strcmp(capability, capabilities[i].name))
			return (capabilities[i].roles & bit) != 0;
	return 0;
}

const char *fs_entity_read_capability(const struct fs_entity *e)
{
	/* who may write a kind of record decides the domain it belongs to; accounts and
	 * roles are read through users.c, which checks users.manage before each read
	 * (and reads an account back after a change its principal may have just lost) */
	static const struct {
		const char *write, *read;
	} reads[] = {{"record.write", "record.read"},   {"payments.write", "register.read"}, {"register.write", "register.read"},
		     {"funds.transfer", "funds.read"},  {"users.manage", NULL},              {"org.manage", NULL}};
	const char *w = fs_entity_write_capability(e);
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
		if (!strcmp(w, reads[i].write))
			return reads[i].read;
	return "register.read";
}

const char *fs_entity_write_capability(const struct fs_entity *e)
{
	const char *name = fs_entity_name(e);
	for (size_t i = 0; i < sizeof(writers) / sizeof(writers[0]); i++)
		if (!strcmp(name, writers[i].entity))
			return writers[i].capability;
	return "register.write";
}

json_t *fs_role_capabilities(const char *role)
{
	json_t *out = json_array();
	unsigned bit = role_bit(role);
	for (size_t i = 0; out && i < sizeof(capabilities) / sizeof(capabilities[0]); i++)
		if (capabilities[i].roles & bit)
			json_array_append_new(out, json_string(capabilities[i].name));
	return out;
}

int fs_handling_rank(const char *level, size_t n)
{
	for (size_t i = 0; level && i < sizeof(handling) / sizeof(handling[0]); i++)
		if (strlen(handling[i].level) == n && !memcmp(level, handling[i].level, n))
			return (int)i;
	return FS_HANDLING_DEFAULT;
}

const char *fs_handling_name(int rank)
{
	if (rank < 0 || (size_t)rank >= sizeof(handling) / sizeof(handling[0]))
		rank = FS_HANDLING_MOST;
	return handling[rank].level;
}

const char *fs_handling_capability(int rank)
{
	if (rank < 0 || (size_t)rank >= sizeof(handling) / sizeof(handling[0]))
		rank = FS_HANDLING_MOST;
	return handling[rank].capability;
}

json_t *fs_capability_table(void)
{
	json_t *caps = json_array(), *rl = json_array(), *lv = json_array(), *wr = json_object();
	for (size_t i = 0; caps && i < sizeof(capabilities) / sizeof(capabilities[0]); i++) {
		json_t *who = json_array();
		for (size_t k = 0; who && k < sizeof(roles) / sizeof(roles[0]); k++)
			if (capabilities[i].roles & roles[k].bit)
				json_array_append_new(who, json_string(roles[k].name));
		json_array_append_new(caps, json_pack("{s:s,s:o}", "name", capabilities[i].name, "roles", who));
	}
	for (size_t k = 0; rl && k < sizeof(roles) / sizeof(roles[0]); k++)
		json_array_append_new(rl, json_string(roles[k].name));
	for (size_t i = 0; lv && i < sizeof(handling) / sizeof(handling[0]); i++)
		json_array_append_new(lv, json_pack("{s:s,s:s}", "level", handling[i].level, "capability", handling[i].capability));
	for (size_t i = 0; wr && i < sizeof(writers) / sizeof(writers[0]); i++)
		json_object_set_new(wr, writers[i].entity, json_string(writers[i].capability));
	return json_pack("{s:o,s:o,s:o,s:o,s:s}", "roles", rl, "capabilities", caps, "handling", lv, "writers", wr,
			 "default_writer", "register.write");
}
