"""Tiny local transcript readers and shared fixtures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
Segment = tuple[float, float, str]

_TS = r"(\d+):(\d{2}):(\d{2})[,.](\d{1,3})"
_TIMING = re.compile(_TS + r"\s*-->\s*" + _TS)
_STAMP = re.compile(r"^\s*\[?(?:(\d+):)?(\d{1,2}):(\d{2})\]?\s+(.*)$")


def _secs(h: str, m: str, s: str, ms: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms.ljust(3, "0")) / 1000


def read_srt(path: Path) -> list[Segment]:
    out: list[Segment] = []
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    for block in re.split(r"\n\s*\n", text):
        lines = block.strip().split("\n")
        for i, line in enumerate(lines):
            m = _TIMING.search(line)
            if m:
                g = m.groups()
                body = " ".join(ln.strip() for ln in lines[i + 1:]).strip()
                if body:
                    out.append((_secs(*g[:4]), _secs(*g[4:]), body))
                break
    return out


def read_stamped_txt(path: Path) -> list[Segment]:
    """'[00:01:02] text' or '1:02 text' lines; each ends where the next starts."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _STAMP.match(line)
        if m:
            h, mnt, s, body = m.groups()
            rows.append((int(h or 0) * 3600 + int(mnt) * 60 + int(s), body.strip()))
    return [(t, rows[i + 1][0] if i + 1 < len(rows) else t + 5.0, body)
            for i, (t, body) in enumerate(rows)]


def load(name: str) -> list[Segment]:
    path = DATA / name
    return read_srt(path) if path.suffix == ".srt" else read_stamped_txt(path)


def between(segments: list[Segment], start: float, end: float) -> list[Segment]:
    return [s for s in segments if s[0] >= start and s[1] <= end]


DATASETS = ["sample_lecture.srt", "compound-interest.srt", "git-branching.txt",
            "inflacion-es.srt", "photosynthesis.srt", "sourdough-qa.txt",
            "networking-lecture.srt"]


@pytest.fixture(scope="session")
def sample() -> list[Segment]:
    return load("sample_lecture.srt")
