/* fs_limits.h - every bound of the core in one place, each with its reason.
 *
 * An input past a bound is refused with a clear error (FS_ELIMIT or FS_EINVAL,
 * naming the field), never cut short silently. The bounds front ends see are in
 * fairshare.h (FS_TRANSFER_ID_MAX, FS_FUND_BATCH_MAX) and util/ (money.h:
 * FS_MONEY_MAX_MINOR; csv.h: 64 KiB per field, 256 fields per record); the field
 * lengths of each entity are in its table (each domain's *_defs.c). */
#ifndef FS_LIMITS_H
#define FS_LIMITS_H

/* ---- records (base/entity.c, records.c) ---- */
/* Columns of one entity's table and fields of one entity: the in-memory record
 * (struct fs_rec) holds them in fixed arrays, so no record allocates per column.
 * entity_init asserts the bound for every entity at start. */
#define FS_MAX_COLS 24
#define FS_MAX_FIELDS 16
/* Entities of every domain together (27 today): the registry (entity.c) is a
 * fixed array filled once at start; fs_domain_add asserts the bound. */
#define FS_MAX_ENTITIES 64
/* The derived column names (name_fold, wage_minor, national_id_hash) of every
 * entity, built once at start into one static pool (a few hundred bytes today). */
#define FS_NAME_POOL 8192
/* "user:ID NAME" as the journal names an actor: a name is up to 64 characters
 * (UTF-8: 4 bytes each), an id up to 20 digits. */
#define FS_ACTOR_MAX 300
/* Rows per list page: the default when none is asked, and the most one request
 * may ask (a page is rendered in memory; bigger exports go through export.c). */
#define FS_LIST_DEFAULT 100
#define FS_LIST_MAX 10000
/* One buffer of generated text (a journal entry's JSON, verify's report, a
 * proof block) starts at this size and grows as needed. */
#define FS_TEXT_MAX (1u << 20)
/* List pages kept rendered while the database is unchanged (pagecache.c), and
 * the largest page kept: a bigger one is rendered each time. */
#define FS_PAGECACHE_PAGES 8
#define FS_PAGECACHE_PAGE_MAX (256u * 1024u)

/* ---- the journal (base/journal.c, batch.c, log_verify.c) ---- */
/* Problems verify lists one by one (the rest are counted): a broken database can
 * have millions, and the first ones point at the cause. */
#define FS_VERIFY_LISTED 50
#define FS_LOG_VERIFY_LISTED 20
/* Rows of one entity bound by one batch journal entry, and the kinds of rows one
 * batch binds at once (a ninth kind gets one entry per row, as without a batch). */
#define FS_BATCH_CHUNK 4096
#define FS_BATCH_CHUNKS_MAX 8

/* ---- accounts (base/auth.c, users.c) ---- */
/* A session lasts a working day; after THROTTLE_FAILS wrong passwords an account
 * waits THROTTLE_MINUTES (guessing stays slow, a typing user is not locked out). */
#define FS_SESSION_HOURS 12
#define FS_THROTTLE_FAILS 5
#define FS_THROTTLE_MINUTES 15
/* A password has 10 to 256 bytes: short ones are guessed, long ones only cost
 * Argon2id time. An API token's name is a short label. */
#define FS_PASSWORD_MIN 10
#define FS_PASSWORD_MAX 256
#define FS_TOKEN_NAME_MAX 64
/* Role rows read at once when listing accounts (every organization's): far
 * above any union's officers, low enough to keep the list in memory. */
#define FS_ROLES_MAX 100000

/* ---- money (funds/payout.c) ---- */
/* The window of a fund's rolling limit per requester: 24 hours (doc/funds.md). */
#define FS_ROLLING_SECONDS (24 * 3600)

/* ---- the claims watch (claims/watch.c) ---- */
/* A limitation deadline within this many days is shown as near. */
#define FS_WATCH_NEAR_DAYS 180

/* ---- the record (base/handling.c) ---- */
/* References followed to find a record's handling level: deep enough for hearing
 * -> case -> incident -> stage -> action; a longer chain (a corrupted database)
 * counts as the most closed level. */
#define FS_HANDLING_CHAIN_MAX 8

/* ---- import (register/import.c) ---- */
/* Columns of a people import: the 21 known fields and their aliases fit many
 * times over; a file with more is not a people list. */
#define FS_IMPORT_COLUMNS_MAX 64

/* ---- the key file (safe/keyfile.c) ---- */
/* A key file in any of its forms (plain, wrapped, split) is a few hundred bytes;
 * a bigger file is not a key file. */
#define FS_KEYFILE_MAX 1024

#endif
