"""Timed sentences from caption cues, plus stopword-ratio language detection.

Cues are display fragments: a sentence spans several cues and a cue may hold the end of one
sentence and the start of the next. We clean each cue, concatenate them into one stream that
remembers which characters came from which cue, then split the stream into sentences and time
each sentence by interpolating inside its first and last cue.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator, Sequence

from nlp.textutil import Segment, Sentence, base_language, fold, stopwords, words

PAUSE_SECONDS = 0.5  # a gap this long between cues ends a sentence in unpunctuated captions
MAX_SENTENCE_WORDS = 30  # unpunctuated runs are cut at a cue boundary past this many words
MIN_PUNCT_PER_WORDS = 1 / 40  # fewer sentence marks than this = auto captions without punctuation
# No sentence is longer than this (the longest in the real lectures is ~400): every regex later
# runs per sentence, so a bounded sentence bounds its work, whatever the upload (issue #29).
MAX_SENTENCE_CHARS = 600

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
# compiled once: _strip_fillers runs on every cue and sentence
_FILLER_RES = {lang: [re.compile(p, re.IGNORECASE) for p in pats]
               for lang, pats in _FILLERS.items()}
_MARKERS = re.compile(r",?\s*(?:\x00\s*)+")
_REPEAT = re.compile(r"\b(\w+(?:'\w+)?)(?:[\s,]+\1\b)+", re.IGNORECASE)
_SPLIT = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(¿¡]*[A-ZÁÉÍÓÚÑ0-9])")
_CUE_END = re.compile(r"[.!?…][\"'”’)\]]*$")  # a cue that ends a sentence, whatever follows
# "e.g." / "Dr." at a cue's end does not end the sentence
_ABBREVIATION = re.compile(r"(?:\b\w\.\w\.|\b(?:Mr|Mrs|Ms|Dr|Prof|St|vs|etc|approx|Sr|Sra))\.$",
                           re.IGNORECASE)
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
    for pattern in _FILLER_RES.get(base_language(language), _FILLER_RES["en"]):
        text = pattern.sub("\x00", text)
    text = _MARKERS.sub(" ", text)
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


def _bounded(text: str, begin: int, end: int) -> Iterator[tuple[int, int]]:
    """[begin, end) of `text` in pieces of at most MAX_SENTENCE_CHARS: cut at the last sentence
    mark that fits, else the last space, else anywhere (one giant word)."""
    while end - begin > MAX_SENTENCE_CHARS:
        limit = begin + MAX_SENTENCE_CHARS
        cut = max(text.rfind(". ", begin, limit), text.rfind("? ", begin, limit),
                  text.rfind("! ", begin, limit))
        cut = cut + 1 if cut > begin + MAX_SENTENCE_CHARS // 4 else text.rfind(" ", begin, limit)
        if cut <= begin:
            cut = limit
        yield begin, cut
        begin = cut
    yield begin, end


def _split_punctuated(cues: list[Segment], language: str) -> list[Sentence]:
    stream: list[str] = []
    starts: list[int] = []  # char offset of each cue in the stream
    ends_sentence: list[int] = []  # offsets just past a cue that ends with a sentence mark
    pos = 0
    for _, _, text in cues:
        starts.append(pos)
        stream.append(text)
        pos += len(text)
        if _CUE_END.search(text[-4:]) and not _ABBREVIATION.search(text[-12:]):
            ends_sentence.append(pos)
        pos += 1
    full = " ".join(stream)

    def time_at(offset: int, at_end: bool) -> float:
        i = max(0, bisect.bisect_right(starts, offset) - 1)  # the cue holding `offset`
        if at_end and i and offset <= starts[i]:
            i -= 1  # a sentence ending at a cue boundary ends in the cue before it
        length = len(cues[i][2])
        return _interpolate(cues[i], (offset - starts[i]) / max(1, length))

    out: list[Sentence] = []
    offset = 0
    for piece in _SPLIT.split(full):
        begin = full.find(piece, offset)
        offset = begin + len(piece)
        # a cue ending in a mark ends its sentence even when the next cue starts in lower case
        # ("cache 0." "cache 1."): otherwise thousands of cues become one sentence
        lo = bisect.bisect_right(ends_sentence, begin)
        hi = bisect.bisect_left(ends_sentence, offset)
        cuts = [begin, *ends_sentence[lo:hi], offset]
        for a, b in zip(cuts, cuts[1:], strict=False):
            for s, e in _bounded(full, a, b):
                s += len(full[s:e]) - len(full[s:e].lstrip())  # from its first word
                text = _finish(full[s:e], language)
                if len(words(text)) == 0:
                    continue
                start, end = time_at(s, False), time_at(e, True)
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
            chars = sum(len(c[2]) + 1 for c in buf)
            if gap >= PAUSE_SECONDS or n + len(cue[2].split()) > MAX_SENTENCE_WORDS \
                    or chars + len(cue[2]) > MAX_SENTENCE_CHARS:
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
        start, end = float(start), float(max(end, start))
        for a, b in _bounded(cleaned, 0, len(cleaned)):  # one giant cue = several, timed apart
            part = cleaned[a:b].strip()
            if part:
                cues.append((_interpolate((start, end, ""), a / len(cleaned)),
                             _interpolate((start, end, ""), b / len(cleaned)), part))
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
