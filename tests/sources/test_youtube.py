"""sources/youtube.py: URL parsing, track choice, error mapping — driving the real library.

The library and requests run for real; only the socket is replaced, by a requests transport
adapter that answers like YouTube's watch page, player API and timedtext endpoint.
"""

from __future__ import annotations

import json

import pytest
import requests
from requests.adapters import BaseAdapter
from youtube_transcript_api import (
    AgeRestricted,
    InvalidVideoId,
    IpBlocked,
    NoTranscriptFound,
    PoTokenRequired,
    RequestBlocked,
    TranscriptList,
    TranscriptsDisabled,
    VideoUnavailable,
    VideoUnplayable,
    YouTubeDataUnparsable,
)

from core.config import Settings
from sources.youtube import (
    InvalidVideoUrl,
    MemoryCache,
    TranscriptError,
    choose_transcript,
    fetch_captions,
    parse_video_id,
)
from tests.sources.fake_youtube import site_api

VID = "dQw4w9WgXcQ"


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.youtube.com/watch?v={VID}",
        f"http://youtube.com/watch?v={VID}&t=42s&list=PL123",
        f"https://m.youtube.com/watch?feature=share&v={VID}",
        f"https://music.youtube.com/watch?v={VID}",
        f"www.youtube.com/watch?v={VID}",
        f"https://youtu.be/{VID}",
        f"youtu.be/{VID}?si=abc&t=3",
        f"https://www.youtube.com/shorts/{VID}",
        f"https://youtube.com/shorts/{VID}/",
        f"https://www.youtube.com/embed/{VID}?start=10",
        f"https://www.youtube.com/live/{VID}?feature=shared",
        f"https://www.youtube.com/v/{VID}",
        f"https://www.youtube-nocookie.com/embed/{VID}",
        f"  HTTPS://WWW.YOUTUBE.COM/watch?v={VID}  ",
    ],
)
def test_parse_video_id_accepts(url: str) -> None:
    assert parse_video_id(url) == VID


@pytest.mark.parametrize(
    "url",
    [
        "",
        VID,
        f"https://vimeo.com/watch?v={VID}",
        f"https://www.youtube.com.evil.com/watch?v={VID}",
        f"ftp://youtube.com/watch?v={VID}",
        "https://www.youtube.com/watch?v=short",
        f"https://www.youtube.com/watch?v={VID}x",
        "https://www.youtube.com/watch?v=dQw4w9WgXc!",
        "https://www.youtube.com/watch",
        f"https://www.youtube.com/channel/{VID}",
        f"https://youtu.be/{VID}/extra",
        f"https://www.youtube-nocookie.com/shorts/{VID}",
        "javascript:alert(1)",
        "https://[youtube.com/watch?v=dQw4w9WgXcQ",  # urlsplit: "Invalid IPv6 URL"
    ],
)
def test_parse_video_id_rejects(url: str) -> None:
    with pytest.raises(InvalidVideoUrl) as info:
        parse_video_id(url)
    assert info.value.code == "invalid_url" and info.value.http_status == 422


# --- a fake YouTube at the transport level ----------------------------------------------


def track(lang: str, name: str, *, asr: bool = False, translatable: bool = True) -> dict:
    url = f"https://www.youtube.com/api/timedtext?v={VID}&lang={lang}" + (
        "&kind=asr" if asr else ""
    )
    out = {"baseUrl": url, "name": {"runs": [{"text": name}]}, "languageCode": lang}
    if asr:
        out["kind"] = "asr"
    if translatable:
        out["isTranslatable"] = True
    return out


def captions(*tracks: dict) -> dict:
    return {
        "captionTracks": list(tracks),
        "translationLanguages": [
            {"languageCode": c, "languageName": {"runs": [{"text": n}]}}
            for c, n in [("en", "English"), ("fr", "French")]
        ],
    }


