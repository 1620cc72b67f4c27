"""Transcripts as timed segments: parse .srt/.vtt/.txt, normalise, render, slice.

Segments stay at cue level (the timings the source gives); broken lines inside a cue are joined,
non-speech tags dropped, whitespace collapsed. Chunking by tokens lives in sources/chunking.py.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Literal

from core.domain import Segment, Transcript

Format = Literal["srt", "vtt", "txt"]

WORDS_PER_SECOND = 150 / 60  # typical lecture pace, used to time plain text
MAX_SENTENCE_WORDS = 40  # unpunctuated text is cut into pieces of this many words


class TranscriptParseError(ValueError):
    """The input is empty or not a transcript in the expected format."""

    code = "invalid_transcript"


class NoTeachableText(TranscriptParseError):
    """The input is markup or code (HTML, scripts, styles) with no speech left once removed."""

    code = "no_teachable_text"


# --- normalisation -------------------------------------------------------------------------

_TAG = re.compile(r"<[^<>]*>")  # VTT timestamps, <c>, <v Speaker>, <i>; "<" ends a try: linear
_SOUND_BRACKET = re.compile(r"\[\s*[A-Za-z][A-Za-z '\-]{0,40}\]")  # [Music], [Applause]
_SOUND_PAREN = re.compile(
    r"\(\s*(?:laughs?|laughter|laughing|applause|music|inaudible|coughs?|sighs?|chuckles?"
    r"|silence|crosstalk|indistinct|background noise)\s*\)",
    re.IGNORECASE,
)
_SPEAKER_MARK = re.compile(r"^\s*(?:>>+|-(?=\s))\s*")  # YouTube ">>", dialogue dash "- "
_WS = re.compile(r"\s+")


def _drop_code(text: str) -> str:
    """Without <script>/<style> elements, their content included (an unclosed one runs to the
    end). A scan, not a lazy regex: linear however many openers there are."""
    lower = text.lower()
    if "<script" not in lower and "<style" not in lower:
        return text
    out, i = [], 0
    while True:
        starts = [j for j in (lower.find("<script", i), lower.find("<style", i)) if j >= 0]
        if not starts:
            out.append(text[i:])
            return "".join(out)
        j = min(starts)
        out.append(text[i:j])
        name = "</script" if lower.startswith("<script", j) else "</style"
        end = lower.find(name, j)
        if end < 0:
            return "".join(out)
        close = lower.find(">", end)
        i = len(text) if close < 0 else close + 1


def clean_text(text: str) -> str:
    """One line of speech: scripts, styles, tags and sound labels dropped, whitespace
    collapsed."""
    text = html.unescape(_TAG.sub("", _drop_code(text))).replace("\u266a", " ")  # ♪ notes
    text = _SOUND_PAREN.sub(" ", _SOUND_BRACKET.sub(" ", text))
    return _WS.sub(" ", text).strip()


def _join_lines(lines: Iterable[str]) -> str:
    # Cue lines are broken mid-sentence for display; each line may start with a speaker mark.
    return clean_text(" ".join(_SPEAKER_MARK.sub("", ln) for ln in lines))


# --- format detection ----------------------------------------------------------------------

_TS = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[,.](\d{1,3}))?"
_CUE_TIMING = re.compile(rf"^\s*{_TS}\s*-->\s*{_TS}")
_SRT_TIMING = re.compile(r"\d{1,2}:\d{2}:\d{2},\d{1,3}\s*-->")


def detect_format(text: str) -> Format:
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("WEBVTT"):
        return "vtt"
    if _SRT_TIMING.search(text):
        return "srt"
    if "-->" in text and any(_CUE_TIMING.match(ln) for ln in text.splitlines()):
        return "vtt"  # cue file missing its WEBVTT header
    return "txt"


def _seconds(h: str | None, m: str, s: str, ms: str | None) -> float:
    # Integer milliseconds first, so 00:00:05,653 is exactly 5.653 (not 5 + 0.653).
    millis = ((int(h or 0) * 60 + int(m)) * 60 + int(s)) * 1000 + int((ms or "0").ljust(3, "0"))
    return millis / 1000


# --- srt / vtt -----------------------------------------------------------------------------


_NEGATIVE_TIMING = re.compile(r"^\s*-\s*\d{1,3}:\d.*-->|-->\s*-\s*\d{1,3}:\d")


def _cue_seconds(line: str, h: str | None, m: str, s: str, ms: str | None) -> float:
    """A cue time; minutes and seconds past 59 are refused (99:99:99 is not 100 hours)."""
    if int(s) > 59 or (h is not None and int(m) > 59):
        raise TranscriptParseError(f"impossible time in cue timing {line.strip()[:60]!r}: "
                                   "minutes and seconds run from 00 to 59")
    return _seconds(h, m, s, ms)


def _cues(text: str) -> Iterable[tuple[float, float, list[str]]]:
    """(start, end, payload lines) per cue; everything outside a cue (indices, WEBVTT header,
    NOTE/STYLE/REGION blocks, cue ids) is ignored. A negative or impossible time is refused,
    not skipped: a silently missing cue is a silently wrong course."""
    cue: tuple[float, float, list[str]] | None = None
    for line in text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        m = _CUE_TIMING.match(line)
        if m is None and "-->" in line and _NEGATIVE_TIMING.search(line):
            raise TranscriptParseError(f"negative time in cue timing {line.strip()[:60]!r}")
        if m:
            if cue:
                yield cue
            g = m.groups()
            cue = (_cue_seconds(line, *g[:4]), _cue_seconds(line, *g[4:]), [])
        elif cue is not None:
            # A truly empty line ends the cue. YouTube puts a one-space line before the payload,
            # so a whitespace-only line ends it only once it has text.
            if line == "" or (not line.strip() and cue[2]):
                yield cue
                cue = None
            elif line.strip():
                cue[2].append(line)
    if cue:
        yield cue


def _parse_cues(text: str, *, rolling: bool) -> list[Segment]:
    segments: list[Segment] = []
    previous: set[str] = set()
    for start, end, raw in _cues(text):
        lines = [ln for ln in (clean_text(_SPEAKER_MARK.sub("", r)) for r in raw) if ln]
        if rolling:
            # YouTube auto-captions roll: each cue repeats the previous cue's line(s), then adds
            # the new words. Keep only the lines the previous cue did not already show.
            lines, previous = [ln for ln in lines if ln not in previous], set(lines)
        # lines are cleaned already: cleaning again would unescape "&amp;lt;" twice into a tag
        body = _WS.sub(" ", " ".join(lines)).strip()
        if body:
            segments.append(Segment(start=start, end=max(end, start), text=body))
    return ordered(segments)


def ordered(segments: list[Segment]) -> list[Segment]:
    """Segments by start time (cues may come in any order), each ending no later than the next
    starts: everything downstream (sentences, sections, slices) assumes time runs forward."""
    segments = sorted(segments, key=lambda seg: seg.start)
    out = []
    for i, seg in enumerate(segments):
        nxt = segments[i + 1].start if i + 1 < len(segments) else seg.end
        end = max(seg.start, min(seg.end, nxt))
        out.append(seg if end == seg.end else seg.model_copy(update={"end": end}))
    return out


def parse_srt(text: str) -> list[Segment]:
    return _parse_cues(text, rolling=False)


def parse_vtt(text: str) -> list[Segment]:
    return _parse_cues(text, rolling=True)


# --- plain text ----------------------------------------------------------------------------

# "[00:01:23] text", "(1:23) text", "1:23 text", "00:01:23 - text", "01:23.5: text"
_LINE_TS = re.compile(
    r"^\s*[\[(]?\s*(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?\s*[\])]?\s*[-–:|]?\s+(.*)$"
)
_SENTENCE = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")


def _speech_seconds(text: str) -> float:
    return max(1.0, len(text.split()) / WORDS_PER_SECOND)


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`; unpunctuated runs are cut every MAX_SENTENCE_WORDS words."""
    out: list[str] = []
    for sentence in _SENTENCE.split(text):
        words = sentence.split()
        for i in range(0, len(words), MAX_SENTENCE_WORDS):
            out.append(" ".join(words[i : i + MAX_SENTENCE_WORDS]))
    return out


