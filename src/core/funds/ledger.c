/* ledger.c - the solidarity funds' double-entry ledger (after TigerBeetle's
 * accounts and transfers).
 *
 * Transfers are immutable rows of their own hash-chained log (prev_hash, hash;
 * one chain per organization: org_chains.c), written in batches; each batch is one journal entry. A transfer's id is its
 * idempotency key: the same id with the same fields answers "exists" and changes
 * nothing, with other fields it is refused. Linked transfers succeed or fail
 * together: the new ones of a chain are all recorded or none is; one that
 * exists already (same id, same fields) is no failure and is answered "exists",
 * so a rerun of a chain records exactly what is new. Every sum on a balance is
 * overflow-checked: a batch that would pass the largest amount is refused whole,
 * naming the transfer. Pending transfers reserve an amount until posted or voided (or they
 * time out). Balances are derived, kept per account, and checked against the
 * transfers by verify. Amounts are integer minor units, debit = credit. */
#include "internal.h"
#include "fs_assert.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/date.h"
#include "util/money.h"
#include "ledger_batch.h"

const char *fs_transfer_result_name(int r)
{
	static const char *const names[] = {"ok", "exists", "exists_with_different_fields", "linked_event_failed",
					    "invalid", "accounts_must_be_different", "account_not_found", "currency_mismatch",
					    "exceeds_balance", "pending_not_found", "pending_already_resolved",
					    "pending_expired", "exceeds_pending_amount", "account_of_another_fund",
					    "approval_required"};
	return r >= 0 && r < (int)(sizeof(names) / sizeof(names[0])) ? names[r] : "unknown";
}

/* ---- accounts and their balances, loaded once per batch ---- */

/* The bytes a transfer id may hold: A-Z a-z 0-9 . _ : - (looked up, not
 * classified: the check runs twice on every transfer; led27). */
