"""The course lifecycle: every allowed transition works and emits its event, every other one is
refused; only db/repo/lifecycle.py writes a status; docs/DESIGN.md's diagram is the table."""

from __future__ import annotations

import ast
import re
import uuid
from itertools import product
from pathlib import Path

import pytest
from sqlalchemy import select

from core.lifecycle import (
    TRANSITIONS,
    CourseMetadata,
    CourseStatus,
    InvalidTransition,
    JobError,
    PendingEdit,
)
from db.models import OutboxEvent, User
from db.repo.lifecycle import metadata_of, new_course, transition

REPO = Path(__file__).resolve().parents[2]
SHIPPED = ["api", "jobs", "graph", "agents", "pipeline", "nlp", "sources", "infra", "llm",
           "prompts", "db", "core", "cli"]
WRITER = "db/repo/lifecycle.py"
# Other tables' columns of the same name (learner progress rows), not a course's.
OTHER_TABLES = {("db/repo/learner_progress.py", "status"),
                ("db/repo/learner_progress.py", "metadata_")}


async def _course_in(app, status: CourseStatus):  # type: ignore[no-untyped-def]
    async with app.state.sessionmaker() as session, session.begin():
        owner = User(id=uuid.uuid4(), email=f"{uuid.uuid4().hex[:8]}@example.com", name="o")
        session.add(owner)
        await session.flush()
        course = new_course(user_id=owner.id, title="t", youtube_url=None,
                            request=CourseMetadata().request)
        course.status = status.value  # the test sets up a state directly
        session.add(course)
    return course.id


@pytest.mark.parametrize(("start", "to"), list(product(CourseStatus, CourseStatus)))
async def test_every_transition_is_allowed_or_refused_by_the_table(app, start, to):
    course_id = await _course_in(app, start)
    async with app.state.sessionmaker() as session, session.begin():
        from db.models import Course

        course = await session.get(Course, course_id)
        assert course is not None
        before = course.metadata_
        if (start, to) not in TRANSITIONS:
            with pytest.raises(InvalidTransition):
                await transition(session, course, to)
            assert course.status == start.value and course.metadata_ == before
            return
        error = JobError(code="boom", message="it broke") if to is CourseStatus.FAILED else None
        event = await transition(session, course, to, error=error)
        assert event == TRANSITIONS[(start, to)]
        assert course.status == to.value
        assert metadata_of(course).error == error  # set on failure, cleared otherwise
    async with app.state.sessionmaker() as session:
        outbox = [e.event_type for e in await session.scalars(select(OutboxEvent))]
    # other systems hear of completion and failure, and of nothing else
    assert outbox == ([event] if event in ("course.completed", "course.failed") else [])


async def test_completion_clears_the_pending_edit(app):
    course_id = await _course_in(app, CourseStatus.PROCESSING)
    from db.models import Course

    async with app.state.sessionmaker() as session, session.begin():
        course = await session.get(Course, course_id)
        assert course is not None
        meta = CourseMetadata(version=2, pending_edit=PendingEdit(
            version=2, previous_outline={"title": "x"}, regenerate=["a"]))
        assert meta.current_edit() is not None
        assert meta.stored()["pendingEdit"]["previousOutline"] == {"title": "x"}  # stored keys
        await transition(session, course, CourseStatus.COMPLETED, metadata=meta)
        assert metadata_of(course).pending_edit is None and metadata_of(course).version == 2


def _writes(path: Path) -> list[tuple[int, str]]:
    """Assignments to `<x>.status` / `<x>.metadata_` (not self's), `status=` given to a Course
    constructor or an UPDATE's values()."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets = []
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for t in targets:
            for sub in ast.walk(t):
                if (isinstance(sub, ast.Attribute) and sub.attr in ("status", "metadata_")
                        and not (isinstance(sub.value, ast.Name) and sub.value.id == "self")):
                    found.append((node.lineno, sub.attr))
        if isinstance(node, ast.Call):
            name = (node.func.id if isinstance(node.func, ast.Name)
                    else node.func.attr if isinstance(node.func, ast.Attribute) else "")
            if name in ("Course", "values"):
                found += [(node.lineno, k.arg) for k in node.keywords
                          if k.arg in ("status", "metadata_")]
    return found


def test_only_the_lifecycle_module_writes_a_course_status_or_metadata():
    offenders = []
    for package in SHIPPED:
        for path in sorted((REPO / package).rglob("*.py")):
            rel = path.relative_to(REPO).as_posix()
            if rel == WRITER or "migrations" in rel:
                continue
            offenders += [f"{rel}:{line} writes {what}" for line, what in _writes(path)
                          if (rel, what) not in OTHER_TABLES]
    assert offenders == []


def test_the_guard_sees_a_status_write(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f(course):\n    course.status = 'completed'\n"
                   "def g(Course):\n    return Course(status='x')\n")
    assert [what for _, what in _writes(bad)] == ["status", "status"]


def test_the_design_diagram_is_the_transition_table():
    design = (REPO / "docs" / "DESIGN.md").read_text()
    block = re.search(r"```mermaid\n(stateDiagram-v2\n.*?)```", design, re.S)
    assert block, "docs/DESIGN.md has no Mermaid state diagram"
    edges = {}
    for line in block.group(1).splitlines():
        m = re.fullmatch(r"\s*(\w+) --> (\w+) : ([\w.]+)\s*", line)
        if m:
            edges[(CourseStatus(m[1]), CourseStatus(m[2]))] = m[3]
    assert edges == TRANSITIONS
