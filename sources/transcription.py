"""Speech to text through an OpenAI-compatible `/v1/audio/transcriptions` endpoint (OpenAI's
whisper models, or a self-hosted faster-whisper server), with segment timestamps.

Used for a video without captions (its audio downloaded by sources.video_info) and for an
uploaded audio or video file.
"""

from __future__ import annotations

import re
from pathlib import Path

import openai

from core.config import Settings
from core.domain import Segment, Transcript
from sources.transcript import clean_text
from sources.youtube import TranscriptError

HOW_TO_ENABLE = (
    "To transcribe audio, set TRANSCRIPTION_BASE_URL to an OpenAI-compatible endpoint serving "
    "/audio/transcriptions (e.g. https://api.openai.com/v1 with TRANSCRIPTION_API_KEY, or "
    "http://<host>:8000/v1 of a self-hosted faster-whisper server; TRANSCRIPTION_MODEL picks "
    "the model, default whisper-1)")

# verbose_json names the language ("english"); keep the codes of the common ones
_NAMES = {"english": "en", "french": "fr", "spanish": "es", "german": "de", "italian": "it",
          "portuguese": "pt", "dutch": "nl", "russian": "ru", "chinese": "zh",
          "japanese": "ja", "korean": "ko", "arabic": "ar", "hindi": "hi", "turkish": "tr",
          "polish": "pl", "swedish": "sv", "ukrainian": "uk"}


MEDIA_SUFFIXES = {".mp3", ".mp4", ".m4a", ".mpeg", ".mpga", ".wav", ".webm", ".ogg", ".oga",
                  ".opus", ".flac", ".mkv", ".mov", ".aac"}


def is_media(filename: str | None, content_type: str | None) -> bool:
    """An uploaded audio/video file (to transcribe), not a transcript (to parse)."""
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind.startswith(("audio/", "video/")) or Path(filename or "").suffix.lower() in \
        MEDIA_SUFFIXES


def transcription_enabled(settings: Settings) -> bool:
    return bool(settings.transcription_base_url)


def _language(found: str | None, hint: str | None) -> str | None:
    code = (found or "").strip().lower()
    if re.fullmatch(r"[a-z]{2,3}", code):
        return code
    return _NAMES.get(code, hint)


async def transcribe(audio: Path | tuple[str, bytes], settings: Settings, *,
                     language: str | None = None, video_id: str | None = None,
                     title: str | None = None) -> Transcript:
    """A timed Transcript of an audio/video file (a path, or (filename, bytes) of an upload).

    Raises TranscriptError: `transcription_failed` (no endpoint, or it refused the file),
    `upstream_unreachable` (it did not answer), `audio_too_large`.
    """
    if not transcription_enabled(settings):
        raise TranscriptError("transcription_unavailable", f"No transcription endpoint is "
                              f"configured. {HOW_TO_ENABLE}; or upload a transcript file "
                              "(.srt, .vtt or .txt) instead.")
    size = audio.stat().st_size if isinstance(audio, Path) else len(audio[1])
    if size > settings.transcription_max_bytes:
        raise TranscriptError("audio_too_large", f"The audio is larger than "
                              f"{settings.transcription_max_bytes // (1024 * 1024)} MB, the "
                              "transcription limit; upload a transcript file instead.")
    key = settings.transcription_api_key
    client = openai.AsyncOpenAI(base_url=settings.transcription_base_url,
                                # a self-hosted server needs no key; the SDK requires one
                                api_key=key.get_secret_value() if key else "unused",
                                timeout=settings.transcription_timeout_seconds, max_retries=2)
    try:
        async with client:
            result = await client.audio.transcriptions.create(
                file=audio, model=settings.transcription_model,
                response_format="verbose_json", timestamp_granularities=["segment"],
                language=language.split("-")[0].lower() if language else openai.omit)
    except openai.APIConnectionError as exc:  # includes timeouts
        raise TranscriptError("upstream_unreachable", "The transcription endpoint "
                              f"{settings.transcription_base_url} did not answer ({exc}); try "
                              "again later.") from exc
    except openai.APIStatusError as exc:
        raise TranscriptError("transcription_failed", "The transcription endpoint refused the "
                              f"audio (HTTP {exc.status_code}: {str(exc.message)[:300]}).") from exc
    segments = [Segment(start=round(float(s.start), 3), end=round(float(s.end), 3),
                        text=clean_text(s.text))
                for s in getattr(result, "segments", None) or [] if clean_text(s.text)]
    if not segments:
        text = clean_text(getattr(result, "text", "") or "")
        if not text:
            raise TranscriptError("transcription_failed", "The transcription endpoint found no "
                                  "speech in the audio.")
        # an endpoint without segment timestamps: one segment over the whole duration
        duration = float(getattr(result, "duration", 0) or 0)
        segments = [Segment(start=0.0, end=max(duration, 1.0), text=text)]
    return Transcript(segments=segments, source="audio", video_id=video_id, title=title,
                      language=_language(getattr(result, "language", None), language))
