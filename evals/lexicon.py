"""What the reader-agreeing evaluators know about words: concept matching, a heuristic part of
speech, speech noise and caption tags.

The part of speech reuses the project's own offline tagger (`nlp.textutil.stopwords`,
`nlp.keyphrases.verbs_en`, `nlp.titles.verb_like / modifier_only`, which look at how the lecture
uses a word) plus the small closed lists below: no tagger model is a dependency. Every rule
errs towards "not flagged" where a word could be either (a flaw must be one a reader would see).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from evals.dataset import Concept, Reference
from nlp.keyphrases import verbs_en
from nlp.textutil import base_language, fold, stem, stopwords
from nlp.textutil import words as tokens
from nlp.titles import modifier_only, verb_like

# Nouns that name no topic: what a speaker says while pointing ("the difference", "this point").
FILLER_NOUNS = {
    "en": set("thing things stuff way ways lot lots point points bit kind sort difference "
              "differences part parts time times moment moments idea ideas fact case cases place "
              "piece pieces sense end start beginning side reason reasons word words guy guys "
              "people person folks question questions answer answers example examples slide "
              "slides page pages video videos chapter lecture minute minutes second seconds day "
              "days today tomorrow yesterday week year years matter deal job problem problems "
              "number numbers something anything everything nothing one ones stuff bunch couple "
              "okay ok yeah hello welcome thanks".split()),
    "es": set("cosa cosas forma formas manera parte partes vez veces momento idea caso casos "
              "lado punto puntos ejemplo ejemplos pregunta preguntas respuesta gente persona "
              "personas día días semana año años clase video capítulo minuto minutos segundo "
              "hola gracias algo nada todo".split()),
}
# Common adjectives and adverbs a heading or key must not end on ("True and Left").
ADJECTIVES = {
    "en": set("true false left right new old big small large little good bad great nice "
              "important different same similar easy hard simple complex other another "
              "certain real whole entire main basic general special specific particular "
              "possible impossible available able sure clear wrong correct best better worse "
              "worst high low long short early late next last previous first final open "
              "closed full empty free own single double many much more most less least few "
              "several various useful powerful interesting cool awesome wild wildly "
              "successive arbitrary capricious convenient intuitive equivalent original "
              "careful lowercase uppercase mutable immutable".split()),
    "es": set("verdadero falso nuevo nueva viejo vieja grande pequeño pequeña bueno buena malo "
              "mala importante diferente igual fácil difícil simple otro otra cierto cierta "
              "real mismo misma claro clara mucho mucha muchos muchas poco poca primero primera "
              "último última siguiente".split()),
}
ADVERBS = {
    "en": set("very really just also only even still already always never often sometimes "
              "usually here there now then again soon later today maybe perhaps probably "
              "actually basically literally exactly almost quite rather pretty too so well "
              "away back down up out off over around together anyway".split()),
    "es": set("muy también solo sólo aún ya siempre nunca aquí allí ahora entonces luego "
              "después quizás tal bien mal así".split()),
}
PRONOUNS = {
    "en": set("i you he she it we they me him her us them this that these those which who "
              "what there here my your his its our their mine yours something someone "
              "anything everything nothing".split()),
    "es": set("yo tú tu él ella nosotros ellos ellas esto eso esta este esa ese estas estos "
              "esas esos aquello lo la le les me te se nos mi su sus algo nada todo "
              "entonces".split()),
}
_IRREGULAR_PAST = set("went came took gave made said told saw found got put ran wrote began "
                      "brought bought thought kept left meant sent set felt knew grew threw "
                      "became held stood understood built spent lost won paid".split())
_VERBS_ES = set("es son está están era eran fue fueron hay tiene tienen hace hacen puede "
                "pueden dice dicen va van vamos significa llama llaman sube suben baja bajan "
                "compra compramos sería estamos tenemos hacemos podemos".split())
_NUMBER = re.compile(r"^[\d.,%/:$€£-]+$|^[ivxlcdm]+$", re.IGNORECASE)
_NUMBER_WORDS = set("zero one two three four five six seven eight nine ten eleven twelve "
                    "twenty thirty forty fifty hundred thousand million cero uno dos tres "
                    "cuatro cinco seis siete ocho nueve diez cien mil".split())


def lang_of(language: str | None) -> str:
    return "es" if base_language(language) == "es" else "en"


# --- concepts ------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in tokens(text))


def mentions(form: str, text: str) -> bool:
    """`form` occurs in `text` as whole words, plurals and accents folded ("list" ~ "Lists")."""
    needle, hay = _stems(form), _stems(text)
    if not needle or len(needle) > len(hay):
        return False
    n = len(needle)
    return any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def concept_named(text: str, concepts: Iterable[Concept]) -> Concept | None:
    """The first concept whose term or an alias occurs in `text`."""
    for c in concepts:
        if any(mentions(f, text) for f in c.forms):
            return c
    return None


def is_concept(phrase: str, concepts: Iterable[Concept]) -> Concept | None:
    """A concept that `phrase` names: it mentions a form and adds at most two other words."""
    n = len(tokens(phrase))
    for c in concepts:
        for f in c.forms:
            if mentions(f, phrase) and n - len(tokens(f)) <= 2:
                return c
    return None


def concepts_of(reference: Reference | None) -> list[Concept]:
    if reference is None:
        return []
    if reference.concepts:
        return list(reference.concepts)
    return [Concept(term=forms[0], aliases=forms[1:]) for forms in reference.key_concepts if forms]


# --- part of speech (heuristic) -------------------------------------------------------------

def word_class(word: str, context: str, language: str | None) -> str:
    """'noun' (default), 'number', 'stop', 'pronoun', 'verb', 'adjective', 'adverb' for one word,
    judged by closed lists and by how the lecture `context` uses it."""
    lang = lang_of(language)
    w = word.lower().replace("’", "'")
    if "'" in w and w.split("'")[0] in PRONOUNS[lang]:
        return "pronoun"  # we're, that's, it's
    if _NUMBER.match(w) or w in _NUMBER_WORDS:
        return "number"
    if w in PRONOUNS[lang] or fold(w) in PRONOUNS[lang]:
        return "pronoun"
    if len(word) == 1 and word.isupper():
        return "noun"  # a letter named as a thing ("capital S")
    if word[:1].isupper() and context and re.search(
            rf"(?<![.!?]\s)(?<!^)(?<![\w-]){re.escape(word[:1].upper() + word[1:])}(?![\w-])",
            context) and not re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", context):
        return "noun"  # a proper noun: the lecture only ever capitalises it ("Mars", "Python")
    if w in ADJECTIVES[lang]:
        return "adjective"
    if w in ADVERBS[lang] or (lang == "en" and w.endswith("ly") and len(w) > 4
                              and w not in {"family", "supply", "italy", "assembly", "reply"}):
        return "adverb"
    if lang == "en":
        if w in verbs_en() or w in _IRREGULAR_PAST or verb_like(w, context, "en"):
            return "verb"
        if modifier_only(w, context, "en"):
            return "modifier"
    elif w in _VERBS_ES:
        return "verb"
    if w in stopwords(lang) or fold(w) in stopwords(lang):
        return "stop"
    return "noun"


_ARTICLES = frozenset("the a an el la los las un una unos unas lo".split())


def a_kind(kind: str) -> str:
    """'an adjective', 'a verb': the word class with its article, for a finding's reason."""
    return ("an " if kind[:1] in "aeiou" else "a ") + kind