class FakeYouTube(BaseAdapter):
    def __init__(
        self,
        player: dict | None = None,
        *,
        exc: Exception | None = None,
        status: int = 200,
        html: str = '"INNERTUBE_API_KEY": "k3y"',
    ) -> None:
        super().__init__()
        self.player = player or {"playabilityStatus": {"status": "OK"}}
        self.exc, self.status, self.html = exc, status, html
        self.calls: list[tuple[str, dict]] = []

    def send(self, request, **kwargs):  # type: ignore[override]
        self.calls.append((request.url, kwargs))
        if self.exc is not None:
            raise self.exc
        resp = requests.Response()
        resp.status_code, resp.url, resp.request, resp.encoding = (
            self.status,
            request.url,
            request,
            "utf-8",
        )
        if "/watch" in request.url:
            resp._content = self.html.encode()
        elif "/youtubei/v1/player" in request.url:
            resp._content = json.dumps(self.player).encode()
        else:  # timedtext: label lines with the track's language so the test sees which one
            lang = (
                request.url.split("tlang=")[-1]
                if "tlang=" in request.url
                else request.url.split("lang=")[1].split("&")[0]
            )
            resp._content = (
                "<transcript>"
                f'<text start="0.0" dur="4.0">[Music] {lang} hello &amp;amp; welcome</text>'
                '<text start="3.0" dur="2.5">second line</text>'
                '<text start="6.0" dur="1.0">  </text>'
                "</transcript>"
            ).encode()
        return resp

    def close(self) -> None:
        pass


def ok_player(*tracks: dict) -> dict:
    return {
        "playabilityStatus": {"status": "OK"},
        "captions": {"playerCaptionsTracklistRenderer": captions(*tracks)},
    }


async def test_fetch_success_through_the_real_library() -> None:
    yt = FakeYouTube(ok_player(track("en", "English (auto)", asr=True), track("en", "English")))
    t = await fetch_captions(VID, languages=["en"], api=site_api(yt), cache=MemoryCache())
    assert t.source == "youtube" and t.video_id == VID and t.language == "en"
    assert [s.text for s in t.segments] == ["en hello & welcome", "second line"]
    # overlapping on-screen durations are clipped to the next line's start
    assert (t.segments[0].start, t.segments[0].end, t.segments[1].end) == (0.0, 3.0, 5.5)
    assert all(kw["timeout"] == 7.5 for _, kw in yt.calls)  # our session's default timeout


async def test_cache_by_video_and_language() -> None:
    cache = MemoryCache()
    yt = FakeYouTube(ok_player(track("de", "Deutsch"), track("en", "English")))
    api = site_api(yt)
    a = await fetch_captions(VID, languages=["de"], api=api, cache=cache)
    n = len(yt.calls)
    b = await fetch_captions(VID, languages=["de"], api=api, cache=cache)
    assert a == b and len(yt.calls) == n  # served from cache
    c = await fetch_captions(VID, languages=["en"], api=api, cache=cache)
    assert c.language == "en" and len(yt.calls) > n


def test_proxy_settings_reach_the_transport() -> None:
    yt = FakeYouTube(exc=requests.ConnectionError("refused"))
    settings = Settings(YOUTUBE_PROXY_HTTPS="http://proxy.local:3128")
    with pytest.raises(requests.ConnectionError):
        site_api(yt, settings).list(VID)
    assert yt.calls[0][1]["proxies"]["https"] == "http://proxy.local:3128"


PLAYER_ERRORS = [
    ({"playabilityStatus": {"status": "OK"}}, "no_captions", 422),
    (
        {"playabilityStatus": {"status": "ERROR", "reason": "This video is unavailable"}},
        "video_unavailable",
        422,
    ),
    (
        {
            "playabilityStatus": {
                "status": "LOGIN_REQUIRED",
                "reason": "This video may be inappropriate for some users.",
            }
        },
        "video_unavailable",
        422,
    ),
    (
        {"playabilityStatus": {"status": "UNPLAYABLE", "reason": "Private video"}},
        "video_unavailable",
        422,
    ),
    (
        {
            "playabilityStatus": {
                "status": "LOGIN_REQUIRED",
                "reason": "Sign in to confirm you\u2019re not a bot",
            }
        },
        "youtube_blocked",
        502,
    ),
    (
        ok_player(
            track("en", "English")
            | {"baseUrl": "https://www.youtube.com/api/timedtext?lang=en&exp=xpe"}
        ),
        "youtube_blocked",
        502,
    ),
]


@pytest.mark.parametrize(("player", "code", "status"), PLAYER_ERRORS)
async def test_library_errors_map_to_codes(player: dict, code: str, status: int) -> None:
    with pytest.raises(TranscriptError) as info:
        await fetch_captions(VID, api=site_api(FakeYouTube(player)), cache=MemoryCache())
    assert (info.value.code, info.value.http_status) == (code, status)
    assert info.value.message


