/* ledger.c - the solidarity funds' double-entry ledger (after TigerBeetle's
 * accounts and transfers).
 *
 * Transfers are immutable rows of their own hash-chained log (prev_hash, hash),
 * written in batches; each batch is one journal entry. A transfer's id is its
 * idempotency key: the same id with the same fields answers "exists" and changes
 * nothing, with other fields it is refused. Linked transfers succeed or fail
 * together. Pending transfers reserve an amount until posted or voided (or they
 * time out). Balances are derived, kept per account, and checked against the
 * transfers by verify. Amounts are integer minor units, debit = credit. */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/date.h"
#include "../util/money.h"

enum { T_SEQ, T_ID, T_ORG, T_FUND, T_DEBIT, T_CREDIT, T_AMOUNT, T_CURRENCY, T_CODE, T_FLAGS, T_PENDING_ID, T_TIMEOUT,
       T_TS, T_VALUE_DATE, T_ACTOR, T_MEMO, T_PARTY, T_PREV, T_HASH, T_NCOLS };
static const struct fs_column transfer_cols[T_NCOLS] = {
	{"seq", FS_VINT}, {"id", FS_VTEXT}, {"org_id", FS_VINT}, {"fund_id", FS_VINT}, {"debit_account_id", FS_VINT},
	{"credit_account_id", FS_VINT}, {"amount_minor", FS_VINT}, {"currency", FS_VTEXT}, {"code", FS_VTEXT},
	{"flags", FS_VINT}, {"pending_id", FS_VTEXT}, {"timeout_at", FS_VTEXT}, {"ts", FS_VTEXT}, {"value_date", FS_VTEXT},
	{"actor", FS_VTEXT}, {"memo", FS_VTEXT}, {"party", FS_VBLOB}, {"prev_hash", FS_VBLOB}, {"hash", FS_VBLOB}};
const struct fs_table fs_transfers_table = {"transfers", transfer_cols, T_NCOLS};
enum { B_ACCOUNT, B_DP, B_CP, B_DPEND, B_CPEND, B_NCOLS };
static const struct fs_column balance_cols[B_NCOLS] = {{"account_id", FS_VINT}, {"debits_posted", FS_VINT},
	{"credits_posted", FS_VINT}, {"debits_pending", FS_VINT}, {"credits_pending", FS_VINT}};
const struct fs_table fs_balances_table = {"balances", balance_cols, B_NCOLS};

const char *fs_transfer_result_name(int r)
{
	static const char *const names[] = {"ok", "exists", "exists_with_different_fields", "linked_event_failed",
					    "invalid", "accounts_must_be_different", "account_not_found", "currency_mismatch",
					    "exceeds_balance", "pending_not_found", "pending_already_resolved",
					    "pending_expired", "exceeds_pending_amount", "account_of_another_fund"};
	return r >= 0 && r < (int)(sizeof(names) / sizeof(names[0])) ? names[r] : "unknown";
}

/* ---- accounts and their balances, loaded once per batch ---- */

struct acct {
	int64_t id;
	int64_t fund;
	int debit_normal; /* asset, expense */
	int no_negative;
	char currency[4];
	int64_t dp, cp, dpend, cpend;
	int touched;
};

struct batch {
	struct fs_ctx *ctx;
	int64_t fund;
	struct acct *accts;
	size_t nacct, capacct;
	char currency[4];
	unsigned char head[FS_HASH_BYTES];
	int64_t stored, first_seq, last_seq;
	/* ids seen in this batch, with their row values for the idempotency check */
	struct seen_id {
		char id[72];
		struct fs_transfer t;
		char code[32];
		int resolved; /* for a pending one: posted or voided in this batch */
	} *seen;
	size_t nseen, capseen;
	uint32_t *seen_index; /* open addressing over seen[]: index + 1, 0 = empty */
	size_t seen_cap;
	struct fs_error *err;
};

static int id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)id[i]) && !strchr("._:-", id[i]))
			return 0;
	return 1;
}

struct acct_ud {
	struct acct *a;
	int found;
};

