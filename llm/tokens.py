"""Token counting and context fitting with tiktoken, fully offline.

tiktoken normally downloads its BPE files on first use and copies them into a cache folder;
neither works on a machine without internet. The two encodings we need are shipped in
`llm/tokenizers/` and the `tiktoken.Encoding` objects are built here directly from those bytes
(sha256-checked), so neither the network nor tiktoken's cache is ever touched.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import tiktoken

log = logging.getLogger(__name__)

ENDOFTEXT = "<|endoftext|>"
FIM_PREFIX = "<|fim_prefix|>"
FIM_MIDDLE = "<|fim_middle|>"
FIM_SUFFIX = "<|fim_suffix|>"
ENDOFPROMPT = "<|endofprompt|>"

# Same regexes and special tokens as tiktoken_ext.openai_public (tiktoken 0.14); a test checks
# they still agree with the installed tiktoken.
_CL100K_PAT = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_O200K_PAT = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",  # noqa: E501
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",  # noqa: E501
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)


@dataclass(frozen=True)
class _EncodingSpec:
    file: str
    sha256: str
    pat_str: str
    special_tokens: dict[str, int]


ENCODINGS: dict[str, _EncodingSpec] = {
    "o200k_base": _EncodingSpec(
        file="o200k_base.tiktoken",
        sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        pat_str=_O200K_PAT,
        special_tokens={ENDOFTEXT: 199999, ENDOFPROMPT: 200018},
    ),
    "cl100k_base": _EncodingSpec(
        file="cl100k_base.tiktoken",
        sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        pat_str=_CL100K_PAT,
        special_tokens={
            ENDOFTEXT: 100257,
            FIM_PREFIX: 100258,
            FIM_MIDDLE: 100259,
            FIM_SUFFIX: 100260,
            ENDOFPROMPT: 100276,
        },
    ),
}
DEFAULT_ENCODING = "o200k_base"


def _load_ranks(spec: _EncodingSpec) -> dict[bytes, int]:
    # Parsed here rather than with tiktoken.load.load_tiktoken_bpe: that function routes even
    # local paths through read_file_cached, which copies the file into tiktoken's cache dir.
    data = resources.files("llm.tokenizers").joinpath(spec.file).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != spec.sha256:
        raise RuntimeError(
            f"llm/tokenizers/{spec.file} is corrupt (sha256 {digest}, expected {spec.sha256}); "
            "reinstall coursegen"
        )
    ranks: dict[bytes, int] = {}
    for line in data.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


def get_encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """The named encoding built from the shipped BPE file (loaded once per process)."""
    if name not in ENCODINGS:
        raise ValueError(f"unknown encoding {name!r}; shipped: {sorted(ENCODINGS)}")
    return _build_encoding(name)


@cache
def _build_encoding(name: str) -> tiktoken.Encoding:
    spec = ENCODINGS[name]
    return tiktoken.Encoding(
        name=name,
        pat_str=spec.pat_str,
        mergeable_ranks=_load_ranks(spec),
        special_tokens=spec.special_tokens,
    )


def preload() -> None:
    """Build the default encoding now: its BPE tables take ~0.7 s to load, which a process
    should pay at startup rather than inside its first course."""
    get_encoding()


# Model families still on cl100k_base; everything newer (gpt-4o, gpt-4.1, gpt-5, o-series) and
# every unknown model (local GGUF models, other providers) is counted with o200k_base — close
# enough for budgeting, which is all the count is used for.
_CL100K_MODEL = re.compile(r"^(gpt-4(?![o.\d])|gpt-4-|gpt-3\.5|gpt-35|text-embedding-(ada|3))")


def encoding_name_for_model(model: str | None) -> str:
    if not model:
        return DEFAULT_ENCODING
    bare = model.lower().rsplit("/", 1)[-1]  # "openai/gpt-4" → "gpt-4"
    return "cl100k_base" if _CL100K_MODEL.match(bare) else DEFAULT_ENCODING


def encoding_for_model(model: str | None) -> tiktoken.Encoding:
    return get_encoding(encoding_name_for_model(model))


def count_tokens(text: str, model: str | None = None) -> int:
    """Tokens in `text`; special-token strings in user text are counted as plain text."""
    return len(encoding_for_model(model).encode(text, disallowed_special=()))


@dataclass(frozen=True)
class FitResult:
    """The context as it fits the budget. `text` is the context to send alongside the prompt."""

    text: str
    truncated: bool
    original_tokens: int
    kept_tokens: int
    prompt_tokens: int

    @property
    def dropped_tokens(self) -> int:
        return self.original_tokens - self.kept_tokens


class ContextBudgetError(ValueError):
    """The prompt alone does not fit the budget; no amount of truncation can help."""


# A sentence ends at . ! ? (optionally closed by a quote/bracket) followed by whitespace, or at a
# blank line / newline (transcript lines, list items).
_SENTENCE_END = re.compile(r"""[.!?…]["'”’)\]]*(?=\s)|\n""")


def _cut_at_sentence(text: str) -> str:
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    if ends and ends[-1] > 0:
        return text[: ends[-1]].rstrip()
    # No sentence boundary at all: fall back to a word boundary rather than mid-word.
    space = text.rfind(" ")
    return text[:space].rstrip() if space > 0 else text


def fit_context(prompt: str, context: str, max_tokens: int, model: str | None = None) -> FitResult:
    """Fit `prompt` + `context` into `max_tokens`, cutting the context at a sentence boundary.

    The seed's TokenOptimizer, modernised: the prompt is never cut, the context keeps whole
    sentences, and truncation is reported in the result and logged, never silent.
    """
    enc = encoding_for_model(model)
    prompt_tokens = len(enc.encode(prompt, disallowed_special=()))
    context_ids = enc.encode(context, disallowed_special=())
    available = max_tokens - prompt_tokens
    if available < 0:
        raise ContextBudgetError(
            f"prompt is {prompt_tokens} tokens, over the budget of {max_tokens} on its own"
        )
    if len(context_ids) <= available:
        return FitResult(context, False, len(context_ids), len(context_ids), prompt_tokens)

    kept = _cut_at_sentence(enc.decode(context_ids[:available]))
    kept_tokens = len(enc.encode(kept, disallowed_special=()))
    # Re-encoding a decoded prefix can, rarely, take more tokens (merges across the cut, or a
    # split UTF-8 character decoded as U+FFFD); shrink until it fits.
    while kept_tokens > available and kept:
        kept = _cut_at_sentence(kept[:-1])
        kept_tokens = len(enc.encode(kept, disallowed_special=()))
    log.warning(
        "context truncated to fit %d tokens: kept %d of %d context tokens (%d dropped)",
        max_tokens,
        kept_tokens,
        len(context_ids),
        len(context_ids) - kept_tokens,
    )
    return FitResult(kept, True, len(context_ids), kept_tokens, prompt_tokens)
