"""The YouTube transcript tool: URL → video id, captions → Transcript, errors → stable codes.

Built on youtube-transcript-api 1.2 (`YouTubeTranscriptApi(...).list(video_id)`), which is
blocking and does not wrap `requests` network errors; both are handled here.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import OrderedDict
from http.cookiejar import MozillaCookieJar
from typing import Any, Protocol
from urllib.parse import SplitResult, parse_qs, urlsplit

import requests
from youtube_transcript_api import (
    AgeRestricted,
    CouldNotRetrieveTranscript,
    InvalidVideoId,
    NoTranscriptFound,
    PoTokenRequired,
    RequestBlocked,
    TranscriptList,
    TranscriptsDisabled,
    VideoUnavailable,
    VideoUnplayable,
    YouTubeRequestFailed,
    YouTubeTranscriptApi,
)
from youtube_transcript_api import Transcript as YtTranscript
from youtube_transcript_api.proxies import GenericProxyConfig, ProxyConfig, WebshareProxyConfig

from core.config import Settings, get_settings
from core.domain import Segment, Transcript
from core.errors import CodedError
from sources.transcript import clean_text

_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_HOSTS = {"youtube.com", "youtu.be", "youtube-nocookie.com"}
_PATH_FORMS = {"shorts", "embed", "live", "v", "e"}  # /<form>/<id>

_STATUS = {
    "invalid_url": 422,
    "no_captions": 422,
    "video_unavailable": 422,
    "youtube_blocked": 502,
    "upstream_error": 502,
    "upstream_unreachable": 503,
    "audio_too_large": 422,
    "transcription_failed": 502,
    "transcription_unavailable": 422,
}


class TranscriptError(CodedError, RuntimeError):
    """A transcript could not be had; `code` is stable, `message` tells the user what to do.
    A RuntimeError so that LangGraph's server (Studio) shows its message, not a generic one."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.http_status = _STATUS.get(code, 502)


class InvalidVideoUrl(TranscriptError):
    def __init__(self, url: str) -> None:
        super().__init__(
            "invalid_url",
            f"{url[:200]!r} is not a YouTube video URL "
            "(expected e.g. https://www.youtube.com/watch?v=<11-character id> or https://youtu.be/<id>)",
        )


def _split(raw: str) -> SplitResult | None:
    """The URL's parts, or None for a form that parsers disagree on: Python reads the host of
    `https://169.254.169.254\\@youtube.com/` as youtube.com, a browser as 169.254.169.254. So
    no userinfo, no backslash, no port but the scheme's, no whitespace or control character."""
    if "\\" in raw or any(ch.isspace() or ord(ch) < 32 for ch in raw):
        return None
    try:
        parts = urlsplit(raw if "://" in raw else f"https://{raw}")
        port = parts.port
    except ValueError:  # e.g. an unbalanced "[" reads as a broken IPv6 host
        return None
    if "@" in parts.netloc or port not in (None, 80, 443):
        return None
    return parts


def canonical_video_url(video_id: str) -> str:
    """The one form a video's URL is stored and exported in (never the text the user typed)."""
    return f"https://www.youtube.com/watch?v={video_id}"


def canonical_playlist_url(playlist_id: str) -> str:
    return f"https://www.youtube.com/playlist?list={playlist_id}"


def parse_video_id(url: str) -> str:
    """The 11-character video id of any YouTube video URL form; anything else raises."""
    raw = (url or "").strip()
    parts = _split(raw)
    if parts is None:
        raise InvalidVideoUrl(url)
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "music."):
        host = host.removeprefix(prefix)
    if parts.scheme not in ("http", "https") or host not in _HOSTS:
        raise InvalidVideoUrl(url)
    segments = [s for s in parts.path.split("/") if s]
    candidate: str | None = None
    if host == "youtu.be":
        candidate = segments[0] if len(segments) == 1 else None
    elif segments == ["watch"] and host == "youtube.com":
        values = parse_qs(parts.query).get("v", [])
        candidate = values[0] if len(values) == 1 else None
    elif len(segments) == 2 and segments[0] in _PATH_FORMS:
        if host == "youtube-nocookie.com" and segments[0] not in ("embed", "v"):
            raise InvalidVideoUrl(url)
        candidate = segments[1]
    if candidate is None or not _ID.fullmatch(candidate):
        raise InvalidVideoUrl(url)
    return candidate


