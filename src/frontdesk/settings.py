"""Every setting Frontdesk reads, in one place.

Values come from the environment (prefix ``FRONTDESK_``) or a ``.env`` file. Nothing here
connects to anything: settings only describe where things are.
"""

from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_FILE_NAME = "secret.key"  # noqa: S105 - a file name, not a secret
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FRONTDESK_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("var"), description="Where SQLite, uploads and the secret live."
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL; default is SQLite in the data dir. "
        "Example: postgresql+asyncpg://user@127.0.0.1:5432/frontdesk",
    )
    secret_key: str | None = Field(
        default=None,
        description="Signs tokens. Default: generated once and kept in <data_dir>/secret.key.",
    )
    secrets_keys: str = Field(
        default="",
        repr=False,  # checked when the SecretBox is built: a pydantic error would echo it
        description="Fernet keys sealing stored secrets (LLM API keys), comma-separated, "
        "newest first: secrets are sealed with the first and opened with any. Default: one "
        "key derived from the secret key. See `frontdesk rotate-secret-key`.",
    )
    public_url: str | None = Field(
        default=None,
        description="Absolute base URL for shared links (portal, QR, widget, calendar feeds) "
        "and booking mails' manage links. Default: the request's own scheme and host (for "
        "mails sent by jobs, which have no request: http://host:port).",
    )
    redis_url: str | None = Field(
        default=None, description="Redis URL; when set, rate limits are shared through Redis."
    )
    host: str = Field(default="127.0.0.1", description="Interface `serve` binds to.")
    port: int = Field(default=8000, description="Port `serve` listens on.")
    auto_migrate: bool = Field(default=True, description="Apply migrations when serving.")

    access_token_minutes: int = Field(default=15, ge=1, description="Access-token lifetime.")
    refresh_token_days: int = Field(default=30, ge=1, description="Refresh-token lifetime.")
    invitation_days: int = Field(default=7, ge=1, description="How long an invitation link works.")
    cookie_secure: bool = Field(
        default=False, description="Mark session cookies Secure (turn on behind HTTPS)."
    )

    login_limit_per_ip: str = Field(
        default="30/minute", description="Password attempts per IP (sign-in, invitations)."
    )
    login_limit_per_account_ip: str = Field(
        default="10/15minutes",
        description="Failed password attempts on one account from one IP; past it, that IP "
        "waits (other addresses are unaffected).",
    )
    login_limit_per_account: str = Field(
        default="100/hour",
        description="Failed password attempts on one account from all IPs together; past it, "
        "only addresses the account has signed in from before may try.",
    )
    register_limit_per_ip: str = Field(default="10/hour", description="Sign-ups per IP.")

    upload_limit_mb: int = Field(
        default=10, ge=1, le=200, description="Largest upload a workspace accepts by default."
    )
    json_body_limit_kb: int = Field(
        default=1024,
        ge=16,
        description="Largest request body other than a file upload (JSON, forms), in KB.",
    )
    storage_dir: Path | None = Field(
        default=None, description="Where uploads live. Default: <data_dir>/uploads."
    )
    storage: Literal["local", "s3"] = Field(
        default="local", description="Where uploads are kept: local disk, or an S3 bucket."
    )
    s3_bucket: str | None = Field(default=None, description="Bucket for storage=s3.")
    s3_endpoint_url: str | None = Field(
        default=None, description="S3-compatible endpoint (MinIO, R2, ...); empty for AWS."
    )
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    portal_sessions_per_ip: str = Field(
        default="30/hour", description="Chat sessions a visitor's IP may start."
    )
    portal_messages_per_session: str = Field(
        default="20/minute", description="Messages one chat may send."
    )
    portal_messages_per_ip: str = Field(
        default="120/minute", description="Messages from one IP, all chats together."
    )
    portal_upload_mb_per_session: str = Field(
        default="50/hour", description="Megabytes one chat may upload."
    )
    job_queue: Literal["inprocess", "redis"] = Field(
        default="inprocess",
        description="Where background jobs run: in the server process, or through Redis for "
        "`frontdesk worker` processes (needs FRONTDESK_REDIS_URL).",
    )
    job_stream: str = Field(
        default="frontdesk:job-stream", description="The Redis stream jobs go through."
    )
    job_visibility_seconds: float = Field(
        default=60,
        gt=0,
        description="A job taken by a worker that stops answering for this long (it died) "
        "is run again by another worker.",
    )
    job_max_deliveries: int = Field(
        default=5, ge=1, description="Runs of one job before it goes to the dead-letter stream."
    )
    recovery_grace_seconds: float = Field(
        default=60,
        gt=0,
        description="A customer message still unanswered after this long (or a job's work "
        "still not done) is owed: the recovery sweep queues it again.",
    )
    recovery_interval_seconds: float = Field(
        default=60, gt=0, description="How often the recovery sweep runs (it also runs at start)."
    )
    recovery_window_hours: float = Field(
        default=24, gt=0, description="Older unanswered messages are left to staff."
    )
    ws_ping_seconds: float = Field(
        default=0,
        ge=0,
        description="Protocol pings from the server (0: none). Off by default: thousands of "
        "sockets opened together would be pinged in one burst; clients ping instead.",
    )
    socket_idle_seconds: float = Field(
        default=90,
        gt=0,
        description="Close a socket whose client sent nothing (not even its 25 s ping) for "
        "this long.",
    )
    tune_gc: bool = Field(
        default=True,
        description="Tune the garbage collector for many "
        "long-lived sockets (see frontdesk/kit/gc_tuning.py).",
    )
    access_log: bool = Field(default=True, description="Log every HTTP request.")
    speech_threads: int = Field(default=1, ge=1, description="CPU threads for transcription.")
    ocr: Literal["rapidocr", "none"] = Field(
        default="rapidocr",
        description="Reads text in customers' photos and scanned PDFs: rapidocr (offline, "
        "models shipped in the package) or none.",
    )
    ocr_threads: int = Field(default=1, ge=1, description="CPU threads for OCR.")
    llm_timeout_seconds: float = Field(
        default=20,
        gt=0,
        description="Longest a connected LLM may take for one reply (retries included) before "
        "the local engine answers instead.",
    )
    llm_max_retries: int = Field(
        default=2, ge=0, le=5, description="Retries (with backoff) after a failed LLM call."
    )
    warm_assistant: bool = Field(
        default=True,
        description="Train the built-in intent model at start-up, in the background, so the "
        "first customer does not wait for it.",
    )
    log_level: str = Field(default="info", description="debug, info, warning or error.")
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="text: one readable line per record; json: one JSON object per line "
        "(time, level, logger, message, request_id, workspace/conversation ids, exception).",
    )
    metrics_token: str | None = Field(
        default=None,
        repr=False,
        description="Bearer token a scraper must send for /metrics. Unset: /metrics answers "
        "loopback clients only.",
    )
    shutdown_grace_seconds: float = Field(
        default=20,
        ge=0,
        description="On SIGTERM, how long open connections and running jobs (replies being "
        "written) get to finish before the process exits anyway.",
    )
    embedder: str = Field(
        default="default",
        description="Embedding model for knowledge retrieval, by name (see "
        "frontdesk.nlu.embedders); 'default' takes the one chosen by measurement.",
    )
    allow_private_network: bool = Field(
        default=False,
        description="Let server-side requests (URL import, a workspace's LLM base URL) "
        "reach loopback, private and link-local addresses. Off in production; tests with "
        "loopback peers turn it on.",
    )
    knowledge_max_pages: int = Field(
        default=50, ge=1, le=500, description="Most pages one URL import may fetch."
    )
    mail_backend: Literal["log", "smtp"] = Field(
        default="log",
        description="Where outgoing mail goes: written to the log (the default, nothing is "
        "sent), or handed to an SMTP server.",
    )
    mail_from: str = Field(
        default="Frontdesk <no-reply@localhost>",
        description='Sender of every message, as "Name <address>" or a bare address.',
    )
    smtp_host: str | None = Field(default=None, description="SMTP server for mail_backend=smtp.")
    smtp_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="SMTP port. Default: 465 for smtp_security=tls, 587 for starttls, 25 for none.",
    )
    smtp_security: Literal["none", "starttls", "tls"] = Field(
        default="starttls",
        description="starttls: plain connection upgraded before anything is sent (port 587); "
        "tls: TLS from the first byte (port 465); none: no encryption (a local relay only).",
    )
    smtp_username: str | None = Field(default=None, description="SMTP login, if it wants one.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_ca_file: Path | None = Field(
        default=None,
        description="PEM file of certificate authorities to trust for the SMTP server, in "
        "addition to the system's (a relay with a certificate of its own).",
    )
    smtp_timeout_seconds: float = Field(
        default=15,
        gt=0,
        description="Longest one step of an SMTP conversation (connect, greeting, a command) "
        "may take before sending fails and the job retries.",
    )
    calendar_backends: str = Field(
        default="caldav,google",
        description="Calendars a workspace may connect for two-way sync, comma-separated: "
        "caldav, google (google also needs FRONTDESK_GOOGLE_CLIENT_ID and _SECRET); empty: "
        "none (the ICS feeds still work).",
    )
    calendar_timeout_seconds: float = Field(
        default=15, gt=0, description="Longest one request to a connected calendar may take."
    )
    calendar_sync_max_attempts: int = Field(
        default=8,
        ge=1,
        description="Tries of one booking's calendar sync (with growing pauses, up to an "
        "hour) before it is shown as failed.",
    )
    google_client_id: str | None = Field(
        default=None, description="OAuth client id (a web application) for Google Calendar."
    )
    google_client_secret: SecretStr | None = Field(
        default=None, description="That OAuth client's secret."
    )
    google_auth_url: str = Field(
        default="https://accounts.google.com/o/oauth2/v2/auth",
        description="Google's consent page (tests point it at a loopback peer).",
    )
    google_token_url: str = Field(
        default="https://oauth2.googleapis.com/token", description="Google's token endpoint."
    )
    google_api_url: str = Field(
        default="https://www.googleapis.com/calendar/v3",
        description="Base URL of the Google Calendar API.",
    )

    @field_validator("secret_key")
    @classmethod
    def _refuse_weak_secret(cls, value: str | None) -> str | None:
        if value is not None and len(value) < MIN_SECRET_LENGTH:
            raise ValueError(f"secret_key must be at least {MIN_SECRET_LENGTH} characters")
        return value

    @field_validator(
        "login_limit_per_ip",
        "login_limit_per_account_ip",
        "login_limit_per_account",
        "register_limit_per_ip",
        "portal_sessions_per_ip",
        "portal_messages_per_session",
        "portal_messages_per_ip",
        "portal_upload_mb_per_session",
    )
    @classmethod
    def _parseable_limit(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError as error:
            raise ValueError(f"not a rate limit like '30/minute': {error}") from None
        return value

    @field_validator("mail_from")
    @classmethod
    def _sender_has_an_address(cls, value: str) -> str:
        from email.utils import parseaddr

        _, address = parseaddr(value)
        if "@" not in address:
            raise ValueError('mail_from must be an address, like "Frontdesk <desk@example.com>"')
        return value

    @field_validator("calendar_backends")
    @classmethod
    def _known_calendars(cls, value: str) -> str:
        unknown = {part.strip() for part in value.split(",") if part.strip()} - {"caldav", "google"}
        if unknown:
            raise ValueError(f"calendar_backends: unknown {', '.join(sorted(unknown))}")
        return value

    @property
    def calendar_kinds(self) -> frozenset[str]:
        """The calendars a workspace may connect; google only with a client configured."""
        kinds = {part.strip() for part in self.calendar_backends.split(",") if part.strip()}
        if not (self.google_client_id and self.google_client_secret):
            kinds.discard("google")
        return frozenset(kinds)

    @field_validator("public_url")
    @classmethod
    def _strip_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'frontdesk.db').resolve()}"

    @property
    def resolved_storage_dir(self) -> Path:
        return self.storage_dir or self.data_dir / "uploads"

    @model_validator(mode="after")
    def _backends_have_what_they_need(self) -> Settings:
        if self.job_queue == "redis" and not self.redis_url:
            raise ValueError("job_queue=redis needs FRONTDESK_REDIS_URL")
        if self.storage == "s3" and not self.s3_bucket:
            raise ValueError("storage=s3 needs FRONTDESK_S3_BUCKET")
        if self.mail_backend == "smtp" and not self.smtp_host:
            raise ValueError("mail_backend=smtp needs FRONTDESK_SMTP_HOST")
        if self.smtp_password is not None and not self.smtp_username:
            raise ValueError("FRONTDESK_SMTP_PASSWORD needs FRONTDESK_SMTP_USERNAME")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @cached_property
    def signing_secret(self) -> str:
        """The configured secret, or one generated on first use and kept in the data dir,
        so restarts keep everyone signed in."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / SECRET_FILE_NAME
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(48)
        path.write_text(secret)
        path.chmod(0o600)
        return secret
