/* fund_approval.c - a week's strike pay that needs a second person: the batch
 * past the fund's approval threshold or the requester's rolling limit is
 * entered as pending transfers (one per striker, their usual ids), and a second
 * account holding funds.approve posts them all in one linked batch - all or
 * none - by the batch's id "strike-FUND-DAY" (fs_ledger_approve, every front
 * end). The two-person rule itself stays in payout.c: every post is checked
 * there, by account id. */
#include "internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/date.h"
#include "ledger_int.h"

/* The pending strike-pay transfers of a week, entered for approval. */
struct scan_ud {
	json_t *pending; /* id -> requester (actor) */
	const char *prefix;
	size_t plen;
};

static int scan_cb(void *p, const struct fs_value *v)
{
	/* columns: id, flags, actor */
	struct scan_ud *u = p;
	char id[FS_TRANSFER_ID_MAX + 1], actor[FS_ACTOR_MAX];
	snprintf(id, sizeof(id), "%.*s", (int)v[0].n, (const char *)v[0].p);
	snprintf(actor, sizeof(actor), "%.*s", v[2].type == FS_VTEXT ? (int)v[2].n : 0, v[2].type == FS_VTEXT ? (const char *)v[2].p : "");
	if ((v[1].i & FS_TF_PENDING) && !strncmp(id, u->prefix, u->plen))
		json_object_set_new(u->pending, id, json_string(actor));
	return 0;
}

static int done_cb(void *p, const struct fs_value *v)
{
	*(int64_t *)p = v[0].i; /* flags of the post or void */
	return 1;
}

/* The strike-pay transfers of fund on day (value date and code), pending ones
 * whose id starts with "strike-FUND-DAY-". *ret: {id: {"requester", "state"}}. */
int fs_strike_pending_scan(struct fs_ctx *ctx, int64_t fund, const char *day, json_t **ret, struct fs_error *err)
{
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "strike-%lld-%s-", (long long)fund, day);
	struct scan_ud u = {.pending = json_object(), .prefix = prefix, .plen = strlen(prefix)};
	json_t *out = json_object();
	int rc = u.pending && out ? 0 : fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	static const char *const cols[] = {"id", "flags", "actor"};
	struct fs_filter f[3] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"fund_id", FS_EQ, fs_vint(fund)},
				 {"value_date", FS_EQ, fs_vtext(day)}};
	struct fs_query q = {.table = &fs_transfers_table, .filters = f, .nfilters = 3, .columns = cols, .ncolumns = 3};
	if (!rc)
		rc = fs_store_select(ctx->st, &q, scan_cb, &u, err);
	const char *id;
	json_t *who;
	json_object_foreach(rc ? NULL : u.pending, id, who) {
		/* posted or voided since, by anyone, on any date */
		static const char *const dcols[] = {"flags"};
		struct fs_filter df[2] = {{"org_id", FS_EQ, fs_vint(ctx->org_id)}, {"pending_id", FS_EQ, fs_vtext(id)}};
		struct fs_query dq = {.table = &fs_transfers_table, .filters = df, .nfilters = 2, .limit = 1, .columns = dcols, .ncolumns = 1};
		int64_t flags = 0;
		if ((rc = fs_store_select(ctx->st, &dq, done_cb, &flags, err)))
			break;
		const char *state = flags & FS_TF_POST ? "posted" : flags & FS_TF_VOID ? "voided" : "pending";
		json_object_set_new(out, id, json_pack("{s:O,s:s}", "requester", who, "state", state));
	}
	json_decref(u.pending);
	if (rc) {
		json_decref(out);
		return rc;
	}
	*ret = out;
	return 0;
}

/* "strike-FUND-YYYY-MM-DD" of this fund: the day into day[11]. */
static int batch_day(const char *batch_id, int64_t fund, char day[11])
{
	char head[32];
	int n = snprintf(head, sizeof(head), "strike-%lld-", (long long)fund);
	fs_date d;
	struct fs_error e = {0};
	if (strncmp(batch_id, head, (size_t)n) || strlen(batch_id + n) != 10 || fs_date_parse(batch_id + n, &d, &e, "week"))
		return -1;
	fs_date_format(d, day);
	return strcmp(day, batch_id + n) ? -1 : 0;
}

/* The id of the transfer that posts or voids a pending one: PENDING.post or
 * .void (a long id shortened by its hash); funds.c calls it too. */
