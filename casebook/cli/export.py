"""casebook export quotes / codebook / case-report"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from casebook.cli.output import emit_json, split_values
from casebook.cli.state import State, pass_state
from casebook.codes.io import export_codebook
from casebook.exchange.taguette import write_taguette_csv
from casebook.privacy.policy import PrivacyOptions
from casebook.reports.case_report import CaseReportOptions, export_case_report
from casebook.reports.codebook_docx import write_codebook_docx
from casebook.reports.export import export_quotes
from casebook.reports.labels import parse_fields
from casebook.reports.quotebank import QuoteOptions, QuoteQuery


def _privacy_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed(
        [
            click.option(
                "--pseudonymise",
                "--pseudonymize",
                "pseudonymise",
                is_flag=True,
                help="Replace person names (from `casebook persons`) by role labels or [naam].",
            ),
            click.option(
                "--case-codes",
                is_flag=True,
                help="Also replace case names by codes (regio A, B, …).",
            ),
            click.option(
                "--org-types",
                is_flag=True,
                help="Also replace organisation names by their type (een mbo-instelling).",
            ),
            click.option(
                "--person-label",
                type=click.Choice(["role", "name", "pseudonym"]),
                default="role",
                show_default=True,
                help="Replace a person by their role ([programmamanager]), by [naam], or by a "
                "numbered pseudonym ([Respondent 1]) that the key maps back.",
            ),
            click.option(
                "--key",
                "key",
                type=click.Path(path_type=Path),
                help="Where to write the pseudonymisation key (default: beside the project file).",
            ),
            click.option(
                "--strict",
                is_flag=True,
                help="Fail (and remove the file) when name-like text remains after pseudonymising.",
            ),
            click.option(
                "--language", type=click.Choice(["nl", "en"]), default="nl", show_default=True
            ),
        ]
    ):
        func = opt(func)
    return func


def _report(result: Any, as_json: bool, what: str) -> None:
    if as_json:
        emit_json(
            {
                "path": str(result.path),
                what: result.quotes,
                "key": str(result.key) if result.key else None,
                "leftovers": result.leftovers,
                "notes": result.notes,
            }
        )
        return
    click.echo(f"wrote {result.path}: {result.quotes} {what}")
    for note in result.notes:
        click.echo(f"  note: {note}", err=True)
    if result.key:
        click.echo(f"  pseudonymisation key: {result.key} (keep it apart from the export)")
    if getattr(result, "suspects", None):
        shown = ", ".join(s.word for s in result.suspects[:12]) + (
            " …" if len(result.suspects) > 12 else ""
        )
        click.echo(
            f"  note: {len(result.suspects)} capitalised words nothing explains: {shown}; "
            "--strict refuses the export until each is registered or rejected",
            err=True,
        )
    if result.leftovers:
        shown = ", ".join(result.leftovers[:12]) + (" …" if len(result.leftovers) > 12 else "")
        click.echo(
            f"  warning: {len(result.leftovers)} name-like strings remain: {shown}\n"
            "  register them with `casebook persons add NAME`, or `casebook persons reject NAME` if they are "
            "not names; --strict makes this an error",
            err=True,
        )


@click.group("export")
def export_group() -> None:
    """Documents for the report team: quote banks, the codebook, case reports."""


@export_group.command("quotes")
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--code",
    "codes",
    multiple=True,
    help="Code (repeat or comma-separate for OR); default: all codes.",
)
@click.option(
    "--and", "and_codes", multiple=True, metavar="CODE", help="Keep quotes with this code related."
)
@click.option(
    "--not", "not_codes", multiple=True, metavar="CODE", help="Drop quotes with this code related."
)
@click.option(
    "--within",
    default="overlap",
    show_default=True,
    help="Relation for --and/--not: overlap, turn, paragraph, sentences:N.",
)
@click.option(
    "--children/--no-children", default=True, help="Codes include their child codes (default)."
)
@click.option("--case", "cases", multiple=True)
@click.option("--role", "roles", multiple=True, help="Speaker role (programmamanager, mbo, …).")
@click.option("--round", "rounds", multiple=True)
@click.option("--coder", "coders", multiple=True)
@click.option(
    "--kind", "kinds", multiple=True, help="Document kind: interview, progress_report, plan, other."
)
@click.option("--document", "documents", multiple=True)
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="KEY=VALUE",
    help="A case attribute, e.g. krimp=ja.",
)
@click.option("--min-length", type=int, help="Shortest quote, in characters.")
@click.option("--max-length", type=int, help="Longest quote, in characters.")
@click.option(
    "--group-by",
    type=click.Choice(["code-case", "case-code", "code-role"]),
    default="code-case",
    show_default=True,
)
@click.option(
    "--attribution",
    "attribution",
    default="role,case,round",
    show_default=True,
    help="Fields of the attribution line: role, case, round, kind, document, date.",
)
@click.option(
    "--context/--no-context", default=False, help="Show the interviewer's preceding question."
)
@click.option(
    "--memos",
    type=click.Choice(["comments", "notes", "none"]),
    default="comments",
    show_default=True,
    help="Coding memos as Word comments, numbered notes at the end, or left out.",
)
@click.option(
    "--merge",
    type=click.Choice(["overlap", "exact", "none"]),
    default="overlap",
    show_default=True,
    help="Join overlapping passages of one code (e.g. by two coders) into one quote.",
)
@click.option("--title", help="Title on the first page.")
@click.option("--ids", is_flag=True, help="Show code ids next to labels in headings and tables.")
@_privacy_options
@click.option("--json", "as_json", is_flag=True)
@pass_state
def quotes_cmd(
    state: State,
    out: Path,
    codes: tuple[str, ...],
    and_codes: tuple[str, ...],
    not_codes: tuple[str, ...],
    within: str,
    children: bool,
    cases: tuple[str, ...],
    roles: tuple[str, ...],
    rounds: tuple[str, ...],
    coders: tuple[str, ...],
    kinds: tuple[str, ...],
    documents: tuple[str, ...],
    filters: tuple[str, ...],
    min_length: int | None,
    max_length: int | None,
    group_by: str,
    attribution: str,
    context: bool,
    memos: str,
    merge: str,
    title: str | None,
    ids: bool,
    pseudonymise: bool,
    case_codes: bool,
    org_types: bool,
    person_label: str,
    key: Path | None,
    strict: bool,
    language: str,
    as_json: bool,
) -> None:
    """Write a quote bank to OUT (.docx, .xlsx or .csv).

    \b
    casebook export quotes bel.docx --code BEL --round 2022 --context
    casebook export quotes sam.docx --code SAM --group-by code-role --pseudonymise --case-codes --strict
    casebook export quotes all.xlsx --pseudonymise
    """
    query = QuoteQuery(
        codes=split_values(codes),
        and_codes=split_values(and_codes),
        not_codes=split_values(not_codes),
        within=within,
        children=children,
        cases=split_values(cases),
        roles=[r.lower() for r in split_values(roles)],
        rounds=split_values(rounds),
        coders=split_values(coders),
        kinds=split_values(kinds),
        documents=list(documents),
        filters=list(filters),
        min_length=min_length,
        max_length=max_length,
        merge=merge,
    )
    options = QuoteOptions(
        group_by=group_by,
        fields=parse_fields(attribution),
        language=language,
        context=context,
        memos=memos,
        title=title,
        ids=ids,
    )
    privacy = PrivacyOptions(
        persons=pseudonymise,
        cases=case_codes,
        organisations=org_types,
        person_label=person_label,
        language=language,
    )
    result = export_quotes(state.project(), out, query, options, privacy, key=key, strict=strict)
    _report(result, as_json, "quotes")


@click.command("codebook")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--language", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--title", help="Title on the first page.")
@click.option("--ids", is_flag=True, help="Show code ids next to labels in headings.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "taguette"]),
    default="auto",
    show_default=True,
    help="taguette: a CSV with the tag and description columns Taguette imports.",
)
@pass_state
def codebook_cmd(
    state: State, out: Path, language: str, title: str | None, ids: bool, fmt: str
) -> None:
    """Write the codebook to OUT: .docx (definitions, when to use, examples, counts), .yaml or .csv.

    \b
    casebook export codebook codeboek.docx
    casebook export codebook taguette.csv --format taguette
    """
    project = state.project()
    if fmt == "taguette":
        n = write_taguette_csv(project, out)
    elif out.suffix.lower() == ".docx":
        n = write_codebook_docx(project, out, language=language, title=title, ids=ids)
    else:
        n = export_codebook(project, out)
    click.echo(f"wrote {out}: {n} codes")


@click.command("case-report")
@click.argument("case")
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--framework",
    "framework",
    help="Framework matrix whose row to show (default: every framework).",
)
@click.option("--per-theme", type=int, default=3, show_default=True, help="Key quotes per theme.")
@click.option(
    "--themes",
    "themes",
    multiple=True,
    help="Codes used as themes for key quotes (default: framework themes, else top-level codes).",
)
@click.option("--no-graph", is_flag=True, help="Leave out the collaboration network picture.")
@click.option("--title", help="Title on the first page.")
@click.option("--ids", is_flag=True, help="Show code ids next to labels in headings.")
@_privacy_options
@click.option("--json", "as_json", is_flag=True)
@pass_state
def case_report_cmd(
    state: State,
    case: str,
    out: Path,
    framework: str | None,
    per_theme: int,
    themes: tuple[str, ...],
    no_graph: bool,
    title: str | None,
    ids: bool,
    pseudonymise: bool,
    case_codes: bool,
    org_types: bool,
    person_label: str,
    key: Path | None,
    strict: bool,
    language: str,
    as_json: bool,
) -> None:
    """Write one case's report to OUT.docx: attributes, framework row, network picture, key quotes.

    \b
    casebook export case-report Lindeveen lindeveen.docx
    casebook export case-report Lindeveen regio.docx --pseudonymise --case-codes --org-types
    """
    privacy = PrivacyOptions(
        persons=pseudonymise,
        cases=case_codes,
        organisations=org_types,
        person_label=person_label,
        language=language,
    )
    options = CaseReportOptions(
        framework=framework,
        per_theme=per_theme,
        themes=split_values(themes),
        graph=not no_graph,
        language=language,
        title=title,
        ids=ids,
    )
    result = export_case_report(
        state.project(), case, out, options, privacy, key=key, strict=strict
    )
    _report(result, as_json, "quotes")


export_group.add_command(codebook_cmd)
export_group.add_command(case_report_cmd)


def add(group: click.Group) -> None:
    group.add_command(export_group)
