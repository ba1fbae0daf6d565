/* ledger_verify.c - verify for the ledger: the transfer log's hash chain, every
 * balance against the sum of its transfers (each sum overflow-checked, so a
 * wrapped balance is found), debits against credits, no no-negative account
 * below zero. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/money.h"
#include "ledger_int.h"

struct vsum {
	int64_t account, dp, cp, dpend, cpend;
	int overflow; /* a sum of its transfers passed the largest amount */
};

struct vpend {
	uint64_t key; /* FNV of org and id; 0 = empty */
	int64_t amount;
};

struct anchor {
	int64_t org, last_seq;
	unsigned char head[FS_HASH_BYTES];
};

struct acursor { /* an organization's anchors: anchors[next .. end) are still to meet */
	int64_t org;
	size_t next, end;
};

struct ledger_verify {
	struct fs_org_chains *chains; /* one chain per organization (org_chains.c) */
	struct anchor *anchors; /* the journal's 'transfers' entries: a chain's head after each batch, by organization */
	size_t nanchors, capanchors;
	struct acursor *cur;
	size_t ncur, capcur;
	struct vsum *sums;
	size_t nsums, capsums;
	struct vpend *pend;
	size_t cappend, npend;
	struct fs_chain_end *ends; /* each organization's newest transfer after the old chain (transfer_heads) */
	size_t nends, capends, lastend;
	int64_t split;
	struct fs_buf *report;
	int64_t problems, transfers;
	int rc;
};

static uint64_t key_of(int64_t org, const void *id, size_t n)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)org;
	const unsigned char *p = id;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h ? h : 1;
}

static struct vsum *vsum_of(struct ledger_verify *lv, int64_t account)
{
	for (size_t i = 0; i < lv->nsums; i++)
		if (lv->sums[i].account == account)
			return &lv->sums[i];
	if (fs_grow(&lv->sums, &lv->capsums, lv->nsums, sizeof(*lv->sums), 64))
		return NULL;
	struct vsum *s = &lv->sums[lv->nsums++];
	memset(s, 0, sizeof(*s));
	s->account = account;
	return s;
}

static struct vpend *vpend_slot(struct ledger_verify *lv, uint64_t key, int insert)
{
	if (insert && (lv->npend + 1) * 2 > lv->cappend) {
		size_t cap = lv->cappend ? lv->cappend * 2 : 1024;
		struct vpend *n = calloc(cap, sizeof(*n));
		if (!n)
			return NULL;
		for (size_t i = 0; i < lv->cappend; i++) {
			if (!lv->pend[i].key)
				continue;
			size_t j = lv->pend[i].key & (cap - 1);
			while (n[j].key)
				j = (j + 1) & (cap - 1);
			n[j] = lv->pend[i];
		}
		free(lv->pend);
		lv->pend = n;
		lv->cappend = cap;
	}
	if (!lv->cappend)
		return NULL;
	size_t j = key & (lv->cappend - 1);
	while (lv->pend[j].key && lv->pend[j].key != key)
		j = (j + 1) & (lv->cappend - 1);
	if (!lv->pend[j].key) {
		if (!insert)
			return NULL;
		lv->pend[j].key = key;
		lv->npend++;
	}
	return &lv->pend[j];
}

static void vproblem(struct ledger_verify *lv, const char *what, int64_t seq)
{
	if (lv->problems++ < 50)
		fs_buf_addf(lv->report, "transfers: %s (transfer %lld)\n", what, (long long)seq);
}

/* *sum += amount, or mark the account's sums as past the largest amount */
static void vadd(struct ledger_verify *lv, struct vsum *s, int64_t *sum, int64_t amount, int64_t seq)
{
	if (fs_money_add(*sum, amount, sum)) {
		if (!s->overflow)
			vproblem(lv, "the sum of an account's transfers passes the largest amount (a balance would wrap)", seq);
		s->overflow = 1;
	}
}

