"""Bad input to the `coursegen` command: one line naming the problem and what is accepted, exit
code 2, no traceback, and nothing generated or stored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import app
from core.config import get_settings

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = str(ROOT / "samples" / "sample_lecture.srt")


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSEGEN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def refused(capsys, *args: str) -> str:
    code = app(list(args), prog_name="coursegen")
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(("args", "says"), [
    (["--duration", "0"], "0 is out of range; give 5 to 1200 minutes"),
    (["--duration", "-5"], "-5 is out of range; give 5 to 1200 minutes"),
    (["--duration", "1201"], "give 5 to 1200 minutes"),
    (["--duration", "100000000"], "give 5 to 1200 minutes"),
    (["--difficulty", "expert"], "'expert' is not one of 'beginner', 'intermediate', 'advanced'"),
    (["--language", "1x"], "'1x' is not a language code; use a BCP 47 tag such as en"),
    (["--out", "course.pdf"], "unknown format '.pdf'; use a .md (Markdown) or .json file"),
    (["--out", "no/such/folder/course.md"], "does not exist"),
])
def test_a_bad_option_is_one_line_and_nothing_is_generated(capsys, data_dir, args, says):
    err = refused(capsys, "generate", SAMPLE, *args)
    assert says in err and f"'{args[0]}'" in err
    assert not (data_dir / "coursegen.db").exists()  # refused before any course is stored


def test_a_directory_as_source(capsys, tmp_path):
    err = refused(capsys, "generate", str(tmp_path))
    assert "is a directory; give an .srt, .vtt or .txt file or a YouTube URL" in err


def test_a_file_that_is_not_utf8_is_named(capsys, tmp_path):
    bad = tmp_path / "latin1.srt"
    bad.write_bytes("1\n00:00:01,000 --> 00:00:04,000\nlección de año\n".encode("latin-1"))
    err = refused(capsys, "generate", str(bad))
    assert f"'{bad}' is not UTF-8 text" in err and "save it as UTF-8" in err


def test_neither_a_file_nor_a_url(capsys):
    err = refused(capsys, "generate", "no-such-file.srt")
    assert "not a YouTube video URL" in err and "existing .srt, .vtt or .txt file" in err


def test_an_unknown_migration_revision_lists_the_known_ones(capsys):
    from db import migrate

    err = refused(capsys, "migrate", "upgrade", "bogus")
    assert "unknown revision 'bogus'" in err and migrate.head_revision() in err


def test_serve_refuses_a_port_out_of_range(capsys):
    assert "70000 is out of range; give 1 to 65535" in refused(capsys, "serve", "--port", "70000")


def test_serve_refuses_a_short_webhook_secret_without_echoing_it(capsys, monkeypatch):
    monkeypatch.setenv("SUBSCRIPTION_WEBHOOK_SECRET", "tooshort")
    err = refused(capsys, "serve")
    assert "SUBSCRIPTION_WEBHOOK_SECRET is a placeholder or shorter than 16 characters" in err
    assert "tooshort" not in err


def test_the_installed_command_exits_2_with_one_line(tmp_path):
    env = {**os.environ, "COURSEGEN_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "cli.main", "generate", SAMPLE, "--duration",
                           "0"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "give 5 to 1200 minutes" in done.stderr


def test_debug_shows_the_traceback_of_an_unexpected_error(capsys, monkeypatch):
    import cli.generate

    def boom(*_args):
        raise OSError("disk on fire")

    monkeypatch.setattr(cli.generate, "_read_source", boom)
    assert app(["generate", SAMPLE], prog_name="coursegen") == 1
    err = capsys.readouterr().err
    assert err == ("error: unexpected OSError: disk on fire (run `coursegen --debug ...` for "
                   "the traceback)\n")
    with pytest.raises(OSError, match="disk on fire"):
        app(["--debug", "generate", SAMPLE], prog_name="coursegen")
