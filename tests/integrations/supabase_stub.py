"""A throwaway Postgres database with just enough of Supabase to apply supabase/migrations.

Supabase provides the roles anon / authenticated / service_role, the `auth` schema with
`auth.users`, and `auth.uid()` which reads the verified JWT claims PostgREST puts into the
`request.jwt.claims` setting. This stub recreates exactly those pieces, nothing more.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo

from testkit import services

MIGRATIONS = Path(__file__).resolve().parents[2] / "supabase" / "migrations"

# Roles are cluster-wide: create them idempotently (tolerating a concurrent creator), never drop.
ROLES_SQL = """
do $$
declare r record;
begin
  for r in select * from (values ('anon', false), ('authenticated', false),
                                 ('service_role', true)) as t(name, bypass) loop
    if not exists (select 1 from pg_roles where rolname = r.name) then
      begin
        execute format('create role %I nologin %s', r.name,
                       case when r.bypass then 'bypassrls' else '' end);
      exception when duplicate_object or unique_violation then null;
      end;
    end if;
  end loop;
end $$;
"""

AUTH_STUB_SQL = """
create schema auth;
create table auth.users (id uuid primary key, email text, raw_user_meta_data jsonb);
-- Same shape as Supabase's auth.uid(): '' after a transaction-local set_config ends.
create function auth.uid() returns uuid language sql stable as $$
  select (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')::uuid
$$;
create function auth.role() returns text language sql stable as $$
  select nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'
$$;
grant usage on schema auth to anon, authenticated, service_role;
"""


@contextmanager
def throwaway_database(prefix: str = "rls") -> Iterator[str]:
    """Create `<prefix>_<random>`, yield its DSN, drop it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    services.need_postgres()
    admin_dsn = make_conninfo(services.libpq_url(), connect_timeout=3)
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'create database "{name}"')
    dsn = make_conninfo(admin_dsn, dbname=name)
    try:
        yield dsn
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f'drop database if exists "{name}" with (force)')


def install_supabase_stub(conn: psycopg.Connection) -> None:
    conn.execute(ROLES_SQL)
    conn.execute(AUTH_STUB_SQL)


def apply_migrations(conn: psycopg.Connection) -> list[str]:
    applied = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        conn.execute(path.read_text())
        applied.append(path.name)
    return applied


@contextmanager
def acting_as(
    conn: psycopg.Connection, role: str, sub: uuid.UUID | None = None
) -> Iterator[psycopg.Cursor]:
    """Run as PostgREST would for a request: role + JWT claims, local to one rolled-back txn."""
    with conn.transaction(force_rollback=True), conn.cursor() as cur:
        claims = {"role": role} | ({"sub": str(sub)} if sub else {})
        cur.execute("select set_config('request.jwt.claims', %s, true)", [json.dumps(claims)])
        cur.execute(f"set local role {role}")
        yield cur