static int acct_cb(void *p, const struct fs_value *v)
{
	struct acct_ud *u = p;
	const struct fs_entity *e = fs_entity_find("account");
	u->found = 1;
	u->a->fund = v[e->col_of[fs_field_index(e, "fund_id")]].i;
	const struct fs_value *k = &v[e->col_of[fs_field_index(e, "kind")]];
	u->a->debit_normal = (k->n == 5 && !memcmp(k->p, "asset", 5)) || (k->n == 7 && !memcmp(k->p, "expense", 7));
	u->a->no_negative = v[e->col_of[fs_field_index(e, "no_negative")]].i != 0;
	const struct fs_value *c = &v[e->col_of[fs_field_index(e, "currency")]];
	snprintf(u->a->currency, sizeof(u->a->currency), "%.*s", c->type == FS_VTEXT ? (int)c->n : 0, c->type == FS_VTEXT ? (const char *)c->p : "");
	return 1;
}

static int bal_cb(void *p, const struct fs_value *v)
{
	struct acct *a = p;
	a->dp = v[B_DP].i;
	a->cp = v[B_CP].i;
	a->dpend = v[B_DPEND].i;
	a->cpend = v[B_CPEND].i;
	return 1;
}

static struct acct *account(struct batch *b, int64_t id, int *rc)
{
	for (size_t i = 0; i < b->nacct; i++)
		if (b->accts[i].id == id)
			return &b->accts[i];
	if (fs_grow(&b->accts, &b->capacct, b->nacct, sizeof(*b->accts), 16))
		return *rc = FS_ENOMEM, NULL;
	struct acct *a = &b->accts[b->nacct];
	memset(a, 0, sizeof(*a));
	a->id = id;
	const struct fs_entity *e = fs_entity_find("account");
	struct fs_filter f[2] = {{"id", FS_EQ, fs_vint(id)}, {"org_id", FS_EQ, fs_vint(b->ctx->org_id)}};
	struct fs_query q = {.table = &e->table, .filters = f, .nfilters = 2, .limit = 1};
	struct acct_ud u = {a, 0};
	if ((*rc = fs_store_select(b->ctx->st, &q, acct_cb, &u, b->err)))
		return NULL;
	if (!u.found)
		return NULL;
	struct fs_filter bf = {"account_id", FS_EQ, fs_vint(id)};
	struct fs_query bq = {.table = &fs_balances_table, .filters = &bf, .nfilters = 1, .limit = 1};
	if ((*rc = fs_store_select(b->ctx->st, &bq, bal_cb, a, b->err)))
		return NULL;
	b->nacct++;
	return a;
}

/* The balance the account's owner sees, counting what is reserved against it. */
static int would_go_negative(const struct acct *a)
{
	if (!a->no_negative)
		return 0;
	if (a->debit_normal)
		return a->cp + a->cpend > a->dp; /* credits (paid out, reserved) beyond debits */
	return a->dp + a->dpend > a->cp;
}

/* ---- looking up earlier transfers ---- */

struct tf_ud {
	struct fs_transfer t;
	char id[72], pending_id[72], code[32], memo[512], timeout[24], value_date[11];
	int64_t fund;
	int found;
};

static int tf_cb(void *p, const struct fs_value *v)
{
	struct tf_ud *u = p;
	u->found = 1;
	snprintf(u->id, sizeof(u->id), "%.*s", (int)v[T_ID].n, (const char *)v[T_ID].p);
	u->fund = v[T_FUND].i;
	u->t.id = u->id;
	u->t.debit_account = v[T_DEBIT].i;
	u->t.credit_account = v[T_CREDIT].i;
	u->t.amount_minor = v[T_AMOUNT].i;
	snprintf(u->code, sizeof(u->code), "%.*s", (int)v[T_CODE].n, (const char *)v[T_CODE].p);
	u->t.code = u->code;
	u->t.flags = (unsigned)v[T_FLAGS].i;
	if (v[T_PENDING_ID].type == FS_VTEXT) {
		snprintf(u->pending_id, sizeof(u->pending_id), "%.*s", (int)v[T_PENDING_ID].n, (const char *)v[T_PENDING_ID].p);
		u->t.pending_id = u->pending_id;
	}
	if (v[T_MEMO].type == FS_VTEXT) {
		snprintf(u->memo, sizeof(u->memo), "%.*s", (int)v[T_MEMO].n, (const char *)v[T_MEMO].p);
		u->t.memo = u->memo;
	}
	if (v[T_TIMEOUT].type == FS_VTEXT)
		snprintf(u->timeout, sizeof(u->timeout), "%.*s", (int)v[T_TIMEOUT].n, (const char *)v[T_TIMEOUT].p);
	snprintf(u->value_date, sizeof(u->value_date), "%.*s", (int)v[T_VALUE_DATE].n, (const char *)v[T_VALUE_DATE].p);
	u->t.value_date = u->value_date;
	return 1;
}

