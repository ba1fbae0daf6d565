"""fsdb.py - the forgers' way into a database behind fairshare's back (log_forge.py,
seal_swap.py): an SQLite file through Python's sqlite3, or a PostgreSQL database
(postgres:///NAME, PG* from the environment) through one psql session in one
transaction, with the few calls of sqlite3's the forgers make: execute(SQL,
PARAMS) giving rows (fetchone, fetchall, iteration) and commit(). On PostgreSQL
? parameters become literals; a bytea comes back as bytes (PostgreSQL's JSON
writes it "\\x..."), a boolean as 0 or 1, so rows hash as they do on SQLite; and
"INSERT OR REPLACE INTO T" becomes an upsert on T's primary key."""
import json
import re
import sqlite3
import subprocess

HEX = re.compile(r"\\x[0-9a-f]*\Z")
END = "--fsdb-end--"


def connect(path):
    if path.startswith(("postgres://", "postgresql://")):
        return Pg(path)
    return sqlite3.connect(path)


def columns(db, table):
    """The table's columns, in order."""
    if isinstance(db, Pg):
        return [r[0] for r in db.execute("SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0 "
                                         "AND NOT attisdropped ORDER BY attnum", (table,))]
    return [r[1] for r in db.execute("PRAGMA table_info(%s)" % table)]


def literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, (bytes, bytearray, memoryview)):
        return "'\\x%s'::bytea" % bytes(v).hex()
    return "'" + str(v).replace("'", "''") + "'"


def value(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, str) and HEX.match(v):
        return bytes.fromhex(v[2:])
    return v


class Rows(list):
    def fetchone(self):
        return self[0] if self else None

    def fetchall(self):
        return list(self)


class Pg:
    def __init__(self, uri):
        self.p = subprocess.Popen(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", uri],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.send("BEGIN;")

    def send(self, sql):
        self.p.stdin.write(sql + "\n")
        self.p.stdin.flush()

    def answer(self):
        self.send("\\echo " + END)
        lines = []
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise SystemExit("psql stopped (an error above)")
            if line.rstrip("\n") == END:
                return "".join(lines)
            lines.append(line)

    def execute(self, sql, params=()):
        parts = sql.split("?")
        if len(parts) != len(params) + 1:
            raise SystemExit("fsdb: %d parameters for %s" % (len(params), sql))
        q = parts[0] + "".join(literal(v) + parts[i + 1] for i, v in enumerate(params))
        m = re.match(r"\s*INSERT OR REPLACE INTO (\w+)", q)
        if m:
            t = m.group(1)
            key = [r[0] for r in self.execute("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                                              "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary",
                                              (t,))]
            q = q.replace("INSERT OR REPLACE INTO", "INSERT INTO", 1) + " ON CONFLICT (%s) DO UPDATE SET %s" % (
                ", ".join(key), ", ".join("%s = EXCLUDED.%s" % (c, c) for c in columns(self, t) if c not in key))
        if not re.match(r"\s*(SELECT|WITH)\b", q, re.I):
            self.send(q + ";")
            return Rows()
        self.send("SELECT coalesce(json_agg(t), '[]') FROM (%s) t;" % q)
        rows = json.loads(self.answer(), object_pairs_hook=lambda pairs: tuple(value(v) for _, v in pairs))
        return Rows(rows)

    def commit(self):
        self.send("COMMIT;")
        self.answer()
        self.p.stdin.close()
        if self.p.wait():
            raise SystemExit("psql failed")
