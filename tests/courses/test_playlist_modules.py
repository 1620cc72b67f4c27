"""A playlist course's modules (one per video) through the HTTP API on the extractive strategy,
offline (the same fakes as test_youtube_sources: a fake yt_dlp and a fake YouTube socket):
the learner's progress is rolled up per module, the exports group sections under their module;
and a huge author chapter is split at its topic shift by the extractive outliner too.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import zipfile
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest

from agents.analyzer import CHAPTER_MAX_SECONDS
from api.app import create_app
from core.config import Settings
from sources.video import fetch_video
from sources.youtube import MemoryCache
from testkit.client import auth_headers, signup, wait_done
from tests.sources import fake_youtube as yt

# A 25-minute video: a 30-second welcome, then one author chapter of 24.5 minutes (over the
# 20-minute limit) whose speech turns from replication to sharding at 765 s.
LONG = 1500.0
SHIFT = 765.0
LONG_CUES = yt.lecture([(0, 30, "Welcome to the course"), (30, SHIFT, "Replication logs followers"),
                        (SHIFT, LONG, "Sharding partition keys")])
LONG_CHAPTERS = [{"start_time": 0.0, "end_time": 30.0, "title": "Welcome"},
                 {"start_time": 30.0, "end_time": LONG, "title": "Scaling databases"}]
PLAYLIST_ID = "PLmodulesPlaylist01"
PLAYLIST = f"https://www.youtube.com/playlist?list={PLAYLIST_ID}"
GAP = 1.0  # sources.playlist.GAP_SECONDS: the second video starts at 300 + 1


def youtube_tool() -> Any:
    site = yt.FakeYouTubeSite({"plainVideo1": yt.lecture([(0, 300, "Queues and workers")]),
                               "longVideo01": LONG_CUES})
    entries = [
        {"_type": "url", "ie_key": "Youtube", "id": "plainVideo1", "title": "Queues without tears",
         "url": "https://www.youtube.com/watch?v=plainVideo1", "duration": 300},
        {"_type": "url", "ie_key": "Youtube", "id": "longVideo01", "title": "Databases at scale",
         "url": "https://www.youtube.com/watch?v=longVideo01", "duration": LONG}]
    ydl = yt.FakeYoutubeDL({
        "plainVideo1": yt.info("video_plain"),
        "longVideo01": yt.info("video_plain", id="longVideo01", title="Databases at scale",
                               fulltitle="Databases at scale", duration=LONG,
                               webpage_url="https://www.youtube.com/watch?v=longVideo01",
                               chapters=LONG_CHAPTERS),
        PLAYLIST_ID: yt.info("playlist", id=PLAYLIST_ID, title="Databases from zero",
                             playlist_count=2, entries=entries)})
    return partial(fetch_video, ydl=ydl, api=yt.site_api(site), cache=MemoryCache())


@pytest.fixture
async def client(app_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The API on the extractive strategy (no chat model configured)."""
    settings = app_settings.model_copy(update={"checkpointer": "sqlite"})
    app = create_app(settings, fetch_captions=youtube_tool())
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://test", timeout=60) as c:
            yield c


async def generate(client: httpx.AsyncClient, token: str, url: str) -> dict[str, Any]:
    r = await client.post("/api/courses/generate", json={"url": url},
                          headers=auth_headers(token))
    assert r.status_code == 202, r.text
    done = await wait_done(client, token, r.json()["courseId"])
    assert done["final"]["status"] == "completed", done["final"]
    course = await client.get(f"/api/courses/{r.json()['courseId']}",
                              headers=auth_headers(token))
    assert course.status_code == 200, course.text
    return course.json()


async def progress_of(client: httpx.AsyncClient, token: str, course_id: str) -> dict[str, Any]:
    r = await client.get("/api/user/progress", headers=auth_headers(token))
    assert r.status_code == 200, r.text
    (item,) = [c for c in r.json()["courses"] if c["courseId"] == course_id]
    return item