static const unsigned char id_byte[256] = {
	['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1, ['.'] = 1, ['_'] = 1, [':'] = 1, ['-'] = 1,
};

int fs_transfer_id_ok(const char *id)
{
	size_t n = 0;
	while (id && id_byte[(unsigned char)id[n]] && n < 65)
		n++;
	return n > 0 && n <= 64 && !id[n];
}

/* ---- looking up earlier transfers ---- */

struct tf_ud {
	struct fs_transfer t;
	char id[72], pending_id[72], code[32], memo[512], timeout[24], value_date[11];
	char actor[FS_ACTOR_MAX]; /* who requested it */
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
	snprintf(u->actor, sizeof(u->actor), "%.*s", (int)v[T_ACTOR].n, (const char *)v[T_ACTOR].p);
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

/* ---- one transfer: checks and effects on the in-memory balances ---- */

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
	if (!fs_transfer_id_ok(t->id) || (!resolves && (!t->code || !*t->code)) || (t->code && strlen(t->code) > 31) || t->amount_minor < 0 ||
	    (t->memo && strlen(t->memo) > 500) || (t->flags & FS_TF_POST && t->flags & FS_TF_VOID) ||
	    ((t->flags & (FS_TF_POST | FS_TF_VOID)) && (t->flags & FS_TF_PENDING)) || t->amount_minor > FS_MONEY_MAX_MINOR)
		return FS_T_INVALID;
	if (t->flags & (FS_TF_POST | FS_TF_VOID)) {
		if (!t->pending_id)
			return FS_T_INVALID;
		struct tf_ud p;
		struct seen_id *s = fs_lb_seen_find(b, t->pending_id);
		const struct fs_transfer *pt = NULL;
		if (s && s->marker) { /* stored before the batch */
			if (s->resolved)
				return FS_T_PENDING_DONE;
			s = NULL;
		}
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
		ef->debit = fs_lb_account(b, pt->debit_account, &r2);
		ef->credit = fs_lb_account(b, pt->credit_account, &r2);
		if (r2)
			return *rc = r2, -1;
		ef->dpend = ef->cpend = -pt->amount_minor;
		if (t->flags & FS_TF_POST)
			ef->dp = ef->cp = resolved->amount_minor;
		(void)pend_timeout;
		if ((t->flags & FS_TF_POST) && ef->credit && ef->credit->asset) { /* pending in this batch: the principal's own */
			ef->payout = s ? 1 : 2;
			if (!s)
				snprintf(b->requester, sizeof(b->requester), "%s", p.actor);
		}
		return FS_T_OK;
	}
	if (t->amount_minor == 0)
		return FS_T_INVALID;
	if (t->debit_account == t->credit_account)
		return FS_T_SAME_ACCOUNTS;
	int r2 = 0;
	ef->debit = fs_lb_account(b, t->debit_account, &r2);
	ef->credit = r2 ? NULL : fs_lb_account(b, t->credit_account, &r2);
	if (r2)
		return *rc = r2, -1;
	if (!ef->debit || !ef->credit)
		return FS_T_NO_ACCOUNT;
	if (ef->debit->fund != b->fund || ef->credit->fund != b->fund)
		return FS_T_FUND_MISMATCH;
	if (strcmp(ef->debit->currency, ef->credit->currency) || strcmp(ef->debit->currency, b->currency))
		return FS_T_CURRENCY;
	if (t->flags & FS_TF_PENDING) { /* reserved only: the two-person rule holds when it is posted */
		ef->dpend = ef->cpend = t->amount_minor;
		if (t->timeout_s > 0)
			now_iso(pend_timeout, time(NULL) + t->timeout_s);
	} else {
		ef->dp = ef->cp = t->amount_minor;
		ef->payout = ef->credit->asset;
	}
	return FS_T_OK;
}

/* The row of t in the log: v[T_NCOLS] but its prev_hash and hash (pointing
 * into t, b and party). */
static void row_fill(struct batch *b, const struct fs_transfer *t, const char *timeout, const struct fs_buf *party,
		     struct fs_value *v)
{
	struct fs_ctx *ctx = b->ctx;
	v[T_SEQ] = fs_vnull();
	v[T_ID] = fs_vtext(t->id);
	v[T_ORG] = fs_vint(ctx->org_id);
	v[T_FUND] = fs_vint(b->fund);
	v[T_DEBIT] = fs_vint(t->debit_account);
	v[T_CREDIT] = fs_vint(t->credit_account);
	v[T_AMOUNT] = fs_vint(t->amount_minor);
	v[T_CURRENCY] = b->v_currency;
	v[T_CODE] = fs_vtext(t->code);
	v[T_FLAGS] = fs_vint(t->flags & ~(unsigned)FS_TF_LINKED);
	v[T_PENDING_ID] = fs_vtext(t->pending_id);
	v[T_TIMEOUT] = timeout && *timeout ? fs_vtext(timeout) : fs_vnull();
	v[T_TS] = b->v_ts;
	v[T_VALUE_DATE] = t->value_date && *t->value_date ? fs_vtext(t->value_date) : b->v_today;
	v[T_ACTOR] = b->v_actor;
	v[T_MEMO] = fs_vtext(t->memo && *t->memo ? t->memo : NULL);
	v[T_PARTY] = party->len ? fs_vblob(party->data, party->len) : fs_vnull();
}

/* The row of t in the log, following prev: v[T_NCOLS], its hash into h (the
 * groups' rows are hashed the same way on the second core: ledger_hash.c). */
static void row_values(struct batch *b, const struct fs_transfer *t, const char *timeout, const struct fs_buf *party,
		       const unsigned char prev[FS_HASH_BYTES], struct fs_value *v, unsigned char h[FS_HASH_BYTES])
{
	row_fill(b, t, timeout, party, v);
	v[T_PREV] = fs_vblob(prev, FS_HASH_BYTES);
	fs_hash_values("transfers", &v[T_ID], T_HASH - T_ID, h);
	v[T_HASH] = fs_vblob(h, FS_HASH_BYTES);
}

static int seal_party(struct batch *b, const struct fs_transfer *t, struct fs_buf *party)
{
	fs_buf_init(party, 4096);
	return t->party && *t->party ? fs_party_seal(b->ctx, b->ctx->org_id, t->id, t->party, party, b->err) : 0;
}

static void note_stored(struct batch *b, int64_t seq)
{
	b->stored++;
	if (!b->first_seq)
		b->first_seq = seq;
	b->last_seq = seq;
}

/* Stores t as the chain's next link; *seq its sequence number. if_new: unless its
 * id is in the log already (*seq = 0 then, and nothing is written). */
static int store_row(struct batch *b, const struct fs_transfer *t, const char *timeout, int if_new, int64_t *seq)
{
	struct fs_buf party;
	int rc = seal_party(b, t, &party);
	struct fs_value v[T_NCOLS];
	unsigned char h[FS_HASH_BYTES];
	row_values(b, t, timeout, &party, b->head, v, h);
	if (!rc)
		rc = if_new ? fs_store_insert_new(b->ctx->st, &fs_transfers_table, v, seq, b->err)
			    : fs_store_insert(b->ctx->st, &fs_transfers_table, v, seq, b->err);
	fs_buf_done(&party);
	if (!rc && *seq)
		memcpy(b->head, h, FS_HASH_BYTES);
	return rc;
}

/* A value date, if given, is a date. The last one found good is kept: a
 * batch's transfers mostly share theirs (led27). */
static int validate_date(struct batch *b, const char *d)
{
	fs_date x;
	if (!d || !*d || !strcmp(d, b->date_ok))
		return 1;
	if (fs_date_parse(d, &x, NULL, NULL))
		return 0;
	if (strlen(d) < sizeof(b->date_ok))
		memcpy(b->date_ok, d, strlen(d) + 1);
	return 1;
}

/* The pending transfer a post or void resolved is resolved for the rest of the
 * batch: its own entry, or a marker when it was stored before the batch. */
static void mark_resolved(struct batch *b, const char *pending_id)
{
	struct seen_id *s = fs_lb_seen_find(b, pending_id);
	if (!s) {
		s = &b->seen[b->nseen++];
		memset(s, 0, sizeof(*s));
		snprintf(s->id, sizeof(s->id), "%s", pending_id);
		s->marker = 1;
		fs_lb_seen_add(b, b->nseen - 1);
	}
	s->resolved = 1;
}

/* rows of the current linked chain wait here until the chain is known good */
struct pend {
	struct fs_transfer t;
	char code[32];
	char timeout[24];
	struct effect ef;
};

/* A chain failed: take back its effects, reopen what it resolved, and answer
 * linked_event_failed for its new rows and for repeats of them. */
static void chain_fail(struct batch *b, const struct fs_transfer *t, int *results, size_t start, size_t end,
		       struct pend *chain, size_t nchain, size_t chain_seen)
{
	for (size_t k = nchain; k-- > 0;) {
		fs_lb_unapply(&chain[k].ef);
		b->rule.self_batch -= chain[k].ef.counted;
		if (chain[k].t.flags & (FS_TF_POST | FS_TF_VOID)) {
			struct seen_id *s = fs_lb_seen_find(b, chain[k].t.pending_id);
			if (s)
				s->resolved = 0;
		}
	}
	for (size_t k = start; k <= end; k++) {
		struct seen_id *s = results[k] == FS_T_EXISTS ? fs_lb_seen_find(b, t[k].id) : NULL;
		if (results[k] == FS_T_OK || (s && !s->marker && (size_t)(s - b->seen) >= chain_seen))
			results[k] = FS_T_LINKED_FAILED;
	}
	b->nseen = chain_seen;
}

static int store_chain(struct batch *b, const struct pend *chain, size_t nchain)
{
	int rc = 0;
	for (size_t k = 0; k < nchain && !rc; k++) {
		int64_t seq = 0;
		rc = store_row(b, &chain[k].t, chain[k].timeout, 0, &seq);
		if (!rc)
			note_stored(b, seq);
	}
	return rc;
}

/* What the log answers for t's id: exists (same fields) or exists with other
 * fields when it holds that id; res otherwise. */
static int exists_or(struct batch *b, const struct fs_transfer *t, int res, int *rc)
{
	struct tf_ud old;
	if ((*rc = find_transfer(b, "id", t->id, &old)))
		return -1;
	if (old.found)
		return old.fund == b->fund && same_fields(&old.t, t) ? FS_T_EXISTS : FS_T_EXISTS_DIFFERENT;
	return res;
}

/* The result of one transfer of the batch: checked against this batch and the
 * log, its effect added to the balances when it is new and good. lone: a chain of
 * one that creates (no post or void): its id is not looked up in the log first -
 * it is stored at once, if new (fs_store_insert_new, the id index's one probe),
 * and a failure is answered only after the log was asked whether the id is
 * there (an existing transfer answers "exists" whatever the balances say). */
static int one(struct batch *b, const struct fs_transfer *t, size_t i, int lone, struct fs_transfer *resolved,
	       struct effect *ef, char timeout[24], char code_buf[32], int *rc)
{
	if (!fs_transfer_id_ok(t->id) || !validate_date(b, t->value_date))
		return FS_T_INVALID;
	struct seen_id *dup = fs_lb_seen_find(b, t->id);
	if (dup && dup->marker)
		dup = NULL; /* a pending one stored before: compared below */
	if (dup)
		return same_fields(&dup->t, t) ? FS_T_EXISTS : FS_T_EXISTS_DIFFERENT;
	if (!lone) {
		int res = exists_or(b, t, FS_T_OK, rc);
		if (*rc || res != FS_T_OK)
			return res;
	}
	int res = check(b, t, resolved, ef, timeout, code_buf, rc);
	if (*rc)
		return res;
	if (res != FS_T_OK)
		return lone ? exists_or(b, t, res, rc) : res;
	int64_t over = fs_lb_apply(ef);
	if (over) {
		if (lone && ((res = exists_or(b, t, FS_T_OK, rc)) != FS_T_OK || *rc))
			return res;
		char max[32];
		fs_money_format(INT64_MAX, 2, max);
		*rc = fs_fail(b->err, FS_EINVAL, "amount_minor",
			      "transfer '%s' (number %zu of the batch) would take a sum of account %lld past the largest amount "
			      "a balance can hold (%s); nothing of the batch was recorded",
			      t->id, i + 1, (long long)over, max);
		return -1;
	}
	if (fs_lb_would_go_negative(ef->debit) || fs_lb_would_go_negative(ef->credit)) {
		fs_lb_unapply(ef);
		return lone ? exists_or(b, t, FS_T_WOULD_GO_NEGATIVE, rc) : FS_T_WOULD_GO_NEGATIVE;
	}
	if (ef->payout) { /* the two-person rule, for money that could move */
		res = fs_payout_check(b->ctx, b->fund, &b->rule, ef->payout == 2 ? b->requester : NULL, resolved->amount_minor,
				      &ef->counted, b->err);
		if (res != FS_T_OK) {
			fs_lb_unapply(ef);
			if (res < 0)
				return *rc = res, -1;
			return lone ? exists_or(b, t, res, rc) : res;
		}
	}
	if (t->flags & (FS_TF_POST | FS_TF_VOID))
		mark_resolved(b, t->pending_id);
	b->rule.self_batch += ef->counted; /* within range: the rolling sum stays at most the limit */
	return FS_T_OK;
}

/* A lone transfer checked good: stored now, unless the log holds its id (then its
 * effect is taken back and the log's answer given). 0 or a store error. */
static int store_lone(struct batch *b, const struct fs_transfer *t, const struct fs_transfer *resolved, const struct effect *ef,
		      const char *timeout, int *result)
{
	int64_t seq = 0;
	int rc = store_row(b, resolved, timeout, 1, &seq);
	if (rc)
		return rc;
	if (seq) {
		note_stored(b, seq);
		return 0;
	}
	fs_lb_unapply(ef);
	b->rule.self_batch -= ef->counted;
	*result = exists_or(b, t, -1, &rc);
	if (!rc && *result < 0) /* refused as a duplicate, yet not there */
		rc = fs_fail(b->err, FS_ESTORE, "id", "transfer '%s' was refused as a duplicate but is not in the log", t->id);
	return rc;
}

/* The copy of s (shorter than cap, as checked) into buf. */
static void copy_str(char *buf, size_t cap, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, s ? s : "", n);
	buf[n] = '\0';
}