_PLAYLIST_ID = re.compile(r"[A-Za-z0-9_-]{12,64}")  # video ids are exactly 11 characters


def is_playlist_id(value: str) -> bool:
    return bool(_PLAYLIST_ID.fullmatch(value or ""))


def parse_playlist_id(url: str) -> str | None:
    """The `list` id of a youtube.com/playlist?list=… URL, else None. (A watch?v=…&list=… URL
    stays the one video the user opened.)"""
    parts = _split(url.strip())
    if parts is None:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    if host != "youtube.com" or parts.path.rstrip("/") != "/playlist":
        return None
    values = parse_qs(parts.query).get("list", [])
    return values[0] if len(values) == 1 and is_playlist_id(values[0]) else None


# --- errors --------------------------------------------------------------------------------

_OR_UPLOAD = "or upload a transcript file (.srt, .vtt or .txt) instead."


def map_error(video_id: str, exc: BaseException) -> TranscriptError:
    """Translate the library's (and requests') exceptions into a TranscriptError."""
    if isinstance(exc, TranscriptError):
        return exc
    if isinstance(exc, TranscriptsDisabled | NoTranscriptFound):
        return TranscriptError(
            "no_captions",
            f"Video {video_id} has no captions we can use: upload a transcript file "
            "(.srt, .vtt or .txt) instead.",
        )
    if isinstance(exc, VideoUnavailable | VideoUnplayable | AgeRestricted | InvalidVideoId):
        return TranscriptError(
            "video_unavailable",
            f"Video {video_id} cannot be read: it is private, removed, age-restricted or does not "
            f"exist. Check the URL, {_OR_UPLOAD}",
        )
    if isinstance(exc, RequestBlocked | PoTokenRequired):  # IpBlocked subclasses RequestBlocked
        return TranscriptError(
            "youtube_blocked",
            "YouTube is blocking requests from this server. Configure a proxy "
            f"(YOUTUBE_PROXY_HTTP/HTTPS or WEBSHARE_PROXY_USERNAME/PASSWORD), {_OR_UPLOAD}",
        )
    if isinstance(exc, requests.RequestException | YouTubeRequestFailed):
        return TranscriptError(
            "upstream_unreachable",
            f"YouTube could not be reached ({type(exc).__name__}); try again later, {_OR_UPLOAD}",
        )
    if isinstance(exc, CouldNotRetrieveTranscript):
        return TranscriptError(
            "upstream_error",
            f"YouTube returned a page we could not read ({type(exc).__name__}); try again later, "
            f"{_OR_UPLOAD}",
        )
    raise exc  # a bug, not a YouTube condition: let it surface


# --- choosing and fetching -----------------------------------------------------------------


def _base(code: str) -> str:
    return code.split("-")[0].lower()


def choose_transcript(
    tlist: TranscriptList, languages: list[str], *, prefer_translation: bool = False
) -> YtTranscript:
    """Requested languages first (manual before generated; "en" also matches "en-GB"), then
    the video's original language (that of its auto-generated track, else the first manual
    one). With `prefer_translation`, a YouTube translation into the first requested language
    is tried before falling back to the original language."""
    tracks = list(tlist)
    if not tracks:
        raise NoTranscriptFound(tlist.video_id, languages, tlist)
    manual = [t for t in tracks if not t.is_generated]
    generated = [t for t in tracks if t.is_generated]
    for lang in languages:
        for group in (manual, generated):
            exact = [t for t in group if t.language_code.lower() == lang.lower()]
            loose = [t for t in group if _base(t.language_code) == _base(lang)]
            if exact or loose:
                return (exact or loose)[0]
    if prefer_translation:
        for lang in languages:
            for t in manual + generated:
                if lang in {tl.language_code for tl in t.translation_languages}:
                    return t.translate(lang)
    original = generated[0].language_code if generated else manual[0].language_code
    return next(t for t in manual + generated if t.language_code == original)


def _to_transcript(video_id: str, track: YtTranscript) -> Transcript:
    fetched = track.fetch()
    snippets = [s for s in fetched.snippets if s.text.strip()]
    segments: list[Segment] = []
    for i, s in enumerate(snippets):
        text = clean_text(s.text)
        if not text:
            continue
        end = s.start + s.duration
        # YouTube durations are on-screen time and overlap the next line; clip to its start.
        if i + 1 < len(snippets) and s.start <= snippets[i + 1].start < end:
            end = snippets[i + 1].start
        segments.append(Segment(start=round(s.start, 3), end=round(end, 3), text=text))
    if not segments:
        raise NoTranscriptFound(video_id, [track.language_code], None)
    return Transcript(
        segments=segments, language=fetched.language_code, source="youtube", video_id=video_id
    )


