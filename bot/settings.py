"""One typed Settings object: config.yml plus secrets from the environment, validated once.

`load_settings()` is called at start-up; any problem raises SettingsError whose message names
the key and says how to fix it, so the process stops before it does anything.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.errors import SettingsError

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE_CODES = ("en", "nl", "ar", "ti", "fa", "ps", "tr", "kmr", "ckb", "so", "fr", "uk", "ru")
RTL_LANGUAGES = frozenset({"ar", "fa", "ps", "ckb"})
PLACEHOLDER_SECRETS = frozenset(
    {"changeme", "change-me", "secret", "password", "xxx", "todo", "your-secret-here", "test"}
)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LanguageSettings(_Section):
    default: str = "en"
    supported: list[str] = Field(default_factory=lambda: list(LANGUAGE_CODES))
    required: list[str] = Field(default_factory=lambda: ["en", "nl"])

    @model_validator(mode="after")
    def _known(self) -> LanguageSettings:
        for code in [*self.supported, *self.required, self.default]:
            if code not in LANGUAGE_CODES:
                raise ValueError(f"unknown language code {code!r}; use one of {LANGUAGE_CODES}")
        if self.default not in self.supported:
            raise ValueError("default must be one of supported")
        if "en" not in self.required:
            raise ValueError("required must include en: English is the last fallback")
        return self


class NLUSettings(_Section):
    engine: Literal["embedded", "rasa"] = "embedded"
    data_dir: Path = Path("nlu")
    cache_dir: Path = Path("var/nlu-cache")
    threshold: float = Field(0.5, gt=0, lt=1)
    clarify_threshold: float = Field(0.3, gt=0, lt=1)
    max_text_length: int = Field(1000, ge=50, le=20000)

    @model_validator(mode="after")
    def _order(self) -> NLUSettings:
        if self.clarify_threshold > self.threshold:
            raise ValueError("clarify_threshold must not be above threshold")
        return self


class TranslationSettings(_Section):
    online: bool = False
    timeout_seconds: float = Field(3.0, gt=0, le=30)


class DialogueSettings(_Section):
    max_invalid_answers: int = Field(3, ge=1, le=10)
    fallbacks_before_coach: int = Field(2, ge=1, le=10)


class ContentSettings(_Section):
    dir: Path = Path("flows")


class WebSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    public_url: str | None = None

    @property
    def base_url(self) -> str:
        """Where links in messages point (the PDF for employers, for example)."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


class ConsoleSettings(_Section):
    """Sign-in and sessions of the admin and coach console (docs/console.md, security)."""

    idle_minutes: int = Field(60, ge=5, le=720)  # a session unused this long has ended
    login_attempts_per_ip: int = Field(20, ge=3, le=1_000_000)  # per connection address ...
    login_window_minutes: int = Field(10, ge=1, le=1440)  # ... in this many minutes
    login_checks_at_once: int = Field(1, ge=1, le=16)  # argon2 checks in parallel threads
    login_checks_waiting: int = Field(16, ge=0, le=1000)  # more waiting: "busy, try again"


class ChatSettings(_Section):
    """Limits of the public chat (docs/operations.md, "Abuse of the public chat"). Counts are
    kept in memory, per process; the coach requests of one person are counted in the database."""

    messages_per_minute: int = Field(60, ge=5, le=100_000)  # one person, any channel
    # one network address (web chat): a reception centre puts hundreds of people behind one
    messages_per_address_per_minute: int = Field(600, ge=10, le=1_000_000)
    coach_requests_per_person_per_day: int = Field(3, ge=1, le=1000)  # new tickets
    coach_requests_per_address_per_hour: int = Field(10, ge=1, le=1_000_000)  # web chat
    # someone who has not agreed to the privacy notice is kept this long after their last
    # message (language, the first question held for after a yes), then deleted by a sweep
    # that runs every minute: gone within the hour
    unconsented_minutes: int = Field(55, ge=5, le=55)


class StorageSettings(_Section):
    sqlite_path: Path = Path("var/werkpad.sqlite3")