static int anchor_cb(void *p, const struct fs_value *v)
{
	struct ledger_verify *lv = p;
	json_t *j = v[0].type == FS_VTEXT ? json_loadb(v[0].p, v[0].n, 0, NULL) : NULL;
	const char *hex = json_string_value(json_object_get(j, "head"));
	json_int_t last = json_integer_value(json_object_get(j, "last_seq"));
	unsigned char head[FS_HASH_BYTES];
	if (!hex || fs_unhex(hex, head, FS_HASH_BYTES) || last <= 0) {
		vproblem(lv, "a journal entry of a batch of transfers is not readable", 0);
	} else if (fs_grow(&lv->anchors, &lv->capanchors, lv->nanchors, sizeof(*lv->anchors), 64)) {
		json_decref(j);
		return lv->rc = FS_ENOMEM, 1;
	} else {
		lv->anchors[lv->nanchors].org = v[1].type == FS_VINT ? v[1].i : 0; /* the fund's organization */
		lv->anchors[lv->nanchors].last_seq = last;
		memcpy(lv->anchors[lv->nanchors++].head, head, FS_HASH_BYTES);
	}
	json_decref(j);
	return 0;
}

static int anchor_cmp(const void *a, const void *b)
{
	const struct anchor *x = a, *y = b;
	if (x->org != y->org)
		return x->org < y->org ? -1 : 1;
	return (x->last_seq > y->last_seq) - (x->last_seq < y->last_seq);
}

/* the anchors sorted by organization and then by the batch's last transfer, a cursor per organization */
static int anchors_index(struct ledger_verify *lv)
{
	if (lv->nanchors)
		qsort(lv->anchors, lv->nanchors, sizeof(*lv->anchors), anchor_cmp);
	for (size_t i = 0; i < lv->nanchors; i++) {
		if (i && lv->anchors[i].org == lv->anchors[i - 1].org)
			continue;
		if (fs_grow(&lv->cur, &lv->capcur, lv->ncur, sizeof(*lv->cur), 8))
			return FS_ENOMEM;
		lv->cur[lv->ncur++] = (struct acursor){lv->anchors[i].org, i, i};
	}
	for (size_t c = 0; c < lv->ncur; c++)
		for (lv->cur[c].end = lv->cur[c].next; lv->cur[c].end < lv->nanchors && lv->anchors[lv->cur[c].end].org == lv->cur[c].org;)
			lv->cur[c].end++;
	return 0;
}

/* The ledger's chain against the heads the journal recorded, organization by
 * organization: a transfer cut, or altered and the chain after it recomputed,
 * leaves a journaled head unmatched. */
static void check_anchor(struct ledger_verify *lv, int64_t org, int64_t seq, const struct fs_value *hash)
{
	struct acursor *c = NULL;
	for (size_t i = 0; i < lv->ncur && !c; i++)
		if (lv->cur[i].org == org)
			c = &lv->cur[i];
	while (c && c->next < c->end && lv->anchors[c->next].last_seq < seq) {
		vproblem(lv, "is journaled as the end of a batch but missing from the ledger (transfers cut)",
			 lv->anchors[c->next].last_seq);
		c->next++;
	}
	if (c && c->next < c->end && lv->anchors[c->next].last_seq == seq) {
		if (hash->type != FS_VBLOB || hash->n != FS_HASH_BYTES || memcmp(hash->p, lv->anchors[c->next].head, FS_HASH_BYTES))
			vproblem(lv, "ends a batch whose head differs from the one journaled (the ledger was rewritten)", seq);
		c->next++;
	} else if (!c || c->next == c->end) {
		vproblem(lv, "is in no journaled batch (added to the ledger outside fairshare)", seq);
	}
}

/* The newest row walked of org's chain is now seq. */
static int note_end(struct ledger_verify *lv, int64_t org, int64_t seq, const struct fs_value *hash, const struct fs_value *ts)
{
	struct fs_chain_end *e = lv->lastend < lv->nends && lv->ends[lv->lastend].org == org ? &lv->ends[lv->lastend] : NULL;
	for (size_t i = 0; !e && i < lv->nends; i++)
		if (lv->ends[i].org == org)
			e = &lv->ends[lv->lastend = i];
	if (!e) {
		if (fs_grow(&lv->ends, &lv->capends, lv->nends, sizeof(*lv->ends), 8))
			return FS_ENOMEM;
		e = &lv->ends[lv->lastend = lv->nends++];
		e->org = org;
	}
	e->seq = seq;
	memset(e->hash, 0, FS_HASH_BYTES);
	if (hash->type == FS_VBLOB && hash->n == FS_HASH_BYTES)
		memcpy(e->hash, hash->p, FS_HASH_BYTES);
	e->ts[0] = '\0';
	if (ts->type == FS_VTEXT && ts->n < sizeof(e->ts)) {
		memcpy(e->ts, ts->p, ts->n);
		e->ts[ts->n] = '\0';
	}
	return 0;
}

