/* store_pg.c - the PostgreSQL backend of the store interface, on libpq.
 *
 * Selected by a database name that is a libpq URI (postgres://, postgresql://):
 * libpq reads the rest (PG* environment variables, ~/.pgpass). A password in
 * the name itself is refused: it would show in ps and in logs.
 *
 * Semantics kept equal to the SQLite backend's:
 * - a write transaction is READ COMMITTED under transaction-scoped advisory
 *   locks: its organization's (so writers of one organization go one at a time
 *   and every read-then-write check of that organization - idempotency keys, the
 *   two-person rule, no-negative balances, its log's, transfer and custody
 *   chains' heads - sees every earlier commit), shared with the installation's
 *   lock; what it shares with other organizations it locks when it needs it
 *   (lock_shared: the system's log, the party keys). Ids and journal numbers come
 *   from sequences (next_id), so organizations never queue for them. A
 *   transaction of no organization takes the installation's lock alone (as
 *   SQLite's BEGIN IMMEDIATE): every other writer waits (doc/postgres.md,
 *   Concurrency);
 * - a read transaction is one REPEATABLE READ READ ONLY snapshot;
 * - a failing statement fails its transaction, which can then only be rolled
 *   back (the commit refuses), except the changes the core expects may fail and
 *   handles (fs_store_may_fail: an insert tried first, its conflict then
 *   handled): those run in a savepoint, sent with it in one round trip (libpq's
 *   pipeline mode), so that a failed one fails alone, as in SQLite;
 * - new ids come from each table's sequence (identity column): taken before
 *   the insert when the core needs them first (a seal names its row, a journal
 *   entry's hash its number);
 * - text compares and sorts bytewise (COLLATE "C").
 * Statements are prepared once per connection (cached by SQL text), :name
 * parameters become $n; results come in binary and are typed by column type.
 * The schema and its migrations: store_pg_schema.c. */
#include "store_pg.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREP_SLOTS 256
#define INSTALL_LOCK_KEY "7384502293001" /* the installation: shared by organizations' writers */
#define ORG_LOCK_CLASS "738450"          /* pg_advisory_xact_lock(ORG_LOCK_CLASS, org id): its writers, its log */
#define SHARED_LOCK_CLASS 738450         /* ... (class, 0): the system's log; (class, -1): the party keys */
#define WRITE_WAIT "60s" /* many server processes queue for it: longer than SQLite's 10 s */

enum { K_SELECT, K_DML, K_PRAGMA, K_OTHER };

struct pg_prep {
	char *sql;
	char name[24];
	int nparams;
	char **pnames;
	int kind;
	int returning; /* " RETURNING pk" appended: the row gives last_insert_id */
	char *text;    /* PostgreSQL's words, until prepared (with its first run: one round trip) */
	struct pg_prep *next;
};

struct fs_stmt {
	struct pg_store *st;
	struct pg_prep *p;
	const char **vals;
	int *lens, *fmts;
	char **own;
	PGresult *res;
	int row, nrows, executed;
};

