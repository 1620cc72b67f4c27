"""Timed sentences from caption cues, plus stopword-ratio language detection.

Cues are display fragments: a sentence spans several cues and a cue may hold the end of one
sentence and the start of the next. We clean each cue, concatenate them into one stream that
remembers which characters came from which cue, then split the stream into sentences and time
each sentence by interpolating inside its first and last cue.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from nlp.textutil import Segment, Sentence, base_language, fold, stopwords, words

PAUSE_SECONDS = 0.5  # a gap this long between cues ends a sentence in unpunctuated captions
MAX_SENTENCE_WORDS = 30  # unpunctuated runs are cut at a cue boundary past this many words
MIN_PUNCT_PER_WORDS = 1 / 40  # fewer sentence marks than this = auto captions without punctuation

_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]{0,200})?/?>")  # real tags only, not "x < y"
_BRACKET = re.compile(r"\[[^\]]{0,40}\]|\((?:[^)]{0,30}(?:laugh|applause|music|inaudible|cough"
                      r"|sigh|chuckle|silence|crosstalk|noise|risas|aplausos|música)[^)]{0,20})\)",
                      re.IGNORECASE)
_MUSIC = re.compile(r"[♪♫]+")
# A music credit in the captions: ("Fire Breather" by Silent Partner)
_CREDIT = re.compile(r"\(\s*[\"“][^\"”()]{1,60}[\"”]\s+(?:by|de|por)\s+[^()]{1,60}\)",
                     re.IGNORECASE)
_SPEAKER_ARROWS = re.compile(r"(^|\s)>>+\s*")
_SPEAKER_LABEL = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:[A-Z][A-Z0-9._'-]*(?:\s[A-Z0-9][A-Z0-9._'-]*){0,2}"
    r"|(?:Speaker|Hablante|Interviewer|Student|Professor|Teacher|Question|Answer|Q|A)"
    r"(?:\s?\d+)?)\s?:\s+"
)
_LEADING_DASH = re.compile(r"^\s*[-–—]\s+")
_WS = re.compile(r"\s+")

_FILLERS = {
    # Multi-word fillers first: they need the commas a bare "um," would take.
    "en": [r"\byou know,\s*", r"\bI mean,\s*", r"\bso yeah\b[,.]?",
           r"\b(?:like|okay|ok|right),\s+(?=so\b)",
           r"\b(?:u+m+|u+h+|e+r+m+|e+r|a+h+|h+m+|m+h*m+)\b[,.]?"],
    "es": [r"\beste,\s*", r"\bo sea,\s*", r"\bpues,\s*(?=\w)", r"\bbueno,\s*(?=bueno\b)",
           r"\b(?:e+h+|e+m+|m+h*m+|a+h+)\b[,.]?"],
}
_REPEAT = re.compile(r"\b(\w+(?:'\w+)?)(?:[\s,]+\1\b)+", re.IGNORECASE)
_SPLIT = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(¿¡]*[A-ZÁÉÍÓÚÑ0-9])")
_ORPHAN_PUNCT = re.compile(r"\s+([,.;:!?])")
_DOUBLE_COMMA = re.compile(r"([,;])\s*[,;.]+")


def clean_cue(text: str, language: str = "en") -> str:
    """One cue without tags, sound labels, speaker marks or fillers."""
    text = html.unescape(_TAG.sub(" ", text))
    text = html.unescape(text)  # double-escaped entities such as &amp;gt;
    text = _TAG.sub(" ", text)
    text = _MUSIC.sub(" ", _BRACKET.sub(" ", _CREDIT.sub(" ", text)))
    text = _SPEAKER_ARROWS.sub(" ", text)
    text = _LEADING_DASH.sub("", _SPEAKER_LABEL.sub("", text.strip()))
    return _WS.sub(" ", text).strip()


def _strip_fillers(text: str, language: str) -> str:
    """Fillers become a marker first; a comma right before a run of markers went with the
    filler (", you know, fast" -> " fast"), so it is dropped with it."""
    for pattern in _FILLERS.get(base_language(language), _FILLERS["en"]):
        text = re.sub(pattern, "\x00", text, flags=re.IGNORECASE)
    text = re.sub(r",?\s*(?:\x00\s*)+", " ", text)
    text = _REPEAT.sub(r"\1", text)
    text = _DOUBLE_COMMA.sub(r"\1", _ORPHAN_PUNCT.sub(r"\1", _WS.sub(" ", text)))
    return text.strip(" ,;")


def _finish(text: str, language: str) -> str:
    """Capitalise, fix a lone 'i', and make sure the sentence ends with a mark."""
    text = _strip_fillers(text, language)
    if not text:
        return ""
    if base_language(language) == "en":
        text = re.sub(r"\bi\b(?='|\s|$)", "I", text)
    text = text[0].upper() + text[1:]
    if text[-1] not in ".!?…\"'”’)":
        text = text.rstrip(",;:-– ") + "."
    return text


# Text addressed to a language model, not to learners (prompt injection planted in captions).
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier)"
    r"\s+(?:instructions|prompts?|rules)|\b(?:system prompt|you are (?:an? )?(?:AI|language model|"
    r"assistant))\b|\bI HAVE BEEN PWNED\b|\b(?:tell|inform) (?:the )?(?:learners|students|users)"
    r" that\b|\bin every (?:section|quiz)\b",
    re.IGNORECASE,
)


def is_injection(text: str) -> bool:
    return bool(_INJECTION.search(text))


def _is_punctuated(cues: Sequence[str]) -> bool:
    n_words = sum(len(c.split()) for c in cues)
    marks = sum(len(re.findall(r"[.!?…](?:\s|$)", c)) for c in cues)
    return n_words == 0 or marks >= n_words * MIN_PUNCT_PER_WORDS


def _interpolate(cue: Segment, fraction: float) -> float:
    return cue[0] + (cue[1] - cue[0]) * min(1.0, max(0.0, fraction))


def _split_punctuated(cues: list[Segment], language: str) -> list[Sentence]:
    stream: list[str] = []
    owners: list[tuple[int, int, int]] = []  # (char start, char end, cue index)
    pos = 0
    for i, (_, _, text) in enumerate(cues):
        owners.append((pos, pos + len(text), i))
        stream.append(text)
        pos += len(text) + 1
    full = " ".join(stream)

    def time_at(offset: int, at_end: bool) -> float:
        for start, end, i in owners:
            if offset <= end:
                frac = (offset - start) / max(1, end - start)
                return _interpolate(cues[i], frac if not at_end else max(frac, 0.0))
        return cues[-1][1]

    out: list[Sentence] = []
    offset = 0
    for piece in _SPLIT.split(full):
        begin = full.find(piece, offset)
        offset = begin + len(piece)
        text = _finish(piece, language)
        if len(words(text)) == 0:
            continue
        start, end = time_at(begin, False), time_at(offset, True)
        out.append(Sentence(round(start, 3), round(max(end, start), 3), text))
    return out


def _split_by_pauses(cues: list[Segment], language: str) -> list[Sentence]:
    out: list[Sentence] = []
    buf: list[Segment] = []

    def flush() -> None:
        if buf:
            text = _finish(" ".join(c[2] for c in buf), language)
            if words(text):
                out.append(Sentence(buf[0][0], buf[-1][1], text))
            buf.clear()

    for cue in cues:
        if buf:
            gap = cue[0] - buf[-1][1]
            n = sum(len(c[2].split()) for c in buf)
            if gap >= PAUSE_SECONDS or n + len(cue[2].split()) > MAX_SENTENCE_WORDS:
                flush()
        buf.append(cue)
    flush()
    return out


def to_sentences(segments: Sequence[Segment], language: str | None = None) -> list[Sentence]:
    """Timed, cleaned sentences in order. `language` defaults to detection on the text."""
    lang = language or detect_language(" ".join(s[2] for s in segments[:400]))
    cues: list[Segment] = []
    for start, end, text in segments:
        cleaned = _strip_fillers(clean_cue(text, lang), lang)  # before splitting: "uh It is"
        if cleaned:
            cues.append((float(start), float(max(end, start)), cleaned))
    if not cues:
        return []
    if _is_punctuated([c[2] for c in cues]):
        out = _split_punctuated(cues, lang)
    else:
        out = _split_by_pauses(cues, lang)
    return [s for s in out if not is_injection(s.text)]


_DETECTABLE = ("en", "es", "fr", "de", "pt", "it")


def detect_language(text: str) -> str:
    """The language whose stopwords cover most tokens ('en' when there is nothing to go on)."""
    tokens = [fold(w) for w in words(text)[:3000]]
    if not tokens:
        return "en"
    best, best_score = "en", 0.0
    for lang in _DETECTABLE:
        stop = stopwords(lang)
        score = sum(1 for t in tokens if t in stop) / len(tokens)
        if score > best_score + 1e-9:
            best, best_score = lang, score
    return best
