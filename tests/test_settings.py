"""Settings: config.yml plus environment, validated once; errors name the key and the fix."""

from pathlib import Path

import pytest

from bot.errors import SettingsError
from bot.settings import ROOT, load_settings


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.yml"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_shipped_config_loads_with_an_empty_environment() -> None:
    settings = load_settings(ROOT / "config.yml", env={})
    assert settings.nlu.engine == "embedded"
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.languages.supported[:2] == ["en", "nl"]
    assert not settings.telegram_enabled


def test_database_url_from_the_environment_gets_the_async_driver() -> None:
    settings = load_settings(ROOT / "config.yml", env={"DATABASE_URL": "postgres://u@h/db"})
    assert settings.database_url == "postgresql+asyncpg://u@h/db"


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "nlu:\n  engine: [embedded\n")
    with pytest.raises(SettingsError, match="line"):
        load_settings(path, env={})


def test_unknown_key_names_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, "nlu:\n  engin: rasa\n")
    with pytest.raises(SettingsError, match=r"nlu\.engin"):
        load_settings(path, env={})


def test_wrong_value_names_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, "nlu:\n  threshold: 7\n")
    with pytest.raises(SettingsError, match=r"nlu\.threshold"):
        load_settings(path, env={})


def test_unknown_language_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "languages:\n  supported: [en, xx]\n")
    with pytest.raises(SettingsError, match="unknown language code 'xx'"):
        load_settings(path, env={})


def test_rasa_engine_without_rasa_url_says_how_to_fix(tmp_path: Path) -> None:
    path = write(tmp_path, "nlu:\n  engine: rasa\n")
    with pytest.raises(SettingsError, match="RASA_URL"):
        load_settings(path, env={})


def test_placeholder_web_secret_is_refused() -> None:
    with pytest.raises(SettingsError, match="WEB_SECRET_KEY"):
        load_settings(ROOT / "config.yml", env={"WEB_SECRET_KEY": "changeme"})


def test_production_requires_secret_and_database(tmp_path: Path) -> None:
    path = write(tmp_path, "environment: production\n")
    with pytest.raises(SettingsError, match="WEB_SECRET_KEY"):
        load_settings(path, env={})
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        load_settings(path, env={"WEB_SECRET_KEY": "a" * 40})


def test_webhook_needs_https_and_a_strong_secret() -> None:
    base = {"TELEGRAM_BOT_TOKEN": "123:abc", "TELEGRAM_WEBHOOK_URL": "https://x.example/tg"}
    with pytest.raises(SettingsError, match="TELEGRAM_WEBHOOK_SECRET"):
        load_settings(ROOT / "config.yml", env=base)
    with pytest.raises(SettingsError, match="https"):
        load_settings(ROOT / "config.yml", env={**base, "TELEGRAM_WEBHOOK_URL": "http://x/tg",
                                                "TELEGRAM_WEBHOOK_SECRET": "s" * 20})
    ok = load_settings(ROOT / "config.yml", env={**base, "TELEGRAM_WEBHOOK_SECRET": "s" * 20})
    assert ok.secrets.telegram_webhook_url == "https://x.example/tg"


def test_bad_token_and_group_id_are_refused() -> None:
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN"):
        load_settings(ROOT / "config.yml", env={"TELEGRAM_BOT_TOKEN": "not a token"})
    with pytest.raises(SettingsError, match="TELEGRAM_COACH_GROUP_ID"):
        load_settings(ROOT / "config.yml", env={"TELEGRAM_COACH_GROUP_ID": "coaches"})


def test_secrets_in_config_file_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "secrets:\n  web_secret_key: abc\n")
    with pytest.raises(SettingsError, match="environment"):
        load_settings(path, env={})


def test_a_cli_command_stops_before_doing_anything_on_bad_config(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = write(tmp_path, "web:\n  port: 99999\n")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(path), "db", "upgrade"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert done.returncode == 2
    assert "web.port" in done.stderr
    assert "database is up to date" not in done.stdout
