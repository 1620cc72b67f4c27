"""The API as `coursegen serve` runs it, but with the offline YouTube fakes of
tests/courses/test_playlist_modules (a fake yt_dlp and a fake YouTube site), so the browser test
can make a two-video playlist course: `python -m tests.web.playlist_server --port N`."""

from __future__ import annotations

import argparse

import uvicorn

from api.app import create_app
from tests.courses.test_playlist_modules import youtube_tool


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    uvicorn.run(create_app(fetch_captions=youtube_tool()), host="127.0.0.1", port=port,
                log_level="warning")


if __name__ == "__main__":
    main()
