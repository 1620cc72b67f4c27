"""The wheel ships the product only: no test kit (the scripted chat model, fakes), no tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ["cli", "api", "jobs", "graph", "agents", "pipeline", "nlp", "sources", "infra", "llm",
            "prompts", "db", "core", "testkit", "tests"]

pytestmark = pytest.mark.slow


def test_the_wheel_holds_no_test_code(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    for package in PACKAGES:  # a clean copy: no build/ or egg-info left in the checkout
        shutil.copytree(REPO / package, src / package,
                        ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    out = tmp_path / "dist"
    subprocess.run([sys.executable, "-c", "import sys; from setuptools import build_meta; "
                    "build_meta.build_wheel(sys.argv[1])", str(out)],
                   cwd=src, check=True, capture_output=True)
    (wheel,) = out.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("llm/client.py") for n in names)  # the product is there
    leaked = [n for n in names if n.split("/")[0] in ("testkit", "tests") or "scripted" in n]
    assert leaked == []
