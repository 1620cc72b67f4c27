"""RLS on the spaced-repetition tables (supabase/migrations/*_review_cards.sql), on a real
Postgres: a learner sees and writes only their own review rows, for courses they can see."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg.errors import InsufficientPrivilege

from .supabase_stub import acting_as
from .test_rls import Fixture, _ids, _insert
from .test_rls import db as db  # noqa: F401  (the module fixture: users A, B and their courses)

pytestmark = pytest.mark.postgres

CARD = ("insert into public.review_cards (user_id, course_id, card_id, fsrs, due, last_review)"
        " values (%s, %s, %s, '{}'::jsonb, now(), now()) returning id")


@pytest.fixture(scope="module")
def cards(db: Fixture) -> dict[str, uuid.UUID]:  # noqa: F811
    ids = {k: _insert(db.conn, CARD, uid, db.courses[f"{k}_private"], f"quiz-{k}")
           for k, uid in (("a", db.a), ("b", db.b))}
    for rid in ids.values():
        db.conn.execute("insert into public.review_logs (review_card_id, rating, reviewed_at) "
                        "values (%s, 3, now())", (rid,))
    return ids


def test_learners_see_only_their_own_review_rows(db: Fixture, cards) -> None:  # noqa: F811
    with acting_as(db.conn, "authenticated", db.a) as cur:
        assert _ids(cur, "select id from public.review_cards") == {cards["a"]}
        assert _ids(cur, "select review_card_id from public.review_logs") == {cards["a"]}
        cur.execute("update public.review_cards set reps = 99 where id=%s", (cards["b"],))
        assert cur.rowcount == 0
        cur.execute("delete from public.review_cards where id=%s", (cards["b"],))
        assert cur.rowcount == 0
    with acting_as(db.conn, "anon") as cur, pytest.raises(InsufficientPrivilege):
        cur.execute("select id from public.review_cards")


def test_learners_review_only_courses_they_can_see(db: Fixture, cards) -> None:  # noqa: F811
    with acting_as(db.conn, "authenticated", db.a) as cur:
        cur.execute(CARD, (db.a, db.courses["b_public"], "flashcard-x"))  # public: allowed
    for course, owner in (("b_private", db.a), ("a_private", db.b)):
        with pytest.raises(InsufficientPrivilege), \
                acting_as(db.conn, "authenticated", db.a) as cur:
            cur.execute(CARD, (owner, db.courses[course], "quiz-y"))
    with pytest.raises((InsufficientPrivilege, psycopg.errors.CheckViolation)), \
            acting_as(db.conn, "authenticated", db.a) as cur:
        cur.execute("insert into public.review_logs (review_card_id, rating, reviewed_at) "
                    "values (%s, 3, now())", (cards["b"],))
