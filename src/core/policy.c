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