/* ---- the group: lone transfers checked good, stored together ---- */

static void seen_record(struct batch *b, const struct fs_transfer *ti, const struct fs_transfer *resolved)
{
	struct seen_id *s = &b->seen[b->nseen++];
	s->resolved = s->marker = 0;
	copy_str(s->id, sizeof(s->id), ti->id);
	s->t = *resolved;
	copy_str(s->code, sizeof(s->code), resolved->code);
	s->t.code = s->code;
	s->t.flags = ti->flags;
	s->t.id = s->id;
	fs_lb_seen_add(b, b->nseen - 1);
}

/* Transfer i, lone and checked good (its effect added, its id seen), joins the
 * group being filled; its row's values are set now, its hashes when the group
 * is handed to the second core. */
static int group_add(struct batch *b, size_t i, const struct fs_transfer *resolved, const struct effect *ef, const char *timeout)
{
	struct group *G = &b->gs[b->cur];
	if (!G->n) { /* what the batch was before the group's first: its id not yet seen, its amount not yet counted */
		G->seen = b->nseen - 1;
		G->self_batch = b->rule.self_batch - ef->counted;
	}
	struct grow *g = &G->rows[G->n];
	g->i = i;
	g->t = *resolved;
	copy_str(g->code, sizeof(g->code), resolved->code);
	g->t.code = g->code;
	copy_str(g->timeout, sizeof(g->timeout), timeout);
	g->ef = *ef;
	int rc = seal_party(b, resolved, &g->party);
	row_fill(b, &g->t, g->timeout, &g->party, &G->vals[G->n * T_NCOLS]);
	G->n++;
	return rc;
}

