"""`python -m bot` without a token: one line, then the playground; `python -m bot run` still
explains how to get a token."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def environment(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "LOG_LEVEL")
    }
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def start(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """Start ``python -m bot ...`` and return it with its first stderr line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    ready, _, _ = select.select([process.stderr], [], [], 30)
    if not ready:
        process.kill()
        raise AssertionError("no output within 30 s")
    return process, process.stderr.readline()


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    try:
        _, rest = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return process.returncode, rest


def test_without_a_token_the_playground_starts_after_one_line(tmp_path: Path) -> None:
    process, line = start(["--port", "0"], tmp_path, environment())
    try:
        assert "TELEGRAM_BOT_TOKEN is not set" in line and "@BotFather" in line
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert match, line
        with urllib.request.urlopen(match.group(0) + "/", timeout=10) as page:
            assert page.status == 200
            assert "Couples bot" in page.read().decode()
    finally:
        code, rest = stop(process)
    assert code == 0
    assert rest.strip() == "", f"more than one line on stderr: {rest!r}"
    assert not (tmp_path / "data").exists()  # the database was a throwaway temp dir


def test_run_without_a_token_explains_botfather_and_exits_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=environment(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "@BotFather" in result.stderr
    assert "python -m bot playground" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_playground_command_ignores_a_configured_token(tmp_path: Path) -> None:
    env = environment(TELEGRAM_BOT_TOKEN="7654321:AAE-secret_token_value_0123456789")
    process, line = start(["playground", "--port", "0"], tmp_path, env)
    try:
        assert line.startswith("Playground: http://127.0.0.1:")
        assert "secret" not in line
    finally:
        code, _ = stop(process)
    assert code == 0