def noun_phrase_problem(phrase: str, context: str, language: str | None) -> str | None:
    """Why `phrase` is not a noun phrase naming something, or None when it reads as one.
    English heads are last ("data structure"), Spanish heads first ("estructura de datos");
    "X and Y" is checked conjunct by conjunct."""
    lang = lang_of(language)
    ws = [w for w in tokens(phrase) if w]
    if not ws:
        return "empty"
    first = ws[0].lower()
    if word_class(first, context, lang) == "pronoun" and first not in {"i"}:
        return f"starts with the pronoun {ws[0]!r}"
    if len(ws) > 1 and first in stopwords(lang) and first not in _ARTICLES:
        return f"starts with the function word {ws[0]!r}"
    if len(ws) > 6:
        return f"a {len(ws)}-word clause, not a name"
    conj = {"and", "or", "vs", "versus", "y", "o", "e", "u"}
    parts: list[list[str]] = [[]]
    for w in ws:
        if w.lower() in conj:
            parts.append([])
        else:
            parts[-1].append(w)
    for part in parts:
        if not part:
            return "a dangling conjunction"
        head = part[-1] if lang == "en" else part[0]
        kind = word_class(head, context, lang)
        if kind not in ("noun",):
            if kind == "stop" and len(part) == 1:
                return f"{head!r} is a function word"
            if kind != "stop":
                return f"{head!r} is {a_kind(kind)}"
        for w in part:
            k = word_class(w, context, lang)
            if k == "pronoun" or (k == "verb" and lang == "en" and w.lower() in verbs_en()):
                return f"{w!r} is {a_kind(k)}"
        if lang == "en" and part[-1].lower() in stopwords("en") and kind == "stop":
            return f"ends on the function word {part[-1]!r}"
    return None


