/* policy.h - who may do what: the capability table (role x capability), decided
 * here for every front end. The CLI, the HTTP server and the web ask the core
 * ("may this role do funds.approve?", "which capability does writing a payment
 * need?") and never compare role names themselves.
 *
 * Capabilities are "what.verb" names, listed with their roles in policy.c:
 *   register.read      people, employers, workplaces, employments, memberships, claims, promises
 *   register.write     create, change and end those records; compute claims
 *   people.reveal      see sealed personal fields (each view is journaled)
 *   payments.write     record and reverse payments to workers
 *   funds.read         funds, accounts, balances, reports, the approval queue
 *   funds.transfer     contributions, disbursements, transfers, payroll, strike pay
 *   funds.approve      approve a payout someone else requested
 *   record.read        the record at the public handling level
 *   record.restricted  the record at every handling level (internal, restricted, sealed)
 *   record.write       create and change the record's entities, upload evidence
 *   record.review      duplicate review, suggestions, whereabouts alerts
 *   users.manage       accounts and roles (and other accounts' API tokens)
 *   tokens.own         make, list and revoke one's own API tokens
 *   org.manage         the organization itself */
#ifndef FS_POLICY_H
#define FS_POLICY_H

#include <jansson.h>
#include <stddef.h>

struct fs_entity;

/* 1 when the role (admin, organizer, treasurer, documenter, viewer) holds the
 * capability; 0 for an unknown role, an empty role or an unknown capability. */
int fs_role_can(const char *role, const char *capability);

/* The capability that creating, changing or removing records of e needs. */
const char *fs_entity_write_capability(const struct fs_entity *e);

/* The capability that reading records of e needs, checked by fs_get and fs_list
 * for every front end: register.read, funds.read, record.read (then each record's
 * handling level); NULL for the organization itself (a role in it is enough) and
 * for accounts and roles (users.c checks users.manage). */
const char *fs_entity_read_capability(const struct fs_entity *e);

/* The capabilities the role holds, as a JSON array of names (new reference). */
json_t *fs_role_capabilities(const char *role);

/* 1 when the name is a role of the table. */
int fs_role_valid(const char *role);

/* Handling levels, from the most open to the most closed: public, internal,
 * restricted, sealed. A record's level is its rank; a record with no level of its
 * own takes the most closed of the records it concerns (handling.c). */
enum { FS_HANDLING_PUBLIC = 0, FS_HANDLING_DEFAULT = 1 /* internal */, FS_HANDLING_MOST = 3 /* sealed */ };
/* The rank of a level's name (n bytes); an unknown or missing one is internal. */
int fs_handling_rank(const char *level, size_t n);
const char *fs_handling_name(int rank);
/* The capability that reads a record of that rank (record.read for public ones). */
const char *fs_handling_capability(int rank);

/* The whole table as JSON (roles, capabilities with their roles, handling levels
 * with their capability, the writer of each entity): what the policy matrix
 * test is generated from ('fairshare policy --json'). */
json_t *fs_capability_table(void);
/* Every kind of record: name, plural, owned (by an organization), writer (the
 * capability that writes it), handled (has a handling level, its own or taken
 * from the records it concerns), own_handling. */
json_t *fs_entity_policy(void);

#endif
