#!/usr/bin/env python3
"""log_forge.py - what an insider with a copy of the database can do, written
apart from fairshare's C (tests/cli/t32-log.sh): the journal's and the ledger's
BLAKE2b chains recomputed after an edit, a row's journal entry made to match the
edited row, and the Merkle logs rebuilt; and a second implementation of the RFC
9162 tree head (SHA-256, 0x00 leaves, 0x01 nodes) to cross-check fairshare's.

usage: log_forge.py root DB ORG              the RFC 9162 root of ORG's log, from the journal
       log_forge.py rowhash DB ENTITY TABLE ID   the row's latest entry made to match it, chain recomputed
       log_forge.py rechain DB FROM_SEQ       the journal's chain recomputed from FROM_SEQ
       log_forge.py relog DB                  the Merkle logs rebuilt from the journal (no leaf stored, nodes from level 8, a head per log)
       log_forge.py relog-packed DB           the same in the layout before (leaves in packs of 16, nodes from level 5)
       log_forge.py relog-single DB           the same in the layout before packs (a leaf and every node a row)
       log_forge.py retransfers DB FROM_SEQ   the ledger's chains recomputed from FROM_SEQ (one per organization)
       log_forge.py oldentry DB ENTITY TABLE ID ORG  (a database of one chain) the row journaled at its end
       log_forge.py checklog DB ORG            ORG's entries alone (DB may hold no other): every hash,
                                              its chain and its root ("ok N ROOT", else the first break)
"""
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fsdb  # noqa: E402 (an SQLite file, or PostgreSQL through psql)

TAGS = {type(None): 0, int: 1, str: 2, bytes: 3}


def hash_values(prefix, vals):
    h = hashlib.blake2b(digest_size=32)
    h.update(prefix.encode() + b"\0")
    for v in vals:
        tag = TAGS[type(v)]
        data = v.encode() if isinstance(v, str) else v if isinstance(v, bytes) else b""
        x = v & 0xFFFFFFFFFFFFFFFF if isinstance(v, int) else len(data)
        h.update(bytes([tag]) + x.to_bytes(8, "big"))
        h.update(data)
    return h.digest()


def leaf(entry_hash):
    return hashlib.sha256(b"\x00" + entry_hash).digest()


def node(l, r):
    return hashlib.sha256(b"\x01" + l + r).digest()


def mth(leaves):
    """MTH(D[n]) exactly as RFC 9162 2.1.1 defines it."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaves[0]
    k = 1
    while k << 1 < n:
        k <<= 1
    return node(mth(leaves[:k]), mth(leaves[k:]))


def rechain(db, start):
    """Up to meta journal_chains (where the old single chain ends) an entry follows
    the entry before it; after it, the entry before it in its own log, the first of
    each log the old chain's head (journal.c, chain v2)."""
    split = db.execute("SELECT value FROM meta WHERE key = 'journal_chains'").fetchone()
    split = int(split[0]) if split else 0
    old = db.execute("SELECT hash FROM journal WHERE seq = ?", (split,)).fetchone()
    old = old[0] if old else bytes(32)
    prev = db.execute("SELECT hash FROM journal WHERE seq < ? ORDER BY seq DESC LIMIT 1", (start,)).fetchone()
    prev = prev[0] if prev else bytes(32)
    heads = {}
    for org, h in db.execute("SELECT org_id, hash FROM journal j WHERE seq > ? AND seq < ? AND seq = "
                             "(SELECT max(seq) FROM journal k WHERE k.org_id = j.org_id AND k.seq < ?)",
                             (split, start, start)):
        heads[org] = h
    rows = db.execute("SELECT * FROM journal WHERE seq >= ? ORDER BY seq", (start,)).fetchall()
    for r in rows:
        r = list(r)
        if r[0] <= split:
            r[11] = prev
        else:
            r[11] = heads.get(r[6], old)
        r[12] = hash_values("journal", r[:12])
        db.execute("UPDATE journal SET prev_hash = ?, hash = ? WHERE seq = ?", (r[11], r[12], r[0]))
        prev = r[12]
        if r[0] > split:
            heads[r[6]] = r[12]
        elif r[0] == split:
            old = r[12]


PACK = 16
PACK_LEVEL = 63
HEAD_LEVEL = 62
LOW = 8  # levels 0 .. LOW - 1 are not stored (log.h)
OLD_LOW = 5  # the packed layout's


