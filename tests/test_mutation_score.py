"""The mutation score of .ci/mutation: time-outs and mutants no test reaches are never kills,
an unfinished run is an error, and the floor is enforced."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "mutation_score.py"


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation_score", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_meta(mutants: Path, source: str, codes: dict[str, int | None]) -> None:
    meta = mutants / (source + ".meta")
    meta.parent.mkdir(parents=True, exist_ok=True)
    meta.write_text(json.dumps({"exit_code_by_key": codes}))


def test_timeouts_and_untested_mutants_count_against_the_score(
    scorer: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_meta(
        tmp_path,
        "bot/services/pairing.py",
        {
            "bot.services.pairing.x_a__mutmut_1": 1,  # killed
            "bot.services.pairing.x_a__mutmut_2": 1,  # killed
            "bot.services.pairing.x_a__mutmut_3": 0,  # survived
            "bot.services.pairing.x_a__mutmut_4": -24,  # SIGXCPU: timeout
            "bot.services.pairing.x_a__mutmut_5": -9,  # SIGKILL after the CPU limit: timeout
            "bot.services.pairing.x_a__mutmut_6": 33,  # no tests: survived
            "bot.services.pairing.x_a__mutmut_7": 35,  # suspicious
            "bot.services.pairing.x_a__mutmut_8": 34,  # skipped: left out
        },
    )
    counts = scorer.tally(scorer.load(tmp_path, [])["bot/services/pairing.py"])
    assert (counts["killed"], counts["survived"], counts["timeout"]) == (2, 2, 2)
    assert (counts["suspicious"], counts["no_tests"], counts["ignored"]) == (1, 1, 1)
    assert scorer.score(counts) == pytest.approx(100 * 2 / 7)

    assert scorer.main(["--mutants", str(tmp_path), "--floor", "28"]) == 0
    assert scorer.main(["--mutants", str(tmp_path), "--floor", "29"]) == 1
    assert "BELOW THE FLOOR" in capsys.readouterr().out


def test_globs_select_mutants_like_mutmut_run(scorer: ModuleType, tmp_path: Path) -> None:
    write_meta(tmp_path, "bot/services/pairing.py", {"bot.services.pairing.x_a__mutmut_1": 0})
    write_meta(tmp_path, "scheduler/tick.py", {"scheduler.tick.x_run__mutmut_1": 1})
    assert set(scorer.load(tmp_path, ["scheduler.tick.*"])) == {"scheduler/tick.py"}
    assert scorer.main(["--mutants", str(tmp_path), "--floor", "100", "scheduler.*"]) == 0
    assert scorer.main(["--mutants", str(tmp_path), "--floor", "100"]) == 1
    # a glob that matches nothing (a renamed function) makes the subset stale: an error
    assert scorer.main(["--mutants", str(tmp_path), "scheduler.*", "scheduler.tick.x_gone*"]) == 2


def test_an_unfinished_run_or_no_results_is_an_error(scorer: ModuleType, tmp_path: Path) -> None:
    assert scorer.main(["--mutants", str(tmp_path)]) == 2
    write_meta(tmp_path, "scheduler/tick.py", {"scheduler.tick.x_run__mutmut_1": None})
    assert scorer.main(["--mutants", str(tmp_path)]) == 2
