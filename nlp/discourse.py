"""Topics the speaker announces ("Part three, validation.", "Let's talk about rebasing.",
"Pasemos a los tipos de interés."): evidence for a section boundary right before the announcing
sentence, and the best possible title for the section it opens.

Two strengths. Strong cues name a part or a move ("part N, X", "that brings us to X", "let's talk
about X", "vamos a hablar de X"); weak cues are enumerations ("Second, X", "Finally, X", "Now,
X"). A run of weak cues close together is the intro's agenda, not a boundary, so it is dropped.
The announced topic must read as a noun phrase: "Now, photosynthesis happens in two stages" is a
statement, not an announcement.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.textutil import Sentence, base_language, content_stems, fold, words

MAX_TOPIC_WORDS = 8  # an announced topic is a short noun phrase
MAX_WEAK_WORDS = 5  # "Finally, inflation." yes; "Now, a note for anyone processing ..." no
AGENDA_GAP = 3  # weak cues this many sentences apart or closer form an agenda
_NUM_EN = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}|[ivx]{1,4})"
_NUM_ES = r"(?:uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|\d{1,2})"
_ORD_ES = r"(?:primera|segunda|tercera|cuarta|quinta|sexta|s[ée]ptima|octava|[úu]ltima)"
_LEAD = r"^(?:(?:and|so|okay|ok|alright|all right|right|now|y|bueno|entonces|ahora)\s*,?\s+)*"

_STRONG = re.compile(
    _LEAD + r"(?:(?:let's|let us)\s+(?:start|begin|move on|continue|finish|end)\s+with"
    r"|(?:that|this)\s+brings\s+us\s+to|(?:moving|let's\s+move|we\s+move)\s+on\s+to|on\s+to"
    r"|let's\s+(?:talk|learn|think)\s+about|let's\s+(?:turn|look)\s+(?:to|at)"
    r"|(?:next|now)\s+(?:we(?:'ll| will)?|let's)\s+(?:turn\s+to|look\s+at|talk\s+about)"
    r"|vamos\s+a\s+(?:hablar|ver)\s+(?:de|sobre)|pasemos\s+a|pasamos\s+a|hablemos\s+(?:de|sobre)"
    r"|veamos|empecemos\s+(?:con|por))?\s*,?\s*"
    r"(?:(?:the\s+)?(?:part|section|step|chapter)\s+" + _NUM_EN + r"|(?:the\s+)?(?:final|last|next)"
    r"\s+(?:part|section|topic)|(?:la\s+)?" + _ORD_ES + r"\s+parte|(?:la\s+)?parte\s+"
    + _NUM_ES + r")\s*[,:.-]\s*(?P<topic>.+)$"
    r"|" + _LEAD + r"(?:(?:let's|let us)\s+(?:start|begin)\s+with"
    r"|(?:that|this)\s+brings\s+us\s+to|(?:moving|let's\s+move|we\s+move)\s+on\s+to"
    r"|let's\s+(?:talk|learn)\s+about|let's\s+(?:now\s+)?(?:turn\s+to|look\s+at)"
    r"|let's\s+move\s+(?:up|down|on|over)\s+to|after\s+the\s+break\s*,"
    r"|vamos\s+a\s+hablar\s+(?:de|sobre)|pasemos\s+a|hablemos\s+(?:de|sobre)"
    r"|empecemos\s+(?:con|por))\s+(?P<topic2>.+)$",
    re.IGNORECASE,
)
_NOW = re.compile(_LEAD + r"now\s+(?P<topic>[^,]{3,60})[.!]$", re.IGNORECASE)  # "Now rebase."
_WEAK = re.compile(
    _LEAD + r"(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth|fifth|next|finally|lastly"
    r"|last|now(?=\s*,)|primero|segundo|tercero|por\s+[úu]ltimo|finalmente|luego)\s*[,:]\s*"
    r"(?P<topic>.+)$",
    re.IGNORECASE,
)
# Words that make the "topic" a clause (a statement about something), not the name of one.
_CLAUSE = frozenset(
    "is are was were be been being am do does did have has had can could will would should "
    "must may might shall need want happens happen means mean say says let get gets got go goes "
    "going make makes made take takes think know see look looks come comes put "
    "es son era fue está están hay tiene tienen puede pueden vamos va van hace hacen".split())
_TRAIL = re.compile(r"\s*(?:,\s*(?:which|where|who|including|because|so that|that is|como|que"
                    r"|donde|porque|incluyendo)\b.*|\s+(?:you|we|I|they|people|usted|ustedes"
                    r"|nosotros)\s.*|\s*[;:(].*)$", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:the|a|an|el|la|los|las|un|una|lo)\s+", re.IGNORECASE)


# Announced, but not a topic of its own: no boundary, no title.
_NOT_A_TOPIC = frozenset("end example examples one more question questions break fin ejemplo "
                         "ejemplos pregunta preguntas pausa".split()) | {
    "the end", "one more", "another example", "next example", "el final"}
# Announced topics too vague to be a section title ("Let's start with the definition.").
GENERIC_TOPICS = frozenset(
    "definition definitions basics introduction overview big picture idea ideas recap summary "
    "conclusion background context definición definiciones introducción resumen conclusión "
    "idea general contexto".split()) | {"big picture", "idea general"}


@dataclass(frozen=True)
class Cue:
    index: int  # sentence index of the announcing sentence
    topic: str  # the announced topic, as spoken (trimmed to a noun phrase)
    strong: bool


def _topic(raw: str, language: str) -> str | None:
    topic = raw.strip().rstrip(".!?…").strip()
    topic = _TRAIL.sub("", topic).strip(" ,;:-")
    topic = _ARTICLE.sub("", _ARTICLE.sub("", topic))  # "the" after "a note": once is enough
    toks = [w.lower() for w in words(topic)]
    if not toks or len(toks) > MAX_TOPIC_WORDS or any(t in _CLAUSE for t in toks):
        return None
    if toks[0] in {"what", "how", "when", "where", "who", "which", "qué", "cómo"} and len(toks) < 3:
        return None
    if not content_stems(topic, base_language(language)):
        return None  # "Let's start with that."
    return topic


def find_cues(sentences: Sequence[Sentence], language: str = "en") -> list[Cue]:
    """Announcing sentences in order, the intro's agenda (a run of weak cues) left out."""
    found: list[Cue] = []
    for i, s in enumerate(sentences):
        text = s.text.strip()
        if len(words(text)) > MAX_TOPIC_WORDS + 8 or text.endswith("?"):
            continue
        m = _STRONG.match(text)
        strong = m is not None
        m = m or _WEAK.match(text) or _NOW.match(text)
        if m is None:
            continue
        topic = _topic(m.group("topic") or m.groupdict().get("topic2") or "", language)
        if topic and (strong or len(words(topic)) <= MAX_WEAK_WORDS) and (
                fold(topic) not in _NOT_A_TOPIC):
            found.append(Cue(i, topic, strong))
    weak = [c for c in found if not c.strong]
    agenda = {c.index for c in weak if any(
        o is not c and abs(o.index - c.index) <= AGENDA_GAP for o in weak)}
    return [c for c in found if c.strong or c.index not in agenda]


