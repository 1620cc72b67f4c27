"""How the command reports bad input: one line (what is wrong, what is accepted), exit code 2.

Click's parsing errors, our own `BadInput` and refused settings all print as `error: ...`; an
unexpected exception prints one line too, and its traceback only under `coursegen --debug`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer
from pydantic import ValidationError

USAGE_EXIT = 2  # what click uses for usage errors, and what shells expect


class BadInput(typer.TyperException):
    """A value the command cannot use; the message names it and says what is accepted."""

    exit_code = USAGE_EXIT


class State:
    debug = False  # set by `coursegen --debug`


def in_range(low: int, high: int, unit: str) -> Callable[[int | None], int | None]:
    """An option callback that names the accepted range (Typer's min/max name one bound)."""
    def check(value: int | None) -> int | None:
        if value is not None and not low <= value <= high:
            raise typer.BadParameter(f"{value} is out of range; give {low} to {high} {unit}")
        return value

    return check


def settings_message(exc: ValidationError) -> str:
    """One line for refused settings (environment or .env); secrets are never echoed."""
    parts = []
    for err in exc.errors(include_input=False):
        name = ".".join(str(p) for p in err["loc"]) or "settings"
        msg = str(err["msg"]).removeprefix("Value error, ")
        parts.append(msg if name in msg else f"{name}: {msg}")
    return "invalid setting: " + "; ".join(parts)


def _say(message: str) -> None:
    typer.echo(f"error: {' '.join(message.split())}", err=True)


class Command(typer.Typer):
    """The Typer app, run so that no error reaches the user as a traceback."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return run(lambda: typer.main.get_command(self)(*args, standalone_mode=False, **kwargs))


def run(main: Callable[[], Any]) -> Any:
    State.debug = False  # until the callback reads --debug
    try:
        code = main()
    except BadInput as exc:
        _say(exc.format_message())
        return USAGE_EXIT
    except typer.TyperException as exc:  # parsing: unknown option, value out of range, ...
        message = exc.format_message().replace("Value error, ", "")
        ctx = getattr(exc, "ctx", None)
        if exc.exit_code == USAGE_EXIT and ctx is not None:
            message += f" (see `{ctx.command_path} --help`)"
        _say(message)
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        _say("aborted")
        return 130
    except ValidationError as exc:
        if exc.title != "Settings" or State.debug:
            raise
        _say(settings_message(exc))
        return USAGE_EXIT
    except Exception as exc:
        if State.debug:
            raise
        _say(f"unexpected {type(exc).__name__}: {exc} (run `coursegen --debug ...` for the "
             "traceback)")
        return 1
    return code if isinstance(code, int) else 0
