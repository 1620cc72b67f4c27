"""Sample transcripts shipped with the package (original text, written for coursegen)."""

from importlib import resources


def sample_lecture_srt() -> str:
    """An ~11.5-minute lecture on HTTP caching, as .srt (used by the README's first command)."""
    return resources.files(__name__).joinpath("sample_lecture.srt").read_text("utf-8")
