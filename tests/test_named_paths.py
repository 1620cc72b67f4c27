"""Every file path a comment or docstring names exists: a moved file leaves no stale pointer."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ["cli", "api", "jobs", "graph", "agents", "pipeline", "nlp", "sources", "infra", "llm",
            "prompts", "db", "core", "testkit", "evals", "benchmarks", "tests", "scripts"]
# a path with at least one directory and a known extension
PATH = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)+[\w.-]+\.(?:py|md|sql|sh|json|ts|toml|srt|txt))\b")


def _texts(path: Path) -> list[tuple[int, str]]:
    """(line, text) of the file's comments and docstrings."""
    source = path.read_text()
    found = [(t.start[0], t.string) for t in tokenize.generate_tokens(io.StringIO(source).readline)
             if t.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            doc = ast.get_docstring(node, clean=False)
            if doc and node.body:
                found.append((node.body[0].lineno, doc))
    return found


def _exists(named: str, near: Path) -> bool:
    if named.startswith("benchmarks/results/"):  # what a benchmark writes when it runs
        return True
    return any((base / named).exists() for base in (REPO, near.parent, REPO / "web"))


def test_every_path_named_in_a_comment_or_docstring_exists():
    missing = []
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            if "migrations" in path.parts or "node_modules" in path.parts:
                continue
            for line, text in _texts(path):
                missing += [f"{path.relative_to(REPO)}:{line}: {named}"
                            for named in PATH.findall(text) if not _exists(named, path)]
    assert missing == []
