"""Versioned prompt templates, one file per agent task.

Each file starts with `<!-- version: <task>/vN -->`, then `## system` and `## user` parts written
as `string.Template` text ($name placeholders), so braces in transcripts never break formatting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template

_VERSION = re.compile(r"<!--\s*version:\s*([\w./-]+)\s*-->")
_PART = re.compile(r"^## (system|user)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    system: str
    user: str

    def render(self, **values: object) -> tuple[str, str]:
        """Return (system, user) with placeholders filled; a missing value is an error."""
        return (
            Template(self.system).substitute(values),
            Template(self.user).substitute(values),
        )


@cache
def load_prompt(name: str) -> Prompt:
    text = resources.files(__package__).joinpath(f"{name}.md").read_text(encoding="utf-8")
    match = _VERSION.search(text.splitlines()[0] if text else "")
    if not match:
        raise ValueError(f"prompts/{name}.md must start with a '<!-- version: ... -->' line")
    parts = _PART.split(text)
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    if set(sections) != {"system", "user"}:
        raise ValueError(f"prompts/{name}.md needs exactly a '## system' and a '## user' part")
    return Prompt(name=name, version=match.group(1), system=sections["system"],
                  user=sections["user"])


def prompt_versions() -> dict[str, str]:
    """Version id of every shipped prompt: part of cache keys and eval reports."""
    names = sorted(
        p.name[:-3]
        for p in resources.files(__package__).iterdir()
        if p.name.endswith(".md") and not p.name.startswith("_")
    )
    return {n: load_prompt(n).version for n in names}


def fence_untrusted(text: str, tag: str = "transcript") -> str:
    """Wrap untrusted text in tags the model is told to treat as data; neutralise fake closers."""
    cleaned = re.sub(rf"</?\s*{tag}\s*>", "[tag removed]", text, flags=re.IGNORECASE)
    return f"<{tag}>\n{cleaned}\n</{tag}>"