def parse_txt(text: str) -> list[Segment]:
    lines = text.lstrip("\ufeff").splitlines()
    stamped = [_LINE_TS.match(ln) for ln in lines]
    if sum(m is not None for m in stamped) >= max(1, len([ln for ln in lines if ln.strip()]) // 2):
        return _parse_stamped_lines(lines, stamped)
    # No timestamps: one segment per sentence, timed at a typical speaking pace so downstream
    # still gets (estimated) time ranges.
    segments: list[Segment] = []
    t = 0.0
    for paragraph in re.split(r"\n\s*\n", text):
        for sentence in split_sentences(clean_text(paragraph)):
            duration = _speech_seconds(sentence)
            segments.append(Segment(start=round(t, 3), end=round(t + duration, 3), text=sentence))
            t += duration
    return segments


def _parse_stamped_lines(lines: list[str], stamped: list[re.Match[str] | None]) -> list[Segment]:
    starts: list[float] = []
    texts: list[list[str]] = []
    for line, m in zip(lines, stamped, strict=True):
        if m is not None:
            starts.append(_seconds(*m.groups()[:4]))
            texts.append([m.group(5)])
        elif texts and line.strip():
            texts[-1].append(line)  # continuation of the previous stamped line
    segments: list[Segment] = []
    for i, (start, parts) in enumerate(zip(starts, texts, strict=True)):
        body = _join_lines(parts)
        if not body:
            continue
        nxt = starts[i + 1] if i + 1 < len(starts) else None
        end = nxt if nxt is not None and nxt >= start else start + _speech_seconds(body)
        segments.append(Segment(start=start, end=round(end, 3), text=body))
    return ordered(segments)


# --- entry point ---------------------------------------------------------------------------


def parse_transcript(
    text: str,
    fmt: Format | None = None,
    *,
    title: str | None = None,
    language: str | None = None,
) -> Transcript:
    """Parse an uploaded transcript; the format is detected when not given."""
    if not text or not text.strip():
        raise TranscriptParseError("the transcript is empty")
    if "\x00" in text:
        raise TranscriptParseError("the transcript looks like a binary file, not text")
    fmt = fmt or detect_format(text)
    parser = {"srt": parse_srt, "vtt": parse_vtt, "txt": parse_txt}.get(fmt)
    if parser is None:
        raise TranscriptParseError(f"unknown transcript format {fmt!r}; use srt, vtt or txt")
    segments = parser(text)
    if not any(ch.isalnum() for s in segments for ch in s.text) and _TAG.search(text):
        raise NoTeachableText("the transcript is markup or code (HTML, scripts, styles) with "
                              "no speech in it; upload the lecture's captions or text")
    if not segments:
        expected = {
            "srt": "numbered cues with 'HH:MM:SS,mmm --> HH:MM:SS,mmm' lines",
            "vtt": "a WEBVTT file with 'HH:MM:SS.mmm --> HH:MM:SS.mmm' cues",
            "txt": "sentences of speech",
        }[fmt]
        raise TranscriptParseError(f"no speech found in the {fmt} transcript (expected {expected})")
    if not any(ch.isalnum() for s in segments for ch in s.text):
        raise TranscriptParseError("the transcript has no words in it")
    return Transcript(segments=segments, language=language, source=fmt, title=title)


# --- rendering and slicing -----------------------------------------------------------------


def _srt_time(seconds: float) -> str:
    ms = max(0, round(seconds * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def to_srt(segments: Iterable[Segment]) -> str:
    # escaped because parsing unescapes entities (captions carry "&amp;"): text like "&lt;"
    # must survive the round trip
    return "".join(
        f"{i}\n{_srt_time(s.start)} --> {_srt_time(s.end)}\n{html.escape(s.text, quote=False)}\n\n"
        for i, s in enumerate(segments, 1)
    )


def slice_segments(segments: Iterable[Segment], start: float, end: float) -> list[Segment]:
    """Segments overlapping [start, end); a zero-length segment counts if it lies inside."""
    return [
        s
        for s in segments
        if (s.start < end and s.end > start) or (s.start == s.end and start <= s.start < end)
    ]


def format_for_prompt(segments: Iterable[Segment]) -> str:
    """One line per segment, `[12.5-17.0] text`, so the model can cite time ranges."""
    return "\n".join(f"[{s.start:.1f}-{s.end:.1f}] {s.text}" for s in segments)

