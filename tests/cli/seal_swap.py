#!/usr/bin/env python3
"""seal_swap.py - an insider with the database but not the key: swap the sealed
blobs (and the other given columns) of two rows of a table, then recompute the
two rows' hashes in their latest journal entries and the journal's hash chain,
so that nothing but the seals themselves can tell.

    seal_swap.py DB TABLE ENTITY ID1 ID2 COLUMN...   (ENTITY: as the journal names it)

Before it changes anything it recomputes the untouched journal and checks that
it gets the stored hashes: if fairshare hashes rows or entries differently from
this script, it says so and exits 2 (the attack would prove nothing).
Row hash: BLAKE2b-256 of the table name, a NUL, then for each column (in the
table's order) a type byte, 8 big-endian bytes (the integer, or the length of
text/blob, 0 for NULL) and the bytes of text/blob. Entries are hashed the same
way ("journal" prefix) over every column before `hash`."""
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fsdb  # noqa: E402 (an SQLite file, or PostgreSQL through psql)


def value_bytes(v):
    if v is None:
        return bytes([0]) + (0).to_bytes(8, "big")
    if isinstance(v, int):
        return bytes([1]) + (v & (2**64 - 1)).to_bytes(8, "big")
    if isinstance(v, str):
        b = v.encode()
        return bytes([2]) + len(b).to_bytes(8, "big") + b
    b = bytes(v)
    return bytes([3]) + len(b).to_bytes(8, "big") + b


def hash_values(prefix, vals):
    h = hashlib.blake2b(digest_size=32)
    h.update(prefix.encode() + b"\0")
    for v in vals:
        h.update(value_bytes(v))
    return h.digest()


class Chain:
    """What an entry's prev_hash names: up to meta journal_chains (the old single
    chain) the entry before it; after it, the entry before it in its own log, the
    first of each log the old chain's head (doc/journal.md)."""

    def __init__(self, split, org_col):
        self.split, self.org, self.last, self.old, self.heads = split, org_col, b"\0" * 32, b"\0" * 32, {}

    def prev(self, r):
        return self.last if r[0] <= self.split else self.heads.get(r[self.org], self.old)

    def add(self, r, h):
        self.last = h
        if r[0] == self.split:
            self.old = h
        elif r[0] > self.split:
            self.heads[r[self.org]] = h


def main():
    db, table, entity, id1, id2 = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    swap = sys.argv[6:]
    c = fsdb.connect(db)
    jcols = fsdb.columns(c, "journal")
    if jcols[-1] != "hash" or jcols[-2] != "prev_hash":
        print("journal columns not as expected: %s" % jcols, file=sys.stderr)
        return 2
    rows = c.execute("SELECT * FROM journal ORDER BY seq").fetchall()
    split = c.execute("SELECT value FROM meta WHERE key = 'journal_chains'").fetchone()
    split = int(split[0]) if split else 0
    org = jcols.index("org_id")
    chain = Chain(split, org)
    for r in rows:  # the script's model of the journal must match the stored one
        if bytes(r[-2]) != chain.prev(r) or hash_values("journal", r[:-1]) != bytes(r[-1]):
            print("this script does not hash the journal as fairshare does (entry %d)" % r[0], file=sys.stderr)
            return 2
        chain.add(r, bytes(r[-1]))
    last = {}
    for r in rows:
        if r[jcols.index("entity_id")] in (id1, id2) and r[jcols.index("row_hash")] is not None:
            if r[jcols.index("entity")] == entity:
                last[r[jcols.index("entity_id")]] = r[0]
    for i in (id1, id2):
        row = c.execute("SELECT * FROM %s WHERE id = ?" % table, (i,)).fetchone()
        seq = last.get(i)
        stored = c.execute("SELECT row_hash FROM journal WHERE seq = ?", (seq,)).fetchone()
        if row is None or stored is None or hash_values(table, row) != bytes(stored[0]):
            print("this script does not hash %s %d as fairshare does" % (table, i), file=sys.stderr)
            return 2
    a = c.execute("SELECT %s FROM %s WHERE id = ?" % (", ".join(swap), table), (id1,)).fetchone()
    b = c.execute("SELECT %s FROM %s WHERE id = ?" % (", ".join(swap), table), (id2,)).fetchone()
    sets = ", ".join("%s = ?" % s for s in swap)
    c.execute("UPDATE %s SET %s WHERE id = ?" % (table, sets), (None,) * len(swap) + (id1,))  # unique columns
    c.execute("UPDATE %s SET %s WHERE id = ?" % (table, sets), tuple(a) + (id2,))
    c.execute("UPDATE %s SET %s WHERE id = ?" % (table, sets), tuple(b) + (id1,))
    for i in (id1, id2):
        row = c.execute("SELECT * FROM %s WHERE id = ?" % table, (i,)).fetchone()
        c.execute("UPDATE journal SET row_hash = ? WHERE seq = ?", (hash_values(table, row), last[i]))
    chain = Chain(split, org)
    for r in c.execute("SELECT * FROM journal ORDER BY seq").fetchall():
        r = list(r)
        r[-2] = chain.prev(r)
        h = hash_values("journal", r[:-1])
        c.execute("UPDATE journal SET prev_hash = ?, hash = ? WHERE seq = ?", (r[-2], h, r[0]))
        chain.add(r, h)
    c.commit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
