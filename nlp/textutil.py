"""Shared text helpers: stopwords (from the yake wheel), tokens, light stemming.

Everything here is deterministic and offline; the stopword lists ship inside the `yake` package
so no data is downloaded at run time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

Segment = tuple[float, float, str]


@dataclass(frozen=True)
class Sentence:
    start: float
    end: float
    text: str


# Words that carry no topic even though YAKE's lists miss them (speech glue, fillers, numbers).
_EXTRA_STOP = {
    "en": {
        "okay", "ok", "yeah", "yes", "gonna", "wanna", "gotta", "really", "actually", "basically",
        "just", "thing", "things", "lot", "kind", "sort", "stuff", "let", "lets", "right", "well",
        "um", "uh", "erm", "hmm", "today", "going", "got", "get", "gets", "say", "says", "said",
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "first",
        "second", "third", "hundred", "thousand", "also", "like", "way", "something", "anything",
        "everything", "maybe", "now", "ll", "ve", "re", "don", "doesn", "isn", "aren", "won", "s",
        "t", "d", "m", "quick", "bit", "little", "part", "parts", "time", "times", "slide", "video",
        "lecture", "session", "talk", "course", "class", "people", "guys", "everyone", "dot",
        "hello", "welcome", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
        "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty",
        "seventy", "eighty", "ninety", "zero", "good", "morning", "afternoon", "suppose",
        "percent", "example", "question", "answer", "minute", "minutes",
    },
    "es": {
        "eh", "este", "pues", "bueno", "vale", "entonces", "así", "ahora", "vamos", "hoy", "cosa",
        "cosas", "uno", "una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
        "diez", "cien", "mil", "parte", "vez", "veces", "clase", "video", "tema", "ejemplo",
        "decir", "dice", "digamos", "mismo", "misma", "fíjense", "okay", "sí", "hola",
        "bienvenidos", "once", "doce", "veinte", "treinta", "cuarenta", "cincuenta", "sesenta",
        "setenta", "ochenta", "noventa", "cero", "buenos", "días", "tardes",
        "ciento", "gente", "pregunta", "respuesta", "minuto", "minutos",
    },
}

_STOP_DIR_CANDIDATES = ("core/StopwordsList", "StopwordsList")


@lru_cache(maxsize=16)
def stopwords(language: str) -> frozenset[str]:
    """YAKE's stopword list for `language` (English when unknown), lowercased, plus extras."""
    import yake

    base = Path(yake.__file__).parent
    lang = (language or "en").split("-")[0].split("_")[0].lower()[:2]
    words: set[str] = set()
    for sub in _STOP_DIR_CANDIDATES:
        path = base / sub / f"stopwords_{lang}.txt"
        if not path.exists():
            path = base / sub / "stopwords_en.txt"
            lang = "en"
        if path.exists():
            raw = path.read_bytes().decode("utf-8", errors="ignore")
            words = {w.strip().lower() for w in raw.splitlines() if w.strip()}
            break
    words |= _EXTRA_STOP.get(lang, set())
    return frozenset(words | {fold(w) for w in words})


def base_language(language: str | None) -> str:
    return (language or "en").split("-")[0].split("_")[0].lower()[:2] or "en"


def fold(text: str) -> str:
    """Lowercase and strip accents so 'inflación' matches 'inflacion'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_NEG_CONTRACTION = re.compile(r"(?i)\b(ca|wo|do|does|did|is|are|was|were|has|have|had|should"
                              r"|would|could|must|need)n['’]t\b")


def words(text: str) -> list[str]:
    """Word tokens (hyphenated terms split, so 'Cache-Control' ~ 'cache control')."""
    text = _NEG_CONTRACTION.sub(lambda m: m.group(1) + " not", text)
    return _WORD.findall(text)


def stem(word: str) -> str:
    """Very light suffix stripping; both sides of every comparison use it, so crude is fine."""
    w = fold(word)
    if w.isdigit() or len(w) <= 3:
        return w
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("edly", ""), ("ed", ""),
                         ("es", ""), ("s", ""), ("ly", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: len(w) - len(suffix)] + repl
            break
    # Spanish gender/verb endings (generalizado ~ generalizada) and English silent e, so that
    # file ~ files (-> fil) as cache ~ caches (-> cach)
    if len(w) >= 4 and w[-1] in "aoe":
        w = w[:-1]
    return w


def content_stems(text: str, language: str = "en") -> list[str]:
    """Stems of the non-stopword tokens, in order."""
    stop = stopwords(base_language(language))
    out = []
    for w in words(text):
        lw = w.lower()
        if lw in stop or fold(lw) in stop or (len(lw) < 2 and not lw.isdigit()):
            continue
        out.append(stem(lw))
    return out


NEGATORS = frozenset({"not", "no", "never", "cannot", "without", "nunca", "sin", "jamás", "jamas",
                      "tampoco", "ni"})


def negations(text: str) -> int:
    return sum(1 for w in words(text) if fold(w) in NEGATORS)


def escape_md(text: str) -> str:
    """No raw HTML reaches a renderer: escape &, <, > (ampersand first)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def find_term(term: str, text: str) -> re.Match[str] | None:
    """Case-insensitive whole-word occurrence of `term` in `text`."""
    return re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.IGNORECASE)
