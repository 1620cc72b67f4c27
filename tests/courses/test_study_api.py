"""Study tools: Anki deck and Mermaid export, FSRS reviews and the due list, over HTTP."""

from __future__ import annotations

import html
import io
import json
import re
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.domain import GeneratedCourse
from core.mind_map import course_mermaid
from testkit.client import auth_headers, signup, wait_done

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


async def youtube_course(cclient, token) -> dict:
    r = await cclient.post("/api/courses/generate", headers=auth_headers(token),
                           json={"url": VIDEO, "preferences": {"duration": 24}})
    assert r.status_code == 202, r.text
    done = await wait_done(cclient, token, r.json()["courseId"])
    assert done["final"]["status"] == "completed", done["final"]
    return (await cclient.get(f"/api/courses/{r.json()['courseId']}",
                              headers=auth_headers(token))).json()


def open_apkg(data: bytes, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert set(z.namelist()) == {"collection.anki2", "media"}
        assert json.loads(z.read("media")) == {}
        (tmp_path / "collection.anki2").write_bytes(z.read("collection.anki2"))
    return sqlite3.connect(tmp_path / "collection.anki2")


async def test_anki_deck_holds_every_card_with_its_video_link(cclient, user, tmp_path):
    token, _ = user
    course = await youtube_course(cclient, token)
    r = await cclient.get(f"/api/courses/{course['id']}/export?format=apkg",
                          headers=auth_headers(token))
    assert r.status_code == 200 and r.headers["content-type"] == "application/apkg"
    assert r.headers["content-disposition"].endswith('.apkg"')
    db = open_apkg(r.content, tmp_path)
    notes = [row[0].split("\x1f") for row in db.execute("select flds from notes")]
    expected_fronts = []
    for s in course["sections"]:
        expected_fronts += [f["term"] for f in s["supplement"]["flashcards"]]
        expected_fronts += [q["prompt"] for q in s["supplement"]["quiz"]["questions"]]
    assert len(notes) == len(expected_fronts) > 0
    assert db.execute("select count(*) from cards").fetchone()[0] == len(notes)
    (models_json,) = db.execute("select models from col").fetchone()
    (model,) = json.loads(models_json).values()
    assert [f["name"] for f in model["flds"]] == ["Front", "Back", "Timestamp", "VideoLink",
                                                  "Section", "CardId"]
    fronts = [n[0] for n in notes]
    for front in expected_fronts:  # quiz fronts carry their options after the prompt
        assert any(f.startswith(html.escape(front)) for f in fronts), front
    starts = {s["title"]: s["outline"]["startSeconds"] for s in course["sections"]}
    for _front, back, stamp, link, section, card_id in notes:
        assert back and re.fullmatch(r"\[\d\d:\d\d\]", stamp)
        seconds = int(re.search(r"&amp;t=(\d+)s$", link).group(1))
        assert link.startswith(VIDEO.replace("&", "&amp;"))
        assert stamp == f"[{seconds // 60:02d}:{seconds % 60:02d}]"
        assert section in starts and re.fullmatch(r"(flashcard|quiz)-[0-9a-f]{16}", card_id)
    tags = {row[0].strip() for row in db.execute("select tags from notes")}
    assert tags == {"flashcard", "quiz"}


async def test_mermaid_mind_map(cclient, user):
    token, _ = user
    course = await youtube_course(cclient, token)
    r = await cclient.get(f"/api/courses/{course['id']}/export?format=mermaid",
                          headers=auth_headers(token))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/vnd.mermaid")
    lines = r.text.splitlines()
    assert lines[0] == "mindmap" and lines[1].startswith("  root((")
    sections = [ln for ln in lines if re.match(r"^    s\d+\[", ln)]
    assert len(sections) == len(course["sections"])


def test_mind_map_labels_cannot_break_out_of_their_node():
    course = GeneratedCourse.model_validate({
        "outline": {"title": 'Evil "]) title', "description": "d", "difficulty": "beginner",
                    "language": "en", "estimatedMinutes": 5, "learningObjectives": [],
                    "sections": [{"id": "a", "title": "Part ]]\nclick s1 call x()",
                                  "startSeconds": 0, "endSeconds": 10,
                                  "objectives": ["<b>bold</b> (x)"]}]},
        "sections": [{"id": "a", "title": "Part ]]\nclick s1 call x()", "sequence": 0,
                      "outline": {"id": "a", "title": "Part ]]", "startSeconds": 0,
                                  "endSeconds": 10, "objectives": ["<b>bold</b> (x)"]}}]})
    text = course_mermaid(course)
    body = [ln.strip() for ln in text.splitlines()[1:]]
    assert len(body) == 3  # root, one section, one objective: no injected line
    for line in body:
        inner = re.fullmatch(r"\w+(?:\(\((.*)\)\)|\[(.*)\])", line)
        assert inner, line
        assert not re.search(r"[\[\]()<>\"]", inner.group(1) or inner.group(2))


async def review(cclient, token, course_id, card_id, rating, at):
    return await cclient.post("/api/user/reviews", headers=auth_headers(token), json={
        "courseId": course_id, "cardId": card_id, "rating": rating,
        "reviewedAt": at.isoformat()})


async def test_fsrs_schedules_a_card_across_several_reviews(cclient, user, other):
    token, _ = user
    course = await youtube_course(cclient, token)
    due = await cclient.get(f"/api/user/reviews/due?courseId={course['id']}",
                            headers=auth_headers(token))
    assert due.status_code == 200, due.text
    new = due.json()["cards"]
    assert new and all(c["review"]["state"] == "new" and c["review"]["due"] is None
                       for c in new)
    card = new[0]["card"]["id"]
    t0 = datetime.now(UTC) - timedelta(days=60)

    def at(body) -> datetime:
        return datetime.fromisoformat(body["due"].replace("Z", "+00:00"))

    r = await review(cclient, token, course["id"], card, "good", t0)
    assert r.status_code == 200, r.text
    first = r.json()
    assert first["state"] == "learning" and first["reps"] == 1
    assert at(first) - t0 == timedelta(minutes=10)  # FSRS's second learning step
    r2 = (await review(cclient, token, course["id"], card, "good", at(first))).json()
    assert r2["state"] == "review" and at(r2) - at(first) >= timedelta(days=1)
    r3 = (await review(cclient, token, course["id"], card, "again", at(r2))).json()
    assert r3["state"] == "relearning" and r3["lapses"] == 1
    assert at(r3) - at(r2) == timedelta(minutes=10)
    assert r3["stability"] < r2["stability"]
    r4 = (await review(cclient, token, course["id"], card, "good", at(r3))).json()
    assert r4["state"] == "review"
    r5 = (await review(cclient, token, course["id"], card, "easy", at(r4))).json()
    assert r5["reps"] == 5 and r5["stability"] > r4["stability"]
    assert at(r5) - at(r4) > at(r4) - at(r3)  # an easy recall spaces the next one out further

    # a review older than the last one is refused; one in the future too
    late = await review(cclient, token, course["id"], card, "good", at(r3))
    assert late.status_code == 409 and late.json()["error"]["code"] == "review_out_of_order"
    future = await review(cclient, token, course["id"], card, "good",
                          datetime.now(UTC) + timedelta(days=1))
    assert future.status_code == 422

    listed = await cclient.get("/api/user/reviews/due", params={"before": at(r5).isoformat()},
                               headers=auth_headers(token))
    by_id = {c["card"]["id"]: c for c in listed.json()["cards"]}
    assert by_id[card]["review"]["reps"] == 5 and by_id[card]["review"]["state"] == "review"
    earlier = await cclient.get("/api/user/reviews/due", headers=auth_headers(token), params={
        "before": (at(r5) - timedelta(seconds=1)).isoformat()})
    assert card not in {c["card"]["id"] for c in earlier.json()["cards"]}
    # with courseId: the reviewed card is no longer offered as new
    with_new = await cclient.get(f"/api/user/reviews/due?courseId={course['id']}",
                                 headers=auth_headers(token))
    assert card not in {c["card"]["id"] for c in with_new.json()["cards"]
                        if c["review"]["state"] == "new"}
    # another learner sees none of this, and cannot review a private course
    other_token, _ = other
    theirs = await cclient.get("/api/user/reviews/due", headers=auth_headers(other_token),
                               params={"before": at(r5).isoformat()})
    assert theirs.json()["cards"] == []
    r = await review(cclient, other_token, course["id"], card, "good", datetime.now(UTC))
    assert r.status_code == 404


@pytest.mark.parametrize("body", [
    {"cardId": "quiz-0000000000000000", "rating": "good"},
    {"cardId": "", "rating": "good"},
    {"rating": "good"},
    {"cardId": "x", "rating": "perfect"},
    {"cardId": "x", "rating": 3},
])
async def test_bad_reviews_are_422(cclient, user, body):
    token, _ = user
    course = await youtube_course(cclient, token)
    r = await cclient.post("/api/user/reviews", headers=auth_headers(token),
                           json={"courseId": course["id"], **body})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] in ("validation_error", "card_not_in_course")


async def test_new_learner_has_nothing_due(cclient):
    token, _ = await signup(cclient)
    r = await cclient.get("/api/user/reviews/due", headers=auth_headers(token))
    assert r.status_code == 200 and r.json() == {"cards": []}
