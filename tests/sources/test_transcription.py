"""sources/transcription.py and the no-captions path of sources/video.py, against a local
OpenAI-compatible transcription server (real HTTP, the openai SDK unchanged)."""

from __future__ import annotations

import socket

import pytest

from core.config import Settings
from sources.transcription import is_media, transcribe
from sources.video import fetch_video
from sources.youtube import MemoryCache, TranscriptError
from tests.sources.fake_youtube import FakeYoutubeDL, FakeYouTubeSite, info, site_api
from tests.sources.transcription_stub import speech, transcription_server

LINES = [(0.0, 4.2, "Indexes make reads fast."), (4.2, 9.0, "They slow down writes."),
         (9.0, 15.5, "Choose them from your queries.")]


def settings(url: str | None, **extra: object) -> Settings:
    return Settings(_env_file=None, TRANSCRIPTION_BASE_URL=url,
                    TRANSCRIPTION_API_KEY="sk-test", TRANSCRIPTION_MODEL="whisper-large-v3",
                    **extra)


async def test_upload_is_transcribed_with_segment_timestamps() -> None:
    with transcription_server(speech(LINES)) as stub:
        t = await transcribe(("talk.mp3", b"ID3 fake mp3"), settings(stub.url), language="en")
    assert [(s.start, s.end, s.text) for s in t.segments] == LINES
    assert t.source == "audio" and t.language == "en"
    [req] = stub.requests
    assert req["path"] == "/v1/audio/transcriptions"
    assert req["authorization"] == "Bearer sk-test"
    assert req["files"]["file"] == ("talk.mp3", b"ID3 fake mp3")
    assert req["fields"]["model"] == ["whisper-large-v3"]
    assert req["fields"]["response_format"] == ["verbose_json"]
    assert req["fields"]["timestamp_granularities[]"] == ["segment"]
    assert req["fields"]["language"] == ["en"]


async def test_endpoint_errors_have_codes() -> None:
    with transcription_server({}, status=400) as stub:
        with pytest.raises(TranscriptError) as refused:
            await transcribe(("a.wav", b"RIFF"), settings(stub.url))
    assert refused.value.code == "transcription_failed" and "400" in refused.value.message
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(TranscriptError) as down:
        await transcribe(("a.wav", b"RIFF"), settings(f"http://127.0.0.1:{port}/v1",
                                                       TRANSCRIPTION_TIMEOUT_SECONDS=2))
    assert down.value.code == "upstream_unreachable"
    with pytest.raises(TranscriptError) as big:
        await transcribe(("a.wav", b"x" * 11), settings("http://unused/v1",
                                                         TRANSCRIPTION_MAX_BYTES=10))
    assert big.value.code == "audio_too_large"
    with pytest.raises(TranscriptError) as none:
        await transcribe(("a.wav", b"RIFF"), settings(None))
    assert none.value.code == "transcription_unavailable"
    assert "TRANSCRIPTION_BASE_URL" in none.value.message


def test_media_detection() -> None:
    assert is_media("talk.MP3", None) and is_media("x.bin", "video/mp4")
    assert is_media("clip", "audio/webm; codecs=opus")
    assert not is_media("lecture.srt", "application/x-subrip")
    assert not is_media("notes.txt", "text/plain")


def captionless() -> tuple[FakeYoutubeDL, FakeYouTubeSite]:
    ydl = FakeYoutubeDL({"noCaptions1": info("video_plain", id="noCaptions1", language="en")},
                        audio=b"webm audio bytes")
    return ydl, FakeYouTubeSite({"noCaptions1": None})


async def test_captionless_video_audio_is_downloaded_and_transcribed() -> None:
    ydl, site = captionless()
    with transcription_server(speech(LINES)) as stub:
        t = await fetch_video("noCaptions1", settings=settings(stub.url), ydl=ydl,
                              api=site_api(site), cache=MemoryCache())
    assert t.source == "audio" and t.title == "Queues without tears"
    assert t.video is not None and t.video.video_id == "noCaptions1"
    assert [s.text for s in t.segments] == [text for *_, text in LINES]
    assert stub.requests[0]["files"]["file"] == ("noCaptions1.webm", b"webm audio bytes")
    download = [opts for _, dl, opts in ydl.calls if dl]
    assert download and download[0]["format"].startswith("worstaudio")
    assert download[0]["max_filesize"] == settings(stub.url).transcription_max_bytes


async def test_captionless_video_without_endpoint_says_how_to_enable_one() -> None:
    ydl, site = captionless()
    with pytest.raises(TranscriptError) as caught:
        await fetch_video("noCaptions1", settings=settings(None), ydl=ydl, api=site_api(site),
                          cache=MemoryCache())
    assert caught.value.code == "no_captions"
    assert "TRANSCRIPTION_BASE_URL" in caught.value.message
    assert "upload a transcript file" in caught.value.message
    assert not [c for c in ydl.calls if c[1]]  # nothing downloaded


async def test_audio_over_the_limit_is_refused() -> None:
    ydl, site = captionless()
    with transcription_server(speech(LINES)) as stub:
        with pytest.raises(TranscriptError) as caught:
            await fetch_video("noCaptions1", ydl=ydl, api=site_api(site), cache=MemoryCache(),
                              settings=settings(stub.url, TRANSCRIPTION_MAX_BYTES=4))
    assert caught.value.code == "audio_too_large" and stub.requests == []
