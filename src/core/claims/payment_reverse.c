/* payment_reverse.c - a payment is never changed: a mistaken one is cancelled by
 * a reversal, a new payment of the opposite amount that names the one it
 * cancels (reverses_id), with the reason and, in the journal, who made it. The
 * claims' paid and outstanding sums are computed from the payments, so they
 * follow at once. Refused: a payment of another organization (not found), a
 * reversal (it is not reversed in turn), a payment reversed before (conflict),
 * no reason, an amount other than the payment's (the user confirms what is
 * cancelled). The record itself is written by fs_payment_reverse (base/entity_ops.c),
 * in one transaction with its journal entry. */
#include "internal.h"

#include <string.h>

#include "util/money.h"

#define REASON_MAX 500 /* the payment's note */

static int64_t int_of(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

/* the reason without surrounding blanks, in buf; FS_EINVAL when empty or long */
static int reason_of(const char *reason, char *buf, size_t n, struct fs_error *err)
{
	if (!reason)
		reason = "";
	while (*reason == ' ' || *reason == '\t' || *reason == '\n' || *reason == '\r')
		reason++;
	size_t len = strlen(reason);
	while (len && (reason[len - 1] == ' ' || reason[len - 1] == '\t' || reason[len - 1] == '\n' || reason[len - 1] == '\r'))
		len--;
	if (!len)
		return fs_fail(err, FS_EINVAL, "reason", "a reversal needs its reason (why the payment is cancelled)");
	if (len > REASON_MAX || len >= n)
		return fs_fail(err, FS_EINVAL, "reason", "the reason is at most %d bytes", REASON_MAX);
	memcpy(buf, reason, len);
	buf[len] = '\0';
	return 0;
}

int fs_payment_reversal(struct fs_ctx *ctx, const struct fs_reversal *r, int64_t *ret_id, struct fs_error *err)
{
	const struct fs_entity *e = fs_entity_find("payment");
	char reason[REASON_MAX + 1];
	json_t *orig = NULL, *found = NULL;
	int rc = fs_principal_require(ctx, "payments.write", err);
	if (rc || (rc = fs_tx_begin(ctx, err)))
		return rc;
	/* another organization's payment, or none: not found (fs_get is per organization) */
	rc = fs_get(ctx, e, r->payment_id, 0, &orig, err);
	if (!rc && int_of(orig, "reverses_id"))
		rc = fs_fail(err, FS_EINVAL, NULL, "payment %lld is itself a reversal; it is not reversed in turn",
			     (long long)r->payment_id);
	if (!rc) {
		char idtext[24];
		snprintf(idtext, sizeof(idtext), "%lld", (long long)r->payment_id);
		struct fs_kv f = {"reverses_id", idtext};
		struct fs_list_opts o = {.filters = &f, .nfilters = 1, .limit = 1};
		rc = fs_list(ctx, e, &o, &found, err);
		json_t *first = rc ? NULL : json_array_get(json_object_get(found, "items"), 0);
		if (first)
			rc = fs_fail(err, FS_ECONFLICT, NULL, "payment %lld was already reversed by payment %lld",
				     (long long)r->payment_id, (long long)int_of(first, "id"));
	}
	if (!rc)
		rc = reason_of(r->reason, reason, sizeof(reason), err);
	if (!rc) {
		int64_t amount = int_of(orig, "amount_minor");
		if (!r->has_amount)
			rc = fs_fail(err, FS_EINVAL, "amount", "give the payment's amount to confirm what is reversed");
		else if (r->amount_minor != amount) {
			char given[32], paid[32];
			fs_money_format(r->amount_minor, 2, given);
			fs_money_format(amount, 2, paid);
			rc = fs_fail(err, FS_EINVAL, "amount", "the amount %s is not the payment's %s", given, paid);
		}
	}
	if (!rc) {
		struct fs_kv kv[3] = {{"note", reason}};
		size_t n = 1;
		if (r->paid_on)
			kv[n++] = (struct fs_kv){"paid_on", r->paid_on};
		if (r->idempotency_key)
			kv[n++] = (struct fs_kv){"idempotency_key", r->idempotency_key};
		rc = fs_payment_reverse(ctx, r->payment_id, kv, n, ret_id, err);
	}
	json_decref(orig);
	json_decref(found);
	return fs_tx_end(ctx, rc, err);
}