static int find_transfer(struct batch *b, const char *col, const char *id, struct tf_ud *u)
{
	struct fs_filter f[2] = {{"org_id", FS_EQ, fs_vint(b->ctx->org_id)}, {col, FS_EQ, fs_vtext(id)}};
	struct fs_query q = {.table = &fs_transfers_table, .filters = f, .nfilters = 2, .limit = 1};
	memset(u, 0, sizeof(*u));
	return fs_store_select(b->ctx->st, &q, tf_cb, u, b->err);
}

/* a: as stored; b: as asked for again. A post or void asked without amount or
 * code takes them from the pending transfer, so only what was asked is compared. */
static int same_fields(const struct fs_transfer *a, const struct fs_transfer *b)
{
	if (b->flags & (FS_TF_POST | FS_TF_VOID))
		return (a->flags & (FS_TF_POST | FS_TF_VOID)) == (b->flags & (FS_TF_POST | FS_TF_VOID)) &&
		       !strcmp(a->pending_id ? a->pending_id : "", b->pending_id ? b->pending_id : "") &&
		       (!b->amount_minor || a->amount_minor == b->amount_minor) && (!b->code || !strcmp(a->code ? a->code : "", b->code));
	return a->debit_account == b->debit_account && a->credit_account == b->credit_account &&
	       a->amount_minor == b->amount_minor && !strcmp(a->code ? a->code : "", b->code ? b->code : "") &&
	       (a->flags & ~(unsigned)FS_TF_LINKED) == (b->flags & ~(unsigned)FS_TF_LINKED) &&
	       !strcmp(a->pending_id ? a->pending_id : "", b->pending_id ? b->pending_id : "");
}

static uint64_t id_hash(const char *id)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	return h;
}

/* The ids of this batch: a hash index over seen[] (entries are only appended, or
 * dropped from the end when a linked chain fails). */
static struct seen_id *seen_find(struct batch *b, const char *id)
{
	if (!b->seen_cap)
		return NULL;
	size_t j = id_hash(id) & (b->seen_cap - 1);
	while (b->seen_index[j]) {
		uint32_t k = b->seen_index[j] - 1;
		if (k < b->nseen && !strcmp(b->seen[k].id, id))
			return &b->seen[k];
		j = (j + 1) & (b->seen_cap - 1);
	}
	return NULL;
}

static void seen_add(struct batch *b, size_t k)
{
	size_t j = id_hash(b->seen[k].id) & (b->seen_cap - 1);
	while (b->seen_index[j]) {
		uint32_t e = b->seen_index[j] - 1;
		if (e >= b->nseen || !strcmp(b->seen[e].id, b->seen[k].id))
			break; /* a stale slot from a dropped chain, or the same id: reuse it */
		j = (j + 1) & (b->seen_cap - 1);
	}
	b->seen_index[j] = (uint32_t)k + 1;
}

/* ---- one transfer: checks and effects on the in-memory balances ---- */

struct effect {
	struct acct *debit, *credit;
	int64_t dp, cp, dpend, cpend; /* deltas on debit (dp, dpend) and credit (cp, cpend) */
};

