#!/bin/sh
# pg-distribution.sh DBNAME - where the live schema breaks the rules of a
# PostgreSQL sharded by organization (Citus): every table owned by an
# organization carries org_id (NOT NULL); its primary and unique keys, and its
# foreign keys to other such tables, include org_id; the tables without
# org_id are the reference tables listed here. One line per break, sorted.
# t35-pg.sh compares the output with tests/data/pg-distribution.txt (the breaks
# doc/postgres.md explains): a change that adds one fails make test.
set -u
psql -X -At -d "$1" <<'SQL'
WITH t AS (
  SELECT c.oid, c.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id'
                                    AND NOT a.attisdropped) AS org
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname NOT LIKE 'fs\_%'),
ref(relname) AS (VALUES ('organizations'), ('users'), ('sessions'), ('api_tokens'), ('login_attempts'), ('meta'),
                    ('party_keys'), ('witnessed_logs'), ('witnessed_checkpoints')),
breaks(line) AS (
  SELECT t.relname || ': no organization id (not a reference table)' FROM t
  WHERE NOT t.org AND t.relname NOT IN (SELECT relname FROM ref)
  UNION ALL
  SELECT t.relname || ': org_id may be NULL' FROM t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attname = 'org_id'
  WHERE NOT a.attnotnull
  UNION ALL
  SELECT t.relname || ': ' || CASE WHEN i.indisprimary THEN 'primary key' ELSE 'unique key' END || ' ('
         || coalesce((SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum), '') || ') lacks org_id'
  FROM t JOIN pg_index i ON i.indrelid = t.oid
  WHERE t.org AND i.indisunique AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey) k JOIN pg_attribute a
                                                 ON a.attrelid = t.oid AND a.attnum = k WHERE a.attname = 'org_id')
  UNION ALL
  SELECT t.relname || '.' || (SELECT string_agg(a.attname, ', ') FROM unnest(f.conkey) k JOIN pg_attribute a
                              ON a.attrelid = t.oid AND a.attnum = k) || ' -> ' || p.relname
         || ': foreign key between organization tables lacks org_id'
  FROM t JOIN pg_constraint f ON f.conrelid = t.oid AND f.contype = 'f' JOIN t p ON p.oid = f.confrelid
  WHERE t.org AND p.org AND NOT EXISTS (SELECT 1 FROM unnest(f.conkey) k JOIN pg_attribute a
                                        ON a.attrelid = t.oid AND a.attnum = k WHERE a.attname = 'org_id'))
SELECT line FROM breaks ORDER BY line COLLATE "C";
SQL