@pytest.mark.parametrize(
    ("adapter", "code"),
    [
        (FakeYouTube(status=429), "youtube_blocked"),  # library raises IpBlocked
        (FakeYouTube(html='<div class="g-recaptcha"></div>'), "youtube_blocked"),
        (FakeYouTube(exc=requests.ConnectionError("no route")), "upstream_unreachable"),
        (FakeYouTube(exc=requests.ReadTimeout("slow")), "upstream_unreachable"),
        (FakeYouTube(status=500), "upstream_unreachable"),  # YouTubeRequestFailed
        (FakeYouTube(html="<html>changed</html>"), "upstream_error"),  # YouTubeDataUnparsable
    ],
)
async def test_transport_errors_map_to_codes(adapter: FakeYouTube, code: str) -> None:
    with pytest.raises(TranscriptError) as info:
        await fetch_captions(VID, api=site_api(adapter), cache=MemoryCache())
    assert info.value.code == code


class RaisingApi:
    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def list(self, video_id: str) -> TranscriptList:
        raise self.exc


@pytest.mark.parametrize(
    ("exc", "code", "hint"),
    [
        (TranscriptsDisabled(VID), "no_captions", "upload"),
        (NoTranscriptFound(VID, ["en"], None), "no_captions", "upload"),
        (VideoUnavailable(VID), "video_unavailable", "private"),
        (VideoUnplayable(VID, "Private video", []), "video_unavailable", "age-restricted"),
        (AgeRestricted(VID), "video_unavailable", "age-restricted"),
        (InvalidVideoId(VID), "video_unavailable", "removed"),
        (RequestBlocked(VID), "youtube_blocked", "YOUTUBE_PROXY_HTTP"),
        (IpBlocked(VID), "youtube_blocked", "WEBSHARE_PROXY"),
        (PoTokenRequired(VID), "youtube_blocked", "proxy"),
        (requests.ConnectTimeout(), "upstream_unreachable", "try again"),
        (YouTubeDataUnparsable(VID), "upstream_error", "upload"),
    ],
)
async def test_exception_table(exc: Exception, code: str, hint: str) -> None:
    with pytest.raises(TranscriptError) as info:
        await fetch_captions(VID, api=RaisingApi(exc), cache=MemoryCache())  # type: ignore[arg-type]
    assert info.value.code == code and hint in info.value.message


async def test_bugs_are_not_swallowed() -> None:
    with pytest.raises(KeyError):
        await fetch_captions(VID, api=RaisingApi(KeyError("x")), cache=MemoryCache())  # type: ignore[arg-type]


async def test_invalid_video_id_is_refused_before_any_call() -> None:
    with pytest.raises(InvalidVideoUrl):
        await fetch_captions("https://youtu.be/x", api=RaisingApi(AssertionError()))  # type: ignore[arg-type]


# --- choosing a track, with the library's own TranscriptList ----------------------------


def tlist(*tracks: dict) -> TranscriptList:
    return TranscriptList.build(requests.Session(), VID, captions(*tracks))


def test_choice_manual_before_generated() -> None:
    got = choose_transcript(tlist(track("en", "auto", asr=True), track("en", "manual")), ["en"])
    assert not got.is_generated


def test_choice_requested_order_and_regional_match() -> None:
    lst = tlist(track("de", "Deutsch"), track("en-GB", "English (UK)", asr=True))
    assert choose_transcript(lst, ["fr", "en", "de"]).language_code == "en-GB"
    assert choose_transcript(lst, ["de", "en"]).language_code == "de"


def test_choice_falls_back_to_original_language() -> None:
    # The auto-generated track tells the spoken language (es); prefer its manual track if any.
    lst = tlist(track("de", "Deutsch"), track("es", "Español"), track("es", "auto", asr=True))
    got = choose_transcript(lst, ["fr"])
    assert got.language_code == "es" and not got.is_generated
    assert (
        choose_transcript(
            tlist(track("it", "Italiano"), track("pt", "Português")), ["fr"]
        ).language_code
        == "it"
    )


def test_choice_translation_when_preferred() -> None:
    lst = tlist(track("es", "auto", asr=True))
    got = choose_transcript(lst, ["fr"], prefer_translation=True)
    assert got.language_code == "fr" and got.is_generated
    assert choose_transcript(lst, ["fr"]).language_code == "es"


async def test_translated_fetch_end_to_end() -> None:
    yt = FakeYouTube(ok_player(track("es", "auto", asr=True)))
    t = await fetch_captions(
        VID, languages=["fr"], api=site_api(yt), cache=MemoryCache(), prefer_translation=True
    )
    assert t.language == "fr" and t.segments[0].text.startswith("fr ")
