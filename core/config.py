"""The one place settings live. Every knob comes from the environment (or a `.env` file)."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_SECRETS = {"changethis", "secret", "change-me", "changeme", "your-secret"}


def _alias(info: ValidationInfo) -> str:
    """The environment name of the field being validated (what the operator set)."""
    field = Settings.model_fields[info.field_name] if info.field_name else None
    return (field.alias if field and field.alias else info.field_name) or "secret"


def default_data_dir() -> Path:
    """Per-user data dir following the XDG convention (~/.local/share/coursegen)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "coursegen"


class Settings(BaseSettings):
    # hide_input_in_errors: a refused secret must not be echoed into logs by its own error.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True,
                                      hide_input_in_errors=True)

    data_dir: Path = Field(default_factory=default_data_dir, alias="COURSEGEN_DATA_DIR")
    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    migrate_on_start: bool = Field(default=True, alias="COURSEGEN_MIGRATE_ON_START")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["http://localhost:3000"], alias="CORS_ORIGINS"
    )

    # auth
    auth_backend: Literal["local", "supabase"] = Field(default="local", alias="AUTH_BACKEND")
    jwt_secret: SecretStr | None = Field(default=None, alias="JWT_SECRET")
    jwt_audience: str = Field(default="authenticated", alias="JWT_AUDIENCE")
    jwt_issuer: str = Field(default="coursegen", alias="JWT_ISSUER")
    access_token_minutes: int = Field(default=60 * 24, alias="ACCESS_TOKEN_MINUTES", ge=1)
    password_min_length: int = Field(default=8, alias="PASSWORD_MIN_LENGTH", ge=6)
    # How long a session found live is trusted without reading auth_sessions again; signout
    # invalidates at once in every process through Redis (REDIS_URL), else this bounds it in
    # other processes. 0 = read auth_sessions on every request.
    auth_cache_seconds: float = Field(default=15.0, alias="AUTH_CACHE_SECONDS", ge=0)
    signin_max_attempts: int = Field(default=5, alias="SIGNIN_MAX_ATTEMPTS", ge=1)
    signin_window_seconds: int = Field(default=300, alias="SIGNIN_WINDOW_SECONDS", ge=1)
    # argon2id cost (defaults: RFC 9106 low-memory profile); hashes are upgraded on next sign-in.
    password_hash_time_cost: int = Field(default=3, alias="PASSWORD_HASH_TIME_COST", ge=1)
    password_hash_memory_kib: int = Field(default=65536, alias="PASSWORD_HASH_MEMORY_KIB", ge=8192)
    supabase_url: str | None = Field(default=None, alias="SUPABASE_URL")
    supabase_anon_key: SecretStr | None = Field(default=None, alias="SUPABASE_ANON_KEY")
    supabase_jwt_secret: SecretStr | None = Field(default=None, alias="SUPABASE_JWT_SECRET")
    supabase_jwks_url: str | None = Field(default=None, alias="SUPABASE_JWKS_URL")

    # request limits
    max_body_bytes: int = Field(default=5_000_000, alias="MAX_BODY_BYTES")
    max_transcript_chars: int = Field(default=2_000_000, alias="MAX_TRANSCRIPT_CHARS")

    # LLM: any OpenAI-compatible endpoint. OPENAI_API_KEY / OPENAI_BASE_URL are honoured as the
    # OpenAI SDK does. COURSEGEN_MODELS (JSON list of ModelSpec) overrides the registry.
    openai_api_key: SecretStr | None = Field(default=None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, alias="OPENAI_BASE_URL")
    models_json: str | None = Field(default=None, alias="COURSEGEN_MODELS")
    default_priority: Literal["cost", "quality"] = Field(default="cost", alias="LLM_PRIORITY")
    # LLM calls in flight per model and process: an adaptive window (llm/concurrency.py) that
    # starts at LLM_INITIAL_CONCURRENCY, grows while calls succeed and halves on 429, never above
    # LLM_MAX_CONCURRENCY (a hard bound) nor the model's own `max_concurrency`.
    llm_max_concurrency: int = Field(default=32, alias="LLM_MAX_CONCURRENCY", ge=1)
    # 16: a 10-section course's writers all start at once (benchmarks/pipeline_bench.py); a
    # provider with less room answers 429s, and the window halves to fit (ratelimit_bench.py).
    llm_initial_concurrency: int = Field(default=16, alias="LLM_INITIAL_CONCURRENCY", ge=1)
    llm_timeout_seconds: float = Field(default=180.0, alias="LLM_TIMEOUT_SECONDS", gt=0)
    llm_max_retries: int = Field(default=4, alias="LLM_MAX_RETRIES", ge=0)
    llm_temperature: float = Field(default=0.2, alias="LLM_TEMPERATURE")
    llm_cache: bool = Field(default=True, alias="LLM_CACHE")
    llm_fallback_model: str | None = Field(default=None, alias="LLM_FALLBACK_MODEL")
    # "package.module:callable" taking a ModelSpec and returning a chat model; None = ChatOpenAI.
    # Lets a separate worker process run another model client (tests point it at the fake LLM).
    llm_chat_factory: str | None = Field(default=None, alias="LLM_CHAT_FACTORY")
    # Without an API key or COURSEGEN_MODELS: "extractive" (no model; the default) or
    # "smollm2-135m-instruct" (the optional llama.cpp model, `bootstrap.sh local-model`).
    embedded_model: Literal["extractive", "smollm2-135m-instruct"] = Field(
        default="extractive", alias="EMBEDDED_MODEL")
    local_model_host: str = Field(default="127.0.0.1", alias="LOCAL_MODEL_HOST")
    local_model_port: int = Field(default=8765, alias="LOCAL_MODEL_PORT")
    local_model_autostart: bool = Field(default=True, alias="LOCAL_MODEL_AUTOSTART")
    local_model_threads: int = Field(default=2, alias="LOCAL_MODEL_THREADS", ge=1)

    # YouTube transcript tool
    youtube_languages: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["en"], alias="YOUTUBE_LANGUAGES"
    )
    youtube_timeout_seconds: float = Field(default=20.0, alias="YOUTUBE_TIMEOUT_SECONDS")
    youtube_proxy_http: str | None = Field(default=None, alias="YOUTUBE_PROXY_HTTP")
    youtube_proxy_https: str | None = Field(default=None, alias="YOUTUBE_PROXY_HTTPS")
    webshare_proxy_username: str | None = Field(default=None, alias="WEBSHARE_PROXY_USERNAME")
    webshare_proxy_password: SecretStr | None = Field(default=None, alias="WEBSHARE_PROXY_PASSWORD")
    # a Netscape cookies.txt, sent with both the captions fetch and yt-dlp (metadata, audio)
    youtube_cookie_file: Path | None = Field(default=None, alias="YOUTUBE_COOKIE_FILE")

    # a playlist URL makes one course; videos past this many are left out (and reported).
    # Without plan limits only (the local CLI): the API uses the owner's tier's cap instead
    max_playlist_videos: int = Field(default=10, ge=1, alias="MAX_PLAYLIST_VIDEOS")

    # speech to text for videos without captions and uploaded audio/video: an OpenAI-compatible
    # /v1/audio/transcriptions (OpenAI whisper-1, or a self-hosted faster-whisper server)
    transcription_base_url: str | None = Field(default=None, alias="TRANSCRIPTION_BASE_URL",
                                               examples=["https://api.openai.com/v1"])
    transcription_api_key: SecretStr | None = Field(default=None, alias="TRANSCRIPTION_API_KEY")
    transcription_model: str = Field(default="whisper-1", alias="TRANSCRIPTION_MODEL")
    transcription_timeout_seconds: float = Field(default=900.0, gt=0,
                                                 alias="TRANSCRIPTION_TIMEOUT_SECONDS")
    # OpenAI's upload limit is 25 MB; longer audio is refused rather than silently truncated
    transcription_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1,
                                         alias="TRANSCRIPTION_MAX_BYTES")

    # course graph
    max_sections: int = Field(default=30, alias="MAX_SECTIONS", ge=1)
    writer_concurrency: int = Field(default=8, alias="WRITER_CONCURRENCY", ge=1)
    quiz_questions_per_section: int = Field(default=3, alias="QUIZ_QUESTIONS", ge=1)
    checkpointer: Literal["sqlite", "memory", "redis", "redis-stack", "postgres"] = Field(
        default="sqlite", alias="CHECKPOINTER"
    )
    checkpoint_ttl_seconds: int = Field(default=7 * 24 * 3600, alias="CHECKPOINT_TTL_SECONDS")

    # jobs, cache, limits
    job_backend: Literal["inprocess", "celery"] = Field(default="inprocess", alias="JOB_BACKEND")
    resume_jobs_on_start: bool = Field(default=True, alias="RESUME_JOBS_ON_START")
    # on SIGTERM running jobs get this long to finish; the rest stay `processing` with their
    # checkpoints and resume on the next start (never `cancelled`: only a user cancels)
    job_shutdown_grace_seconds: float = Field(default=20.0, ge=0,
                                              alias="JOB_SHUTDOWN_GRACE_SECONDS")
    job_visibility_timeout_seconds: int = Field(default=4 * 3600, alias="JOB_VISIBILITY_TIMEOUT")
    cache_ttl_seconds: int = Field(default=7 * 24 * 3600, alias="CACHE_TTL_SECONDS")
    cache_stale_seconds: int = Field(default=24 * 3600, alias="CACHE_STALE_SECONDS")
    progress_stream_maxlen: int = Field(default=2000, alias="PROGRESS_STREAM_MAXLEN")
    sse_ping_seconds: float = Field(default=15.0, alias="SSE_PING_SECONDS")

    # tiers (free vs pro)
    free_courses_per_month: int = Field(default=10, alias="FREE_COURSES_PER_MONTH")
    pro_courses_per_month: int = Field(default=500, alias="PRO_COURSES_PER_MONTH")
    free_max_video_minutes: int = Field(default=90, alias="FREE_MAX_VIDEO_MINUTES")
    pro_max_video_minutes: int = Field(default=600, alias="PRO_MAX_VIDEO_MINUTES")
    free_max_playlist_videos: int = Field(default=5, ge=1, alias="FREE_MAX_PLAYLIST_VIDEOS")
    pro_max_playlist_videos: int = Field(default=25, ge=1, alias="PRO_MAX_PLAYLIST_VIDEOS")
    free_concurrent_jobs: int = Field(default=2, alias="FREE_CONCURRENT_JOBS")
    pro_concurrent_jobs: int = Field(default=10, alias="PRO_CONCURRENT_JOBS")
    free_tutor_questions_per_hour: int = Field(default=30, alias="FREE_TUTOR_QUESTIONS_PER_HOUR")
    pro_tutor_questions_per_hour: int = Field(default=300, alias="PRO_TUTOR_QUESTIONS_PER_HOUR")

    # integrations
    n8n_webhook_url: str | None = Field(default=None, alias="N8N_WEBHOOK_URL")
    n8n_webhook_secret: SecretStr | None = Field(default=None, alias="N8N_WEBHOOK_SECRET")
    subscription_webhook_secret: SecretStr | None = Field(
        default=None, alias="SUBSCRIPTION_WEBHOOK_SECRET"
    )
    webhook_tolerance_seconds: int = Field(default=300, alias="WEBHOOK_TOLERANCE_SECONDS")
    outbox_poll_seconds: float = Field(default=2.0, alias="OUTBOX_POLL_SECONDS")

    @field_validator("cors_origins", "youtube_languages", mode="before")
    @classmethod
    def _split_origins(cls, v: object) -> object:
        if isinstance(v, str):
            return [o.strip() for o in v.split(",") if o.strip()]
        return v

    # Secrets we sign or verify with: a placeholder or a short value would make forgery cheap.
    @field_validator("jwt_secret", "supabase_jwt_secret", "n8n_webhook_secret",
                     "subscription_webhook_secret")
    @classmethod
    def _refuse_weak_secret(cls, v: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if v is not None:
            raw = v.get_secret_value()
            if raw.lower() in PLACEHOLDER_SECRETS or len(raw) < 16:
                raise ValueError(f"{_alias(info)} is a placeholder or shorter than 16 characters")
        return v

    # Credentials issued by someone else: their length is theirs, a placeholder is still a mistake.
    @field_validator("openai_api_key", "supabase_anon_key", "webshare_proxy_password")
    @classmethod
    def _refuse_placeholder(cls, v: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if v is not None and v.get_secret_value().lower() in PLACEHOLDER_SECRETS:
            raise ValueError(f"{_alias(info)} is a placeholder")
        return v

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite+aiosqlite:///{self.data_dir / 'coursegen.db'}"

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir

    def jwt_signing_secret(self) -> str:
        """The configured secret, or one generated once and persisted in the data dir."""
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value()
        path = self.ensure_data_dir() / "jwt_secret"
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
        return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Accept the URLs users paste (postgres://, postgresql://) and pick the async drivers."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite:///"):
        url = "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
    return url


@lru_cache
def get_settings() -> Settings:
    return Settings()
