"""Prove the Supabase RLS policies on a real Postgres: apply supabase/migrations to a throwaway
database with a minimal auth stub, then act as users A and B and as anon."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from psycopg.errors import InsufficientPrivilege

from .supabase_stub import (
    acting_as,
    apply_migrations,
    install_supabase_stub,
    throwaway_database,
)

pytestmark = pytest.mark.postgres


@dataclass
class Fixture:
    conn: psycopg.Connection
    a: uuid.UUID
    b: uuid.UUID
    courses: dict[str, uuid.UUID]  # a_private, a_public, b_private, b_public
    content: dict[str, uuid.UUID]  # same keys: one content row per course
    progress: dict[str, uuid.UUID]  # "a", "b"


def _insert(conn: psycopg.Connection, sql: str, *params: object) -> uuid.UUID:
    row = conn.execute(sql, params).fetchone()
    assert row is not None
    return row[0]


@pytest.fixture(scope="module")
def db() -> Iterator[Fixture]:
    with throwaway_database() as dsn, psycopg.connect(dsn, autocommit=True) as conn:
        install_supabase_stub(conn)
        assert apply_migrations(conn)
        a, b = uuid.uuid4(), uuid.uuid4()
        for uid, email, name in ((a, "a@example.com", "Ada"), (b, "b@example.com", "Bob")):
            conn.execute(
                "insert into auth.users (id, email, raw_user_meta_data) values (%s, %s, %s)",
                (uid, email, json.dumps({"name": name})),
            )
        courses, content = {}, {}
        for owner_key, owner in (("a", a), ("b", b)):
            for vis in ("private", "public"):
                key = f"{owner_key}_{vis}"
                courses[key] = _insert(
                    conn,
                    "insert into public.courses (title, created_by, is_public) "
                    "values (%s, %s, %s) returning id",
                    key,
                    owner,
                    vis == "public",
                )
                content[key] = _insert(
                    conn,
                    "insert into public.course_content (course_id, type, title, content, sequence)"
                    " values (%s, 'section', %s, '{}'::jsonb, 1) returning id",
                    courses[key],
                    f"{key} s1",
                )
        progress = {
            k: _insert(
                conn,
                "insert into public.user_progress (user_id, course_id) "
                "values (%s, %s) returning id",
                uid,
                courses[f"{k}_private"],
            )
            for k, uid in (("a", a), ("b", b))
        }
        yield Fixture(conn, a, b, courses, content, progress)


def _ids(cur: psycopg.Cursor, sql: str, *params: object) -> set[uuid.UUID]:
    return {r[0] for r in cur.execute(sql, params).fetchall()}


def _cannot_change(cur: psycopg.Cursor, table: str, assignment: str, *ids: uuid.UUID) -> None:
    """RLS hides these rows from the acting user: updating or deleting them touches nothing."""
    for row_id in ids:
        cur.execute(f"update public.{table} set {assignment} where id=%s", (row_id,))
        assert cur.rowcount == 0
        cur.execute(f"delete from public.{table} where id=%s", (row_id,))
        assert cur.rowcount == 0


def _owner_or_public(cur: psycopg.Cursor, table: str, rows: dict[str, uuid.UUID]) -> None:
    """Acting as user a: a's rows and b's public one are visible; b's rows, public or not,
    cannot be changed."""
    assert _ids(cur, f"select id from public.{table}") == {
        rows["a_private"], rows["a_public"], rows["b_public"]}
    _cannot_change(cur, table, "title='x'", rows["b_private"], rows["b_public"])


def test_auth_user_insert_creates_public_user(db: Fixture) -> None:
    row = db.conn.execute(
        "select email, name, subscription_tier, subscription_status from public.users where id=%s",
        (db.a,),
    ).fetchone()
    assert row == ("a@example.com", "Ada", "free", "active")


def test_auth_email_change_is_synced(db: Fixture) -> None:
    with db.conn.transaction(force_rollback=True):
        db.conn.execute("update auth.users set email='a2@example.com' where id=%s", (db.a,))
        email = db.conn.execute("select email from public.users where id=%s", (db.a,)).fetchone()
        assert email == ("a2@example.com",)


def test_users_only_own_row(db: Fixture) -> None:
    with acting_as(db.conn, "authenticated", db.a) as cur:
        assert _ids(cur, "select id from public.users") == {db.a}
        cur.execute("update public.users set name='hacked' where id=%s", (db.b,))
        assert cur.rowcount == 0
        cur.execute("update public.users set name='Ada L.' where id=%s", (db.a,))
        assert cur.rowcount == 1
    with pytest.raises(InsufficientPrivilege), acting_as(db.conn, "authenticated", db.a) as cur:
        cur.execute("delete from public.users where id=%s", (db.b,))
    assert db.conn.execute("select name from public.users where id=%s", (db.b,)).fetchone() == (
        "Bob",
    )


@pytest.mark.parametrize(
    "assignment",
    ["subscription_tier='pro'", "subscription_status='canceled'", "subscription_ends_at=now()"],
)
def test_user_cannot_change_own_subscription(db: Fixture, assignment: str) -> None:
    with pytest.raises(InsufficientPrivilege), acting_as(db.conn, "authenticated", db.a) as cur:
        cur.execute(f"update public.users set {assignment} where id=%s", (db.a,))


def test_subscription_guard_survives_a_broad_regrant(db: Fixture) -> None:
    """Even with Supabase's default table-wide UPDATE grant back, the trigger still refuses."""
    with db.conn.transaction(force_rollback=True):
        db.conn.execute("grant update on public.users to authenticated")
        db.conn.execute("savepoint s")
        with pytest.raises(InsufficientPrivilege, match="billing webhook"):
            db.conn.execute(
                "select set_config('request.jwt.claims', %s, true)",
                (json.dumps({"sub": str(db.a), "role": "authenticated"}),),
            )
            db.conn.execute("set local role authenticated")
            db.conn.execute("update public.users set subscription_tier='pro' where id=%s", (db.a,))
        db.conn.execute("rollback to savepoint s")


