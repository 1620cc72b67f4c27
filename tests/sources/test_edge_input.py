"""Input normalised at the edge (issue #29 items 5, 6): cue times and YouTube URLs."""

from __future__ import annotations

import pytest

from sources.transcript import TranscriptParseError, parse_transcript
from sources.youtube import (
    InvalidVideoUrl,
    canonical_video_url,
    parse_playlist_id,
    parse_video_id,
)

ID = "dQw4w9WgXcQ"


def _srt(*cues: tuple[str, str, str]) -> str:
    return "".join(f"{i}\n{a} --> {b}\n{t}\n\n" for i, (a, b, t) in enumerate(cues, 1))


def test_descending_cues_are_sorted_and_overlaps_trimmed() -> None:
    t = parse_transcript(_srt(("00:00:20,000", "00:00:25,000", "Third part."),
                              ("00:00:10,000", "00:00:21,000", "Second part overlaps."),
                              ("00:00:00,000", "00:00:05,000", "First part.")))
    assert [s.text for s in t.segments] == ["First part.", "Second part overlaps.", "Third part."]
    assert [(s.start, s.end) for s in t.segments] == [(0, 5), (10, 20), (20, 25)]


@pytest.mark.parametrize("timing,why", [
    ("-00:00:01,000 --> 00:00:02,000", "negative time"),
    ("00:00:01,000 --> -00:00:02,000", "negative time"),
    ("99:99:99,000 --> 99:99:99,500", "impossible time"),
    ("00:00:75,000 --> 00:00:76,000", "impossible time"),
])
def test_negative_and_impossible_times_are_refused(timing: str, why: str) -> None:
    text = f"1\n00:00:00,000 --> 00:00:01,000\nFine.\n\n2\n{timing}\nBad cue.\n\n"
    with pytest.raises(TranscriptParseError, match=why):
        parse_transcript(text)


@pytest.mark.parametrize("url", [
    # userinfo and backslash: Python and browsers disagree on the host
    f"https://169.254.169.254\\@youtube.com/watch?v={ID}",
    f"https://169.254.169.254\\\\@www.youtube.com/watch?v={ID}",
    f"https://user:pw@youtube.com/watch?v={ID}",
    f"https://youtube.com@169.254.169.254/watch?v={ID}",
    f"https://www.youtube.com:8080/watch?v={ID}",
    f"https://www.you tube.com/watch?v={ID}",
    # a foreign host with every path form
    *(f"http://169.254.169.254/{form}/{ID}" for form in ("embed", "shorts", "live", "v", "e")),
    *(f"https://youtube.com.evil.example/{form}/{ID}"
      for form in ("embed", "shorts", "live", "v", "e")),
    *(f"https://evil.example/{form}/{ID}" for form in ("embed", "shorts", "live", "v", "e")),
])
def test_url_tricks_and_foreign_hosts_are_refused(url: str) -> None:
    with pytest.raises(InvalidVideoUrl):
        parse_video_id(url)


@pytest.mark.parametrize("form", ["embed", "shorts", "live", "v", "e"])
def test_every_path_form_on_youtube_is_read(form: str) -> None:
    assert parse_video_id(f"https://www.youtube.com/{form}/{ID}") == ID


def test_playlist_tricks_are_refused() -> None:
    good = "PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf"
    assert parse_playlist_id(f"https://www.youtube.com/playlist?list={good}") == good
    assert parse_playlist_id(f"https://x\\@www.youtube.com/playlist?list={good}") is None
    assert parse_playlist_id(f"https://u@www.youtube.com/playlist?list={good}") is None


def test_canonical_url() -> None:
    url = f"https://youtu.be/{ID}?t=3&x=)[x](javascript:alert(1))"
    assert canonical_video_url(parse_video_id(f"https://www.youtube.com/watch?v={ID}")) == \
        f"https://www.youtube.com/watch?v={ID}"
    assert canonical_video_url(parse_video_id(url)) == f"https://www.youtube.com/watch?v={ID}"
