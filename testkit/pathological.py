"""Hostile but legal transcripts (issue #29): generated, never stored, so any size is one call.

`srt(kind, cues)` renders one of KINDS as an SRT upload of `cues` cues over ~5,000 s per 37k cues
(the freeze report's 37,057 cues of "cache cache 0." is `srt("cache", 37_057)`), and `text(kind,
n)` a string of about `n` characters for single-regex checks.
"""

from __future__ import annotations

from collections.abc import Callable

# cue text by cue index
CUE_KINDS: dict[str, Callable[[int], str]] = {
    "normal": lambda i: (f"The router reads address {i % 13} of packet {i % 97} and"
                         if i % 2 == 0 else "forwards it to the next hop on the route."),
    "cache": lambda i: f"cache cache {i % 10}.",  # ends "N." and the next starts lower case
    "no_punctuation": lambda i: f"word{i % 50} alpha beta gamma",  # auto captions, no pauses
    "repeated": lambda i: "the the the the the the",
    "digits": lambda i: " ".join(str(i * 7919 + k) for k in range(4)),
    "tags": lambda i: f"<b><i>x{i % 5}</i></b> <font color=red>&amp;lt;</font>",
    "we_call": lambda i: "we call we call is a the means se llama",  # every DEFINITION keyword
}


def _ts(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def segments(kind: str, cues: int) -> list[tuple[float, float, str]]:
    """(start, end, text) cues back to back, 0.135 s each (5,000 s for 37k cues)."""
    text = CUE_KINDS[kind]
    step = 5000 / 37_057
    return [(round(i * step, 3), round((i + 1) * step, 3), text(i)) for i in range(cues)]


def srt(kind: str, cues: int) -> str:
    return "".join(f"{i}\n{_ts(a)} --> {_ts(b)}\n{t}\n\n"
                   for i, (a, b, t) in enumerate(segments(kind, cues), 1))


def huge_cue(words: int) -> list[tuple[float, float, str]]:
    """One cue holding a whole run-on lecture, no punctuation at all."""
    return [(0.0, words / 2.5, " ".join(f"term{i % 300}" for i in range(words)))]


# strings of about n characters for regex scaling checks
TEXT_KINDS: dict[str, Callable[[int], str]] = {
    "cache": lambda n: "cache cache 0. " * (n // 15),
    "no_punctuation": lambda n: "alpha beta " * (n // 11),
    "one_word": lambda n: "x" * n,
    "digits": lambda n: "0" * n,
    "digits_spaced": lambda n: "12 " * (n // 3),
    "tags": lambda n: "<b>" * (n // 3),
    "open_angles": lambda n: "<a " * (n // 3),
    "entities": lambda n: "&amp;" * (n // 5),
    "brackets": lambda n: "[(" * (n // 2),
    "dots": lambda n: ". " * (n // 2),
    "repeated": lambda n: "the the " * (n // 8),
    "keywords": lambda n: "we call is a the means se llama for example " * (n // 44),
    "speaker": lambda n: "A: B: " * (n // 6),
    "caps": lambda n: "ABC DEF " * (n // 8),
    "commas": lambda n: ", " * (n // 2),
    "arrows": lambda n: ">> " * (n // 3),
    "newlines": lambda n: "a\n" * (n // 2),
    "dashes": lambda n: "- " * (n // 2),
    "timestamps": lambda n: "00:00:01,000 --> " * (n // 17),
}
