"""Offline fakes at the two YouTube library boundaries, shared by source, graph and API tests.

- `FakeYoutubeDL`: stands for `yt_dlp.YoutubeDL` (`with YoutubeDL(opts) as y:
  y.extract_info(url, download=...)`), answering from info dicts in tests/sources/data/ytdlp/
  (hand-written in the shape yt-dlp returns; only the fields we read, plus a few more), raising
  yt-dlp's own DownloadError for private videos, and "downloading" audio as a file.
- `FakeYouTubeSite`: a requests transport adapter answering like YouTube's watch page, player
  API and timedtext endpoint for several videos, so youtube-transcript-api runs for real.
"""

from __future__ import annotations

import copy
import json
import re
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from requests.adapters import BaseAdapter
from youtube_transcript_api import YouTubeTranscriptApi
from yt_dlp.utils import DownloadError, ExtractorError

from core.config import Settings
from sources.youtube import _TimeoutSession, build_api

DATA = Path(__file__).parent / "data" / "ytdlp"
Cue = tuple[float, float, str]


def info(name: str, **overrides: Any) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text())
    return {**found, **overrides}


def private_error(video_id: str) -> DownloadError:
    """What yt-dlp raises for a private video (its message and wrapped ExtractorError)."""
    msg = "Private video. Sign in if you've been granted access to this video"
    cause = ExtractorError(msg, expected=True, video_id=video_id, ie="youtube")
    return DownloadError(f"ERROR: [youtube] {video_id}: {msg}", (type(cause), cause, None))


class FakeYoutubeDL:
    """Factory: `FakeYoutubeDL(infos)(opts)` is one YoutubeDL instance."""

    def __init__(self, infos: dict[str, dict[str, Any] | Exception],
                 audio: bytes = b"RIFF fake audio") -> None:
        self.infos, self.audio = infos, audio
        self.calls: list[tuple[str, bool, dict[str, Any]]] = []

    def __call__(self, opts: dict[str, Any]) -> _Instance:
        return _Instance(self, opts)


class _Instance:
    def __init__(self, owner: FakeYoutubeDL, opts: dict[str, Any]) -> None:
        self.owner, self.opts = owner, opts

    def __enter__(self) -> _Instance:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def extract_info(self, url: str, download: bool = True) -> dict[str, Any]:
        self.owner.calls.append((url, download, self.opts))
        query = parse_qs(urlsplit(url).query)
        key = (query.get("list") or query.get("v") or [""])[0]
        found = self.owner.infos.get(key)
        if found is None:
            raise DownloadError(f"ERROR: [youtube] {key}: Video unavailable")
        if isinstance(found, Exception):
            raise found
        out = copy.deepcopy(found)
        if download:
            template = self.opts["outtmpl"]["default"]
            path = Path(template.replace("%(id)s", key).replace("%(ext)s", "webm"))
            if len(self.owner.audio) <= self.opts.get("max_filesize", 1 << 62):
                path.write_bytes(self.owner.audio)
                out["requested_downloads"] = [{"filepath": str(path), "ext": "webm"}]
        return out


def lecture(chapters: list[tuple[float, float, str]], step: float = 5.0) -> list[Cue]:
    """Caption cues for a lecture whose speech changes topic at each chapter: cue text names
    the chapter's topic words, so a lesson's text shows which chapter it came from."""
    cues: list[Cue] = []
    for n, (start, end, title) in enumerate(chapters):
        words = re.findall(r"[A-Za-z]+", title.lower())
        t, i = start, 0
        while t < end - 0.01:
            topic = " ".join(words)
            cues.append((t, min(t + step, end),
                         f"Chapter {n} point {i}: {topic} works because every {words[-1]} "
                         f"needs careful {words[0]} handling."))
            t += step
            i += 1
    return cues


class FakeYouTubeSite(BaseAdapter):
    """Videos mapped to their caption cues; a video mapped to None has captions disabled."""

    def __init__(self, videos: dict[str, list[Cue] | None], language: str = "en") -> None:
        super().__init__()
        self.videos, self.language = videos, language
        self.calls: list[str] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        url = str(request.url)
        self.calls.append(url)
        resp = requests.Response()
        resp.status_code, resp.url, resp.request, resp.encoding = 200, url, request, "utf-8"
        if "/watch" in url:
            resp._content = b'"INNERTUBE_API_KEY": "k3y"'
        elif "/youtubei/v1/player" in url:
            body = request.body.decode() if isinstance(request.body, bytes) else request.body
            vid = json.loads(body or "{}").get("videoId", "")
            player: dict[str, Any] = {"playabilityStatus": {"status": "OK"}}
            if self.videos.get(vid):
                player["captions"] = {"playerCaptionsTracklistRenderer": {
                    "captionTracks": [{
                        "baseUrl": f"https://www.youtube.com/api/timedtext?v={vid}"
                                   f"&lang={self.language}",
                        "name": {"runs": [{"text": "English"}]},
                        "languageCode": self.language}],
                    "translationLanguages": []}}
            resp._content = json.dumps(player).encode()
        else:
            vid = parse_qs(urlsplit(url).query)["v"][0]
            lines = "".join(f'<text start="{a}" dur="{b - a}">{escape(t)}</text>'
                            for a, b, t in self.videos.get(vid) or [])
            resp._content = f"<transcript>{lines}</transcript>".encode()
        return resp

    def close(self) -> None:
        pass


def site_api(site: BaseAdapter, settings: Settings | None = None) -> YouTubeTranscriptApi:
    """The real library, its HTTP answered by `site` (this fake site, or a test's own adapter)."""
    session = _TimeoutSession(7.5)
    session.mount("https://", site)
    return build_api(settings or Settings(_env_file=None), http_client=session)