static void apply(struct effect *e, int sign)
{
	e->debit->dp += sign * e->dp;
	e->debit->dpend += sign * e->dpend;
	e->credit->cp += sign * e->cp;
	e->credit->cpend += sign * e->cpend;
	e->debit->touched = e->credit->touched = 1;
}

static void now_iso(char out[24], time_t t)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Resolve t (already validated as new) against balances; fill the row's effect. */
static int check(struct batch *b, const struct fs_transfer *t, struct fs_transfer *resolved, struct effect *ef,
		 char pend_timeout[24], char code_buf[32], int *rc)
{
	*resolved = *t;
	memset(ef, 0, sizeof(*ef));
	int resolves = (t->flags & (FS_TF_POST | FS_TF_VOID)) != 0;
	if (!id_ok(t->id) || (!resolves && (!t->code || !*t->code)) || (t->code && strlen(t->code) > 31) || t->amount_minor < 0 ||
	    (t->memo && strlen(t->memo) > 500) || (t->flags & FS_TF_POST && t->flags & FS_TF_VOID) ||
	    ((t->flags & (FS_TF_POST | FS_TF_VOID)) && (t->flags & FS_TF_PENDING)) || t->amount_minor > FS_MONEY_MAX_MINOR)
		return FS_T_INVALID;
	if (t->flags & (FS_TF_POST | FS_TF_VOID)) {
		if (!t->pending_id)
			return FS_T_INVALID;
		struct tf_ud p;
		struct seen_id *s = seen_find(b, t->pending_id);
		const struct fs_transfer *pt = NULL;
		if (s) {
			pt = &s->t;
			if (s->resolved)
				return FS_T_PENDING_DONE;
		} else {
			if ((*rc = find_transfer(b, "id", t->pending_id, &p)))
				return -1;
			if (p.found)
				pt = &p.t;
		}
		if (!pt || !(pt->flags & FS_TF_PENDING))
			return FS_T_PENDING_NOT_FOUND;
		struct tf_ud done;
		if ((*rc = find_transfer(b, "pending_id", t->pending_id, &done)))
			return -1;
		if (done.found)
			return FS_T_PENDING_DONE;
		if (!s && p.timeout[0]) {
			char now[24];
			now_iso(now, time(NULL));
			if (strcmp(p.timeout, now) < 0)
				return FS_T_PENDING_EXPIRED;
		}
		if (t->amount_minor > pt->amount_minor)
			return FS_T_AMOUNT_EXCEEDS_PENDING;
		resolved->debit_account = pt->debit_account;
		resolved->credit_account = pt->credit_account;
		resolved->amount_minor = (t->flags & FS_TF_VOID) ? pt->amount_minor : t->amount_minor ? t->amount_minor : pt->amount_minor;
		if (!t->code || !*t->code) { /* the pending one's, copied: pt lives on this stack */
			snprintf(code_buf, 32, "%s", pt->code ? pt->code : "");
			resolved->code = code_buf;
		}
		int r2 = 0;
		ef->debit = account(b, pt->debit_account, &r2);
		ef->credit = account(b, pt->credit_account, &r2);
		if (r2)
			return *rc = r2, -1;
		ef->dpend = ef->cpend = -pt->amount_minor;
		if (t->flags & FS_TF_POST)
			ef->dp = ef->cp = resolved->amount_minor;
		if (s)
			s->resolved = 1;
		(void)pend_timeout;
		return FS_T_OK;
	}
	if (t->amount_minor == 0)
		return FS_T_INVALID;
	if (t->debit_account == t->credit_account)
		return FS_T_SAME_ACCOUNTS;
	int r2 = 0;
	ef->debit = account(b, t->debit_account, &r2);
	ef->credit = r2 ? NULL : account(b, t->credit_account, &r2);
	if (r2)
		return *rc = r2, -1;
	if (!ef->debit || !ef->credit)
		return FS_T_NO_ACCOUNT;
	if (ef->debit->fund != b->fund || ef->credit->fund != b->fund)
		return FS_T_FUND_MISMATCH;
	if (strcmp(ef->debit->currency, ef->credit->currency) || strcmp(ef->debit->currency, b->currency))
		return FS_T_CURRENCY;
	if (t->flags & FS_TF_PENDING) {
		ef->dpend = ef->cpend = t->amount_minor;
		if (t->timeout_s > 0)
			now_iso(pend_timeout, time(NULL) + t->timeout_s);
	} else {
		ef->dp = ef->cp = t->amount_minor;
	}
	return FS_T_OK;
}

