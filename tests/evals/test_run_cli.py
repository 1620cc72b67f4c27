"""The CLI end to end on the scripted fake LLM: report written, cache reused, diff printed."""

from __future__ import annotations

import json
import shutil

from core.config import get_settings
from evals import run
from tests.evals.conftest import CORE


def test_fake_run_writes_report_and_diffs(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSEGEN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LANGSMITH_API_KEY", raising=False)
    get_settings.cache_clear()
    data = tmp_path / "ds"
    data.mkdir()
    for name in ("photosynthesis.srt", "photosynthesis.ref.json", "inflacion-es.srt",
                 "inflacion-es.ref.json"):
        shutil.copy(CORE / name, data / name)
    out = tmp_path / "r1.json"
    try:
        assert run.main(["--dataset", str(data), "--fake", "--embeddings", "lexical",
                         "--out", str(out)]) == 0
        report = json.loads(out.read_text())
        assert report["model"] == run.FAKE_MODEL and report["fake_llm"] is True
        assert report["prompt_versions"]["outliner"].startswith("outliner/")
        assert [i["id"] for i in report["items"]] == ["inflacion-es", "photosynthesis"]
        assert report["totals"]["schema_validity"] > 0.5
        assert report["embedding_backend"] == "lexical-tfidf"
        # Second run: courses come from the cache, and the diff against the first is printed.
        out2 = tmp_path / "r2.json"
        assert run.main(["--dataset", str(data), "--fake", "--embeddings", "lexical",
                         "--out", str(out2), "--baseline", str(out)]) == 0
        second = json.loads(out2.read_text())
        assert all(i["cached"] for i in second["items"])
        assert second["totals"] == report["totals"]
        printed = capsys.readouterr().out
        assert "vs baseline" in printed and "= 0" in printed
        assert "NOT COMPARABLE" not in printed

        # A baseline from a real model: the diff is refused (exit 2), or shown under a banner.
        real = json.loads(out.read_text())
        real.update(fake_llm=False, model="gpt-real", embedding_backend="minilm")
        real_path = tmp_path / "real.json"
        real_path.write_text(json.dumps(real))
        args = ["--dataset", str(data), "--fake", "--embeddings", "lexical",
                "--baseline", str(real_path)]
        assert run.main(args) == 2
        printed = capsys.readouterr().out
        assert "no diff against" in printed and "vs baseline" not in printed
        for reason in ("scripted fake LLM", "gpt-real", "'minilm'"):
            assert reason in printed, reason
        assert run.main([*args, "--allow-mismatch"]) == 0
        printed = capsys.readouterr().out
        assert "vs baseline" in printed and printed.count("NOT COMPARABLE") == 3
    finally:
        get_settings.cache_clear()


def test_reader_suite_on_a_real_lecture_embedded_default(tmp_path, monkeypatch, capsys):
    """The embedded default on one real lecture through the CLI: the reader suite is picked, the
    table, the bar and the worst items are printed, and the report pools counts and findings."""
    from pathlib import Path

    import pytest

    real = Path(run.__file__).parent / "datasets" / "real"
    if not (real / "py4e-lists-1.srt").exists():
        pytest.skip("real set not merged")
    monkeypatch.setenv("COURSEGEN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LANGSMITH_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    get_settings.cache_clear()
    data = tmp_path / "real"
    data.mkdir()
    for name in ("py4e-lists-1.srt", "py4e-lists-1.ref.json"):
        shutil.copy(real / name, data / name)
    out = tmp_path / "r.json"
    try:
        assert run.main(["--dataset", str(data), "--out", str(out)]) == 0
        printed = capsys.readouterr().out
        report = json.loads(out.read_text())
        assert report["suite"] == "reader" and report["embedding_backend"] == "none"
        (item,) = report["items"]
        hits, total = item["counts"]["topic_boundaries"]
        assert total == 6 and report["totals"]["topic_boundaries"] == round(hits / total, 4)
        assert item["findings"]["items_flawed"][0]["where"].startswith("s")
        assert "bar" in printed and "worst items" in printed and "meets the bar on" in printed
        # the short name resolves to the folder in evals/datasets
        assert run.parse_args(["--dataset", "real"]).dataset == real
    finally:
        get_settings.cache_clear()
