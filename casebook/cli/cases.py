"""casebook cases / case ..."""

from __future__ import annotations

from pathlib import Path

import click

from casebook.cli.output import emit_json, table
from casebook.cli.state import State, pass_state
from casebook.core import cases as cases_mod


@click.command("cases")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_state
def cases_cmd(state: State, as_json: bool) -> None:
    """List cases with their attributes and counts."""
    rows = cases_mod.list_cases(state.project())
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        r["attrs"] = ", ".join(f"{k}={v}" for k, v in r["attributes"].items())
    table(
        rows,
        ["name", "documents", "codings", "attrs"],
        ["case", "documents", "codings", "attributes"],
    )


@click.group("case")
def case_group() -> None:
    """Add cases and set case attributes."""


@case_group.command("add")
@click.argument("name")
@click.option(
    "--attr",
    "attrs",
    multiple=True,
    metavar="KEY=VALUE",
    help="Attribute; KEY:type=VALUE sets a type.",
)
@pass_state
def case_add(state: State, name: str, attrs: tuple[str, ...]) -> None:
    """Add a case."""
    project = state.project(create=True)
    cases_mod.add_case(project, name, cases_mod.parse_assignments(attrs))
    click.echo(f"added case {name}")


@case_group.command("set")
@click.argument("name")
@click.argument("assignments", nargs=-1, required=True)
@pass_state
def case_set(state: State, name: str, assignments: tuple[str, ...]) -> None:
    """Set attributes: casebook case set Lindeveen krimp=ja subsidie:number=2400000"""
    project = state.project()
    case = cases_mod.resolve_case(project, name)
    values = cases_mod.parse_assignments(assignments)
    with project.transaction():
        for key, value in values.items():
            cases_mod.set_case_attribute(project, case["id"], key, value)
    click.echo(f"{case['name']}: set {', '.join(values)}")


@case_group.command("import")
@click.argument("csv_file", type=click.Path(path_type=Path))
@pass_state
def case_import(state: State, csv_file: Path) -> None:
    """Cases and attributes from a CSV with a 'case' column."""
    n = cases_mod.import_cases_csv(state.project(create=True), csv_file)
    click.echo(f"{n} cases imported or updated from {csv_file}")


@case_group.command("attribute")
@click.argument("name")
@click.option("--label", help="What reports print instead of the attribute's name.")
@click.option(
    "--language",
    type=click.Choice(["nl", "en"]),
    default="nl",
    show_default=True,
    help="The language of --label.",
)
@click.option(
    "--unit",
    type=click.Choice(["money", "percent", ""]),
    help="Show numbers as money (€ 3.450.000) or a percentage (14 %); '' for none.",
)
@click.option(
    "--from",
    "from_csv",
    type=click.Path(path_type=Path),
    help="A CSV with name,label_nl,label_en,unit rows (NAME is then ignored; give -).",
)
@pass_state
def case_attribute(
    state: State,
    name: str,
    label: str | None,
    language: str,
    unit: str | None,
    from_csv: Path | None,
) -> None:
    """Label a case attribute and give it a unit, for reports.

    \b
    casebook case attribute cofinanciering_pct --label Cofinanciering --unit percent
    casebook case attribute - --from attributes.csv
    """
    project = state.project()
    if from_csv:
        n = cases_mod.import_attribute_definitions(project, from_csv)
        click.echo(f"{n} attribute definitions read from {from_csv}")
        return
    cases_mod.describe_attribute(project, name, label=label, language=language, unit=unit)
    click.echo(f"attribute {name}: updated")


@case_group.command("label")
@click.argument("attribute")
@click.argument("label", required=False)
@pass_state
def case_label(state: State, attribute: str, label: str | None) -> None:
    """Give a case attribute a readable label for reports and screens (no LABEL: remove it).

    casebook case label cofinanciering_pct "Cofinanciering (%)"
    """
    cases_mod.set_attribute_label(state.project(), attribute, label)
    click.echo(f"{attribute}: label {'set to ' + repr(label) if label else 'removed'}")


def add(group: click.Group) -> None:
    group.add_command(cases_cmd)
    group.add_command(case_group)
