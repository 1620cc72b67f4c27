"""sources/video_info.py + sources/video.py: yt-dlp metadata before captions, error codes, the
same network settings as the captions fetch — offline, with yt-dlp's own exception types."""

from __future__ import annotations

from pathlib import Path

import pytest
from yt_dlp.networking.exceptions import TransportError
from yt_dlp.utils import DownloadError

from core.config import Settings
from core.domain import VideoMetadata
from core.tiers import TierLimits
from sources.video import fetch_video
from sources.video_info import fetch_metadata, fetch_playlist, ydl_options
from sources.youtube import MemoryCache, TranscriptError
from tests.sources.fake_youtube import (
    FakeYoutubeDL,
    FakeYouTubeSite,
    info,
    lecture,
    private_error,
    site_api,
)

SETTINGS = Settings(_env_file=None)


async def test_metadata_from_a_recorded_info_dict() -> None:
    ydl = FakeYoutubeDL({"chapVideo01": info("video_chapters")})
    meta = await fetch_metadata("chapVideo01", SETTINGS, ydl=ydl)
    assert meta.title == "HTTP Caching in Depth" and meta.channel == "Web Platform Talks"
    assert meta.duration_seconds == 720 and meta.language == "en"
    assert meta.thumbnail_url == "https://i.ytimg.com/vi/chapVideo01/maxresdefault.jpg"
    assert [c.title for c in meta.chapters][:2] == ["Introduction to caching",
                                                    "Cache headers explained"]
    assert meta.chapters[3].start_seconds == 320 and meta.chapters[3].end_seconds == 600
    [(url, download, opts)] = ydl.calls
    assert url == "https://www.youtube.com/watch?v=chapVideo01" and download is False
    assert opts["skip_download"] and opts["noplaylist"]


async def test_video_without_chapters_and_odd_language() -> None:
    raw = info("video_plain", language="English (auto)", duration=None)
    meta = await fetch_metadata("plainVideo1", SETTINGS, ydl=FakeYoutubeDL({"plainVideo1": raw}))
    assert meta.chapters == [] and meta.language is None and meta.duration_seconds is None
    assert meta.channel == "Backend Basics"


def test_options_share_the_captions_proxy_cookie_and_timeout(tmp_path: Path) -> None:
    cookies = tmp_path / "cookies.txt"
    cookies.write_text("# Netscape HTTP Cookie File\n")
    settings = Settings(_env_file=None, YOUTUBE_PROXY_HTTPS="http://proxy.local:3128",
                        YOUTUBE_COOKIE_FILE=str(cookies), YOUTUBE_TIMEOUT_SECONDS=7)
    opts = ydl_options(settings)
    assert opts["proxy"] == "http://proxy.local:3128"
    assert opts["cookiefile"] == str(cookies) and opts["socket_timeout"] == 7
    webshare = Settings(_env_file=None, WEBSHARE_PROXY_USERNAME="u", WEBSHARE_PROXY_PASSWORD="p")
    assert "u-rotate:p@p.webshare.io" in ydl_options(webshare)["proxy"]
    assert "proxy" not in ydl_options(SETTINGS) and "cookiefile" not in ydl_options(SETTINGS)


@pytest.mark.parametrize(("exc", "code"), [
    (private_error("privVideo01"), "video_unavailable"),
    (DownloadError("ERROR: [youtube] privVideo01: Video unavailable. This video has been "
                   "removed by the uploader"), "video_unavailable"),
    (DownloadError("ERROR: [youtube] privVideo01: Sign in to confirm you’re not a bot. Use "
                   "--cookies-from-browser or --cookies for the authentication."),
     "youtube_blocked"),
    (DownloadError("ERROR: Unable to download API page: timed out",
                   (TransportError, TransportError("timed out"), None)), "upstream_unreachable"),
    (DownloadError("ERROR: [youtube] privVideo01: Failed to parse JSON"), "upstream_error"),
])
async def test_yt_dlp_errors_map_to_the_captions_codes(exc: Exception, code: str) -> None:
    with pytest.raises(TranscriptError) as caught:
        await fetch_metadata("privVideo01", SETTINGS, ydl=FakeYoutubeDL({"privVideo01": exc}))
    assert caught.value.code == code and caught.value.message


