"""ATTRIBUTION.md of the real set is generated from the references' source blocks and current."""

from __future__ import annotations

import json
import shutil

from evals.attribution import REAL, main, render


def test_real_attribution_is_current():
    assert any(REAL.glob("*.ref.json")), "the real set has references"
    assert main(["--check", str(REAL)]) == 0, "run: python -m evals.attribution"


def test_check_fails_when_a_source_changes(tmp_path):
    ref = next(REAL.glob("*.ref.json"))
    shutil.copy(ref, tmp_path / ref.name)
    assert main([str(tmp_path)]) == 0
    assert main(["--check", str(tmp_path)]) == 0
    data = json.loads(ref.read_text(encoding="utf-8"))
    data["source"]["licence"] = "CC BY-SA 4.0"
    (tmp_path / ref.name).write_text(json.dumps(data), encoding="utf-8")
    assert main(["--check", str(tmp_path)]) == 1
    assert "CC BY-SA 4.0" in render(tmp_path)
