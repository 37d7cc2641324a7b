"""BOT_MODE and the webhook settings: defaults, and errors that name the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "7654321:AAE-secret_token_value_0123456789"
SECRET = "s3cr3t-Value_for-the-webhook"
WEBHOOK_VARIABLES = ("BOT_MODE", "WEBHOOK_URL", "WEBHOOK_LISTEN", "WEBHOOK_PORT", "WEBHOOK_SECRET")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)
    for name in WEBHOOK_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    return monkeypatch


def webhook_env(env: pytest.MonkeyPatch, **values: str) -> None:
    env.setenv("BOT_MODE", "webhook")
    env.setenv("WEBHOOK_URL", "https://bot.example.org/telegram/hook")
    env.setenv("WEBHOOK_SECRET", SECRET)
    for name, value in values.items():
        env.setenv(name, value)


def test_polling_is_the_default(env: pytest.MonkeyPatch) -> None:
    settings = load_settings(env_file=None)
    assert settings.mode == "polling" and settings.webhook is None
    # Webhook variables are not looked at in polling mode.
    env.setenv("WEBHOOK_SECRET", "not allowed!")
    assert load_settings(env_file=None).webhook is None


def test_webhook_settings_and_defaults(env: pytest.MonkeyPatch) -> None:
    webhook_env(env, BOT_MODE="Webhook")
    settings = load_settings(env_file=None)
    assert settings.mode == "webhook" and settings.webhook is not None
    webhook = settings.webhook
    assert webhook.url == "https://bot.example.org/telegram/hook"
    assert webhook.path == "/telegram/hook"
    assert (webhook.listen, webhook.port) == ("127.0.0.1", 8443)
    assert webhook.secret == SECRET
    assert SECRET not in repr(settings) and TOKEN not in repr(settings)

    webhook_env(env, WEBHOOK_LISTEN="0.0.0.0", WEBHOOK_PORT="9000")
    webhook = load_settings(env_file=None).webhook
    assert webhook is not None and (webhook.listen, webhook.port) == ("0.0.0.0", 9000)
    webhook_env(env, WEBHOOK_URL="https://bot.example.org")
    webhook = load_settings(env_file=None).webhook
    assert webhook is not None and webhook.path == "/"


@pytest.mark.parametrize(
    ("values", "variable"),
    [
        ({"BOT_MODE": "push"}, "BOT_MODE"),
        ({"WEBHOOK_URL": ""}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "http://bot.example.org/hook"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https:///hook"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https://bot.example.org:8080/hook"}, "WEBHOOK_URL"),
        ({"WEBHOOK_SECRET": ""}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_SECRET": "has spaces"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_SECRET": "ünïcode"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_SECRET": "a" * 257}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_PORT": "https"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_PORT": "0"}, "WEBHOOK_PORT"),
        ({"WEBHOOK_PORT": "70000"}, "WEBHOOK_PORT"),
    ],
)
def test_bad_webhook_settings_name_the_variable(
    env: pytest.MonkeyPatch, values: dict[str, str], variable: str
) -> None:
    webhook_env(env, **values)
    with pytest.raises(ConfigError) as raised:
        load_settings(env_file=None)
    message = str(raised.value)
    assert message.startswith(variable)
    assert "\n" not in message
    if variable == "WEBHOOK_SECRET" and values["WEBHOOK_SECRET"]:
        assert values["WEBHOOK_SECRET"] not in message  # never echo a secret


def test_longest_secret_is_accepted(env: pytest.MonkeyPatch) -> None:
    webhook_env(env, WEBHOOK_SECRET="A-z_9" * 51 + "x")  # 256 characters
    assert load_settings(env_file=None).webhook is not None


def test_webhook_mode_without_a_secret_refuses_to_start_in_one_line(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k not in WEBHOOK_VARIABLES}
    environment.update(
        PYTHONPATH=str(ROOT),
        TELEGRAM_BOT_TOKEN=TOKEN,
        BOT_MODE="webhook",
        WEBHOOK_URL="https://bot.example.org/hook",
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("WEBHOOK_SECRET is required"), result.stderr
    assert not (tmp_path / "data").exists()  # refused before touching anything