class _TimeoutSession(requests.Session):
    """requests has no session-wide timeout; without one a stalled YouTube hangs a worker."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", self._timeout)
        return super().request(*args, **kwargs)


def proxy_config(settings: Settings) -> ProxyConfig | None:
    if settings.webshare_proxy_username and settings.webshare_proxy_password:
        return WebshareProxyConfig(
            proxy_username=settings.webshare_proxy_username,
            proxy_password=settings.webshare_proxy_password.get_secret_value(),
        )
    if settings.youtube_proxy_http or settings.youtube_proxy_https:
        return GenericProxyConfig(
            http_url=settings.youtube_proxy_http, https_url=settings.youtube_proxy_https
        )
    return None


def build_api(
    settings: Settings, *, http_client: requests.Session | None = None
) -> YouTubeTranscriptApi:
    """The library client with our proxy settings and a request timeout."""
    session = http_client or _TimeoutSession(settings.youtube_timeout_seconds)
    if settings.youtube_cookie_file and http_client is None:
        # the same cookies.txt yt-dlp reads (sources.video_info.ydl_options)
        jar = MozillaCookieJar(str(settings.youtube_cookie_file))
        jar.load(ignore_discard=True, ignore_expires=True)
        session.cookies.update(jar)
    return YouTubeTranscriptApi(proxy_config=proxy_config(settings), http_client=session)


# --- cache ---------------------------------------------------------------------------------


class TranscriptCache(Protocol):
    async def get(self, key: str) -> dict | None: ...

    async def set(self, key: str, value: dict, ttl: int) -> None: ...


class MemoryCache:
    """Bounded in-process TTL cache; the default until a shared ResponseCache is plugged in."""

    def __init__(self, max_entries: int = 256) -> None:
        self._data: OrderedDict[str, tuple[float, dict]] = OrderedDict()
        self._max = max_entries

    async def get(self, key: str) -> dict | None:
        hit = self._data.get(key)
        if hit is None or hit[0] < time.monotonic():
            self._data.pop(key, None)
            return None
        self._data.move_to_end(key)
        return hit[1]

    async def set(self, key: str, value: dict, ttl: int) -> None:
        self._data[key] = (time.monotonic() + ttl, value)
        self._data.move_to_end(key)
        while len(self._data) > self._max:
            self._data.popitem(last=False)


default_cache = MemoryCache()


def cache_key(video_id: str, languages: list[str]) -> str:
    return f"yt-transcript:v1:{video_id}:{','.join(languages)}"


async def fetch_captions(
    video_id: str,
    *,
    languages: list[str] | None = None,
    settings: Settings | None = None,
    api: YouTubeTranscriptApi | None = None,
    cache: TranscriptCache | None = None,
    prefer_translation: bool = False,
) -> Transcript:
    """Captions of a video as a Transcript, cached by (video id, languages).

    Raises TranscriptError (`code`: no_captions, video_unavailable, youtube_blocked,
    upstream_unreachable, upstream_error, invalid_url).
    """
    if not _ID.fullmatch(video_id or ""):
        raise InvalidVideoUrl(video_id)
    settings = settings or get_settings()
    langs = [lang for lang in (languages or settings.youtube_languages) if lang] or ["en"]
    cache = default_cache if cache is None else cache
    key = cache_key(video_id, langs) + (":translated" if prefer_translation else "")
    if (hit := await cache.get(key)) is not None:
        return Transcript.model_validate(hit)

    def blocking() -> Transcript:
        client = api if api is not None else build_api(settings)
        track = choose_transcript(
            client.list(video_id), langs, prefer_translation=prefer_translation
        )
        return _to_transcript(video_id, track)

    try:
        transcript = await asyncio.to_thread(blocking)
    except (CouldNotRetrieveTranscript, requests.RequestException) as exc:
        raise map_error(video_id, exc) from exc
    await cache.set(key, transcript.model_dump(mode="json"), settings.cache_ttl_seconds)
    return transcript
