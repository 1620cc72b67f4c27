"""Security tests run on the course API wired to the fake LLM (tests/courses/conftest.py)."""

from tests.courses.conftest import cclient, course_app, fake, other, user  # noqa: F401
