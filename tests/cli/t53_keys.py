#!/usr/bin/env python3
"""t53_keys.py - opens what an import sealed, with the key file and libsodium
itself (ctypes), not with fairshare: every person's own key (person_keys, sealed
by the data key with "person_keys:ID") and each person's sealed fields (sealed
by that key with "people:ID:sealed").

    t53_keys.py DB KEYFILE   (DB: a SQLite file, or postgres:///NAME read with psql)

Prints "people N keys K distinct D opened S" (K: people with a key, D: distinct
keys among every key row), or the first failure and exits 1:
a key that does not open, two people with the same key, a person whose seal does
not open with their key and their row's place."""
import ctypes
import ctypes.util
import sqlite3
import subprocess
import sys

lib = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
if lib.sodium_init() < 0:
    sys.exit("libsodium does not start")


def subkey(master, n, ctx):
    out = ctypes.create_string_buffer(32)
    if lib.crypto_kdf_derive_from_key(out, ctypes.c_size_t(32), ctypes.c_uint64(n), ctx, master) != 0:
        sys.exit("kdf failed")
    return out.raw


def unseal(key, version, ad, blob):
    """fairshare's seal: version byte, 24-byte nonce, ciphertext and tag."""
    if len(blob) < 41 or blob[0] != version:
        return None
    ct = blob[25:]
    out = ctypes.create_string_buffer(len(ct))
    mlen = ctypes.c_ulonglong(0)
    rc = lib.crypto_aead_xchacha20poly1305_ietf_decrypt(
        out, ctypes.byref(mlen), None, ct, ctypes.c_ulonglong(len(ct)), ad, ctypes.c_ulonglong(len(ad)), blob[1:25],
        key)
    return out.raw[:mlen.value] if rc == 0 else None


def rows(db, sql):
    """(id, blob) rows of SQL: sqlite3 on a file, psql on postgres:///NAME (the blob as hex)"""
    if not db.startswith("postgres:///"):
        return sqlite3.connect(db).execute(sql).fetchall()
    sql = sql.replace("SELECT id, sealed", "SELECT id, encode(sealed, 'hex')")
    sql = sql.replace("SELECT person_id, wrapped", "SELECT person_id, encode(wrapped, 'hex')")
    out = subprocess.run(["psql", "-q", "-X", "-A", "-t", "-F", ",", "-v", "ON_ERROR_STOP=1", "-d", db[len("postgres:///"):],
                          "-c", sql], check=True, capture_output=True, text=True).stdout
    res = []
    for line in out.splitlines():
        n, _, h = line.partition(",")
        res.append((int(n), bytes.fromhex(h) if h else None))
    return res


def main():
    db, keyfile = sys.argv[1], sys.argv[2]
    lines = open(keyfile).read().split("\n")
    if lines[0] != "fairshare-key-v1":
        sys.exit("a plain key file is needed")
    master = bytes.fromhex(lines[1].strip())
    seal = subkey(master, 1, b"fs-seal_")
    people = dict(rows(db, "SELECT id, sealed FROM people"))
    keys = {}
    for pid, wrapped in rows(db, "SELECT person_id, wrapped FROM person_keys WHERE wrapped IS NOT NULL"):
        k = unseal(seal, 1, b"person_keys:%d" % pid, wrapped)
        if k is None or len(k) != 32:
            print("the key of person %d does not open with the data key" % pid)
            return 1
        keys[pid] = k
    seen = {}
    for pid, k in keys.items():
        if k in seen:
            print("people %d and %d have the same key" % (seen[k], pid))
            return 1
        seen[k] = pid
    opened = 0
    for pid, blob in people.items():
        if blob is None:
            continue
        if pid not in keys:
            print("person %d has sealed fields but no key" % pid)
            return 1
        if unseal(keys[pid], 4, b"people:%d:sealed" % pid, blob) is None:
            print("the sealed fields of person %d do not open with their key at their place" % pid)
            return 1
        opened += 1
    # a key row without its person (an insert that met a duplicate after its seal
    # was made, then matched the existing person) is counted apart
    print("people %d keys %d distinct %d opened %d" % (len(people), len([p for p in keys if p in people]), len(seen), opened))
    return 0


if __name__ == "__main__":
    sys.exit(main())
