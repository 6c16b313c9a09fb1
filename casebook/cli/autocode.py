"""casebook autocode / suggestions: rules propose passages, a coder accepts or rejects them."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from casebook.autocode import queue
from casebook.autocode import rules as rules_mod
from casebook.autocode.queue import list_suggestions
from casebook.autocode.units import Scope, split_values
from casebook.cli.output import emit_json, table
from casebook.cli.state import State, pass_state
from casebook.errors import InvalidInput

_RULE_OPTIONS = (
    ("words", "words"),
    ("lemma", "lemma"),
    ("pattern", "pattern"),
    ("speaker_role", "speaker-role"),
    ("section", "section"),
)


def _snippet(text: str | None, width: int = 70) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _print_run(result, verbose: bool) -> None:
    rule = result.rule
    head = "would suggest" if result.dry_run else "suggested"
    click.echo(f"{rule.describe()}")
    if result.dry_run or verbose:
        rows = [
            {"document": m.document, "start": m.start, "end": m.end, "score": f"{m.score:g}"}
            for m in result.matches
        ]
        if rows:
            table(rows, ["document", "start", "end", "score"])
    line = f"{head} {len(result.matches)} passage{'s' if len(result.matches) != 1 else ''}"
    if not result.dry_run:
        line += f" ({result.added} new, {result.known} already in the queue or decided)"
    if result.coded:
        line += f"; {result.coded} already coded {rule.code}, left out"
    click.echo(line)
    if not result.dry_run:
        click.echo(
            f"rule: {rule.name} — review with `casebook suggestions --rule {shlex.quote(rule.name or '')}`"
            " or in the workbench"
        )


@click.command("autocode")
@click.option("--code", "code_ref", metavar="CODE", help="The code to suggest.")
@click.option(
    "--words", metavar='"W1, W2"', help="Whole words or phrases, comma-separated, any case."
)
@click.option("--lemma", metavar="WORD", help="A word in any inflection (by lemma).")
@click.option("--pattern", metavar="REGEX", help="A regular expression over the text.")
@click.option(
    "--speaker-role", "speaker_role", metavar="ROLE", help="Every turn of speakers with this role."
)
@click.option(
    "--section", metavar="HEADING", help="Whole sections whose heading resembles HEADING."
)
@click.option("--like", is_flag=True, help="Passages similar to those already coded with CODE.")
@click.option(
    "--method",
    type=click.Choice(["tfidf", "vectors"]),
    default="tfidf",
    show_default=True,
    help="--like similarity: lemma TF-IDF, or a spaCy model's vectors when one is installed.",
)
@click.option("--top", type=int, metavar="N", help="Keep only the N best-scoring passages.")
@click.option(
    "--min-score",
    "min_score",
    type=float,
    metavar="S",
    help="Keep passages scoring at least S (--like: cosine, default chosen on held-out data).",
)
@click.option(
    "--unit",
    type=click.Choice(["sentence", "turn", "paragraph", "section"]),
    help="How much text a suggestion covers (default: sentence; turn for --speaker-role; "
    "section for --section).",
)
@click.option(
    "--case",
    "cases",
    multiple=True,
    metavar="CASE",
    help="Only these cases (repeat or comma-separate).",
)
@click.option("--kind", "kinds", multiple=True, metavar="KIND", help="Only documents of this kind.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="ROLE",
    help="Only documents with this respondent role.",
)
@click.option("--dry-run", is_flag=True, help="Show what would be suggested; change nothing.")
@click.option(
    "--save", "save_name", metavar="NAME", help="Save the rule under NAME to re-run it later."
)
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Save and run every rule in a YAML rules file (see codebooks/sto-autocode.yaml).",
)
@click.option(
    "--run", "run_names", multiple=True, metavar="NAME", help="Re-run a saved rule (repeatable)."
)
@click.option("--run-all", is_flag=True, help="Re-run every saved rule (e.g. after an import).")
@click.option("--list", "list_rules", is_flag=True, help="List the saved rules.")
@click.option(
    "--delete",
    "delete_name",
    metavar="NAME",
    help="Delete a saved rule and its pending suggestions.",
)
@click.option("--verbose", "-v", is_flag=True, help="List every suggested passage.")
@pass_state
def autocode_cmd(
    state: State,
    code_ref: str | None,
    words: str | None,
    lemma: str | None,
    pattern: str | None,
    speaker_role: str | None,
    section: str | None,
    like: bool,
    method: str,
    top: int | None,
    min_score: float | None,
    unit: str | None,
    cases: tuple[str, ...],
    kinds: tuple[str, ...],
    roles: tuple[str, ...],
    dry_run: bool,
    save_name: str | None,
    rules_file: Path | None,
    run_names: tuple[str, ...],
    run_all: bool,
    list_rules: bool,
    delete_name: str | None,
    verbose: bool,
) -> None:
    """Suggest passages for a code by a rule; a coder accepts or rejects them (`casebook suggestions`).

    \b
    casebook autocode --code BEL.TIJD --lemma tijd
    casebook autocode --code SAM.VMBO_MBO --like --top 20
    casebook autocode --code VGR.CORONA --section "Gevolgen van corona" --kind progress_report --save corona
    casebook autocode --rules codebooks/sto-autocode.yaml   # report sections → VGR codes
    casebook autocode --run-all                      # after importing new documents
    """
    project = state.project()
    if list_rules:
        rows = rules_mod.list_rules(project)
        if not rows:
            click.echo("no saved rules; save one with --save NAME")
            return
        table(
            [{**r, "rule": f"{r['kind'].replace('_', '-')} {r['query']}".strip()} for r in rows],
            ["name", "code", "rule", "unit", "scope", "pending", "accepted", "rejected"],
        )
        return
    if delete_name:
        n = rules_mod.delete_rule(project, delete_name)
        click.echo(
            f"deleted rule {delete_name} ({n} suggestion{'s' if n != 1 else ''} removed from the queue)"
        )
        return
    if rules_file is not None:
        rules = rules_mod.rules_from_file(project, rules_file)
        for result in rules_mod.run_rules(project, rules, dry_run=dry_run):
            _print_run(result, verbose)
        return
    if run_names or run_all:
        for result in rules_mod.run_saved(project, list(run_names) or None):
            _print_run(result, verbose)
        return
    given = {
        k: v
        for k, v in (
            ("words", words),
            ("lemma", lemma),
            ("pattern", pattern),
            ("speaker_role", speaker_role),
            ("section", section),
        )
        if v is not None
    }
    if like:
        given["like"] = "" if method == "tfidf" else method
    if not code_ref:
        raise InvalidInput(
            "give --code CODE and one rule (--words, --lemma, --pattern, --speaker-role, "
            "--section or --like), or --run NAME / --list"
        )
    if len(given) != 1:
        raise InvalidInput(
            "give exactly one rule: --words, --lemma, --pattern, --speaker-role, --section or --like"
        )
    ((kind, query),) = given.items()
    scope = Scope(split_values(cases), split_values(kinds), split_values(roles))
    rule = rules_mod.make_rule(
        project,
        code_ref,
        kind,
        query,
        unit=unit,
        scope=scope,
        top=top,
        min_score=min_score,
        name=save_name,
    )
    result = rules_mod.run_rule(project, rule, dry_run=dry_run, save=bool(save_name))
    _print_run(result, verbose)


@click.group("suggestions", invoke_without_command=True)
@click.option("--code", "code_ref", metavar="CODE", help="Only suggestions of this code.")
@click.option("--rule", "rule_name", metavar="NAME", help="Only suggestions of this rule.")
@click.option(
    "--status",
    type=click.Choice(["pending", "accepted", "rejected", "all"]),
    default="pending",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="As JSON.")
@click.pass_context
def suggestions_cmd(
    ctx: click.Context, code_ref: str | None, rule_name: str | None, status: str, as_json: bool
) -> None:
    """The suggestion queue; `accept` or `reject` them by id, --rule NAME or --all."""
    if ctx.invoked_subcommand is not None:
        return
    state = ctx.ensure_object(State)
    rows = list_suggestions(
        state.project(), code=code_ref, rule=rule_name, status=None if status == "all" else status
    )
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("no suggestions" + ("" if status == "all" else f" ({status})"))
        return
    table(
        [
            {
                **r,
                "score": f"{r['score']:g}" if r["score"] is not None else "",
                "passage": _snippet(r["quote"]),
            }
            for r in rows
        ],
        ["id", "document", "start", "end", "code", "rule", "score", "status", "passage"],
    )
    click.echo(f"{len(rows)} suggestion{'s' if len(rows) != 1 else ''}")


def _decide(
    state: State,
    verb: str,
    ids: tuple[str, ...],
    rule_name: str | None,
    every: bool,
    code_ref: str | None,
    other_code: str | None = None,
) -> None:
    project = state.project()
    chosen = queue.select_ids(project, ids, rule=rule_name, every=every, code=code_ref)
    if not chosen:
        click.echo("no pending suggestions to " + verb)
        return
    if verb == "accept":
        decision = queue.accept(project, chosen, code=other_code)
        done = decision.accepted
        click.echo(
            f"accepted {len(done)} suggestion{'s' if len(done) != 1 else ''} as codings by {project.coder}"
        )
    else:
        decision = queue.reject(project, chosen)
        done = decision.rejected
        click.echo(f"rejected {len(done)} suggestion{'s' if len(done) != 1 else ''}")
    if decision.skipped:
        click.echo(
            f"skipped {len(decision.skipped)} already decided: "
            + ", ".join(str(i) for i in decision.skipped[:10])
        )


@suggestions_cmd.command("accept")
@click.argument("ids", nargs=-1)
@click.option("--rule", "rule_name", metavar="NAME", help="Every pending suggestion of this rule.")
@click.option(
    "--all", "every", is_flag=True, help="Every pending suggestion (of --code, if given)."
)
@click.option(
    "--code", "code_ref", metavar="CODE", help="With --all: only this code's suggestions."
)
@click.option(
    "--as", "other_code", metavar="CODE", help="Apply this code instead of the suggested one."
)
@pass_state
def accept_cmd(
    state: State,
    ids: tuple[str, ...],
    rule_name: str | None,
    every: bool,
    code_ref: str | None,
    other_code: str | None,
) -> None:
    """Accept suggestions: each becomes a coding by you, with the rule in its history."""
    _decide(state, "accept", ids, rule_name, every, code_ref, other_code)


@suggestions_cmd.command("reject")
@click.argument("ids", nargs=-1)
@click.option("--rule", "rule_name", metavar="NAME", help="Every pending suggestion of this rule.")
@click.option(
    "--all", "every", is_flag=True, help="Every pending suggestion (of --code, if given)."
)
@click.option(
    "--code", "code_ref", metavar="CODE", help="With --all: only this code's suggestions."
)
@pass_state
def reject_cmd(
    state: State, ids: tuple[str, ...], rule_name: str | None, every: bool, code_ref: str | None
) -> None:
    """Reject suggestions; the rule will not propose those passages again."""
    _decide(state, "reject", ids, rule_name, every, code_ref)


def add(group: click.Group) -> None:
    group.add_command(autocode_cmd)
    group.add_command(suggestions_cmd)