static void head_problem(void *ud, const char *what, int64_t org)
{
	struct ledger_verify *lv = ud;
	if (lv->problems++ < 50)
		fs_buf_addf(lv->report, "transfers: %s (organization %lld)\n", what, (long long)org);
}

static int verify_transfer_cb(void *p, const struct fs_value *v)
{
	struct ledger_verify *lv = p;
	int64_t seq = v[T_SEQ].i;
	lv->transfers++;
	check_anchor(lv, v[T_ORG].i, seq, &v[T_HASH]);
	unsigned char h[FS_HASH_BYTES], want[FS_HASH_BYTES];
	fs_hash_values("transfers", &v[T_ID], T_HASH - T_ID, h);
	if (v[T_HASH].n != FS_HASH_BYTES || memcmp(h, v[T_HASH].p, FS_HASH_BYTES))
		vproblem(lv, "does not match its hash (altered)", seq);
	if (!fs_org_chains_step(lv->chains, v[T_ORG].i, seq, &v[T_HASH], want))
		return lv->rc = FS_ENOMEM, 1;
	if (v[T_PREV].n != FS_HASH_BYTES || memcmp(want, v[T_PREV].p, FS_HASH_BYTES))
		vproblem(lv, "does not follow the transfer before it (chain broken)", seq);
	if (seq > lv->split && note_end(lv, v[T_ORG].i, seq, &v[T_HASH], &v[T_TS]))
		return lv->rc = FS_ENOMEM, 1;
	if (v[T_AMOUNT].i <= 0 || v[T_DEBIT].i == v[T_CREDIT].i)
		vproblem(lv, "is not a valid transfer (amount or accounts)", seq);
	struct vsum *d = vsum_of(lv, v[T_DEBIT].i), *c = vsum_of(lv, v[T_CREDIT].i);
	if (!d || !c)
		return lv->rc = FS_ENOMEM, 1;
	int64_t amount = v[T_AMOUNT].i, flags = v[T_FLAGS].i;
	if (flags & FS_TF_PENDING) {
		struct vpend *s = vpend_slot(lv, key_of(v[T_ORG].i, v[T_ID].p, v[T_ID].n), 1);
		if (!s)
			return lv->rc = FS_ENOMEM, 1;
		s->amount = amount;
		vadd(lv, d, &d->dpend, amount, seq);
		vadd(lv, c, &c->cpend, amount, seq);
	} else if (flags & (FS_TF_POST | FS_TF_VOID)) {
		struct vpend *s = v[T_PENDING_ID].type == FS_VTEXT
					  ? vpend_slot(lv, key_of(v[T_ORG].i, v[T_PENDING_ID].p, v[T_PENDING_ID].n), 0) : NULL;
		if (!s || s->amount < 0) {
			vproblem(lv, "resolves a pending transfer that does not exist or was resolved before", seq);
		} else {
			vadd(lv, d, &d->dpend, -s->amount, seq);
			vadd(lv, c, &c->cpend, -s->amount, seq);
			s->amount = -1;
		}
		if (flags & FS_TF_POST) {
			vadd(lv, d, &d->dp, amount, seq);
			vadd(lv, c, &c->cp, amount, seq);
		}
	} else {
		vadd(lv, d, &d->dp, amount, seq);
		vadd(lv, c, &c->cp, amount, seq);
	}
	return 0;
}

static int verify_balance_cb(void *p, const struct fs_value *v)
{
	struct ledger_verify *lv = p;
	struct vsum *s = vsum_of(lv, v[B_ACCOUNT].i);
	if (!s)
		return lv->rc = FS_ENOMEM, 1;
	if (v[B_DP].i < 0 || v[B_CP].i < 0 || v[B_DPEND].i < 0 || v[B_CPEND].i < 0)
		vproblem(lv, "an account balance holds a negative sum (wrapped past the largest amount)", v[B_ACCOUNT].i);
	else if (s->dp != v[B_DP].i || s->cp != v[B_CP].i || s->dpend != v[B_DPEND].i || s->cpend != v[B_CPEND].i)
		vproblem(lv, "an account balance differs from the sum of its transfers", v[B_ACCOUNT].i);
	s->account = -s->account - 1; /* mark as checked */
	return 0;
}

