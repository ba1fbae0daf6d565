/* entity_int.h - private to the entity machinery (base/entity.c, records.c,
 * entity_ops.c, entity_checks.c) and to each domain's table of entities
 * (register/register_defs.c, claims/claims_defs.c, funds/funds_defs.c,
 * record/record_defs.c). Not part of the core's interface. */
#ifndef FS_ENTITY_INT_H
#define FS_ENTITY_INT_H

#include "internal.h"

/* Each domain declares its entities in its *_defs.c and one table of them,
 * struct fs_domain; src/core/domains.c registers the tables with base/entity.c
 * at start-up (fs_domain_add), so base names no domain. The entities themselves: */
extern struct fs_entity fs_ent_org, fs_ent_person, fs_ent_employer, fs_ent_workplace, fs_ent_employment,
	fs_ent_membership;                                          /* register/ */
extern struct fs_entity fs_ent_claim, fs_ent_promise, fs_ent_payment; /* claims/ */
extern struct fs_entity fs_ent_fund, fs_ent_account, fs_ent_pledge;   /* funds/ */
extern struct fs_entity fs_ent_link, fs_ent_evidence, fs_ent_incident, fs_ent_violation, fs_ent_assessment,
	fs_ent_case, fs_ent_report, fs_ent_detention, fs_ent_action, fs_ent_stage, fs_ent_demand, fs_ent_hearing,
	fs_ent_citation;                                            /* record/ */
extern struct fs_entity fs_ent_user, fs_ent_role;             /* base/ (accounts) */

/* A domain's entities, in their order. */
struct fs_domain {
	const char *name;
	struct fs_entity *const *entities;
	size_t n;
};
extern const struct fs_domain fs_domain_register, fs_domain_claims, fs_domain_funds, fs_domain_record,
	fs_domain_accounts;
/* entity.c: a domain's entities appended to fs_entities (domains.c, once). */
void fs_domain_add(const struct fs_domain *d);
/* entity.c: the columns derived from every registered entity's fields (once). */
void fs_entities_init(void);

/* records.c: a reference field's target exists in the organization (else the
 * same answer as a missing one); the first other row of a select. */
int rec_ref_check(struct fs_ctx *ctx, const struct fs_field *f, int64_t id, struct fs_error *err);
struct rec_other_ud {
	int64_t self;
	int64_t other;
};
int rec_other_cb(void *ud, const struct fs_value *vals);
/* records.c: a text value's checks (UTF-8, controls, direction marks, length in
 * characters); the JSON of a row from its column values (plain: the opened
 * sealed fields, or NULL). */
int rec_check_text(const char *s, size_t n, unsigned max, int multiline, struct fs_error *err, const char *field);
int rec_values_json_text(const struct fs_entity *e, const struct fs_value *v0, const char *const *plain, unsigned mode,
			 struct fs_buf *out);

/* entity_checks.c: what the entities' checks share. */
const char *chk_text(const struct fs_rec *r, const char *field);
int chk_dates_in_order(const struct fs_rec *r, const char *from, const char *to, struct fs_error *err);
int chk_default_currency(struct fs_ctx *ctx, struct fs_rec *r);
int chk_default_text(struct fs_rec *r, const char *field, const char *value);
int64_t chk_ref_field(struct fs_ctx *ctx, const char *entity, int64_t id, const char *field);
int chk_ref_text(struct fs_ctx *ctx, const char *entity, int64_t id, const char *field, char *out, size_t cap);

#endif