# The speaker talking about the lecture itself ("By the end of this session you should be able
# to ...", "To recap, we looked at ..."): framing, not content.
_META = re.compile(
    _LEAD + r"(?:by\s+the\s+end\s+of\s+(?:this|today's|the)\s+(?:session|lecture|lesson|video"
    r"|class|talk)|in\s+(?:this|today's)\s+(?:session|lecture|lesson|video|class|talk)"
    r"|welcome\s+(?:back\s+)?to|to\s+(?:recap|sum\s+up|summari[sz]e|wrap\s+up)|in\s+summary"
    r"|(?:we're|we\s+are|i'm|i\s+am)\s+(?:gonna|going\s+to)\s+(?:talk|learn)\s+about"
    r"|today\s+(?:we(?:'re|'ll|\s+will|\s+are)?|i(?:'m|'ll)?)\s+(?:gonna|going\s+to\s+)?"
    r"|that's\s+(?:all|it)\s+for|thanks?\s+(?:you\s+)?for\s+(?:watching|listening)"
    r"|let's\s+(?:take\s+a\s+(?:quick\s+|closer\s+)?look\s+at|look\s+at)"
    r"|al\s+final\s+de\s+esta\s+(?:clase|sesi[óo]n|lecci[óo]n)|en\s+(?:esta|este)\s+"
    r"(?:clase|sesi[óo]n|lecci[óo]n|v[íi]deo)|bienvenid[oa]s?\s+a|para\s+(?:resumir|terminar)"
    r"|en\s+resumen|gracias\s+por)\b",
    re.IGNORECASE,
)


# The speaker talking about themselves or thinking aloud ("Like I've said I have had to ...",
# "the for each, I mean the for statement, ya know ..."): fine to hear, poor to read back as a
# key point or to be asked about. "I" is matched in capitals only: "for i in range" is code.
_FIRST_PERSON = re.compile(r"\bI(?:'ve|'m|'d|'ll)?\b")
_HEDGE = re.compile(r"\b(?:ya\s+know|y'know|i\s+mean|kinda|sorta|like\s+i(?:'ve)?\s+said"
                    r"|as\s+i\s+said|o\s+sea)\b", re.IGNORECASE)


def speaker_talk(text: str) -> bool:
    """The sentence is about the speaker or thinks aloud (see _FIRST_PERSON, _HEDGE)."""
    return bool(_FIRST_PERSON.search(text) or _HEDGE.search(text))


def announces(text: str) -> bool:
    """The sentence announces a part or a topic ("Part four, the Cache-Control directives you
    will actually use.", "Second, freshness, which is how ...") or frames the lecture itself:
    signposting, not content, so never a quiz item, an overview or a key point."""
    t = text.strip()
    if _STRONG.match(t) or _META.match(t) or _NOW.match(t) and len(words(t)) <= 4:
        return True
    weak = _WEAK.match(t)
    return bool(weak and (len(words(t)) <= MAX_TOPIC_WORDS or (
        _topic(weak.group("topic"), "en") is not None and _TRAIL.search(weak.group("topic")))))