async def export(client: httpx.AsyncClient, token: str, course_id: str, fmt: str
                 ) -> httpx.Response:
    r = await client.get(f"/api/courses/{course_id}/export?format={fmt}",
                         headers=auth_headers(token))
    assert r.status_code == 200, r.text
    return r


def assert_huge_chapter_split(sections: list[dict[str, Any]], start: float, end: float,
                              title: str) -> None:
    """The chapter [start, end) is ≥2 sections, each inside it, named after it, the cut at the
    speech's topic shift; each quiz question's source inside its section."""
    inside = [s for s in sections if start - 1 <= s["outline"]["startSeconds"] < end]
    assert len(inside) >= 2, [s["title"] for s in sections]
    assert all(s["title"].startswith(f"{title}: ") for s in inside), [s["title"] for s in inside]
    assert all(s["outline"]["endSeconds"] <= end + 1 for s in inside)
    assert all(s["outline"]["endSeconds"] - s["outline"]["startSeconds"]
               <= CHAPTER_MAX_SECONDS for s in inside)
    cuts = [s["outline"]["startSeconds"] - start for s in inside[1:]]
    assert any(abs(c - SHIFT) <= 30 for c in cuts), cuts
    for s in inside:
        for q in s["supplement"]["quiz"]["questions"]:
            ref = q.get("sourceRef")
            if ref:
                assert s["outline"]["startSeconds"] - 1 <= ref["startSeconds"] \
                    <= s["outline"]["endSeconds"] + 1, (s["title"], ref)


async def test_extractive_outliner_splits_a_huge_chapter_and_merges_a_tiny_one(client):
    token, _ = await signup(client)
    course = await generate(client, token, "https://youtu.be/longVideo01")
    titles = [s["title"] for s in course["sections"]]
    assert "Welcome" not in titles  # 30 seconds: merged into the chapter after it
    assert_huge_chapter_split(course["sections"], 0.0, LONG, "Scaling databases")
    assert course["modules"] == []  # one video: no modules
    section = course["sections"][0]["id"]
    r = await client.post(f"/api/user/progress/{course['id']}", headers=auth_headers(token),
                          json={"sectionId": section, "completed": True})
    assert r.status_code == 200, r.text
    assert (await progress_of(client, token, course["id"]))["modules"] == []
    md = (await export(client, token, course["id"], "md")).text
    assert "## Module" not in md and re.search(r"^## 1\. Scaling databases: ", md, re.M)