def filler_only(phrase: str, language: str | None) -> bool:
    """Every content word is filler, a stop word or a number ("The Point", "Cheat Sheet"?)."""
    lang = lang_of(language)
    ws = [w.lower() for w in tokens(phrase)]
    stop = stopwords(lang)
    return bool(ws) and all(w in FILLER_NOUNS[lang] or w in stop or fold(w) in stop
                            or _NUMBER.match(w) for w in ws)


def repeated_noun_phrase(phrase: str, slice_text: str, language: str | None,
                         times: int = 3) -> str | None:
    """`phrase` (its content words, in order) when the slice says it at least `times` times,
    in lower case at least once (a common noun phrase, not a name), with a noun head that is
    not filler: the phrase then names what the slice is about. "sophisticated loop" said once
    is not one even if "loop" is said often."""
    lang = lang_of(language)
    ws = [w for w in tokens(phrase) if w.lower() not in stopwords(lang)]
    candidates = [" ".join(ws)] if ws else []
    hay = _stems(slice_text)
    for cand in candidates:
        first = cand.split()[0].lower()
        if not re.search(rf"(?<![\w-]){re.escape(first)}(?![\w-])", slice_text):
            continue  # a common noun phrase starts in lower case: not a person's or place's name
        needle = _stems(cand)
        n = len(needle)
        count = sum(hay[i:i + n] == needle for i in range(len(hay) - n + 1))
        head = cand.split()[-1] if lang == "en" else cand.split()[0]
        if (count >= times and head.lower() not in FILLER_NOUNS[lang]
                and word_class(head, slice_text, lang) == "noun"):
            return cand
    return None


# --- speech noise -------------------------------------------------------------------------

