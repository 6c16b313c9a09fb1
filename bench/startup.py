"""Start-up cost: CPU seconds of a whole `casebook` process that does almost nothing.

Run from the repository root:  python bench/startup.py [--repeat N]

Every command pays the start-up before its own work, and `casebook --help`
pays nothing else. Each row is one child process, timed as the CPU seconds
(user + system) the child used, so other load on a shared machine does not
decide the ratio; the best of N runs counts. The baseline, in the same run, is
the interpreter importing click (which the CLI is built on) and nothing else:

- ``python -c "import click"``: the baseline;
- ``python -c "import casebook.cli"``: the root command group and its table;
- ``casebook --help``: the same plus parsing and printing the command list;
- ``casebook import --help``: one command's module loaded (the import path:
  the project store, the importers, the document layer), for scale.

Target: ``casebook --help`` at most 1.5x the baseline.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
from pathlib import Path

TARGET = 1.5


def cpu_of(args: list[str]) -> float:
    """CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per row; the best counts")
    args = parser.parse_args(argv)

    script = Path(sys.executable).with_name("casebook")
    casebook = [str(script)] if script.exists() else [sys.executable, "-m", "casebook"]
    rows = {
        'python -c "import click"': [sys.executable, "-c", "import click"],
        'python -c "import casebook.cli"': [sys.executable, "-c", "import casebook.cli"],
        "casebook --help": [*casebook, "--help"],
        "casebook import --help": [*casebook, "import", "--help"],
    }
    best = {name: float("inf") for name in rows}
    for _ in range(args.repeat):  # interleaved, so a burst of load hits every row alike
        for name, cmd in rows.items():
            best[name] = min(best[name], cpu_of(cmd))

    base = best['python -c "import click"']
    print(f"start-up, whole processes, CPU seconds, best of {args.repeat}")
    print(f"{'':34} {'CPU s':>7} {'ratio':>7}")
    for name, seconds in best.items():
        print(f"{name:34} {seconds:7.3f} {seconds / base:6.2f}x")
    ratio = best["casebook --help"] / base
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"\ncasebook --help = {ratio:.2f}x bare `import click` (target <= {TARGET}x): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