static int store_row(struct batch *b, const struct fs_transfer *t, const char *timeout, int64_t *seq)
{
	struct fs_ctx *ctx = b->ctx;
	char ts[24], today[11];
	now_iso(ts, time(NULL));
	fs_date_format(fs_date_today(), today);
	struct fs_buf party;
	fs_buf_init(&party, 4096);
	int rc = 0;
	if (t->party && *t->party)
		rc = fs_seal(&ctx->keys, "transfers", t->party, strlen(t->party), &party);
	struct fs_value v[T_NCOLS];
	v[T_SEQ] = fs_vnull();
	v[T_ID] = fs_vtext(t->id);
	v[T_ORG] = fs_vint(ctx->org_id);
	v[T_FUND] = fs_vint(b->fund);
	v[T_DEBIT] = fs_vint(t->debit_account);
	v[T_CREDIT] = fs_vint(t->credit_account);
	v[T_AMOUNT] = fs_vint(t->amount_minor);
	v[T_CURRENCY] = fs_vtext(b->currency);
	v[T_CODE] = fs_vtext(t->code);
	v[T_FLAGS] = fs_vint(t->flags & ~(unsigned)FS_TF_LINKED);
	v[T_PENDING_ID] = fs_vtext(t->pending_id);
	v[T_TIMEOUT] = timeout && *timeout ? fs_vtext(timeout) : fs_vnull();
	v[T_TS] = fs_vtext(ts);
	v[T_VALUE_DATE] = fs_vtext(t->value_date && *t->value_date ? t->value_date : today);
	v[T_ACTOR] = fs_vtext(ctx->actor);
	v[T_MEMO] = fs_vtext(t->memo && *t->memo ? t->memo : NULL);
	v[T_PARTY] = party.len ? fs_vblob(party.data, party.len) : fs_vnull();
	v[T_PREV] = fs_vblob(b->head, FS_HASH_BYTES);
	unsigned char h[FS_HASH_BYTES];
	fs_hash_values("transfers", &v[T_ID], T_HASH - T_ID, h);
	v[T_HASH] = fs_vblob(h, FS_HASH_BYTES);
	if (!rc)
		rc = fs_store_insert(ctx->st, &fs_transfers_table, v, seq, b->err);
	fs_buf_done(&party);
	if (!rc)
		memcpy(b->head, h, FS_HASH_BYTES);
	return rc;
}

static int head_cb(void *p, const struct fs_value *v)
{
	memcpy(p, v[0].p, v[0].n == FS_HASH_BYTES ? FS_HASH_BYTES : 0);
	return 1;
}

static int validate_date(const char *d)
{
	fs_date x;
	return !d || !*d || fs_date_parse(d, &x, NULL, NULL) == 0;
}