class PrivacySettings(_Section):
    retention_days: int = Field(180, ge=1, le=3650)


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


class TeamSettings(_Section):
    """One team of coaches: when it works and which regions it covers (empty: all)."""

    name: str = Field("default", min_length=1, max_length=40)
    # day -> "HH:MM-HH:MM" in the team's time zone; a day not listed is a day off
    hours: dict[str, str] = Field(default_factory=lambda: {
        day: "09:00-17:00" for day in ("mon", "tue", "wed", "thu", "fri")})
    holidays: list[date] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    # what a person is told during working hours: "a coach usually answers within N minutes";
    # coaches are reminded of a ticket waiting longer than this
    reply_minutes: int = Field(60, ge=5, le=7 * 24 * 60)

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: dict[str, str]) -> dict[str, str]:
        for day, span in value.items():
            if day not in DAYS:
                raise ValueError(f"unknown day {day!r}; use {', '.join(DAYS)}")
            match = _HOURS.match(span)
            if match is None or span[:5] >= span[6:]:
                raise ValueError(f"{day}: {span!r} is not a span like 09:00-17:00")
        return value


class HandoffSettings(_Section):
    teams: list[TeamSettings] = Field(default_factory=lambda: [TeamSettings()])
    translate: bool = True  # translate between coach and person when a translator is on
    coach_languages: list[str] = Field(default_factory=lambda: ["nl", "en"])
    # admins see every team's tickets; off: admins see only their own teams', as coaches do
    admins_see_all: bool = True

    @model_validator(mode="after")
    def _teams(self) -> HandoffSettings:
        names = [team.name for team in self.teams]
        if not names:
            raise ValueError("teams: at least one team")
        if len(set(names)) != len(names):
            raise ValueError("teams: every team needs its own name")
        return self


class Secrets(_Section):
    """Values that only ever come from the environment."""

    telegram_bot_token: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_coach_group_id: int | None = None
    database_url: str | None = None
    rasa_url: str | None = None
    web_secret_key: str | None = None
    encryption_key: str | None = None  # message text encrypted at rest (bot/db/crypto.py)


class Settings(_Section):
    environment: Literal["development", "production"] = "development"
    timezone: str = "Europe/Amsterdam"
    languages: LanguageSettings = LanguageSettings()
    nlu: NLUSettings = NLUSettings()
    translation: TranslationSettings = TranslationSettings()
    dialogue: DialogueSettings = DialogueSettings()
    content: ContentSettings = ContentSettings()
    web: WebSettings = WebSettings()
    console: ConsoleSettings = ConsoleSettings()
    chat: ChatSettings = ChatSettings()
    storage: StorageSettings = StorageSettings()
    privacy: PrivacySettings = PrivacySettings()
    handoff: HandoffSettings = HandoffSettings()
    secrets: Secrets = Secrets()
    root: Path = ROOT

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}, e.g. Europe/Amsterdam") from exc
        return value

    def path(self, relative: Path) -> Path:
        """Resolve a configured path against the project root."""
        return relative if relative.is_absolute() else self.root / relative

    @property
    def database_url(self) -> str:
        if self.secrets.database_url:
            return normalise_database_url(self.secrets.database_url)
        return f"sqlite+aiosqlite:///{self.path(self.storage.sqlite_path)}"

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.secrets.telegram_bot_token)


