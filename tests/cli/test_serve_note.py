"""`coursegen serve` says where the web app is, or how to build it when web/dist is missing."""

from __future__ import annotations

from pathlib import Path

from cli.serve import web_app_note


def test_a_missing_build_is_explained(tmp_path: Path) -> None:
    note = web_app_note(tmp_path / "dist", "http://127.0.0.1:8000/")
    assert "not built" in note and "npm ci && npm run build" in note


def test_a_built_app_is_announced_with_its_url(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<main id=app></main>")
    assert web_app_note(tmp_path, "http://127.0.0.1:8000/") == "web app: http://127.0.0.1:8000/"
