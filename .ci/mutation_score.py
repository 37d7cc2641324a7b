"""Score a mutmut 3 run from its result files (mutants/**/*.py.meta) and enforce a floor.

    python .ci/mutation_score.py [--floor PERCENT] [--seconds N] [--per-module] [GLOB ...]

GLOBs select mutants the way `mutmut run GLOB ...` does (fnmatch on names such as
`bot.services.pairing.x_unpair__mutmut_3`); none means every mutant on record. A GLOB that
matches no mutant is an error (exit 2): the subset has gone stale.

score = killed / (killed + survived + timeout + suspicious), where
- survived includes mutmut's "no tests" (no selected test reaches the mutant: nothing kills it);
- timeout includes mutmut's "segfault", which here means the SIGKILL that follows the CPU limit:
  a mutant that hangs (or a test run that hangs after mutmut's fork) is never counted as caught;
- "interrupted" (pytest's exit code 2, which a collection error gives too) counts as suspicious;
- "skipped" and "caught by type check" are left out; a mutant "not checked" means the run did
  not finish, which is an error (exit 2), not a score.
Exit 1 below the floor.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
from collections import Counter
from pathlib import Path

# mutmut's own reading of a worker's exit code (killed, survived, timeout, no tests, ...).
from mutmut.stats import status_by_exit_code

BUCKET = {
    "killed": "killed",
    "survived": "survived",
    "no tests": "survived",
    "timeout": "timeout",
    "segfault": "timeout",
    "suspicious": "suspicious",
    "skipped": "ignored",
    "caught by type check": "ignored",
    "check was interrupted by user": "suspicious",  # pytest's exit 2: also a collection error
    "not checked": "unfinished",
}
SCORED = ("killed", "survived", "timeout", "suspicious")


def load(mutants: Path, globs: list[str]) -> dict[str, dict[str, str]]:
    """Module path -> {mutant name: mutmut status}, for the selected mutants."""
    by_module: dict[str, dict[str, str]] = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        chosen = {
            name: status_by_exit_code[code]
            for name, code in codes.items()
            if not globs or any(name == g or fnmatch.fnmatch(name, g) for g in globs)
        }
        if chosen:
            by_module[str(meta.relative_to(mutants))[: -len(".meta")]] = chosen
    return by_module


def tally(statuses: dict[str, str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for status in statuses.values():
        counts[BUCKET.get(status, "suspicious")] += 1
        if status == "no tests":
            counts["no_tests"] += 1
    return counts


def score(counts: Counter[str]) -> float:
    scored = sum(counts[k] for k in SCORED)
    return 100.0 * counts["killed"] / scored if scored else 0.0


def line(label: str, counts: Counter[str]) -> str:
    return (
        f"{label}: score {score(counts):.1f}% killed {counts['killed']} "
        f"survived {counts['survived']} (no tests {counts['no_tests']}) "
        f"timeout {counts['timeout']} suspicious {counts['suspicious']} "
        f"of {sum(counts[k] for k in SCORED)} mutants"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("globs", nargs="*")
    parser.add_argument("--floor", type=float, default=0.0, help="minimum score, in percent")
    parser.add_argument("--seconds", type=int, help="the run's duration, for the summary")
    parser.add_argument("--per-module", action="store_true")
    parser.add_argument("--mutants", type=Path, default=Path("mutants"))
    args = parser.parse_args(argv)

    by_module = load(args.mutants, args.globs)
    names = [name for statuses in by_module.values() for name in statuses]
    stale = [g for g in args.globs if not any(n == g or fnmatch.fnmatch(n, g) for n in names)]
    if stale:
        print(f"mutation: no mutant matches {stale}: a function was renamed? update the subset")
        return 2
    if not by_module:
        print(f"mutation: no mutant results under {args.mutants} match {args.globs or 'any'}")
        return 2
    total: Counter[str] = Counter()
    for module, statuses in by_module.items():
        counts = tally(statuses)
        total += counts
        if args.per_module:
            print(line(f"  {module}", counts))
    if total["unfinished"]:
        print(f"mutation: {total['unfinished']} selected mutants were not checked: run unfinished")
        return 2
    took = f" in {args.seconds // 60}m{args.seconds % 60:02d}s" if args.seconds is not None else ""
    verdict = "ok" if score(total) >= args.floor else "BELOW THE FLOOR"
    print(f"{line('mutation', total)}{took}; floor {args.floor:g}%: {verdict}")
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
