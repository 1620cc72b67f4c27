"""YouTube sources through the HTTP API, offline: the real tool (sources.video.fetch_video) with
fakes only at the library boundaries — a fake yt_dlp.YoutubeDL answering recorded-shape info
dicts and a fake YouTube socket under youtube-transcript-api."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from api.app import create_app
from core.config import Settings
from db.models import User
from sources.video import fetch_video
from sources.youtube import MemoryCache
from testkit.client import auth_headers, running, signup, wait_done
from testkit.scripted import FakeChatModel
from tests.sources import fake_youtube as yt
from tests.sources.transcription_stub import Stub, speech, transcription_server

SPOKEN = [(i * 6.0, i * 6.0 + 6.0, f"Point {i}: an index trades write speed for read speed "
           f"on column number {i}.") for i in range(60)]
CHAPTERS = [(c["start_time"], c["end_time"], c["title"])
            for c in yt.info("video_chapters")["chapters"]]


def youtube_tool() -> Any:
    site = yt.FakeYouTubeSite({"chapVideo01": yt.lecture(CHAPTERS),
                            "plainVideo1": yt.lecture([(0, 300, "Queues and workers")]),
                            "noCaptions1": None})
    ydl = yt.FakeYoutubeDL({"chapVideo01": yt.info("video_chapters"),
                         "plainVideo1": yt.info("video_plain"),
                         "noCaptions1": yt.info("video_plain", id="noCaptions1",
                                             title="Indexes, no captions", duration=240),
                         "privVideo01": yt.private_error("privVideo01"),
                         "PLfakePlaylist0001": yt.info("playlist")})
    return partial(fetch_video, ydl=ydl, api=yt.site_api(site), cache=MemoryCache())


@asynccontextmanager
async def api_app(app_settings: Settings, fake: FakeChatModel, **update: Any
                  ) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    settings = app_settings.model_copy(update={"checkpointer": "sqlite", **update})
    app: FastAPI = create_app(settings, chat_factory=lambda _spec: fake,
                              fetch_captions=youtube_tool())
    async with running(app, timeout=60) as c:
        yield app, c


@asynccontextmanager
async def api_client(app_settings: Settings, fake: FakeChatModel, **update: Any
                     ) -> AsyncIterator[httpx.AsyncClient]:
    async with api_app(app_settings, fake, **update) as (_app, c):
        yield c


@pytest.fixture
async def yt_client(app_settings: Settings, fake: FakeChatModel
                    ) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(app_settings, fake) as c:
        yield c


@pytest.fixture
def stub() -> Iterator[Stub]:
    with transcription_server(speech(SPOKEN)) as running:
        yield running


@pytest.fixture
async def stt_client(app_settings: Settings, fake: FakeChatModel, stub: Stub
                     ) -> AsyncIterator[httpx.AsyncClient]:
    """The API with a transcription endpoint configured (the local stub)."""
    async with api_client(app_settings, fake, transcription_base_url=stub.url) as c:
        yield c


async def generate(client: httpx.AsyncClient, token: str, **body: Any) -> dict[str, Any]:
    r = await client.post("/api/courses/generate", json=body, headers=auth_headers(token))
    assert r.status_code == 202, r.text
    course_id = r.json()["courseId"]
    done = await wait_done(client, token, course_id)
    course = await client.get(f"/api/courses/{course_id}", headers=auth_headers(token))
    return {"final": done["final"], "course": course.json()}


async def test_chaptered_video_course_carries_the_video_metadata(yt_client, user):
    token, _ = user
    got = await generate(yt_client, token, url="https://youtu.be/chapVideo01")
    course = got["course"]
    assert got["final"]["status"] == "completed", got["final"]
    assert course["title"] == "HTTP Caching in Depth"  # the video's, not the model's
    video = course["generation"]["video"]
    assert video["channel"] == "Web Platform Talks" and video["durationSeconds"] == 720
    assert video["language"] == "en" and video["thumbnailUrl"].endswith("maxresdefault.jpg")
    assert [c["title"] for c in video["chapters"]][0] == "Introduction to caching"
    assert course["generation"]["durationSeconds"] == 720
    assert [s["title"] for s in course["outline"]["sections"]] == [
        "Introduction to caching", "Cache headers explained", "Invalidation strategies",
        "Summary and next steps"]


async def test_user_title_is_kept(yt_client, user):
    token, _ = user
    got = await generate(yt_client, token, url="https://youtu.be/plainVideo1", title="Mine")
    assert got["course"]["title"] == "Mine"
    assert got["course"]["generation"]["video"]["title"] == "Queues without tears"


async def test_private_video_fails_before_any_model_call(yt_client, user, fake):
    token, _ = user
    got = await generate(yt_client, token, url="https://youtu.be/privVideo01")
    assert got["final"]["status"] == "failed"
    assert got["final"]["error"]["code"] == "video_unavailable"
    assert fake.count("Analysis") == 0 and fake.count("CourseOutline") == 0


async def test_no_captions_without_endpoint_says_how_to_enable_one(yt_client, user, fake):
    token, _ = user
    got = await generate(yt_client, token, url="https://youtu.be/noCaptions1")
    error = got["final"]["error"]
    assert got["final"]["status"] == "failed" and error["code"] == "no_captions"
    assert "TRANSCRIPTION_BASE_URL" in error["message"]
    assert "upload a transcript file" in error["message"]
    assert fake.count("Analysis") == 0


async def test_no_captions_with_endpoint_transcribes_the_audio(stt_client, user, stub):
    token, _ = user
    got = await generate(stt_client, token, url="https://youtu.be/noCaptions1")
    assert got["final"]["status"] == "completed", got["final"]
    generation = got["course"]["generation"]
    assert generation["transcriptSource"] == "audio"
    assert got["course"]["title"] == "Indexes, no captions"
    assert stub.requests[0]["files"]["file"][0] == "noCaptions1.webm"
    assert stub.requests[0]["fields"]["response_format"] == ["verbose_json"]


async def test_uploaded_audio_file_becomes_a_course(stt_client, user, stub):
    token, _ = user
    r = await stt_client.post("/api/courses/generate", headers=auth_headers(token),
                              files={"file": ("lesson.mp3", b"ID3 spoken lesson", "audio/mpeg")},
                              data={"title": "Indexes by ear"})
    assert r.status_code == 202, r.text
    course_id = r.json()["courseId"]
    done = await wait_done(stt_client, token, course_id)
    assert done["final"]["status"] == "completed", done["final"]
    course = (await stt_client.get(f"/api/courses/{course_id}",
                                   headers=auth_headers(token))).json()
    assert course["title"] == "Indexes by ear"
    assert course["generation"]["transcriptSource"] == "audio"
    assert course["outline"]["sections"][-1]["endSeconds"] == pytest.approx(360)
    assert stub.requests[0]["files"]["file"] == ("lesson.mp3", b"ID3 spoken lesson")


async def test_uploaded_audio_without_endpoint_is_a_clear_422(yt_client, user):
    token, _ = user
    r = await yt_client.post("/api/courses/generate", headers=auth_headers(token),
                             files={"file": ("lesson.m4a", b"\x00\x00 ftypM4A", "audio/mp4")})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "transcription_unavailable"
    assert "TRANSCRIPTION_BASE_URL" in r.json()["error"]["message"]


PLAYLIST = "https://www.youtube.com/playlist?list=PLfakePlaylist0001"


async def test_playlist_without_endpoint_skips_the_captionless_video(yt_client, user):
    token, _ = user
    got = await generate(yt_client, token, url=PLAYLIST)
    assert got["final"]["status"] == "completed", got["final"]
    course = got["course"]
    assert course["title"] == "Backend fundamentals"
    entries = course["generation"]["video"]["entries"]
    assert [e["videoId"] for e in entries] == ["plainVideo1", "noCaptions1", "chapVideo01"]
    assert [e["errorCode"] for e in entries] == [None, "no_captions", None]
    # one module per video kept, in playlist order, on one timeline
    assert [s["title"] for s in course["outline"]["sections"]] == [
        "Queues without tears", "HTTP Caching in Depth"]
    assert entries[2]["offsetSeconds"] == pytest.approx(301)
    assert course["outline"]["sections"][1]["startSeconds"] == pytest.approx(301, abs=1)
    issues = course["generation"]["validationIssues"]
    assert any("noCaptions1" in i["message"] and "no_captions" in i["message"] for i in issues)


async def test_playlist_with_endpoint_transcribes_the_captionless_video(stt_client, user, stub):
    token, _ = user
    got = await generate(stt_client, token, url=PLAYLIST)
    course = got["course"]
    assert got["final"]["status"] == "completed", got["final"]
    assert [e["errorCode"] for e in course["generation"]["video"]["entries"]] == [None] * 3
    assert [s["title"] for s in course["outline"]["sections"]] == [
        "Queues without tears", "Indexes, no captions", "HTTP Caching in Depth"]
    assert len(stub.requests) == 1


async def test_playlist_is_cut_at_the_free_plan_size_but_not_for_pro(app_settings, fake):
    """The 3-video playlist with a free plan of 2 videos: the third is left out with a warning
    naming the limit; a pro user (25) gets all three. Free first, so a course cached for the
    free plan must not be served to the pro user (nor the other way round)."""
    async with api_app(app_settings, fake, free_max_playlist_videos=2,
                       pro_max_playlist_videos=25) as (app, client):
        free_token, _ = await signup(client)
        pro_token, pro = await signup(client)
        async with app.state.sessionmaker() as session:
            await session.execute(update(User).where(User.id == uuid.UUID(pro["id"]))
                                  .values(subscription_tier="pro", subscription_status="active"))
            await session.commit()
        free = await generate(client, free_token, url=PLAYLIST)
        paid = await generate(client, pro_token, url=PLAYLIST)
    assert free["final"]["status"] == paid["final"]["status"] == "completed"
    free_entries = free["course"]["generation"]["video"]["entries"]
    assert [e["errorCode"] for e in free_entries] == [None, "no_captions", "playlist_too_long"]
    assert "free plan takes the first 2 videos" in free_entries[2]["errorMessage"]
    assert [s["title"] for s in free["course"]["outline"]["sections"]] == [
        "Queues without tears"]
    issues = free["course"]["generation"]["validationIssues"]
    assert any("chapVideo01" in i["message"] and "playlist_too_long" in i["message"]
               and "first 2 videos" in i["message"] for i in issues)
    paid_entries = paid["course"]["generation"]["video"]["entries"]
    assert [e["errorCode"] for e in paid_entries] == [None, "no_captions", None]
    assert [s["title"] for s in paid["course"]["outline"]["sections"]] == [
        "Queues without tears", "HTTP Caching in Depth"]
