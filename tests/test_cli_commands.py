"""The lazy command table: `casebook --help` lists every command without importing one.

The root group (casebook/cli/__init__.py) names its commands in ``COMMANDS`` and
imports a command's module only when that command runs. These tests hold the
table to what the modules really register, and check that listing, help,
completion and a run load only what they need.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from casebook.cli import ALSO_LOADS, COMMANDS, cli


def _python(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def _registered() -> dict[str, tuple[str, click.Command]]:
    """Every root command each module's ``add`` registers, on a plain group."""
    found: dict[str, tuple[str, click.Command]] = {}
    for module in sorted({m for m, _help in COMMANDS.values()}):
        group = click.Group()
        importlib.import_module(f"casebook.cli.{module}").add(group)
        for name, cmd in group.commands.items():
            assert name not in found, f"{name} registered by {found[name][0]} and {module}"
            found[name] = (module, cmd)
    return found


def test_the_table_names_every_command_with_its_module_and_help() -> None:
    registered = _registered()
    assert sorted(registered) == sorted(COMMANDS)
    for name, (module, cmd) in registered.items():
        assert COMMANDS[name] == (module, cmd.get_short_help_str(10**6)), name
    for name, modules in ALSO_LOADS.items():
        assert name in COMMANDS and all(m in {v[0] for v in COMMANDS.values()} for m in modules)


def test_help_lists_every_command_as_the_loaded_commands_would() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from casebook.cli import cli\n"
        "lazy = CliRunner().invoke(cli, ['--help'], terminal_width=80).output\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('casebook.cli.'))\n"
        "for name in cli.list_commands(None):\n"
        "    cli.get_command(None, name)\n"
        "eager = CliRunner().invoke(cli, ['--help'], terminal_width=80).output\n"
        "print(json.dumps([lazy, eager, loaded]))\n"
    )
    proc = _python("import json\n" + code)
    assert proc.returncode == 0, proc.stderr
    lazy, eager, loaded = json.loads(proc.stdout)
    assert loaded == []  # listing the commands imported none of their modules
    assert lazy == eager
    for name in COMMANDS:
        assert f"\n  {name} " in lazy


def test_a_command_loads_only_its_own_module(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from casebook.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['--project', {str(tmp_path / 'p.db')!r}, 'case', 'add', 'Aland'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('casebook.cli.'))))\n"
    )
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [
        "casebook.cli.cases",
        "casebook.cli.output",
        "casebook.cli.state",
    ]


def test_a_subcommand_added_by_another_module_is_there() -> None:
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert result.exit_code == 0
    assert "synthesis" in result.output and "quotes" in result.output
    assert CliRunner().invoke(cli, ["export", "synthesis", "--help"]).exit_code == 0


def test_command_help_and_unknown_commands() -> None:
    result = CliRunner().invoke(cli, ["import", "--help"])
    assert result.exit_code == 0 and "--case" in result.output
    result = CliRunner().invoke(cli, ["no-such-command"])
    assert result.exit_code == 2 and "No such command" in result.output


def test_shell_completion_of_commands_and_subcommands() -> None:
    def complete(words: str) -> list[str]:
        proc = subprocess.run(
            [sys.executable, "-m", "casebook"],
            capture_output=True,
            text=True,
            env={
                **os.environ,
                "_CASEBOOK_COMPLETE": "bash_complete",
                "COMP_WORDS": words,
                "COMP_CWORD": str(len(words.split()) - 1),
            },
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.split()

    assert complete("casebook co") == [
        "plain,code",
        "plain,codebook",
        "plain,coder",
        "plain,coder-pack",
        "plain,codings",
        "plain,compare-rounds",
        "plain,conflicts",
        "plain,contrast",
        "plain,contrasts",
        "plain,cooccurrence",
    ]
    assert complete("casebook export sy") == ["plain,synthesis"]