int fs_ledger_transfer(struct fs_ctx *ctx, int64_t fund, const struct fs_transfer *t, size_t n, int *results,
		       struct fs_error *err)
{
	if (ctx->org_id <= 0)
		return fs_fail(err, FS_EINVAL, "org", "no organization chosen; pick one with --org");
	const struct fs_entity *fe = fs_entity_find("fund");
	struct fs_row frow;
	int rc = fs_store_get(ctx->st, &fe->table, fund, &frow, NULL);
	if (rc || frow.vals[fe->org_col].i != ctx->org_id) {
		if (!rc)
			fs_row_free(&frow);
		return fs_fail(err, FS_ENOTFOUND, "fund", "there is no fund with id %lld", (long long)fund);
	}
	struct batch b = {.ctx = ctx, .fund = fund, .err = err};
	const struct fs_value *cur = &frow.vals[fe->col_of[fs_field_index(fe, "currency")]];
	snprintf(b.currency, sizeof(b.currency), "%.*s", (int)cur->n, (const char *)cur->p);
	fs_row_free(&frow);
	if ((rc = fs_tx_begin(ctx, err)))
		return rc;
	static const char *const hcols[] = {"hash"};
	struct fs_query hq = {.table = &fs_transfers_table, .descending = 1, .limit = 1, .columns = hcols, .ncolumns = 1};
	rc = fs_store_select(ctx->st, &hq, head_cb, b.head, err);
	/* rows of the current linked chain wait here until the chain is known good */
	struct pend {
		struct fs_transfer t;
		char code[32];
		char timeout[24];
		struct effect ef;
		size_t index;
	} *chain = calloc(n ? n : 1, sizeof(*chain));
	if (!chain)
		rc = FS_ENOMEM;
	size_t nchain = 0;
	int chain_failed = 0;
	b.seen = calloc(n ? n : 1, sizeof(*b.seen));
	b.seen_cap = 16;
	while (b.seen_cap < 2 * n)
		b.seen_cap *= 2;
	b.seen_index = calloc(b.seen_cap, sizeof(*b.seen_index));
	if (!b.seen || !b.seen_index)
		rc = FS_ENOMEM;
	for (size_t i = 0; i < n && !rc; i++) {
		int res;
		struct fs_transfer resolved;
		struct effect ef = {0};
		char timeout[24] = "", code_buf[32] = "";
		struct seen_id *dup = t[i].id ? seen_find(&b, t[i].id) : NULL;
		struct tf_ud old;
		if (!id_ok(t[i].id) || !validate_date(t[i].value_date)) {
			res = FS_T_INVALID;
		} else if (dup) {
			res = same_fields(&dup->t, &t[i]) ? FS_T_EXISTS : FS_T_EXISTS_DIFFERENT;
		} else if ((rc = find_transfer(&b, "id", t[i].id, &old))) {
			break;
		} else if (old.found) {
			res = old.fund == fund && same_fields(&old.t, &t[i]) ? FS_T_EXISTS : FS_T_EXISTS_DIFFERENT;
		} else {
			res = check(&b, &t[i], &resolved, &ef, timeout, code_buf, &rc);
			if (rc)
				break;
			if (res == FS_T_OK) {
				apply(&ef, 1);
				if (would_go_negative(ef.debit) || would_go_negative(ef.credit)) {
					apply(&ef, -1);
					res = FS_T_WOULD_GO_NEGATIVE;
				}
			}
		}
		results[i] = res;
		if (res == FS_T_OK) {
			chain[nchain].t = resolved;
			snprintf(chain[nchain].code, sizeof(chain[nchain].code), "%s", resolved.code ? resolved.code : "");
			chain[nchain].t.code = chain[nchain].code;
			chain[nchain].t.flags = t[i].flags;
			chain[nchain].t.pending_id = t[i].pending_id;
			memcpy(chain[nchain].timeout, timeout, sizeof(timeout));
			chain[nchain].ef = ef;
			chain[nchain].index = i;
			nchain++;
			struct seen_id *s = &b.seen[b.nseen++];
			snprintf(s->id, sizeof(s->id), "%s", t[i].id);
			s->t = resolved;
			snprintf(s->code, sizeof(s->code), "%s", resolved.code ? resolved.code : "");
			s->t.code = s->code;
			s->t.flags = t[i].flags;
			s->t.id = s->id;
			seen_add(&b, b.nseen - 1);
		} else {
			chain_failed = 1;
		}
		if (t[i].flags & FS_TF_LINKED && i + 1 < n)
			continue; /* the chain goes on */
		/* end of a chain (a lone transfer is a chain of one) */
		size_t start = i;
		while (start > 0 && (t[start - 1].flags & FS_TF_LINKED))
			start--;
		if (chain_failed && i > start) {
			for (size_t k = nchain; k-- > 0;) {
				apply(&chain[k].ef, -1);
				/* a pending resolved inside the failed chain is open again */
				for (size_t s = 0; s < b.nseen; s++)
					if (chain[k].t.pending_id && !strcmp(b.seen[s].id, chain[k].t.pending_id))
						b.seen[s].resolved = 0;
			}
			b.nseen -= nchain;
			for (size_t k = start; k <= i; k++)
				if (results[k] == FS_T_OK)
					results[k] = FS_T_LINKED_FAILED;
		} else if (!chain_failed || i == start) {
			for (size_t k = 0; k < nchain && !rc; k++) {
				int64_t seq;
				rc = store_row(&b, &chain[k].t, chain[k].timeout, &seq);
				if (!rc) {
					b.stored++;
					if (!b.first_seq)
						b.first_seq = seq;
					b.last_seq = seq;
				}
			}
		}
		nchain = 0;
		chain_failed = 0;
	}
	/* the balances and one journal entry for the batch */
	for (size_t i = 0; i < b.nacct && !rc; i++) {
		struct acct *a = &b.accts[i];
		if (!a->touched)
			continue;
		struct fs_value v[B_NCOLS] = {fs_vint(a->id), fs_vint(a->dp), fs_vint(a->cp), fs_vint(a->dpend), fs_vint(a->cpend)};
		rc = fs_store_put(ctx->st, &fs_balances_table, v, err);
	}
	if (!rc && b.stored) {
		struct fs_rec r;
		rec_init(&r, fe);
		struct fs_row row;
		rc = fs_store_get(ctx->st, &fe->table, fund, &row, err);
		if (!rc) {
			rc = rec_from_values_ex(ctx, &r, fe, row.vals, 0, err);
			fs_row_free(&row);
		}
		if (!rc)
			rc = fs_journal_transfers(ctx, &r, b.first_seq, b.last_seq, b.stored, b.head, err);
		rec_done(&r);
	}
	free(chain);
	free(b.seen_index);
	free(b.seen);
	free(b.accts);
	return fs_tx_end(ctx, rc, err);
}