static unsigned hash_str(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void pg_close(struct fs_store *base)
{
	struct pg_store *st = (struct pg_store *)base;
	if (!st)
		return;
	for (int i = 0; i < PREP_SLOTS; i++) {
		struct pg_prep *p = st->preps[i];
		while (p) {
			struct pg_prep *next = p->next;
			for (int k = 0; k < p->nparams; k++)
				free(p->pnames[k]);
			free(p->pnames);
			free(p->sql);
			free(p->text);
			free(p);
			p = next;
		}
	}
	pg_pk_free(st);
	pg_cols_forget(st);
	if (st->conn)
		PQfinish(st->conn);
	free(st);
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* notices are not printed: they could carry data */
}

int pg_is_url(const char *path)
{
	return strncmp(path, "postgres://", 11) == 0 || strncmp(path, "postgresql://", 13) == 0;
}

static int pg_open(const char *path, unsigned flags, struct fs_store **ret, struct fs_error *err)
{
	char *perr = NULL;
	PQconninfoOption *opts = PQconninfoParse(path, &perr);
	if (!opts) {
		int rc = fs_fail(err, FS_EINVAL, "db", "the PostgreSQL database name is not a valid connection URI: %s",
				 perr ? perr : "out of memory");
		PQfreemem(perr);
		return rc;
	}
	int has_password = 0;
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (!strcmp(o->keyword, "password") && o->val && *o->val)
			has_password = 1;
	PQconninfoFree(opts);
	if (has_password)
		return fs_fail(err, FS_EINVAL, "db", "the database name holds a password: it would show in the process list "
			       "and in logs; put it in ~/.pgpass (or PGPASSFILE) and leave it out of the name");
	struct pg_store *st = calloc(1, sizeof(*st));
	if (!st)
		return FS_ENOMEM;
	st->base.ops = &fs_store_pg;
	st->conn = PQconnectdb(path);
	if (!st->conn || PQstatus(st->conn) != CONNECTION_OK) {
		int rc = fs_fail(err, FS_ESTORE, "db", "cannot connect to the PostgreSQL database: %s",
				 st->conn ? PQerrorMessage(st->conn) : "out of memory");
		/* libpq ends its message with a line break */
		size_t n = strlen(err ? err->message : "");
		while (err && n && (err->message[n - 1] == '\n' || err->message[n - 1] == ' '))
			err->message[--n] = '\0';
		pg_close(&st->base);
		return rc;
	}
	PQsetNoticeProcessor(st->conn, quiet, NULL);
	st->readonly = (flags & FS_OPEN_READONLY) != 0;
	int rc = pg_exec(st, "SET client_min_messages = warning; SET lock_timeout = '10s'; "
			 "SET idle_in_transaction_session_timeout = 0; SET standard_conforming_strings = on", err);
	if (!rc && st->readonly)
		rc = pg_exec(st, "SET default_transaction_read_only = on", err);
	if (!rc)
		rc = pg_migrate(st, flags, err);
	if (!rc)
		rc = pg_pk_load(st, err);
	if (rc) {
		pg_close(&st->base);
		return rc;
	}
	*ret = &st->base;
	return 0;
}

/* ---- transactions ---- */

/* A write transaction of organization org (> 0) or of the whole installation (0). */
static int pg_begin_org(struct fs_store *base, int64_t org, struct fs_error *err)
{
	struct pg_store *st = (struct pg_store *)base;
	if (st->in_tx)
		return fs_fail(err, FS_ESTORE, NULL, "cannot start a transaction within a transaction");
	if (org < 0 || org > INT32_MAX)
		return fs_fail(err, FS_EINVAL, NULL, "there is no organization %lld", (long long)org);
	pg_cols_forget(st);
	char sql[320];
	if (org > 0)
		snprintf(sql, sizeof(sql), "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = '" WRITE_WAIT "'; "
			 "SELECT pg_advisory_xact_lock_shared(" INSTALL_LOCK_KEY "); "
			 "SELECT pg_advisory_xact_lock(" ORG_LOCK_CLASS ", %d)", (int)org);
	else
		snprintf(sql, sizeof(sql), "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = '" WRITE_WAIT "'; "
			 "SELECT pg_advisory_xact_lock(" INSTALL_LOCK_KEY ")");
	int rc = pg_exec(st, sql, err);
	if (rc) {
		pg_exec(st, "ROLLBACK", NULL);
		return rc;
	}
	st->in_tx = 1;
	st->write_tx = 1;
	st->dirty = st->failed = 0;
	st->tx_org = org;
	st->nheld = 0;
	return 0;
}

static int pg_begin(struct fs_store *base, struct fs_error *err)
{
	return pg_begin_org(base, 0, err);
}

/* What an organization's writer shares with others, locked to the commit when
 * it needs it: another log (what >= 0, the system's 0) or the party keys (-1).
 * A transaction of the installation holds every writer off already. */
static int pg_lock_shared(struct fs_store *base, int64_t what, struct fs_error *err)
{
	struct pg_store *st = (struct pg_store *)base;
	if (!st->write_tx || st->tx_org == 0 || what == st->tx_org)
		return 0;
	if (what < -1 || what > INT32_MAX)
		return fs_fail(err, FS_EINVAL, NULL, "there is no log %lld", (long long)what);
	for (int i = 0; i < st->nheld; i++)
		if (st->held[i] == what)
			return 0;
	char sql[96];
	snprintf(sql, sizeof(sql), "SELECT pg_advisory_xact_lock(%d, %d)", SHARED_LOCK_CLASS, (int)what);
	int rc = pg_exec(st, sql, err);
	if (!rc && st->nheld < (int)(sizeof(st->held) / sizeof(st->held[0])))
		st->held[st->nheld++] = what;
	return rc;
}

static int pg_begin_read(struct fs_store *base, struct fs_error *err)
{
	struct pg_store *st = (struct pg_store *)base;
	if (st->in_tx)
		return fs_fail(err, FS_ESTORE, NULL, "cannot start a transaction within a transaction");
	pg_cols_forget(st);
	int rc = pg_exec(st, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
	if (!rc) {
		st->in_tx = 1;
		st->write_tx = st->failed = 0;
	}
	return rc;
}

static int pg_commit(struct fs_store *base, struct fs_error *err)
{
	struct pg_store *st = (struct pg_store *)base;
	if (!st->in_tx)
		return fs_fail(err, FS_ESTORE, NULL, "cannot commit - no transaction is active");
	/* the data version moves with the data: readers see both or neither */
	/* a sequence, not a row: writers of different organizations never wait for each other's commit here */
	int rc;
	if (st->failed) { /* PostgreSQL would answer COMMIT with ROLLBACK: never taken for a commit */
		rc = fs_fail(err, FS_ESTORE, NULL, "the transaction was not committed: a statement of it failed (%s)",
			     st->failed_why);
	} else {
		PGresult *r = PQexec(st->conn, st->dirty ? "SELECT nextval('fs_data_version'); COMMIT" : "COMMIT");
		rc = PQresultStatus(r) != PGRES_COMMAND_OK ? pg_fail_res(st, r, err, "cannot commit")
		     : strcmp(PQcmdStatus(r), "COMMIT") ? fs_fail(err, FS_ESTORE, NULL, "the transaction was rolled back, "
								  "not committed (%s)", PQcmdStatus(r))
							: 0;
		PQclear(r);
	}
	if (rc)
		pg_exec(st, "ROLLBACK", NULL);
	st->in_tx = st->write_tx = st->dirty = st->nheld = st->failed = 0;
	return rc;
}

static void pg_rollback(struct fs_store *base)
{
	struct pg_store *st = (struct pg_store *)base;
	if (st->in_tx)
		pg_exec(st, "ROLLBACK", NULL);
	st->in_tx = st->write_tx = st->dirty = st->nheld = st->failed = 0;
}

/* ---- statements ---- */

static int kind_of(const char *sql)
{
	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	if (!strncasecmp(sql, "SELECT", 6) || !strncasecmp(sql, "WITH", 4))
		return K_SELECT;
	if (!strncasecmp(sql, "INSERT", 6) || !strncasecmp(sql, "UPDATE", 6) || !strncasecmp(sql, "DELETE", 6))
		return K_DML;
	if (!strncasecmp(sql, "PRAGMA", 6))
		return K_PRAGMA;
	return K_OTHER;
}

/* :name -> $n (the same name, the same n); "LIMIT -1" -> "LIMIT ALL". */
static int translate(const char *sql, struct fs_buf *out, struct pg_prep *p)
{
	int brc = 0;
	for (const char *s = sql; *s && !brc;) {
		if (*s == '\'' || *s == '"') { /* a literal or a quoted name, as it is */
			const char *e = s + 1;
			while (*e && *e != *s)
				e++;
			if (*e)
				e++;
			brc = fs_buf_add(out, s, (size_t)(e - s));
			s = e;
		} else if (*s == ':' && s[1] == ':') {
			brc = fs_buf_add(out, s, 2);
			s += 2;
		} else if (*s == ':' && (s[1] == '_' || (s[1] >= 'a' && s[1] <= 'z') || (s[1] >= 'A' && s[1] <= 'Z'))) {
			const char *e = s + 1;
			while (*e == '_' || (*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9'))
				e++;
			size_t len = (size_t)(e - s - 1);
			int k;
			for (k = 0; k < p->nparams; k++)
				if (strlen(p->pnames[k]) == len && !memcmp(p->pnames[k], s + 1, len))
					break;
			if (k == p->nparams) {
				char **grown = realloc(p->pnames, (size_t)(k + 1) * sizeof(*grown));
				if (!grown || !(grown[k] = strndup(s + 1, len))) {
					if (grown)
						p->pnames = grown;
					return FS_ENOMEM;
				}
				p->pnames = grown;
				p->nparams++;
			}
			brc = fs_buf_addf(out, "$%d", k + 1);
			s = e;
		} else if (!strncmp(s, "LIMIT -1", 8)) {
			brc = fs_buf_adds(out, "LIMIT ALL");
			s += 8;
		} else {
			brc = fs_buf_add(out, s, 1);
			s++;
		}
	}
	return brc;
}

/* "INSERT INTO t (...)" of a table with an integer key: the key comes back. */
static int add_returning(struct pg_store *st, const char *sql, struct fs_buf *out)
{
	const char *t = sql + strspn(sql, " \n\t");
	if (strncasecmp(t, "INSERT INTO ", 12) || strstr(sql, "RETURNING"))
		return 0;
	t += 12;
	size_t len = strcspn(t, " (");
	const char *pk = pg_pk_of(st, t, len, NULL);
	if (!pk)
		return 0;
	fs_buf_cat(out, " RETURNING ", pk, NULL);
	return 1;
}

/* The portable upsert's "ON CONFLICT (id)" of a table keyed by (org_id, id) is
 * "ON CONFLICT (org_id, id)" here (the key it names must be the table's): the
 * statement rewritten (malloc'd), or NULL when it needs nothing. */
static char *org_conflict(struct pg_store *st, const char *sql)
{
	const char *t = sql + strspn(sql, " \n\t"), *c = strstr(sql, " ON CONFLICT (");
	if (strncasecmp(t, "INSERT INTO ", 12) || !c)
		return NULL;
	t += 12;
	int org = 0;
	const char *pk = pg_pk_of(st, t, strcspn(t, " ("), &org);
	size_t at = (size_t)(c - sql) + 14, n = pk ? strlen(pk) : 0;
	if (!org || strncmp(sql + at, pk, n) || sql[at + n] != ')')
		return NULL;
	size_t len = strlen(sql);
	char *out = malloc(len + 9);
	if (out) {
		memcpy(out, sql, at);
		memcpy(out + at, "org_id, ", 8);
		memcpy(out + at + 8, sql + at, len - at + 1);
	}
	return out;
}

static int pg_prepare(struct fs_store *base, const char *sql, struct fs_stmt **ret, struct fs_error *err)
{
	struct pg_store *st = (struct pg_store *)base;
	unsigned slot = hash_str(sql) % PREP_SLOTS;
	struct pg_prep *p;
	for (p = st->preps[slot]; p && strcmp(p->sql, sql); p = p->next)
		;
	if (!p) {
		if (!(p = calloc(1, sizeof(*p))) || !(p->sql = strdup(sql))) {
			free(p);
			return FS_ENOMEM;
		}
		p->kind = kind_of(sql);
		snprintf(p->name, sizeof(p->name), "fs%u", ++st->nprep);
		struct fs_buf q;
		fs_buf_init(&q, 1u << 20);
		char *upsert = p->kind == K_DML ? org_conflict(st, sql) : NULL;
		int rc = translate(upsert ? upsert : sql, &q, p);
		free(upsert);
		if (!rc && p->kind == K_DML)
			p->returning = add_returning(st, sql, &q);
		if (!rc && p->kind != K_PRAGMA && !(p->text = strdup(q.data)))
			rc = FS_ENOMEM;
		fs_buf_done(&q);
		if (rc) {
			for (int k = 0; k < p->nparams; k++)
				free(p->pnames[k]);
			free(p->pnames);
			free(p->sql);
			free(p);
			return rc == FS_ENOMEM ? fs_fail(err, rc, NULL, "out of memory") : rc;
		}
		p->next = st->preps[slot];
		st->preps[slot] = p;
	}
	struct fs_stmt *s = calloc(1, sizeof(*s));
	int n = p->nparams ? p->nparams : 1;
	if (s) {
		s->vals = calloc((size_t)n, sizeof(*s->vals));
		s->lens = calloc((size_t)n, sizeof(*s->lens));
		s->fmts = calloc((size_t)n, sizeof(*s->fmts));
		s->own = calloc((size_t)n, sizeof(*s->own));
	}
	if (!s || !s->vals || !s->lens || !s->fmts || !s->own) {
		if (s) {
			free(s->vals);
			free(s->lens);
			free(s->fmts);
			free(s->own);
		}
		free(s);
		return FS_ENOMEM;
	}
	s->st = st;
	s->p = p;
	*ret = s;
	return 0;
}

static int pg_bind(struct fs_stmt *s, const char *name, const struct fs_value *v, struct fs_error *err)
{
	int k;
	for (k = 0; k < s->p->nparams && strcmp(s->p->pnames[k], name); k++)
		;
	if (k == s->p->nparams)
		return fs_fail(err, FS_ESTORE, name, "query has no parameter :%s", name);
	free(s->own[k]);
	s->own[k] = NULL;
	s->vals[k] = NULL;
	s->lens[k] = 0;
	s->fmts[k] = 0;
	switch (v->type) {
	case FS_VINT:
		if (!(s->own[k] = malloc(24)))
			return FS_ENOMEM;
		snprintf(s->own[k], 24, "%lld", (long long)v->i);
		s->vals[k] = s->own[k];
		break;
	case FS_VTEXT: /* text format needs a terminating NUL the value may lack */
		if (!(s->own[k] = malloc(v->n + 1)))
			return FS_ENOMEM;
		if (v->n)
			memcpy(s->own[k], v->p, v->n);
		s->own[k][v->n] = '\0';
		s->vals[k] = s->own[k];
		break;
	case FS_VBLOB:
		s->vals[k] = v->p ? v->p : "";
		s->lens[k] = (int)v->n;
		s->fmts[k] = 1;
		break;
	default:
		break;
	}
	return 0;
}

/* guarded: in a savepoint (the caller goes on after a failure); else a failure
 * in a transaction fails the transaction (PostgreSQL has aborted it). */
static int run(struct fs_stmt *s, int guarded, struct fs_error *err)
{
	struct pg_store *st = s->st;
	if (st->failed)
		return fs_fail(err, FS_ESTORE, NULL, "an earlier statement of this transaction failed (%s); it can only be "
			       "rolled back", st->failed_why);
	const char *const *vals = s->vals;
	if (guarded || s->p->text) {
		int prepared;
		s->res = pg_exec_pipelined(st, s->p->text, guarded, s->p->name, s->p->nparams, vals, s->lens, s->fmts, &prepared);
		if (prepared) {
			free(s->p->text);
			s->p->text = NULL;
		}
	} else {
		s->res = PQexecPrepared(st->conn, s->p->name, s->p->nparams, vals, s->lens, s->fmts, 1);
	}
	ExecStatusType rs = PQresultStatus(s->res);
	if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK) {
		int rc = pg_fail_res(st, s->res, err, "database error");
		if (!guarded)
			pg_tx_failed(st, err);
		return rc;
	}
	if (s->p->kind == K_DML) {
		st->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
		if (s->p->returning && PQntuples(s->res) == 1 && !PQgetisnull(s->res, 0, 0)) {
			struct fs_value v;
			s->row = 1;
			s->nrows = 1;
			s->st->base.ops->column(s, 0, &v);
			st->last_id = v.i;
		}
		s->nrows = 0;
		st->dirty |= st->changes > 0;
	} else {
		s->nrows = PQntuples(s->res);
	}
	s->row = 0;
	return 0;
}

static int pg_step(struct fs_stmt *s, struct fs_error *err)
{
	struct pg_store *st = s->st;
	if (!s->executed) {
		s->executed = 1;
		if (s->p->kind == K_PRAGMA) /* SQLite's file settings: nothing to do here */
			return 0;
		int rc;
		if (s->p->kind == K_DML && !st->in_tx) { /* one change on its own: under the write lock all the same */
			if ((rc = pg_begin(&st->base, err)))
				return rc;
			if ((rc = run(s, 0, err)) || (rc = pg_commit(&st->base, err))) {
				pg_rollback(&st->base);
				return rc;
			}
		} else if ((rc = run(s, s->p->kind == K_DML && st->write_tx && st->base.may_fail > 0, err))) {
			return rc;
		}
	}
	if (s->row >= s->nrows)
		return 0;
	s->row++;
	return 1;
}

static int pg_ncolumns(struct fs_stmt *s)
{
	return s->res ? PQnfields(s->res) : 0;
}

static int64_t be_int(const unsigned char *b, int n)
{
	uint64_t u = 0;
	for (int i = 0; i < n; i++)
		u = (u << 8) | b[i];
	if (n < 8 && (u >> (8 * n - 1)) & 1) /* sign-extend */
		u |= ~(uint64_t)0 << (8 * n);
	return (int64_t)u;
}

static void pg_column(struct fs_stmt *s, int i, struct fs_value *out)
{
	int r = s->row - 1;
	if (!s->res || r < 0 || r >= PQntuples(s->res) || i >= PQnfields(s->res) || PQgetisnull(s->res, r, i)) {
		*out = fs_vnull();
		return;
	}
	const unsigned char *b = (const unsigned char *)PQgetvalue(s->res, r, i);
	int n = PQgetlength(s->res, r, i);
	switch (PQftype(s->res, i)) {
	case 20: /* int8 */
	case 23: /* int4 */
	case 21: /* int2 */
	case 16: /* bool */
		*out = fs_vint(n == 8 || n == 4 || n == 2 || n == 1 ? be_int(b, n) : 0);
		if (PQftype(s->res, i) == 16)
			out->i = b[0] != 0;
		break;
	case 17: /* bytea */
		*out = fs_vblob(b, (size_t)n);
		break;
	default: /* text, varchar, name: the bytes as they are (libpq ends them with a NUL) */
		out->type = FS_VTEXT;
		out->i = 0;
		out->p = b;
		out->n = (size_t)n;
		break;
	}
}

static void pg_release(struct fs_stmt *s)
{
	if (!s)
		return;
	PQclear(s->res);
	for (int k = 0; k < s->p->nparams; k++)
		free(s->own[k]);
	free(s->own);
	free(s->vals);
	free(s->lens);
	free(s->fmts);
	free(s);
}

/* The table's sequence (its identity column), for a key the core needs before the insert. */
static int pg_next_id(struct fs_store *base, const char *table, int64_t *id, struct fs_error *err)
{
	struct pg_store *st = (struct pg_store *)base;
	const char *seq = pg_seq_of(st, table);
	if (!seq || !*seq)
		return fs_fail(err, FS_ESTORE, NULL, "table %s has no sequence for its ids", table);
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT nextval('%s')", seq);
	struct fs_stmt *s;
	int rc = pg_prepare(base, sql, &s, err);
	if (rc)
		return rc;
	int r = pg_step(s, err);
	struct fs_value v = fs_vnull();
	if (r == 1)
		pg_column(s, 0, &v);
	pg_release(s);
	if (r < 0)
		return r;
	if (v.type != FS_VINT)
		return fs_fail(err, FS_ESTORE, NULL, "the sequence of table %s gave no number", table);
	*id = v.i;
	return 0;
}

/* The relation rewritten: the old versions of its rows (a forgotten person's
 * key, cleared text), which plain VACUUM only unlinks and leaves in the page's
 * free space, are gone from the database's files (doc/postgres.md, Forgetting). */
static int pg_purge(struct fs_store *base, const char *table, struct fs_error *err)
{
	struct pg_store *st = (struct pg_store *)base;
	if (st->in_tx)
		return fs_fail(err, FS_ESTORE, NULL, "cannot rewrite table %s within a transaction", table);
	if (!table[0] || strspn(table, "abcdefghijklmnopqrstuvwxyz_") != strlen(table) || strlen(table) > 60)
		return fs_fail(err, FS_EINVAL, NULL, "no table %.60s", table);
	char sql[96];
	snprintf(sql, sizeof(sql), "VACUUM (FULL) %s", table);
	return pg_exec(st, sql, err);
}

static int pg_store_ids_reset(struct fs_store *base, struct fs_error *err)
{
	return pg_ids_reset((struct pg_store *)base, err);
}

static int64_t pg_last_insert_id(struct fs_store *base)
{
	return ((struct pg_store *)base)->last_id;
}

static int64_t pg_changes(struct fs_store *base)
{
	return ((struct pg_store *)base)->changes;
}

/* Changes whenever the database may have changed, as SQLite's PRAGMA data_version
 * does for any other connection: the counter fairshare's commits bump (a
 * sequence: fs_store_state.data_version before schema 27), and the
 * current snapshot (xmin:xmax:in-progress xids), which moves when any transaction
 * that writes starts or ends - a change made by psql or any other client too, which
 * the counter alone would miss (a server's caches would keep a session ended or a
 * user disabled behind fairshare's back). Other databases of the cluster move it
 * too: a cache emptied for nothing, never one kept too long. */
static int64_t pg_data_version(struct fs_store *base)
{
	struct pg_store *st = (struct pg_store *)base;
	PGresult *r = PQexecParams(st->conn, "SELECT coalesce(pg_sequence_last_value(to_regclass('fs_data_version')), "
				   "(SELECT data_version FROM fs_store_state)), pg_current_snapshot()::text", 0,
				   NULL, NULL, NULL, NULL, 0);
	int64_t v = -1;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		uint64_t h = 14695981039346656037ULL; /* FNV-1a over both */
		for (int c = 0; c < 2; c++) {
			for (const char *p = PQgetvalue(r, 0, c); *p; p++)
				h = (h ^ (unsigned char)*p) * 1099511628211ULL;
			h = (h ^ ';') * 1099511628211ULL;
		}
		v = (int64_t)(h >> 1); /* never negative: -1 is an error */
	}
	PQclear(r);
	return v;
}

static int pg_idle(struct fs_store *base)
{
	return PQtransactionStatus(((struct pg_store *)base)->conn) == PQTRANS_IDLE;
}

const struct fs_store_ops fs_store_pg = {
	.name = "postgres",
	.open = pg_open,
	.close = pg_close,
	.begin = pg_begin,
	.begin_org = pg_begin_org,
	.begin_read = pg_begin_read,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.prepare = pg_prepare,
	.bind = pg_bind,
	.step = pg_step,
	.ncolumns = pg_ncolumns,
	.column = pg_column,
	.release = pg_release,
	.last_insert_id = pg_last_insert_id,
	.changes = pg_changes,
	.data_version = pg_data_version,
	.idle = pg_idle,
	.next_id = pg_next_id,
	.lock_shared = pg_lock_shared,
	.ids_reset = pg_store_ids_reset,
	.purge = pg_purge,
	.backup = pg_backup,
	.check = pg_check,
	.check_quick = pg_check_quick,
	.table_columns = pg_table_columns,
	.table_names = pg_table_names,
	.schema_version = FS_SQLITE_SCHEMA_VERSION,
};
