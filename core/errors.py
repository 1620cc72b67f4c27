"""The error shape the layers below the API raise: a stable `code` the API maps to a status and
a `message` for the user (api/errors.py turns it into the JSON error body)."""

from __future__ import annotations


class CodedError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
