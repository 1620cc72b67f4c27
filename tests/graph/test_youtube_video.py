"""A YouTube URL through the course graph with fakes at the library boundaries (yt-dlp and
youtube-transcript-api's socket): the video's title names the course, its chapters are the
sections, in both the extractive and the LLM strategies."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest

from core.config import Settings
from core.domain import GeneratedCourse
from core.tiers import TierLimits
from graph.course import compile_course_graph
from graph.runner import run_graph
from infra.progress_bus import MemoryProgressBus
from llm.client import build_llm_client
from pipeline.context import CourseContext
from sources.video import fetch_video
from sources.youtube import MemoryCache, TranscriptError
from tests.sources.fake_youtube import FakeYoutubeDL, FakeYouTubeSite, info, lecture, site_api

CHAPTERS = [(c["start_time"], c["end_time"], c["title"])
            for c in info("video_chapters")["chapters"]]
# "Quick aside" (20 s) is too short for a section: it joins its longer predecessor
EXPECTED = [(0, "Introduction to caching"), (120, "Cache headers explained"),
            (320, "Invalidation strategies"), (600, "Summary and next steps")]


def video_fetcher(**videos: Any) -> Any:
    site = FakeYouTubeSite({"chapVideo01": lecture(CHAPTERS),
                            "plainVideo1": lecture([(0, 300, "Queues and workers")])})
    ydl = FakeYoutubeDL({"chapVideo01": info("video_chapters"),
                         "plainVideo1": info("video_plain"), **videos})
    return partial(fetch_video, ydl=ydl, api=site_api(site), cache=MemoryCache())


async def run(ctx: CourseContext, video_id: str, title: str = "") -> GeneratedCourse:
    state = await run_graph(compile_course_graph(None),
                            {"course_id": f"c-{video_id}", "video_id": video_id, "title": title},
                            ctx=ctx, thread_id=f"c-{video_id}")
    return GeneratedCourse.model_validate(state["course"])


def assert_sections_are_chapters(course: GeneratedCourse) -> None:
    sections = course.outline.sections
    assert [s.title for s in sections] == [t for _, t in EXPECTED]
    for s, (start, _) in zip(sections, EXPECTED, strict=True):
        assert s.start_seconds == pytest.approx(start, abs=0.5)
    assert sections[-1].end_seconds == pytest.approx(720)
    for s in course.sections:  # every reference points inside its own chapter
        assert s.content is not None and s.supplement is not None
        refs = [*s.content.source_refs, *(q.source_ref for q in s.supplement.quiz.questions)]
        assert refs
        for ref in refs:
            assert ref is not None
            assert s.outline.start_seconds <= ref.start_seconds <= ref.end_seconds
            assert ref.end_seconds <= s.outline.end_seconds


@pytest.fixture
def extractive_llm(monkeypatch: pytest.MonkeyPatch) -> Any:
    for var in ("OPENAI_API_KEY", "COURSEGEN_MODELS", "LLM_CHAT_FACTORY"):
        monkeypatch.delenv(var, raising=False)
    client = build_llm_client(Settings(_env_file=None))
    assert client.registry.extractive
    return client


async def test_chaptered_video_extractive(extractive_llm: Any) -> None:
    bus = MemoryProgressBus()
    ctx = CourseContext(llm=extractive_llm, progress=bus, fetch_captions=video_fetcher())
    course = await run(ctx, "chapVideo01")
    assert course.outline.title == "HTTP Caching in Depth"
    assert_sections_are_chapters(course)
    events = await bus.read("c-chapVideo01")
    meta = next(e for e in events if e.step == "video_metadata")
    assert meta.message == "HTTP Caching in Depth" and meta.data["durationSeconds"] == 720
    assert events.index(meta) < next(i for i, e in enumerate(events) if e.step == "analyze")


async def test_chaptered_video_llm(make_llm: Any) -> None:
    fake, llm = make_llm()
    ctx = CourseContext(llm=llm, fetch_captions=video_fetcher())
    course = await run(ctx, "chapVideo01")
    # the model drafted its own title and section names; the video's and the author's win
    assert course.outline.title == "HTTP Caching in Depth"
    assert_sections_are_chapters(course)
    assert fake.count("CourseOutline") == 1 and fake.count("LessonDraft") == len(EXPECTED)


async def test_user_title_wins_over_the_video_title(make_llm: Any) -> None:
    _, llm = make_llm()
    ctx = CourseContext(llm=llm, fetch_captions=video_fetcher())
    course = await run(ctx, "plainVideo1", title="My queue notes")
    assert course.outline.title == "My queue notes"


async def test_video_without_chapters_is_cut_by_topic(extractive_llm: Any) -> None:
    ctx = CourseContext(llm=extractive_llm, fetch_captions=video_fetcher())
    course = await run(ctx, "plainVideo1")
    assert course.outline.title == "Queues without tears"
    assert course.outline.sections[-1].end_seconds == pytest.approx(300)


async def test_video_over_the_tier_length_fails_before_captions(extractive_llm: Any) -> None:
    site = FakeYouTubeSite({"chapVideo01": lecture(CHAPTERS)})
    fetch = partial(fetch_video, ydl=FakeYoutubeDL({"chapVideo01": info("video_chapters")}),
                    api=site_api(site), cache=MemoryCache())
    ctx = CourseContext(llm=extractive_llm, fetch_captions=fetch,
                        limits=TierLimits("free", 5, 10, 1))
    with pytest.raises(TranscriptError) as caught:
        await run(ctx, "chapVideo01")
    assert caught.value.code == "video_too_long" and site.calls == []


class RecordingStore:
    """The graph's CourseStore, keeping what persist stored."""

    def __init__(self) -> None:
        self.saved: dict[str, Any] = {}

    async def save_generated(self, **kwargs: Any) -> None:
        self.saved = kwargs


async def test_the_course_lasts_as_long_as_its_video_not_its_last_caption(extractive_llm):
    """Captions end at 300 s in a 900 s video (music, a silent demo): the course records the
    video's length, its id and source, from the metadata yt-dlp read."""
    store = RecordingStore()
    fetch = video_fetcher(plainVideo1=info("video_plain", duration=900))
    ctx = CourseContext(llm=extractive_llm, fetch_captions=fetch, store=store)
    await run(ctx, "plainVideo1")
    meta = store.saved["metadata"]
    assert max(s["end"] for s in store.saved["transcript"]["segments"]) == pytest.approx(300)
    assert meta["durationSeconds"] == 900
    assert meta["videoId"] == "plainVideo1"
    assert meta["video"]["durationSeconds"] == 900
    # what is stored is camelCase, as the API serves it
    assert "startSeconds" in store.saved["course"]["outline"]["sections"][0]
