"""GET/POST /api/user/progress: fractions, next section, ownership, idempotency."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from db.models import UserProgress
from testkit.client import auth_headers, signup
from tests.conftest import create_course


async def _post(client, token, course_id, section_id, completed=True, **extra):
    body = {"sectionId": section_id, "completed": completed, **extra}
    return await client.post(
        f"/api/user/progress/{course_id}", json=body, headers=auth_headers(token)
    )


async def _rows(app, user_id, course_id):
    async with app.state.sessionmaker() as session:
        result = await session.scalars(
            select(UserProgress).where(
                UserProgress.user_id == uuid.UUID(user_id),
                UserProgress.course_id == uuid.UUID(course_id),
            )
        )
        return list(result)


async def test_progress_starts_empty(client):
    token, _ = await signup(client)
    response = await client.get("/api/user/progress", headers=auth_headers(token))
    assert response.status_code == 200
    assert response.json() == {"courses": []}


async def test_completing_sections_moves_progress_and_next_section(client, app):
    token, user = await signup(client)
    course_id, sections = await create_course(app, user["id"], sections=4)

    first = await _post(client, token, course_id, sections[0])
    assert first.status_code == 200, first.text
    assert first.json() == {"updatedProgress": 0.25, "nextSection": sections[1]}

    # Out of order: the next section is still the first gap in sequence.
    third = await _post(client, token, course_id, sections[2])
    assert third.json() == {"updatedProgress": 0.5, "nextSection": sections[1]}

    listing = (await client.get("/api/user/progress", headers=auth_headers(token))).json()
    [item] = listing["courses"]
    assert item["courseId"] == course_id
    assert item["progress"] == 0.5
    assert item["completed"] is False
    assert datetime.fromisoformat(item["lastAccessed"]).tzinfo is not None

    await _post(client, token, course_id, sections[1])
    last = await _post(client, token, course_id, sections[3])
    assert last.json() == {"updatedProgress": 1.0}  # nextSection omitted when all done
    [item] = (await client.get("/api/user/progress", headers=auth_headers(token))).json()["courses"]
    assert item["progress"] == 1.0 and item["completed"] is True


async def test_repeat_is_idempotent_and_uncomplete_reverts(client, app):
    token, user = await signup(client)
    course_id, sections = await create_course(app, user["id"], sections=2)
    a = await _post(client, token, course_id, sections[0])
    rows = await _rows(app, user["id"], course_id)
    first_completed_at = rows[0].completed_at
    b = await _post(client, token, course_id, sections[0])
    assert a.json() == b.json() == {"updatedProgress": 0.5, "nextSection": sections[1]}
    rows = await _rows(app, user["id"], course_id)
    assert len(rows) == 1
    assert rows[0].status == "completed" and rows[0].completed_at == first_completed_at

    undo = await _post(client, token, course_id, sections[0], completed=False)
    assert undo.json() == {"updatedProgress": 0.0, "nextSection": sections[0]}
    [row] = await _rows(app, user["id"], course_id)
    assert row.status == "in_progress" and row.completed_at is None


async def test_quiz_results_stored_in_metadata(client, app):
    token, user = await signup(client)
    course_id, sections = await create_course(app, user["id"], sections=1)
    quiz = {"score": 2, "total": 3, "answers": ["a", "b", "c"]}
    response = await _post(client, token, course_id, sections[0], quizResults=quiz)
    assert response.status_code == 200
    [row] = await _rows(app, user["id"], course_id)
    assert row.metadata_["quizResults"] == quiz
    # A later update without quiz results keeps the stored ones.
    await _post(client, token, course_id, sections[0])
    [row] = await _rows(app, user["id"], course_id)
    assert row.metadata_["quizResults"] == quiz


async def test_invalid_quiz_results_are_422(client, app):
    token, user = await signup(client)
    course_id, sections = await create_course(app, user["id"], sections=1)
    for quiz in (
        {"score": 4, "total": 3},
        {"score": -1, "total": 3},
        {"score": 0, "total": 0},
        {"total": 3},
    ):
        response = await _post(client, token, course_id, sections[0], quizResults=quiz)
        assert response.status_code == 422, quiz
        assert response.json()["error"]["code"] == "validation_error"
    assert await _rows(app, user["id"], course_id) == []


async def test_unknown_and_foreign_courses_are_404(client, app):
    owner_token, owner = await signup(client)
    other_token, _ = await signup(client)
    private_id, private_sections = await create_course(app, owner["id"], sections=2)

    unknown = await _post(client, other_token, str(uuid.uuid4()), private_sections[0])
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "course_not_found"

    foreign = await _post(client, other_token, private_id, private_sections[0])
    assert foreign.status_code == 404
    assert foreign.json()["error"]["code"] == "course_not_found"

    # Public courses of other users can be studied.
    public_id, public_sections = await create_course(app, owner["id"], sections=2, is_public=True)
    ok = await _post(client, other_token, public_id, public_sections[1])
    assert ok.json() == {"updatedProgress": 0.5, "nextSection": public_sections[0]}

    # Progress stays per user.
    mine = (await client.get("/api/user/progress", headers=auth_headers(owner_token))).json()
    assert mine == {"courses": []}


async def test_section_of_another_course_is_422(client, app):
    token, user = await signup(client)
    course_id, _ = await create_course(app, user["id"], sections=2)
    _, other_sections = await create_course(app, user["id"], sections=2)
    for section_id in (other_sections[0], str(uuid.uuid4())):
        response = await _post(client, token, course_id, section_id)
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "section_not_in_course"


async def test_outline_row_is_not_a_section(client, app):
    token, user = await signup(client)
    course_id, sections = await create_course(app, user["id"], sections=1)
    async with app.state.sessionmaker() as session:
        from db.models import CourseContent

        outline = await session.scalar(
            select(CourseContent.id).where(
                CourseContent.course_id == uuid.UUID(course_id), CourseContent.type == "outline"
            )
        )
    response = await _post(client, token, course_id, str(outline))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "section_not_in_course"


async def test_progress_bad_inputs(client, app):
    token, user = await signup(client)
    course_id, sections = await create_course(app, user["id"], sections=1)
    # a course id that is not a UUID matches no route (404), like any unknown path
    response = await client.post("/api/user/progress/not-a-uuid", headers=auth_headers(token),
                                 json={"sectionId": sections[0], "completed": True})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    bad = [
        (course_id, {"sectionId": "nope", "completed": True}),
        (course_id, {"completed": True}),
        (course_id, {"sectionId": sections[0]}),
        (course_id, {"sectionId": sections[0], "completed": "maybe"}),
    ]
    for path_id, body in bad:
        response = await client.post(
            f"/api/user/progress/{path_id}", json=body, headers=auth_headers(token)
        )
        assert response.status_code == 422, (path_id, body)
        assert response.json()["error"]["code"] == "validation_error"


async def test_progress_requires_auth(client, app):
    _, user = await signup(client)
    course_id, sections = await create_course(app, user["id"], sections=1)
    get = await client.get("/api/user/progress")
    post = await client.post(
        f"/api/user/progress/{course_id}", json={"sectionId": sections[0], "completed": True}
    )
    for response in (get, post):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "missing_token"


async def test_listing_orders_by_last_access_and_hides_courses_made_private(client, app):
    owner_token, owner = await signup(client)
    token, user = await signup(client)
    mine, mine_sections = await create_course(app, user["id"], sections=2)
    public, public_sections = await create_course(app, owner["id"], sections=3, is_public=True)
    await _post(client, token, public, public_sections[0])
    await _post(client, token, mine, mine_sections[0])
    listing = (await client.get("/api/user/progress", headers=auth_headers(token))).json()
    assert [c["courseId"] for c in listing["courses"]] == [mine, public]
    assert [c["progress"] for c in listing["courses"]] == [0.5, 1 / 3]

    async with app.state.sessionmaker() as session:
        from db.models import Course

        course = await session.get(Course, uuid.UUID(public))
        course.is_public = False
        await session.commit()
    listing = (await client.get("/api/user/progress", headers=auth_headers(token))).json()
    assert [c["courseId"] for c in listing["courses"]] == [mine]


async def test_saved_quiz_results_are_listed_per_section_in_order(client, app):
    """A reload can show a section's saved quiz score: GET lists each saved section."""
    token, user = await signup(client)
    course_id, sections = await create_course(app, user["id"], sections=3)
    quiz = {"score": 2, "total": 3, "answers": ["a", "b", "c"]}
    await _post(client, token, course_id, sections[2], quizResults=quiz)
    await _post(client, token, course_id, sections[0], completed=False)
    [item] = (await client.get("/api/user/progress", headers=auth_headers(token))).json()["courses"]
    assert item["sections"] == [
        {"sectionId": sections[0], "completed": False, "quizResults": None},
        {"sectionId": sections[2], "completed": True, "quizResults": quiz},
    ]
    # saving the section again without quiz results keeps the stored ones
    await _post(client, token, course_id, sections[2])
    [item] = (await client.get("/api/user/progress", headers=auth_headers(token))).json()["courses"]
    assert item["sections"][1]["quizResults"] == quiz