int fs_ledger_resolution_id(const char *pending_id, unsigned flag, char out[FS_TRANSFER_ID_MAX + 1], struct fs_error *err)
{
	const char *suffix = flag == FS_TF_VOID ? "void" : flag == FS_TF_POST ? "post" : NULL;
	if (!suffix)
		return fs_fail(err, FS_EINVAL, NULL, "a pending transfer is posted or voided");
	if (!fs_transfer_id_ok(pending_id))
		return fs_fail(err, FS_EINVAL, "pending_id", "'%.64s' is not a transfer id (1-64 of A-Z a-z 0-9 . _ : -)",
			       pending_id ? pending_id : "");
	size_t n = strlen(pending_id);
	if (n <= 40) {
		snprintf(out, FS_TRANSFER_ID_MAX + 1, "%s.%s", pending_id, suffix);
		return 0;
	}
	unsigned char h[16];
	char hex[33];
	crypto_generichash(h, sizeof(h), (const unsigned char *)pending_id, n, NULL, 0);
	fs_hex(h, sizeof(h), hex);
	snprintf(out, FS_TRANSFER_ID_MAX + 1, "%.26s.%s.%s", pending_id, hex, suffix);
	return 0;
}

int fs_strike_batch_approve(struct fs_ctx *ctx, int64_t fund, const char *batch_id, int *result, struct fs_error *err)
{
	char day[11];
	if (batch_day(batch_id, fund, day))
		return fs_fail(err, FS_ENOTFOUND, "id", "no pending disbursement '%.64s' in this fund", batch_id);
	json_t *scan;
	int rc = fs_strike_pending_scan(ctx, fund, day, &scan, err);
	if (rc)
		return rc;
	size_t n = 0, posted = 0;
	const char *id;
	json_t *s;
	json_object_foreach(scan, id, s) {
		const char *state = json_string_value(json_object_get(s, "state"));
		n += !strcmp(state, "pending");
		posted += !strcmp(state, "posted");
		/* the second person is another account than whoever entered any of them */
		if (!strcmp(state, "pending") && fs_actor_is_principal(ctx, json_string_value(json_object_get(s, "requester")))) {
			json_decref(scan);
			return fs_fail(err, FS_EPERM, "actor", "strike pay is approved by a second person, not by %s who entered it", ctx->actor);
		}
	}
	if (!n) {
		json_decref(scan);
		if (posted)
			return fs_fail(err, FS_ECONFLICT, "pending_id", "the strike pay '%.64s' was approved and paid already", batch_id);
		return fs_fail(err, FS_ENOTFOUND, "id", "no pending disbursement '%.64s' in this fund", batch_id);
	}
	if (ctx->principal_id <= 0) {
		json_decref(scan);
		return fs_fail(err, FS_EPERM, "actor", "the second person of a payout is an account: approve as one (--as NAME), not as %s",
			       ctx->actor);
	}
	struct fs_transfer *t = calloc(n, sizeof(*t));
	char (*rid)[FS_TRANSFER_ID_MAX + 1] = calloc(n, sizeof(*rid));
	int *res = calloc(n, sizeof(*res));
	if (!t || !rid || !res)
		rc = fs_fail(err, FS_ENOMEM, NULL, "out of memory");
	size_t k = 0;
	json_object_foreach(rc ? NULL : scan, id, s) {
		if (strcmp(json_string_value(json_object_get(s, "state")), "pending"))
			continue;
		if ((rc = fs_ledger_resolution_id(id, FS_TF_POST, rid[k], err)))
			break;
		t[k] = (struct fs_transfer){.id = rid[k], .flags = FS_TF_POST, .pending_id = id};
		k++;
	}
	for (size_t i = 0; !rc && i + 1 < k; i++)
		t[i].flags |= FS_TF_LINKED; /* one chain: every striker paid, or none */
	if (!rc)
		rc = fs_ledger_transfer(ctx, fund, t, k, res, err);
	int first = FS_T_OK;
	for (size_t i = 0; !rc && i < k; i++)
		if (res[i] != FS_T_OK && (first == FS_T_OK || first == FS_T_LINKED_FAILED))
			first = res[i];
	if (!rc)
		*result = first;
	json_decref(scan);
	free(t);
	free(rid);
	free(res);
	return rc;
}