async def test_fetch_video_reads_metadata_first_then_captions() -> None:
    chapters = [(c["start_time"], c["end_time"], c["title"])
                for c in info("video_chapters")["chapters"]]
    site = FakeYouTubeSite({"chapVideo01": lecture(chapters)})
    ydl = FakeYoutubeDL({"chapVideo01": info("video_chapters")})
    seen: list[VideoMetadata] = []

    async def hook(meta: VideoMetadata) -> None:
        assert not site.calls  # metadata is known before any captions request
        seen.append(meta)

    t = await fetch_video("chapVideo01", languages=["en"], settings=SETTINGS, ydl=ydl,
                          api=site_api(site), cache=MemoryCache(), on_metadata=hook)
    assert [m.title for m in seen] == ["HTTP Caching in Depth"]
    assert t.title == "HTTP Caching in Depth" and t.source == "youtube"
    assert t.video is not None and t.video.duration_seconds == 720
    assert t.chapters[2] == (300.0, "Quick aside")
    assert t.duration == pytest.approx(720)


async def test_private_video_fails_before_any_captions_request() -> None:
    site = FakeYouTubeSite({"privVideo01": lecture([(0, 60, "Intro")])})
    with pytest.raises(TranscriptError) as caught:
        await fetch_video("privVideo01", settings=SETTINGS, api=site_api(site),
                          ydl=FakeYoutubeDL({"privVideo01": private_error("privVideo01")}),
                          cache=MemoryCache())
    assert caught.value.code == "video_unavailable" and site.calls == []


async def test_playlist_entries_in_order() -> None:
    ydl = FakeYoutubeDL({"PLfakePlaylist0001": info("playlist")})
    title, ids = await fetch_playlist("PLfakePlaylist0001", SETTINGS, ydl=ydl)
    assert title == "Backend fundamentals"
    assert ids == ["plainVideo1", "noCaptions1", "chapVideo01"]
    assert ydl.calls[0][2]["extract_flat"] == "in_playlist"


async def test_playlist_fails_only_when_every_video_fails() -> None:
    ydl = FakeYoutubeDL({"PLfakePlaylist0001": info("playlist"),
                         **{v: private_error(v) for v in ("plainVideo1", "noCaptions1",
                                                          "chapVideo01")}})
    with pytest.raises(TranscriptError) as caught:
        await fetch_video("PLfakePlaylist0001", settings=SETTINGS, ydl=ydl,
                          api=site_api(FakeYouTubeSite({})), cache=MemoryCache())
    assert caught.value.code == "video_unavailable"


async def test_playlist_is_cut_at_the_limit() -> None:
    chapters = [(0.0, 60.0, "Queues")]
    site = FakeYouTubeSite({v: lecture(chapters) for v in ("plainVideo1", "chapVideo01")})
    ydl = FakeYoutubeDL({"PLfakePlaylist0001": info("playlist"),
                         "plainVideo1": info("video_plain"),
                         "chapVideo01": info("video_chapters")})
    t = await fetch_video("PLfakePlaylist0001", ydl=ydl, api=site_api(site), cache=MemoryCache(),
                          settings=Settings(_env_file=None, MAX_PLAYLIST_VIDEOS=1))
    assert t.video is not None
    assert [(e.video_id, e.error_code) for e in t.video.entries] == [
        ("plainVideo1", None), ("noCaptions1", "playlist_too_long"),
        ("chapVideo01", "playlist_too_long")]
    assert [c.title for c in t.video.chapters] == ["Queues without tears"]


async def test_the_plans_playlist_cap_replaces_the_global_one() -> None:
    site = FakeYouTubeSite({v: lecture([(0.0, 60.0, "Queues")])
                            for v in ("plainVideo1", "noCaptions1", "chapVideo01")})
    ydl = FakeYoutubeDL({"PLfakePlaylist0001": info("playlist"),
                         "plainVideo1": info("video_plain"),
                         "noCaptions1": info("video_plain", id="noCaptions1", title="Indexes"),
                         "chapVideo01": info("video_chapters")})
    t = await fetch_video("PLfakePlaylist0001", ydl=ydl, api=site_api(site), cache=MemoryCache(),
                          settings=Settings(_env_file=None, MAX_PLAYLIST_VIDEOS=1),
                          limits=TierLimits("pro", 500, 600, 10, max_playlist_videos=2))
    assert t.video is not None
    assert [(e.video_id, e.error_code) for e in t.video.entries] == [
        ("plainVideo1", None), ("noCaptions1", None), ("chapVideo01", "playlist_too_long")]
    assert t.video.entries[2].error_message == (
        "Left out: the pro plan takes the first 2 videos of a playlist.")