async def test_playlist_progress_and_exports_are_per_module(client, tmp_path: Path):
    token, _ = await signup(client)
    course = await generate(client, token, PLAYLIST)
    sections = course["sections"]
    second = 300 + GAP
    # the first video is one section; the 25-minute one is split in two at its topic shift
    assert sections[0]["title"] == "Queues without tears"
    assert_huge_chapter_split(sections, second, second + LONG, "Databases at scale")
    modules = course["modules"]
    assert [(m["id"], m["title"], m["videoId"]) for m in modules] == [
        ("m1", "Queues without tears", "plainVideo1"), ("m2", "Databases at scale", "longVideo01")]
    ids = [s["id"] for s in sections]
    assert modules[0]["sectionIds"] == ids[:1] and modules[1]["sectionIds"] == ids[1:]
    assert modules[1]["offsetSeconds"] == pytest.approx(second)

    # progress: the first video's section and one of the second's, with quiz results
    for sid, score, total in ((ids[0], 3, 4), (ids[1], 1, 2)):
        r = await client.post(f"/api/user/progress/{course['id']}", headers=auth_headers(token),
                              json={"sectionId": sid, "completed": True,
                                    "quizResults": {"score": score, "total": total}})
        assert r.status_code == 200, r.text
    item = await progress_of(client, token, course["id"])
    rollup = [{k: m[k] for k in ("moduleId", "title", "videoId", "sectionsCompleted",
                                 "sectionsTotal", "completed", "quizScore", "quizTotal")}
              for m in item["modules"]]
    assert rollup == [
        {"moduleId": "m1", "title": "Queues without tears", "videoId": "plainVideo1",
         "sectionsCompleted": 1, "sectionsTotal": 1, "completed": True, "quizScore": 3,
         "quizTotal": 4},
        {"moduleId": "m2", "title": "Databases at scale", "videoId": "longVideo01",
         "sectionsCompleted": 1, "sectionsTotal": len(ids) - 1, "completed": False,
         "quizScore": 1, "quizTotal": 2}]
    assert item["modules"][1]["progress"] == pytest.approx(1 / (len(ids) - 1))
    # un-completing a section rolls back its module only
    r = await client.post(f"/api/user/progress/{course['id']}", headers=auth_headers(token),
                          json={"sectionId": ids[0], "completed": False})
    assert r.status_code == 200, r.text
    item = await progress_of(client, token, course["id"])
    assert [m["sectionsCompleted"] for m in item["modules"]] == [0, 1]

    # Markdown: a heading per module, in playlist order, each linking its video, its sections
    # under it with links into that video at the section's own time
    md = (await export(client, token, course["id"], "md")).text
    heads = re.findall(r"^(##+) (.+)$", md, re.M)
    modules_at = [i for i, (level, _) in enumerate(heads) if level == "##"
                  and heads[i][1].startswith("Module ")]
    assert [heads[i][1] for i in modules_at] == ["Module 1: Queues without tears",
                                                 "Module 2: Databases at scale"]
    under = [[h for level, h in heads[a + 1:b] if level == "###" and re.match(r"\d+\. ", h)]
             for a, b in zip(modules_at, [*modules_at[1:], len(heads)], strict=True)]
    assert under == [[f"{n}. {s['title']}" for n, s in enumerate(sections, start=1)][:1],
                     [f"{n}. {s['title']}" for n, s in enumerate(sections, start=1)][1:]]
    assert "(https://www.youtube.com/watch?v=plainVideo1)" in md
    assert "(https://www.youtube.com/watch?v=longVideo01)" in md
    local = int(sections[2]["outline"]["startSeconds"] - second)
    assert f"(https://www.youtube.com/watch?v=longVideo01&t={local}s)" in md
    assert "playlist?list=" not in md  # no link to a moment of a playlist page

    # JSON: the same modules, with their sections
    exported = json.loads((await export(client, token, course["id"], "json")).text)
    assert [m["sectionIds"] for m in exported["modules"]] == [ids[:1], ids[1:]]

    # Mermaid: root -> modules -> sections
    mermaid = (await export(client, token, course["id"], "mermaid")).text.splitlines()
    assert mermaid[2] == "    m1{{1. Queues without tears}}"
    m2 = mermaid.index("    m2{{2. Databases at scale}}")
    assert mermaid[3].startswith("      s1[1. Queues without tears ")
    assert mermaid[m2 + 1].startswith("      s2[2. Databases at scale: ")
    assert all(not line.startswith("    s") for line in mermaid)  # no section at module level

    # Anki: every card tagged with its module, linking into the module's video
    with zipfile.ZipFile(io.BytesIO((await export(client, token, course["id"], "apkg")).content)
                         ) as z:
        (tmp_path / "deck.anki2").write_bytes(z.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "deck.anki2")
    notes = [(tags.split(), flds.split("\x1f")) for tags, flds in
             db.execute("select tags, flds from notes")]
    assert notes
    for tags, (_f, _b, _stamp, link, section, _id) in notes:
        (tag,) = [t for t in tags if t.startswith("module::")]
        video = {"module::01_plainVideo1": "plainVideo1",
                 "module::02_longVideo01": "longVideo01"}[tag]
        assert link.startswith(f"https://www.youtube.com/watch?v={video}&amp;t=")
        assert section.startswith({"plainVideo1": "Queues without tears · ",
                                   "longVideo01": "Databases at scale · "}[video])
    assert {t for tags, _ in notes for t in tags if t.startswith("module::")} == {
        "module::01_plainVideo1", "module::02_longVideo01"}