/* ---- balances ---- */

int fs_fund_balances(struct fs_ctx *ctx, int64_t fund, json_t **ret, struct fs_error *err)
{
	const struct fs_entity *ae = fs_entity_find("account");
	char fid[24];
	snprintf(fid, sizeof(fid), "%lld", (long long)fund);
	struct fs_kv f = {"fund_id", fid};
	struct fs_list_opts o = {.filters = &f, .nfilters = 1, .limit = 10000};
	json_t *accts;
	int rc = fs_list(ctx, ae, &o, &accts, err);
	if (rc)
		return rc;
	json_t *out = json_array();
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(accts, "items"), i, a) {
		struct acct b = {0};
		struct fs_filter bf = {"account_id", FS_EQ, fs_vint(json_integer_value(json_object_get(a, "id")))};
		struct fs_query bq = {.table = &fs_balances_table, .filters = &bf, .nfilters = 1, .limit = 1};
		if ((rc = fs_store_select(ctx->st, &bq, bal_cb, &b, err)))
			break;
		json_array_append_new(out, json_pack("{s:O,s:O,s:O,s:O,s:I,s:I,s:I,s:I,s:I}", "account_id", json_object_get(a, "id"),
						     "name", json_object_get(a, "name"), "kind", json_object_get(a, "kind"),
						     "currency", json_object_get(a, "currency"), "debits_posted", (json_int_t)b.dp,
						     "credits_posted", (json_int_t)b.cp, "debits_pending", (json_int_t)b.dpend,
						     "credits_pending", (json_int_t)b.cpend, "balance_minor", (json_int_t)(b.dp - b.cp)));
	}
	json_decref(accts);
	if (rc) {
		json_decref(out);
		return rc;
	}
	*ret = out;
	return 0;
}

/* ---- verify: the transfer chain, and every balance against its transfers ---- */

struct vsum {
	int64_t account, dp, cp, dpend, cpend;
};

struct vpend {
	uint64_t key; /* FNV of org and id; 0 = empty */
	int64_t amount;
};