int fs_ledger_verify(struct fs_ctx *ctx, struct fs_buf *report, int64_t *problems, int64_t *transfers, struct fs_error *err)
{
	struct ledger_verify lv = {.report = report};
	struct fs_filter af = {"action", FS_EQ, fs_vtext("transfers")};
	static const char *const acols[] = {"after_json", "org_id"};
	struct fs_query aq = {.table = &fs_journal_table, .filters = &af, .nfilters = 1, .columns = acols, .ncolumns = 2};
	struct fs_query q = {.table = &fs_transfers_table}; /* in seq order: each organization's chain in its order */
	int rc = fs_org_chains_open(ctx, FS_TRANSFER_CHAINS, &lv.chains, err);
	if (!rc)
		rc = fs_store_select(ctx->st, &aq, anchor_cb, &lv, err);
	if (!rc)
		rc = lv.rc;
	if (!rc)
		rc = anchors_index(&lv);
	if (!rc)
		lv.split = fs_org_chains_split(lv.chains);
	if (!rc)
		rc = fs_store_select(ctx->st, &q, verify_transfer_cb, &lv, err);
	if (!rc && !lv.rc) /* the heads kept (ledger_head.c) are the chains' ends */
		rc = fs_transfer_heads_check(ctx, lv.ends, lv.nends, head_problem, &lv, err);
	for (size_t c = 0; !rc && c < lv.ncur; c++)
		for (; lv.cur[c].next < lv.cur[c].end; lv.cur[c].next++)
			vproblem(&lv, "is journaled as the end of a batch but missing from the ledger (transfers cut)",
				 lv.anchors[lv.cur[c].next].last_seq);
	if (!rc)
		rc = lv.rc;
	struct fs_query bq = {.table = &fs_balances_table};
	if (!rc)
		rc = fs_store_select(ctx->st, &bq, verify_balance_cb, &lv, err);
	for (size_t i = 0; !rc && i < lv.nsums; i++)
		if (lv.sums[i].account >= 0 && (lv.sums[i].dp || lv.sums[i].cp || lv.sums[i].dpend || lv.sums[i].cpend))
			vproblem(&lv, "an account with transfers has no balance row", lv.sums[i].account);
	/* posted debits equal credits: summed over every account in 128 bits, which
	 * no number of 64-bit sums can pass */
	__int128 diff = 0;
	int wrapped = 0;
	for (size_t i = 0; !rc && i < lv.nsums; i++) {
		wrapped |= lv.sums[i].overflow;
		diff += (__int128)lv.sums[i].dp - lv.sums[i].cp;
	}
	if (!rc && !wrapped && diff != 0)
		vproblem(&lv, "posted debits and credits differ", 0);
	/* accounts that may not go negative */
	const struct fs_entity *ae = fs_entity_find("account");
	for (size_t i = 0; !rc && i < lv.nsums; i++) {
		int64_t id = lv.sums[i].account < 0 ? -lv.sums[i].account - 1 : lv.sums[i].account;
		struct fs_row row;
		if (fs_store_get(ctx->st, &ae->table, id, &row, NULL)) {
			vproblem(&lv, "a transfer names an account that does not exist", id);
			continue;
		}
		int no_neg = row.vals[ae->col_of[fs_field_index(ae, "no_negative")]].i != 0;
		const struct fs_value *k = &row.vals[ae->col_of[fs_field_index(ae, "kind")]];
		int debit_normal = (k->n == 5 && !memcmp(k->p, "asset", 5)) || (k->n == 7 && !memcmp(k->p, "expense", 7));
		fs_row_free(&row);
		int64_t bal;
		if (lv.sums[i].overflow || fs_money_sub(debit_normal ? lv.sums[i].dp : lv.sums[i].cp,
							 debit_normal ? lv.sums[i].cp : lv.sums[i].dp, &bal))
			continue; /* reported above */
		if (no_neg && bal < 0)
			vproblem(&lv, "an account that may not go negative is below zero", id);
	}
	free(lv.sums);
	free(lv.pend);
	free(lv.anchors);
	free(lv.cur);
	free(lv.ends);
	fs_org_chains_close(lv.chains);
	*problems = lv.problems;
	*transfers = lv.transfers;
	return rc;
}
