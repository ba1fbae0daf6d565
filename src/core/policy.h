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
 *   users.manage       accounts and roles
 *   org.manage         the organization itself */
#ifndef FS_POLICY_H
#define FS_POLICY_H

#include <jansson.h>

struct fs_entity;

/* 1 when the role (admin, organizer, treasurer, documenter, viewer) holds the
 * capability; 0 for an unknown role, an empty role or an unknown capability. */
int fs_role_can(const char *role, const char *capability);

/* The capability that creating, changing or removing records of e needs. */
const char *fs_entity_write_capability(const struct fs_entity *e);

/* The capabilities the role holds, as a JSON array of names (new reference). */
json_t *fs_role_capabilities(const char *role);

/* 1 when the name is a role of the table. */
int fs_role_valid(const char *role);

#endif