CAPTION_TAG = re.compile(
    r"\[(?:music|applause|laughter|laughs|inaudible|silence|noise|música|musica|aplausos|risas"
    r"|__+)[^\]]*\]|♪|\((?:[a-z ]*\b(?:music|playing|applause|laughter|música)\b[a-z ]*)\)"
    r"|[\"“][^\"”]{1,60}[\"”] by [A-Z][\w ]+|\b(?:slow|upbeat|soft|gentle) (?:jazz|music|piano)"
    r"(?: playing)?\b|\b(?:jazz|music) playing\b|^\s*>>",
    re.IGNORECASE,
)
OUTRO = re.compile(
    r"\b(?:thanks?(?: you)?(?: again| so much| very much)? for (?:listening|watching|your "
    r"attention|joining)|see you (?:next time|soon|in the next|later)|(?:like and )?subscribe"
    r"|that'?s (?:it|all) for (?:today|now|this)|until next time|goodbye|bye[- ]bye"
    r"|we'?ll be back|(?:i'?ll|we'?ll) see you"
    r"|gracias por (?:ver|escuchar|su atención|vuestra atención)|hasta la próxima|nos vemos"
    r"|suscríbete)\b",
    re.IGNORECASE,
)
GREETING = re.compile(
    r"\b(?:hello and welcome|hi,? everyone|hello,? everyone|welcome (?:back )?to (?:chapter|"
    r"the|this|our|my)|my name is|i'?m (?:your (?:host|instructor|teacher)|professor)"
    r"|hola a todos|bienvenid[oa]s? a|mi nombre es)\b",
    re.IGNORECASE,
)
SIGNPOST = re.compile(
    r"\b(?:let'?s (?:take a look|look at|talk about|go (?:back|ahead|on|to|through)|move on|start"
    r"|get (?:started|into)|see (?:how|what|if)|do (?:this|that|it))|let us (?:look|see|talk)"
    r"|we(?:'re| are) (?:gonna|going to) (?:talk|look|start|do|see|cover|go|learn|switch|take)"
    r"|i(?:'m| am) (?:gonna|going to) (?:talk|show|do|go|wipe|start)|in this (?:chapter|video"
    r"|lecture|lesson|section|course)|in the next (?:chapter|video|lecture|lesson|section)"
    r"|as we'?ll see|up to now|coming up|moving on|next up"
    r"|vamos a (?:ver|hablar|empezar|continuar)|en este (?:video|capítulo|tema)"
    r"|en el próximo (?:video|capítulo)|como veremos)\b",
    re.IGNORECASE,
)
THINKING_ALOUD = re.compile(
    r"\b(?:i think|i guess|i mean|ya know|um+|uh+|hmm+|er+m|let me (?:see|think)"
    r"|where was i|oh well|o sea|eh+)\b|\b(?:okay|right|ok)\?"
    r"|(?:^|[,.]\s*)you know(?=\s*[,.?]|$)",
    re.IGNORECASE,
)
NOISE_KINDS: Sequence[tuple[str, re.Pattern[str]]] = (
    ("caption tag or credit", CAPTION_TAG), ("outro", OUTRO), ("greeting or self-introduction",
                                                               GREETING),
    ("signposting", SIGNPOST), ("thinking aloud", THINKING_ALOUD),
)


def speech_noise(text: str) -> str | None:
    """The kind of speech noise in `text` ("outro: thanks again for listening"), or None."""
    for kind, pattern in NOISE_KINDS:
        m = pattern.search(text)
        if m:
            return f"{kind}: {m.group(0).strip()!r}"
    return None


def caption_noise(text: str) -> str | None:
    """Caption tags, credits and outros only (the noise that can sit inside a quiz option)."""
    for kind, pattern in NOISE_KINDS[:2]:
        m = pattern.search(text)
        if m:
            return f"{kind}: {m.group(0).strip()!r}"
    return None


LEADING_REFERENCE = re.compile(
    r"^\s*(?:(?:and|but|so|or|because|then|also|y|pero|porque|entonces)\b[\s,]*)?"
    r"(?:it|this|that|these|those|they|them|he|she|which|here|there|esto|eso|esta|este|esa|ese"
    r"|ellos|ellas|aquí|ahí|allí)\b(?!\s+(?:is|are|es|son)\s+called\b)",
    re.IGNORECASE,
)


def leads_on_context(text: str) -> str | None:
    """The words a text leans on when it starts with a back-reference ("It is...", "And this
    one..."): it does not stand alone. A bare leading "And"/"So" is speech, not a reference."""
    m = LEADING_REFERENCE.match(text)
    return m.group(0).strip() if m else None