struct ledger_verify {
	unsigned char prev[FS_HASH_BYTES];
	struct vsum *sums;
	size_t nsums, capsums;
	struct vpend *pend;
	size_t cappend, npend;
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

static int verify_transfer_cb(void *p, const struct fs_value *v)
{
	struct ledger_verify *lv = p;
	int64_t seq = v[T_SEQ].i;
	lv->transfers++;
	unsigned char h[FS_HASH_BYTES];
	fs_hash_values("transfers", &v[T_ID], T_HASH - T_ID, h);
	if (v[T_HASH].n != FS_HASH_BYTES || memcmp(h, v[T_HASH].p, FS_HASH_BYTES))
		vproblem(lv, "does not match its hash (altered)", seq);
	if (v[T_PREV].n != FS_HASH_BYTES || memcmp(lv->prev, v[T_PREV].p, FS_HASH_BYTES))
		vproblem(lv, "does not follow the transfer before it (chain broken)", seq);
	if (v[T_HASH].n == FS_HASH_BYTES)
		memcpy(lv->prev, v[T_HASH].p, FS_HASH_BYTES);
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
		d->dpend += amount;
		c->cpend += amount;
	} else if (flags & (FS_TF_POST | FS_TF_VOID)) {
		struct vpend *s = v[T_PENDING_ID].type == FS_VTEXT
					  ? vpend_slot(lv, key_of(v[T_ORG].i, v[T_PENDING_ID].p, v[T_PENDING_ID].n), 0) : NULL;
		if (!s || s->amount < 0) {
			vproblem(lv, "resolves a pending transfer that does not exist or was resolved before", seq);
		} else {
			d->dpend -= s->amount;
			c->cpend -= s->amount;
			s->amount = -1;
		}
		if (flags & FS_TF_POST) {
			d->dp += amount;
			c->cp += amount;
		}
	} else {
		d->dp += amount;
		c->cp += amount;
	}
	return 0;
}

static int verify_balance_cb(void *p, const struct fs_value *v)
{
	struct ledger_verify *lv = p;
	struct vsum *s = vsum_of(lv, v[B_ACCOUNT].i);
	if (!s)
		return lv->rc = FS_ENOMEM, 1;
	if (s->dp != v[B_DP].i || s->cp != v[B_CP].i || s->dpend != v[B_DPEND].i || s->cpend != v[B_CPEND].i)
		vproblem(lv, "an account balance differs from the sum of its transfers", v[B_ACCOUNT].i);
	s->account = -s->account - 1; /* mark as checked */
	return 0;
}

int fs_ledger_verify(struct fs_ctx *ctx, struct fs_buf *report, int64_t *problems, int64_t *transfers, struct fs_error *err)
{
	struct ledger_verify lv = {.report = report};
	struct fs_query q = {.table = &fs_transfers_table};
	int rc = fs_store_select(ctx->st, &q, verify_transfer_cb, &lv, err);
	if (!rc)
		rc = lv.rc;
	struct fs_query bq = {.table = &fs_balances_table};
	if (!rc)
		rc = fs_store_select(ctx->st, &bq, verify_balance_cb, &lv, err);
	for (size_t i = 0; !rc && i < lv.nsums; i++)
		if (lv.sums[i].account >= 0 && (lv.sums[i].dp || lv.sums[i].cp || lv.sums[i].dpend || lv.sums[i].cpend))
			vproblem(&lv, "an account with transfers has no balance row", lv.sums[i].account);
	/* accounts that may not go negative */
	int64_t total_d = 0, total_c = 0;
	for (size_t i = 0; !rc && i < lv.nsums; i++) {
		total_d += lv.sums[i].dp;
		total_c += lv.sums[i].cp;
	}
	if (!rc && total_d != total_c)
		vproblem(&lv, "posted debits and credits differ", 0);
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
		int64_t bal = debit_normal ? lv.sums[i].dp - lv.sums[i].cp : lv.sums[i].cp - lv.sums[i].dp;
		if (no_neg && bal < 0)
			vproblem(&lv, "an account that may not go negative is below zero", id);
	}
	free(lv.sums);
	free(lv.pend);
	*problems = lv.problems;
	*transfers = lv.transfers;
	return rc;
}
