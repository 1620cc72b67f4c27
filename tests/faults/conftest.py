"""Fault-injection fixtures: the course API on the fake LLM (tests/courses/conftest.py) plus a
switch that makes chosen SQL statements fail the way a dropped database connection does."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from tests.courses.conftest import cclient, course_app, fake, other, user  # noqa: F401

Match = Callable[[str, object], bool]


class DroppedConnection:
    """Raise OperationalError ("server closed the connection") on statements that `match`,
    while armed. Hooked on the app's real engine, so everything before the failure really ran
    in the same transaction and must be rolled back."""

    def __init__(self, app: FastAPI) -> None:
        self.engine = app.state.engine.sync_engine
        self.match: Match | None = None
        self.raised = 0

    def arm(self, match: Match) -> None:
        self.match, self.raised = match, 0

    def disarm(self) -> None:
        self.match = None

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.match is not None and self.match(statement, parameters):
            self.raised += 1
            raise OperationalError(statement, parameters,
                                   ConnectionError("server closed the connection unexpectedly"))


@pytest.fixture
def dropped(course_app: FastAPI) -> Iterator[DroppedConnection]:  # noqa: F811
    switch = DroppedConnection(course_app)
    event.listen(switch.engine, "before_cursor_execute", switch._before)
    yield switch
    event.remove(switch.engine, "before_cursor_execute", switch._before)


def inserts_of(kind: str) -> Match:
    """Match an INSERT into course_content that writes rows of type `kind` (e.g. lesson)."""
    def match(statement: str, parameters: object) -> bool:
        return statement.lstrip().upper().startswith("INSERT INTO COURSE_CONTENT") and (
            f"'{kind}'" in repr(parameters))
    return match


def selects_from(table: str) -> Match:
    def match(statement: str, parameters: object) -> bool:
        s = " ".join(statement.split()).lower()
        return s.startswith("select") and f"from {table}" in s
    return match