static void group_drop(struct group *G)
{
	for (size_t k = 0; k < G->n; k++)
		fs_buf_done(&G->rows[k].party);
	G->n = 0;
}

/* G's rows to the second core, the first following prev. */
static void group_hash(struct batch *b, struct group *G, const unsigned char prev[FS_HASH_BYTES])
{
	G->job = (struct fs_lb_hash_job){.vals = G->vals, .n = G->n, .hashes = G->hashes};
	memcpy(G->job.prev, prev, FS_HASH_BYTES);
	fs_handoff_submit(&b->hasher, &G->job);
}

/* One of the held group's ids is in the log already (a retried batch: its
 * statement wrote none of its rows). Both groups are taken back (the one being
 * filled was checked after the held one) and every transfer from the held
 * group's first to upto goes again one by one, as before the groups: each
 * stored at once unless the log answers for its id. */
static int group_redo(struct batch *b, const struct fs_transfer *t, int *results, size_t upto)
{
	struct group *H = &b->gs[!b->cur], *C = &b->gs[b->cur];
	*b->err = (struct fs_error){0};
	fs_handoff_wait(&b->hasher); /* C's rows may be being hashed */
	size_t first = H->rows[0].i;
	for (size_t k = C->n; k-- > 0;)
		fs_lb_unapply(&C->rows[k].ef);
	for (size_t k = H->n; k-- > 0;)
		fs_lb_unapply(&H->rows[k].ef);
	b->rule.self_batch = H->self_batch;
	b->nseen = H->seen;
	group_drop(H);
	group_drop(C);
	int rc = 0;
	for (size_t i = first; i < upto && !rc; i++) {
		struct fs_transfer resolved;
		struct effect ef = {0};
		char timeout[24] = "", code_buf[32] = "";
		int res = one(b, &t[i], i, 1, &resolved, &ef, timeout, code_buf, &rc);
		if (!rc && res == FS_T_OK)
			rc = store_lone(b, &t[i], &resolved, &ef, timeout, &res);
		if (rc)
			break;
		results[i] = res;
		if (res == FS_T_OK)
			seen_record(b, &t[i], &resolved);
	}
	return rc;
}

