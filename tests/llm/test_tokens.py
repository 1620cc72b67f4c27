"""llm/tokens.py: offline encodings, model mapping, fit_context (the seed's TokenOptimizer)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import tiktoken_ext.openai_public as openai_public
from hypothesis import given, settings
from hypothesis import strategies as st

from llm import tokens
from llm.tokens import (
    ContextBudgetError,
    count_tokens,
    encoding_for_model,
    encoding_name_for_model,
    fit_context,
    get_encoding,
)

REPO = Path(__file__).resolve().parents[2]


def test_known_token_ids() -> None:
    # Reference ids published for these encodings (tiktoken README / OpenAI tokenizer).
    assert get_encoding("cl100k_base").encode("hello world") == [15339, 1917]
    assert get_encoding("o200k_base").encode("hello world") == [24912, 2375]
    assert get_encoding() is get_encoding("o200k_base")  # cached


def test_round_trip_and_special_tokens_as_text() -> None:
    enc = get_encoding()
    text = "Ünïcode ✓, code `x = 1`, and a literal <|endoftext|> in user text."
    assert enc.decode(enc.encode(text, disallowed_special=())) == text
    assert count_tokens(text) == len(enc.encode(text, disallowed_special=()))


def test_constants_match_installed_tiktoken(monkeypatch: pytest.MonkeyPatch) -> None:
    # Call tiktoken's own constructors with the loader stubbed (no download) and compare the
    # regex and special tokens we copied.
    monkeypatch.setattr(openai_public, "load_tiktoken_bpe", lambda *a, **k: {})
    for name, ctor in [
        ("o200k_base", openai_public.o200k_base),
        ("cl100k_base", openai_public.cl100k_base),
    ]:
        ref = ctor()
        assert ref["pat_str"] == tokens.ENCODINGS[name].pat_str
        assert ref["special_tokens"] == tokens.ENCODINGS[name].special_tokens


def test_hash_mismatch_is_refused() -> None:
    spec = tokens._EncodingSpec("cl100k_base.tiktoken", "0" * 64, "", {})
    with pytest.raises(RuntimeError, match="corrupt"):
        tokens._load_ranks(spec)


def test_unknown_encoding() -> None:
    with pytest.raises(ValueError, match="unknown encoding"):
        get_encoding("p50k_base")


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("gpt-4o", "o200k_base"),
        ("gpt-4o-mini", "o200k_base"),
        ("gpt-4.1-nano", "o200k_base"),
        ("o3-mini", "o200k_base"),
        ("gpt-5", "o200k_base"),
        ("smollm2-135m-instruct", "o200k_base"),
        (None, "o200k_base"),
        ("gpt-4", "cl100k_base"),
        ("gpt-4-turbo", "cl100k_base"),
        ("gpt-4-32k", "cl100k_base"),
        ("openai/gpt-3.5-turbo", "cl100k_base"),
        ("text-embedding-3-small", "cl100k_base"),
    ],
)
def test_encoding_for_model(model: str | None, expected: str) -> None:
    assert encoding_name_for_model(model) == expected
    assert encoding_for_model(model).name == expected


def test_fit_context_untouched_when_it_fits() -> None:
    r = fit_context("Summarise:", "Short context. Two sentences.", 100)
    assert not r.truncated
    assert r.text == "Short context. Two sentences."
    assert r.kept_tokens == r.original_tokens


def test_fit_context_cuts_at_sentence_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    context = " ".join(f"Sentence number {i} talks about caching headers." for i in range(200))
    with caplog.at_level(logging.WARNING, logger="llm.tokens"):
        r = fit_context("Summarise the lecture.", context, 120)
    assert r.truncated and r.dropped_tokens > 0
    assert r.prompt_tokens + r.kept_tokens <= 120
    assert r.text.endswith("headers.") and context.startswith(r.text)
    assert any("truncated" in rec.message for rec in caplog.records)


def test_fit_context_prompt_over_budget() -> None:
    with pytest.raises(ContextBudgetError):
        fit_context("word " * 50, "context", 10)


@settings(max_examples=60, deadline=None)
@given(
    sentences=st.lists(
        st.text(
            st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40
        ).map(lambda s: s.strip() + "."),
        min_size=1,
        max_size=30,
    ),
    budget=st.integers(min_value=5, max_value=400),
)
def test_fit_context_properties(sentences: list[str], budget: int) -> None:
    context = " ".join(sentences)
    r = fit_context("Q:", context, budget)
    assert r.prompt_tokens + r.kept_tokens <= budget
    assert r.kept_tokens == count_tokens(r.text)
    assert r.truncated == (r.original_tokens > budget - r.prompt_tokens)
    if not r.truncated:
        assert r.text == context
    else:
        assert context.startswith(r.text) or "\ufffd" in r.text


def test_tokenises_with_no_network(tmp_path: Path) -> None:
    """Tokenise in a network namespace with only loopback and an empty tiktoken cache."""
    if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
        pytest.skip("unshare -n is not permitted here (needs root or user namespaces)")
    cache = tmp_path / "tiktoken-cache"
    cache.mkdir()
    script = textwrap.dedent(
        """
        import socket, sys
        try:
            socket.create_connection(("1.1.1.1", 443), timeout=3)
            print("NETWORK-REACHABLE"); sys.exit(3)
        except OSError:
            pass
        from llm.tokens import count_tokens, get_encoding
        print(count_tokens("hello world"), count_tokens("hello world", "gpt-4"),
              get_encoding("o200k_base").n_vocab)
        import tiktoken
        try:
            tiktoken.get_encoding("cl100k_base")  # stock path: must download, so must fail
            print("STOCK-OK")
        except Exception:
            print("STOCK-FAILS")
        """
    )
    env = {**os.environ, "TIKTOKEN_CACHE_DIR": str(cache)}
    proc = subprocess.run(
        [
            "unshare",
            "-n",
            "sh",
            "-c",
            'ip link set lo up; exec "$0" -c "$1"',
            sys.executable,
            script,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.split()
    assert lines[:3] == ["2", "2", "200019"], proc.stdout
    assert lines[3] == "STOCK-FAILS"  # proves the namespace really had no network
    assert list(cache.iterdir()) == []  # tiktoken's cache was never written