def relog(db, layout=3):
    """layout 1: the layout of a database from before packs (meta merkle_log 1):
    each leaf its own row, every level stored. 2: leaves in packs of 16 (level 63,
    index = leaf index / 16, seq = the pack's first entry) and the nodes of levels
    OLD_LOW and up. 3 (the current one): no leaf, the nodes of levels LOW and up
    (a level-LOW node's seq: its chunk's last entry) and a head per log (level 62,
    index 0: idx = size, seq = the last entry, hash = the frontier, lowest first)."""
    db.execute("DELETE FROM log_nodes")
    logs = {}
    last = {}
    for seq, org, h in db.execute("SELECT seq, coalesce(org_id, 0), hash FROM journal ORDER BY seq").fetchall():
        levels = logs.setdefault(org, [[]])
        last[org] = seq
        idx = len(levels[0])
        lh = leaf(h)
        levels[0].append(lh)
        if layout == 1:
            db.execute("INSERT INTO log_nodes VALUES (?, ?, 0, ?, ?, ?)", ((org << 41) | idx, org, idx, lh, seq))
        elif layout == 2:
            k = idx // PACK
            first = db.execute("SELECT seq FROM log_nodes WHERE id = ?",
                               ((org << 41) | (PACK_LEVEL << 35) | k,)).fetchone()
            db.execute("INSERT OR REPLACE INTO log_nodes VALUES (?, ?, ?, ?, ?, ?)",
                       ((org << 41) | (PACK_LEVEL << 35) | k, org, PACK_LEVEL, k,
                        b"".join(levels[0][k * PACK:idx + 1]), first[0] if first else seq))
        level = 0
        while idx & 1:
            lh = node(levels[level][idx - 1], lh)
            idx >>= 1
            level += 1
            if len(levels) <= level:
                levels.append([])
            levels[level].append(lh)
            if layout == 1 or level >= (OLD_LOW if layout == 2 else LOW):
                db.execute("INSERT INTO log_nodes VALUES (?, ?, ?, ?, ?, ?)",
                           ((org << 41) | (level << 35) | idx, org, level, idx, lh,
                            seq if layout == 3 and level == LOW else None))
    if layout == 3:
        for org, levels in logs.items():
            size = len(levels[0])
            front = b"".join(levels[lv][(size >> lv) - 1] for lv in range(len(levels)) if (size >> lv) & 1)
            db.execute("INSERT INTO log_nodes VALUES (?, ?, ?, ?, ?, ?)",
                       ((org << 41) | (HEAD_LEVEL << 35), org, HEAD_LEVEL, size, front, last[org]))
    db.execute("INSERT OR REPLACE INTO meta VALUES ('merkle_log', ?)", (str(layout),))


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    db = fsdb.connect(path)
    if cmd == "root":
        hs = [r[0] for r in db.execute("SELECT hash FROM journal WHERE coalesce(org_id, 0) = ? ORDER BY seq",
                                       (int(sys.argv[3]),))]
        print(mth([leaf(h) for h in hs]).hex())
        return
    if cmd == "oldentry":  # a database from before the chains split: one more entry on its single chain
        entity, table, rid, org = sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
        row = db.execute(f"SELECT * FROM {table} WHERE id = ?", (rid,)).fetchone()
        seq, prev, ts = db.execute("SELECT seq + 1, hash, ts FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
        r = [seq, ts, "cli:test", "create", entity, rid, org, None, None, "{}", hash_values(table, list(row)), prev]
        db.execute("INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", r + [hash_values("journal", r)])
        db.commit()
        return
    if cmd == "checklog":
        org = int(sys.argv[3])
        split = db.execute("SELECT value FROM meta WHERE key = 'journal_chains'").fetchone()
        split = int(split[0]) if split else 0
        rows = db.execute("SELECT * FROM journal WHERE org_id = ? AND seq > ? ORDER BY seq", (org, split)).fetchall()
        prev = rows[0][11] if rows else bytes(32)  # the first binds the old chain's head (or zeros)
        if split == 0 and prev != bytes(32):
            sys.exit("entry %d: a log's first entry follows nothing" % rows[0][0])
        for r in rows:
            if r[11] != prev:
                sys.exit("entry %d does not follow the entry before it in the log" % r[0])
            if hash_values("journal", list(r[:12])) != r[12]:
                sys.exit("entry %d does not match its hash" % r[0])
            prev = r[12]
        hs = [r[0] for r in db.execute("SELECT hash FROM journal WHERE org_id = ? ORDER BY seq", (org,))]
        print("ok", len(hs), mth([leaf(h) for h in hs]).hex())
        return
    if cmd == "rowhash":
        entity, table, rid = sys.argv[3], sys.argv[4], int(sys.argv[5])
        row = db.execute(f"SELECT * FROM {table} WHERE id = ?", (rid,)).fetchone()
        seq = db.execute("SELECT max(seq) FROM journal WHERE entity = ? AND entity_id = ?", (entity, rid)).fetchone()[0]
        db.execute("UPDATE journal SET row_hash = ? WHERE seq = ?", (hash_values(table, list(row)), seq))
        rechain(db, seq)
    elif cmd == "rechain":
        rechain(db, int(sys.argv[3]))
    elif cmd == "relog":
        relog(db)
    elif cmd == "relog-packed":
        relog(db, 2)
    elif cmd == "relog-single":
        relog(db, 1)
    elif cmd == "retransfers":
        start = int(sys.argv[3])
        # one chain per organization after meta transfer_chains (the old installation-wide one up to it)
        split = db.execute("SELECT value FROM meta WHERE key = 'transfer_chains'").fetchone()
        split = int(split[0]) if split else 0

        def prev_of(org, seq):
            if seq <= split:
                p = db.execute("SELECT hash FROM transfers WHERE seq < ? ORDER BY seq DESC LIMIT 1", (seq,)).fetchone()
            else:
                p = db.execute("SELECT hash FROM transfers WHERE org_id = ? AND seq > ? AND seq < ? ORDER BY seq DESC LIMIT 1",
                               (org, split, seq)).fetchone()
                if not p and split:
                    p = db.execute("SELECT hash FROM transfers WHERE seq <= ? ORDER BY seq DESC LIMIT 1", (split,)).fetchone()
            return p[0] if p else bytes(32)
        for r in db.execute("SELECT * FROM transfers WHERE seq >= ? ORDER BY seq", (start,)).fetchall():
            r = list(r)
            r[17] = prev_of(r[2], r[0])
            r[18] = hash_values("transfers", r[1:18])
            db.execute("UPDATE transfers SET prev_hash = ?, hash = ? WHERE seq = ?", (r[17], r[18], r[0]))
    else:
        sys.exit("unknown command " + cmd)
    db.commit()


main()