def test_service_role_can_change_subscription(db: Fixture) -> None:
    with acting_as(db.conn, "service_role") as cur:
        cur.execute("update public.users set subscription_tier='pro' where id=%s", (db.a,))
        assert cur.rowcount == 1


def test_courses_owner_and_public(db: Fixture) -> None:
    c = db.courses
    with acting_as(db.conn, "authenticated", db.a) as cur:
        _owner_or_public(cur, "courses", c)
        before = cur.execute(
            "select updated_at from public.courses where id=%s", (c["a_private"],)
        ).fetchone()
        cur.execute("update public.courses set title='mine' where id=%s", (c["a_private"],))
        assert cur.rowcount == 1
        after = cur.execute(
            "select updated_at from public.courses where id=%s", (c["a_private"],)
        ).fetchone()
        assert before is not None and after is not None and after[0] > before[0]
        cur.execute("insert into public.courses (title, created_by) values ('new', %s)", (db.a,))
    with pytest.raises(InsufficientPrivilege), acting_as(db.conn, "authenticated", db.a) as cur:
        cur.execute("insert into public.courses (title, created_by) values ('x', %s)", (db.b,))
    with pytest.raises(InsufficientPrivilege), acting_as(db.conn, "authenticated", db.a) as cur:
        # Cannot give one's course away (with check on update).
        cur.execute("update public.courses set created_by=%s where id=%s", (db.b, c["a_private"]))
    titles = db.conn.execute("select title from public.courses order by title").fetchall()
    assert [t[0] for t in titles] == ["a_private", "a_public", "b_private", "b_public"]


def test_course_content_follows_course(db: Fixture) -> None:
    ct, c = db.content, db.courses
    with acting_as(db.conn, "authenticated", db.a) as cur:
        _owner_or_public(cur, "course_content", ct)
        cur.execute("update public.course_content set title='ok' where id=%s", (ct["a_public"],))
        assert cur.rowcount == 1
    with pytest.raises(InsufficientPrivilege), acting_as(db.conn, "authenticated", db.a) as cur:
        cur.execute(
            "insert into public.course_content (course_id, type, title, content, sequence) "
            "values (%s, 'section', 'x', '{}', 2)",
            (c["b_public"],),
        )
    with pytest.raises(InsufficientPrivilege), acting_as(db.conn, "authenticated", db.a) as cur:
        # Moving own content under someone else's course is an ownership change too.
        cur.execute(
            "update public.course_content set course_id=%s where id=%s",
            (c["b_private"], ct["a_private"]),
        )


def test_user_progress_only_own(db: Fixture) -> None:
    c, p = db.courses, db.progress
    with acting_as(db.conn, "authenticated", db.a) as cur:
        assert _ids(cur, "select id from public.user_progress") == {p["a"]}
        _cannot_change(cur, "user_progress", "progress=1", p["b"])
        cur.execute("update public.user_progress set progress=0.5 where id=%s", (p["a"],))
        assert cur.rowcount == 1
        # Tracking progress on someone else's public course is fine.
        cur.execute(
            "insert into public.user_progress (user_id, course_id) values (%s, %s)",
            (db.a, c["b_public"]),
        )
    for user, course in ((db.b, c["a_private"]), (db.a, c["b_private"])):
        with pytest.raises(InsufficientPrivilege), acting_as(db.conn, "authenticated", db.a) as cur:
            cur.execute(
                "insert into public.user_progress (user_id, course_id) values (%s, %s)",
                (user, course),
            )


def test_anon_sees_only_public_courses_and_their_content(db: Fixture) -> None:
    c, ct = db.courses, db.content
    with acting_as(db.conn, "anon") as cur:
        assert _ids(cur, "select id from public.courses") == {c["a_public"], c["b_public"]}
        assert _ids(cur, "select id from public.course_content") == {ct["a_public"], ct["b_public"]}
    for sql in (
        "select id from public.users",
        "select id from public.user_progress",
        "update public.courses set title='x'",
        "insert into public.courses (title) values ('x')",
    ):
        with pytest.raises(InsufficientPrivilege), acting_as(db.conn, "anon") as cur:
            cur.execute(sql)


def test_bookkeeping_tables_are_backend_only(db: Fixture) -> None:
    for role, sub in (("anon", None), ("authenticated", db.a)):
        with pytest.raises(InsufficientPrivilege), acting_as(db.conn, role, sub) as cur:
            cur.execute("select id from public.outbox_events")
