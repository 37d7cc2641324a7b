"""README's set-up commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.+?)\n```", readme)
    test_command = next(b for b in blocks if "pytest" in b)
    run_command = next(b for b in blocks if "python -m bot" in b)
    assert test_command in (ROOT / ".ci" / "run").read_text()
    assert run_command.startswith("python3 -m venv .venv")