/* The pipeline's step: the held group (hashed by now) is stored in one
 * statement while the group filled so far is hashed after it; that one is
 * held next. upto: the transfers the groups hold lie before it. */
static int group_pass(struct batch *b, const struct fs_transfer *t, int *results, size_t upto)
{
	struct group *C = &b->gs[b->cur], *H = &b->gs[!b->cur];
	if (H->n) {
		fs_handoff_wait(&b->hasher);
		if (C->n)
			group_hash(b, C, H->hashes[H->n - 1]);
		int64_t ids[FS_STORE_ROWS_MAX];
		int rc = fs_store_insert_rows(b->ctx->st, &fs_transfers_table, H->vals, H->n, ids, b->err);
		if (rc == FS_ECONFLICT)
			return group_redo(b, t, results, upto);
		if (rc)
			return rc;
		for (size_t k = 0; k < H->n; k++)
			note_stored(b, ids[k]);
		memcpy(b->head, H->hashes[H->n - 1], FS_HASH_BYTES);
		group_drop(H);
	} else if (C->n) {
		group_hash(b, C, b->head);
	}
	if (C->n)
		b->cur = !b->cur;
	return 0;
}

/* Both groups stored: the log as it would be one by one (before a chain, a
 * post or void, and at the batch's end). */
static int group_flush(struct batch *b, const struct fs_transfer *t, int *results, size_t upto)
{
	int rc = group_pass(b, t, results, upto);
	return rc ? rc : group_pass(b, t, results, upto);
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
	now_iso(b.ts, time(NULL));
	fs_date_format(fs_date_today(), b.today);
	const struct fs_value *cur = &frow.vals[fe->col_of[fs_field_index(fe, "currency")]];
	snprintf(b.currency, sizeof(b.currency), "%.*s", (int)cur->n, (const char *)cur->p);
	fs_row_free(&frow);
	if ((rc = fs_principal_require(ctx, "funds.transfer", err)))
		return rc;
	if ((rc = fs_tx_begin(ctx, err)))
		return rc;
	/* the fund's threshold and rolling limit are read inside the transaction, under the
	 * organization's lock: one lowered by another writer a moment ago holds here too */
	rc = fs_payout_rule_load(ctx, fund, &b.rule, err);
	char head_ts[24];
	if (!rc)
		rc = fs_transfer_head(ctx, ctx->org_id, b.head, head_ts, err); /* ledger_head.c */
	if (!rc && strcmp(head_ts, b.ts) > 0) /* the clock went back: a row is never older than the one it follows */
		memcpy(b.ts, head_ts, sizeof(b.ts));
	/* each transfer adds at most its own entry and, posting or voiding, a marker */
	size_t nresolve = 0;
	for (size_t i = 0; i < n; i++)
		nresolve += (t[i].flags & (FS_TF_POST | FS_TF_VOID)) != 0;
	/* the batch's copies of the ts, today, currency and actor its rows name */
	b.v_ts = fs_vtext(b.ts);
	b.v_today = fs_vtext(b.today);
	b.v_currency = fs_vtext(b.currency);
	b.v_actor = fs_vtext(ctx->actor);
	/* each entry of chain and seen is written before it is read: not zeroed
	 * (calloc cleared 2.8 MB of 8,190 transfers, once the heap held them) */
	struct pend *chain = malloc((n ? n : 1) * sizeof(*chain));
	b.capseen = n + nresolve;
	b.seen = malloc((b.capseen ? b.capseen : 1) * sizeof(*b.seen));
	b.seen_cap = 16;
	while (b.seen_cap < 2 * b.capseen)
		b.seen_cap *= 2;
	b.seen_index = calloc(b.seen_cap, sizeof(*b.seen_index));
	for (int k = 0; k < 2; k++) {
		b.gs[k].rows = calloc(FS_STORE_ROWS_MAX, sizeof(*b.gs[k].rows));
		b.gs[k].vals = calloc(FS_STORE_ROWS_MAX * T_NCOLS, sizeof(*b.gs[k].vals));
		if (!rc && (!b.gs[k].rows || !b.gs[k].vals))
			rc = FS_ENOMEM;
	}
	if (!rc && (!chain || !b.seen || !b.seen_index))
		rc = FS_ENOMEM;
	/* more than one group: their hashes on a second core */
	fs_lb_hasher_start(&b.hasher, !rc && n > FS_STORE_ROWS_MAX);
	if (!rc && b.capseen >= UINT32_MAX)
		rc = fs_fail(err, FS_ELIMIT, NULL, "a batch holds at most %u transfers", UINT32_MAX / 2);
	size_t nchain = 0, start = 0, chain_seen = 0;
	int chain_failed = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		int begins = i == 0 || !(t[i - 1].flags & FS_TF_LINKED); /* a chain begins (a lone transfer is a chain of one) */
		int lone = begins && (!(t[i].flags & FS_TF_LINKED) || i + 1 == n) && !(t[i].flags & (FS_TF_POST | FS_TF_VOID));
		if (!lone && (rc = group_flush(&b, t, results, i))) /* the rest sees the log as it would one by one */
			break;
		if (begins) {
			start = i;
			chain_seen = b.nseen;
		}
		struct fs_transfer resolved;
		struct effect ef = {0};
		char timeout[24] = "", code_buf[32] = "";
		int res = one(&b, &t[i], i, lone, &resolved, &ef, timeout, code_buf, &rc);
		if (rc)
			break;
		results[i] = res;
		if (res == FS_T_OK) {
			if (!lone) {
				struct pend *c = &chain[nchain++];
				c->t = resolved;
				copy_str(c->code, sizeof(c->code), resolved.code);
				c->t.code = c->code;
				c->t.flags = t[i].flags;
				c->t.pending_id = t[i].pending_id;
				memcpy(c->timeout, timeout, sizeof(timeout));
				c->ef = ef;
			}
			seen_record(&b, &t[i], &resolved);
			if (lone && (rc = group_add(&b, i, &resolved, &ef, timeout)))
				break;
		} else if (res != FS_T_EXISTS) {
			chain_failed = 1; /* an existing one (same fields) is no failure */
		}
		if (t[i].flags & FS_TF_LINKED && i + 1 < n)
			continue; /* the chain goes on */
		if (chain_failed)
			chain_fail(&b, t, results, start, i, chain, nchain, chain_seen);
		else
			rc = store_chain(&b, chain, nchain);
		nchain = 0;
		chain_failed = 0;
		if (!rc && b.gs[b.cur].n == FS_STORE_ROWS_MAX)
			rc = group_pass(&b, t, results, i + 1);
	}
	if (!rc)
		rc = group_flush(&b, t, results, n);
	fs_handoff_stop(&b.hasher); /* after the job it may be running: its rows are dropped next */
	group_drop(&b.gs[0]);
	group_drop(&b.gs[1]);
	/* the balances and one journal entry for the batch */
	for (size_t i = 0; i < b.nacct && !rc; i++) {
		struct acct *a = &b.accts[i];
		if (!a->touched)
			continue;
		struct fs_value v[B_NCOLS] = {fs_vint(a->id), fs_vint(a->dp), fs_vint(a->cp), fs_vint(a->dpend), fs_vint(a->cpend),
					      fs_vint(ctx->org_id)}; /* the account's: account() reads only this organization's */
		rc = fs_store_put(ctx->st, &fs_balances_table, v, err);
	}
	if (!rc && b.stored)
		rc = fs_transfer_head_put(ctx, ctx->org_id, b.last_seq, b.ts, b.head, err);
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
	for (int k = 0; k < 2; k++) {
		free(b.gs[k].rows);
		free(b.gs[k].vals);
	}
	free(b.seen_index);
	free(b.seen);
	free(b.accts);
	return fs_tx_end(ctx, rc, err);
}
