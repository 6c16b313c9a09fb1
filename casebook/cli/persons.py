"""casebook persons scan / list / add / alias / confirm / reject"""

from __future__ import annotations

import click

from casebook.cli.output import emit_json, table
from casebook.cli.state import State, pass_state
from casebook.core.cases import resolve_case
from casebook.privacy.registry import (
    add_alias,
    add_person,
    confirm_person,
    list_persons,
    reject_person,
    scan_persons,
)


@click.group("persons")
def persons_group() -> None:
    """The person registry: names that pseudonymised exports replace."""


@persons_group.command("scan")
@click.option("--case", "case", help="Only this case's documents.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def scan_cmd(state: State, case: str | None, as_json: bool) -> None:
    """Register speakers and interviewers; propose names found in the texts for review."""
    s = scan_persons(state.project(), case)
    if as_json:
        emit_json(s.__dict__)
        return
    click.echo(
        f"scanned {s.documents} documents: {s.speakers} new speakers/interviewers, {s.aliases} short forms "
        f"joined to a full name, {s.candidates_new} new name candidates ({s.candidates_seen} seen before), "
        f"{s.mentions_of_known} mentions of known persons"
    )
    if s.candidates_new:
        click.echo("review them: casebook persons list --status candidate")


@persons_group.command("list")
@click.option(
    "--status",
    type=click.Choice(["candidate", "confirmed", "rejected", "all"]),
    default="all",
    show_default=True,
)
@click.option("--case", "case", help="Only persons of this case.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def list_cmd(state: State, status: str, case: str | None, as_json: bool) -> None:
    """Persons and candidates with role, case, source, mentions and an example."""
    project = state.project()
    case_id = resolve_case(project, case)["id"] if case else None
    persons = list_persons(project, None if status == "all" else status, case_id)
    if as_json:
        emit_json([p.as_dict() for p in persons])
        return
    rows = [
        {
            **p.as_dict(),
            "short": p.id[:8],
            "aliases": ", ".join(p.aliases),
            "example": p.example or "",
        }
        for p in persons
    ]
    table(
        rows,
        ["short", "name", "status", "role", "case", "source", "count", "aliases", "example"],
        ["id", "name", "status", "role", "case", "source", "mentions", "aliases", "example"],
    )
    click.echo(f"{len(persons)} persons")


@persons_group.command("add")
@click.argument("name")
@click.option("--role", help="Role used as the replacement label, e.g. programmamanager.")
@click.option("--case", "case")
@click.option("--organisation")
@click.option(
    "--alias", "aliases", multiple=True, help="Another way the person is written (repeatable)."
)
@click.option("--label", help="A fixed replacement, e.g. wethouder (shown as [wethouder]).")
@pass_state
def add_cmd(
    state: State,
    name: str,
    role: str | None,
    case: str | None,
    organisation: str | None,
    aliases: tuple[str, ...],
    label: str | None,
) -> None:
    """Register a person (or confirm and complete one already there)."""
    p = add_person(
        state.project(),
        name,
        role=role,
        case=case,
        organisation=organisation,
        aliases=aliases,
        label=label,
    )
    click.echo(
        f"{p.name}: {p.status}"
        + (f", role {p.role}" if p.role else "")
        + (f", aliases {', '.join(p.aliases)}" if p.aliases else "")
    )


@persons_group.command("alias")
@click.argument("person")
@click.argument("alias")
@pass_state
def alias_cmd(state: State, person: str, alias: str) -> None:
    """Record another spelling of a person's name."""
    p = add_alias(state.project(), person, alias)
    click.echo(f"{p.name}: aliases {', '.join(p.aliases)}")


@persons_group.command("confirm")
@click.argument("persons", nargs=-1, required=True)
@click.option("--role", help="Set the role (the replacement label).")
@click.option("--label", help="A fixed replacement label.")
@click.option(
    "--alias-of", "alias_of", metavar="PERSON", help="Not a new person: another name of PERSON."
)
@pass_state
def confirm_cmd(
    state: State,
    persons: tuple[str, ...],
    role: str | None,
    label: str | None,
    alias_of: str | None,
) -> None:
    """Confirm candidates as persons (by id, id prefix or name)."""
    project = state.project()
    for ref in persons:
        p = confirm_person(project, ref, role=role, label=label, alias_of=alias_of)
        if alias_of:
            click.echo(f"{ref}: now an alias of {p.name}")
        else:
            click.echo(f"{p.name}: confirmed" + (f", role {p.role}" if p.role else ""))


@persons_group.command("reject")
@click.argument("persons", nargs=-1, required=True)
@pass_state
def reject_cmd(state: State, persons: tuple[str, ...]) -> None:
    """Mark candidates as not a person's name; exports and checks leave them alone."""
    project = state.project()
    for ref in persons:
        p = reject_person(project, ref)
        click.echo(f"{p.name}: rejected")


def add(group: click.Group) -> None:
    group.add_command(persons_group)