def normalise_database_url(url: str) -> str:
    """Accept the usual postgres:// forms and pick the async driver."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix):]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///"):]
    return url


def _secrets_from_env(env: Mapping[str, str]) -> dict[str, Any]:
    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    values: dict[str, Any] = {
        "telegram_bot_token": get("TELEGRAM_BOT_TOKEN"),
        "telegram_webhook_url": get("TELEGRAM_WEBHOOK_URL"),
        "telegram_webhook_secret": get("TELEGRAM_WEBHOOK_SECRET"),
        "database_url": get("DATABASE_URL"),
        "rasa_url": get("RASA_URL"),
        "web_secret_key": get("WEB_SECRET_KEY"),
        "encryption_key": get("WERKPAD_ENCRYPTION_KEY"),
    }
    if base := get("TELEGRAM_API_BASE_URL"):
        values["telegram_api_base_url"] = base
    if group := get("TELEGRAM_COACH_GROUP_ID"):
        try:
            values["telegram_coach_group_id"] = int(group)
        except ValueError:
            raise SettingsError(
                "TELEGRAM_COACH_GROUP_ID must be a number like -1001234567890 "
                "(the id of the coaches' supergroup); unset it to run without one"
            ) from None
    return values


def _check_secrets(settings: Settings) -> None:
    s = settings.secrets
    token = s.telegram_bot_token
    if token is not None and not re.fullmatch(r"\d+:[A-Za-z0-9_-]+", token):
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then letters); "
            "copy it from @BotFather or unset it to run the web chat only"
        )
    if s.telegram_webhook_url:
        if not token:
            raise SettingsError(
                "TELEGRAM_WEBHOOK_URL is set but TELEGRAM_BOT_TOKEN is not; set both"
            )
        if not s.telegram_webhook_url.startswith("https://"):
            raise SettingsError(
                "TELEGRAM_WEBHOOK_URL must start with https:// (Telegram requires it)"
            )
        _require_strong("TELEGRAM_WEBHOOK_SECRET", s.telegram_webhook_secret, min_length=16)
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", s.telegram_webhook_secret or ""):
            raise SettingsError("TELEGRAM_WEBHOOK_SECRET may only hold A-Z, a-z, 0-9, _ and -")
    if settings.nlu.engine == "rasa" and not s.rasa_url:
        raise SettingsError(
            "nlu.engine is 'rasa' in config.yml but RASA_URL is not set; "
            "set RASA_URL=http://127.0.0.1:5005 (see `make rasa`) or use engine: embedded"
        )
    if settings.environment == "production":
        _require_strong("WEB_SECRET_KEY", s.web_secret_key, min_length=32)
        if not s.database_url:
            raise SettingsError("environment is production but DATABASE_URL is not set")
    elif s.web_secret_key is not None:
        _require_strong("WEB_SECRET_KEY", s.web_secret_key, min_length=32)


def _require_strong(name: str, value: str | None, *, min_length: int) -> None:
    if not value:
        raise SettingsError(f"{name} is required; generate one with `openssl rand -hex 32`")
    if value.lower() in PLACEHOLDER_SECRETS or len(value) < min_length:
        raise SettingsError(
            f"{name} is a placeholder or shorter than {min_length} characters; "
            "generate one with `openssl rand -hex 32`"
        )


def _format_validation_error(exc: ValidationError, source: Path) -> str:
    lines = [f"{source}: invalid settings"]
    for err in exc.errors():
        key = ".".join(str(part) for part in err["loc"])
        lines.append(f"  {key}: {err['msg']}")
    lines.append("Fix the key in config.yml (see the comments there) and start again.")
    return "\n".join(lines)


def load_settings(
    config_path: Path | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Read config.yml and the environment into one validated Settings object."""
    env = os.environ if env is None else env
    path = config_path or Path(env.get("WERKPAD_CONFIG") or ROOT / "config.yml")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise SettingsError(
            f"{path}: config file not found; set WERKPAD_CONFIG or create it"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise SettingsError(f"{path}:{where} is not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise SettingsError(f"{path}: the top level must be a mapping of keys")
    if "secrets" in raw:
        raise SettingsError(f"{path}: secrets must come from the environment, not config.yml")
    raw["secrets"] = _secrets_from_env(env)
    raw.setdefault("root", ROOT)
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        raise SettingsError(_format_validation_error(exc, path)) from None
    _check_secrets(settings)
    return settings


def web_secret_key(settings: Settings) -> str:
    """The session-signing key: from WEB_SECRET_KEY, or generated once for development."""
    if settings.secrets.web_secret_key:
        return settings.secrets.web_secret_key
    if settings.environment == "production":
        raise SettingsError("WEB_SECRET_KEY is required in production")
    key_file = settings.path(Path("var/web_secret_key"))
    key_file.parent.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()
