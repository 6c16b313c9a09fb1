"""casebook partners … / link / links / graph / network-metrics

Long because the partners command group has many small commands; each only parses and
calls partners/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from casebook.cli.output import emit_json, table
from casebook.cli.state import State, pass_state
from casebook.codes.codebook import resolve_code
from casebook.core.cases import ensure_case, resolve_case
from casebook.core.codings import find_quote, get_coding
from casebook.core.documents import document_text, resolve_document
from casebook.errors import InvalidInput
from casebook.orgtypes import ROLES
from casebook.partners.draw import describe_filters
from casebook.partners.forms import assign_form, switch_form, variant_table
from casebook.partners.graph import Filters, build_graph, edge_rows, node_rows, write_graph
from casebook.partners.links import (
    accept_proposals,
    linked_partners,
    list_links,
    propose_partners,
    resolve_partner_refs,
    set_partners,
)
from casebook.partners.mentions import add_manual_mention, detect_all, list_mentions, set_mention
from casebook.partners.metrics import comparison, flatten, write_table
from casebook.partners.queries import case_ids, case_name, mention_case_id
from casebook.partners.registry import (
    add_alias,
    add_organisation,
    delete_organisation,
    import_partners_csv,
    list_organisations,
    merge_organisations,
    remove_alias,
    rename_organisation,
    resolve_organisation,
    set_type,
)
from casebook.partners.review import (
    accept_and_detect,
    list_candidates,
    reject_candidate,
    resolve_candidate,
)
from casebook.store.orgtypes import (
    add_synonym,
    add_type,
    new_types_notice,
    project_types,
    remove_type,
    rename_type,
    set_label,
    set_roles,
    type_rows,
)
from casebook.store.project import Project


def _case_id(project: Project, case: str | None) -> str | None:
    if not case:
        return None
    return resolve_case(project, case)["id"]


def _org(project: Project, ref: str, case: str | None) -> dict[str, Any]:
    return resolve_organisation(project, ref, _case_id(project, case))


case_option = click.option("--case", "case", metavar="CASE", help="Case (region) name.")


@click.group("partners")
def partners_group() -> None:
    """Partner organisations per case: registry, mentions in the text, review list."""


@partners_group.command("import")
@click.argument("csv_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_state
def partners_import(state: State, csv_files: tuple[Path, ...]) -> None:
    """Import partner lists (CSV: case, organisation, type[, aliases separated by ';'])."""
    project = state.project(create=True)
    for path in csv_files:
        new_types: list[str] = []
        n = import_partners_csv(project, path, new_types)
        click.echo(f"{path}: {n} organisations")
        if new_types:
            click.echo(f"{path}: {new_types_notice(new_types)}")


@partners_group.command("add")
@click.argument("name")
@click.option("--case", "case", required=True, metavar="CASE", help="Case (region) name.")
@click.option(
    "--type",
    "type_",
    default="overig",
    show_default=True,
    help="One of the project's types (`casebook partners types`); a new one is added to them.",
)
@click.option("--alias", "aliases", multiple=True, help="Another name for it (repeatable).")
@pass_state
def partners_add(state: State, name: str, case: str, type_: str, aliases: tuple[str, ...]) -> None:
    """Add an organisation to a case's registry."""
    project = state.project(create=True)
    new_types: list[str] = []
    org_id = add_organisation(
        project, ensure_case(project, case), name, type_, list(aliases), new_types
    )
    click.echo(f"added {name} ({org_id[:8]})")
    if new_types:
        click.echo(new_types_notice(new_types))


@partners_group.command("list")
@case_option
@click.option("--json", "as_json", is_flag=True)
@pass_state
def partners_list(state: State, case: str | None, as_json: bool) -> None:
    """The registry: organisations with type, aliases, mentions, links and respondents."""
    project = state.project()
    case_id = _case_id(project, case)
    detect_all(project, case_id)
    rows = list_organisations(project, case_id)
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        r["short"] = r["id"][:8]
        r["also"] = "; ".join(r["aliases"])
    table(
        rows,
        ["short", "case_name", "name", "type", "mentions", "links", "respondents", "also"],
        ["id", "case", "organisation", "type", "mentions", "links", "respondents", "aliases"],
    )


@partners_group.command("rename")
@click.argument("organisation")
@click.argument("new_name")
@case_option
@pass_state
def partners_rename(state: State, organisation: str, new_name: str, case: str | None) -> None:
    """Rename an organisation; the old name stays as an alias."""
    project = state.project()
    org = _org(project, organisation, case)
    rename_organisation(project, org["id"], new_name)
    click.echo(f"renamed {org['name']} to {new_name.strip()}")


@partners_group.command("merge")
@click.argument("source")
@click.argument("target")
@case_option
@pass_state
def partners_merge(state: State, source: str, target: str, case: str | None) -> None:
    """Merge SOURCE into TARGET: names become aliases, mentions and links move over."""
    project = state.project()
    src, dst = _org(project, source, case), _org(project, target, case)
    merge_organisations(project, src["id"], dst["id"])
    click.echo(f"merged {src['name']} into {dst['name']}")


@partners_group.command("alias")
@click.argument("organisation")
@click.argument("alias")
@click.option("--remove", is_flag=True, help="Remove the alias instead.")
@case_option
@pass_state
def partners_alias(
    state: State, organisation: str, alias: str, remove: bool, case: str | None
) -> None:
    """Add (or --remove) another name for an organisation."""
    project = state.project()
    org = _org(project, organisation, case)
    if remove:
        remove_alias(project, org["id"], alias)
        click.echo(f"{org['name']}: removed alias {alias}")
    else:
        added = add_alias(project, org["id"], alias)
        click.echo(f"{org['name']}: {'added' if added else 'already has'} alias {alias}")


@partners_group.command("set-type")
@click.argument("organisation")
@click.argument("type_", metavar="TYPE")
@case_option
@pass_state
def partners_set_type(state: State, organisation: str, type_: str, case: str | None) -> None:
    """Change an organisation's type."""
    project = state.project()
    org = _org(project, organisation, case)
    new_types: list[str] = []
    key = set_type(project, org["id"], type_, new_types)
    click.echo(f"{org['name']} is now {key}")
    if new_types:
        click.echo(new_types_notice(new_types))


@partners_group.group("types", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def partners_types(ctx: click.Context, as_json: bool) -> None:
    """The project's organisation types: key, label, organisations and codes using each."""
    if ctx.invoked_subcommand is not None:
        return
    state = ctx.find_object(State)
    assert state is not None  # the casebook group always sets it
    project = state.project()
    rows = type_rows(project)
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        r["also"] = "; ".join(r["synonyms"])
        r["as"] = ", ".join(r["roles"])
    table(
        rows,
        ["key", "label", "label_en", "organisations", "codes", "as", "also"],
        ["type", "label", "label (en)", "organisations", "codes", "roles", "synonyms"],
    )


@partners_types.command("add")
@click.argument("key")
@click.option("--label", help="What readers see (Dutch deliverables); default: the key.")
@click.option("--label-en", help="What readers of English deliverables see.")
@click.option(
    "--synonym", "synonyms", multiple=True, help="Another spelling lists use (repeatable)."
)
@click.option("--colour", help="Colour of its dots in network drawings, e.g. #2e9e5b.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(ROLES),
    help="What the type is in general terms, for partner detection (repeatable).",
)
@pass_state
def partners_types_add(
    state: State,
    key: str,
    label: str | None,
    label_en: str | None,
    synonyms: tuple[str, ...],
    colour: str | None,
    roles: tuple[str, ...],
) -> None:
    """Add an organisation type to the project."""
    if colour and not (len(colour) == 7 and colour.startswith("#")):
        raise InvalidInput(f"colour '{colour}' is not a colour like #2e9e5b")
    project = state.project(create=True)
    labels = {k: v for k, v in (("nl", label), ("en", label_en)) if v}
    added = add_type(project, key, labels, synonyms, colour, roles=roles)
    click.echo(f"added organisation type {added}")


@partners_types.command("rename")
@click.argument("key")
@click.argument("new_key")
@pass_state
def partners_types_rename(state: State, key: str, new_key: str) -> None:
    """Rename a type, or merge it into NEW_KEY when that type exists; the old key stays a synonym."""
    result = rename_type(state.project(), key, new_key)
    verb = "merged" if result["merged"] else "renamed"
    click.echo(
        f"{verb} {key.strip().lower()} into {result['key']}: "
        f"{result['organisations']} organisations, {result['codes']} codes"
    )


@partners_types.command("label")
@click.argument("key")
@click.argument("label")
@click.option("--language", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@pass_state
def partners_types_label(state: State, key: str, label: str, language: str) -> None:
    """Set the label readers see for a type."""
    set_label(state.project(), key, label, language)
    click.echo(f"{key.strip().lower()} reads '{' '.join(label.split())}' ({language})")


@partners_types.command("synonym")
@click.argument("key")
@click.argument("synonym")
@pass_state
def partners_types_synonym(state: State, key: str, synonym: str) -> None:
    """Add another spelling partner lists and codebooks may use for a type."""
    add_synonym(state.project(), key, synonym)
    click.echo(f"{key.strip().lower()}: '{synonym.strip()}' means this type")


@partners_types.command("role")
@click.argument("key")
@click.argument("roles", nargs=-1, type=click.Choice(ROLES))
@pass_state
def partners_types_role(state: State, key: str, roles: tuple[str, ...]) -> None:
    """Say what a type is in general terms (school, company, municipality); none clears them.

    Detection and proposals reason with roles, not type names: 'de andere
    scholen' covers the school types, a family name alone may stand for a
    company, a town's name for its municipality.
    """
    kept = set_roles(state.project(), key, roles)
    click.echo(f"{key.strip().lower()}: {', '.join(kept) if kept else 'no roles'}")


@partners_types.command("remove")
@click.argument("key")
@pass_state
def partners_types_remove(state: State, key: str) -> None:
    """Remove a type no organisation or code uses."""
    remove_type(state.project(), key)
    click.echo(f"removed organisation type {key.strip().lower()}")


@partners_group.command("remove")
@click.argument("organisation")
@case_option
@pass_state
def partners_remove(state: State, organisation: str, case: str | None) -> None:
    """Remove an organisation with its aliases and links (its mentions become unresolved)."""
    project = state.project()
    org = _org(project, organisation, case)
    delete_organisation(project, org["id"])
    click.echo(f"removed {org['name']}")


@partners_group.command("detect")
@case_option
@click.option("--force", is_flag=True, help="Detect again even when nothing changed.")
@pass_state
def partners_detect(state: State, case: str | None, force: bool) -> None:
    """Find mentions of the registered organisations in every document of the case(s)."""
    project = state.project()
    for s in detect_all(project, _case_id(project, case), force=force):
        note = " (unchanged)" if s.skipped else ""
        click.echo(
            f"{s.case}: {s.documents} documents, {s.resolved} mentions, {s.unresolved} unresolved, "
            f"{s.candidates} candidates to review{note}"
        )


@partners_group.command("mentions")
@case_option
@click.option("--document", help="Only this document (id, id prefix or name).")
@click.option(
    "--status", type=click.Choice(["auto", "unresolved", "candidate", "confirmed", "rejected"])
)
@click.option("--json", "as_json", is_flag=True)
@pass_state
def partners_mentions(
    state: State, case: str | None, document: str | None, status: str | None, as_json: bool
) -> None:
    """Mentions of organisations found in the documents (detected first when out of date)."""
    project = state.project()
    case_id = _case_id(project, case)
    detect_all(project, case_id)
    doc_id = resolve_document(project, document)["id"] if document else None
    rows = list_mentions(project, case_id=case_id, document_id=doc_id, status=status)
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        r["span"] = f"{r['start']}–{r['end']}"
        if not r["organisation"] and r["choices"]:
            r["organisation"] = "? " + " | ".join(r["choices"])
    table(
        rows,
        ["id", "case_name", "document", "span", "surface", "organisation", "method", "status"],
        ["id", "case", "document", "span", "text", "organisation", "method", "status"],
    )


@partners_group.command("mention")
@click.argument("mention_id", type=int)
@click.option("--organisation", "organisation", help="The organisation it refers to.")
@click.option("--reject", is_flag=True, help="It is not an organisation mention.")
@pass_state
def partners_mention(state: State, mention_id: int, organisation: str | None, reject: bool) -> None:
    """Correct one mention: point it at an organisation, or reject it."""
    project = state.project()
    if bool(organisation) == reject:
        raise InvalidInput("give either --organisation NAME or --reject")
    org_id = None
    if organisation:
        case_id = mention_case_id(project, mention_id)
        org_id = resolve_organisation(project, organisation, case_id)["id"]
    set_mention(project, mention_id, org_id, reject=reject)
    click.echo(f"mention {mention_id}: {'rejected' if reject else 'confirmed'}")


@partners_group.command("mark")
@click.argument("document")
@click.option("--quote", required=True, help="The exact text that refers to the organisation.")
@click.option(
    "--occurrence",
    type=int,
    help="Which occurrence of the quote (1-based) when it occurs more than once.",
)
@click.option(
    "--organisation", "organisation", required=True, help="The organisation it refers to."
)
@pass_state
def partners_mark(
    state: State, document: str, quote: str, occurrence: int | None, organisation: str
) -> None:
    """Add a mention detection missed ('de werf', 'die club') in DOCUMENT."""
    project = state.project()
    doc = resolve_document(project, document)
    start, end = find_quote(document_text(project, doc["id"]), quote, occurrence)
    org = resolve_organisation(project, organisation, doc["case_id"])
    mention_id = add_manual_mention(project, doc["id"], start, end, org["id"])
    click.echo(f"mention {mention_id}: “{quote}” → {org['name']}")


@partners_group.command("review")
@case_option
@click.option("--all", "show_all", is_flag=True, help="Include accepted and rejected candidates.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def partners_review(state: State, case: str | None, show_all: bool, as_json: bool) -> None:
    """Candidate organisations found in the text, and the forms each organisation is found by.

    Accept or reject candidates with `partners accept/reject`; switch a form
    off or say which organisation it means with `partners form`.
    """
    project = state.project()
    case_id = _case_id(project, case)
    detect_all(project, case_id)
    rows = list_candidates(project, case_id, None if show_all else "pending")
    ids = [case_id] if case_id else case_ids(project)
    forms = {cid: variant_table(project, cid) for cid in ids}
    if as_json:
        emit_json(
            {
                "candidates": rows,
                "forms": [dict(f, case_id=cid) for cid, fs in forms.items() for f in fs],
            }
        )
        return
    if not rows:
        click.echo("no candidates to review")
    else:
        for r in rows:
            r["short"] = r["id"][:8]
        table(
            rows,
            ["short", "case_name", "name", "count", "suggested_type", "status", "example"],
            ["id", "case", "candidate", "seen", "type?", "status", "context"],
        )
        click.echo(
            "accept: casebook partners accept NAME --type TYPE (or --alias-of ORG); "
            "reject: casebook partners reject NAME"
        )
    _print_forms(project, forms)


def _print_forms(project: Project, forms: dict[str, list[dict[str, Any]]]) -> None:
    for cid, rows in forms.items():
        derived = [f for f in rows if f["origin"] not in ("name", "alias")]
        if not derived:
            continue
        click.echo(
            f"\nforms found in {case_name(project, cid)} "
            "(derived from the registry; origin, mentions):"
        )
        by_org: dict[str, list[str]] = {}
        for f in derived:
            off = " OFF" if f["state"] == "off" else ""
            by_org.setdefault(f["organisation"], []).append(
                f"{f['form']} ({f['origin']}, {f['mentions']}{off})"
            )
        for org, items in by_org.items():
            click.echo(f"  {org}: {'; '.join(items)}")
    click.echo(
        "switch a form off: casebook partners form FORM --off; "
        "one organisation for every mention of it: casebook partners form FORM --organisation ORG"
    )


@partners_group.command("form")
@click.argument("form")
@click.option(
    "--organisation",
    "organisation",
    metavar="ORG",
    help="Every mention of FORM in the case means ORG.",
)
@click.option("--off", "off", is_flag=True, help="Do not find FORM at all in this case.")
@click.option("--on", "on", is_flag=True, help="Find FORM again (undo --off).")
@case_option
@pass_state
def partners_form(
    state: State, form: str, organisation: str | None, off: bool, on: bool, case: str | None
) -> None:
    """One decision for every mention of a surface form in a case; kept across detections."""
    if sum(bool(x) for x in (organisation, off, on)) != 1:
        raise click.UsageError("give exactly one of --organisation ORG, --off or --on")
    project = state.project()
    case_id = _case_id(project, case)
    if organisation:
        org = _org(project, organisation, case)
        decision = assign_form(project, org["case_id"], form, org["id"])
    else:
        if case_id is None:
            ids = case_ids(project)
            if len(ids) != 1:
                raise InvalidInput("several cases: add --case NAME")
            case_id = ids[0]
        decision = switch_form(project, case_id, form, on=on)
    click.echo(decision.describe())


@partners_group.command("accept")
@click.argument("candidate")
@click.option(
    "--type", "type_", help="Type for the new organisation (default: the suggested type)."
)
@click.option(
    "--alias-of", "alias_of", metavar="ORG", help="Add it as an alias of this organisation instead."
)
@click.option("--name", help="Register it under this name instead.")
@case_option
@pass_state
def partners_accept(
    state: State,
    candidate: str,
    type_: str | None,
    alias_of: str | None,
    name: str | None,
    case: str | None,
) -> None:
    """Accept a candidate into the registry."""
    project = state.project()
    cand = resolve_candidate(project, candidate, _case_id(project, case))
    _, found = accept_and_detect(project, cand["id"], type_=type_, alias_of=alias_of, name=name)
    click.echo(
        f"accepted {cand['name']}"
        + (f" as an alias of {alias_of}" if alias_of else "")
        + f": {found} mention(s) in the case resolve to it"
    )


@partners_group.command("reject")
@click.argument("candidate")
@case_option
@pass_state
def partners_reject(state: State, candidate: str, case: str | None) -> None:
    """Reject a candidate; it will not be proposed again."""
    project = state.project()
    cand = resolve_candidate(project, candidate, _case_id(project, case))
    reject_candidate(project, cand["id"])
    click.echo(f"rejected {cand['name']}")


# --- links ------------------------------------------------------------------------------


@click.command("link")
@click.argument("coding_id")
@click.option(
    "--partners",
    "partners",
    metavar="A,B",
    help="Organisations (names, aliases or ids), comma-separated.",
)
@click.option("--accept", is_flag=True, help="Store the proposed organisations.")
@click.option("--clear", is_flag=True, help="Remove the coding's organisations.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def link_cmd(
    state: State, coding_id: str, partners: str | None, accept: bool, clear: bool, as_json: bool
) -> None:
    """Show, set or accept the organisations a collaboration coding involves."""
    project = state.project()
    if sum(bool(x) for x in (partners, accept, clear)) > 1:
        raise InvalidInput("give only one of --partners, --accept and --clear")
    coding = get_coding(project, coding_id)
    if partners is not None:
        set_partners(
            project, coding["id"], resolve_partner_refs(project, coding["id"], partners.split(","))
        )
    elif accept:
        proposal = propose_partners(project, coding["id"])
        if not proposal:
            raise InvalidInput(
                "nothing to accept: no organisation is mentioned near this passage; use --partners"
            )
        set_partners(project, coding["id"], [p.organisation_id for p in proposal])
    elif clear:
        set_partners(project, coding["id"], [])
    linked = linked_partners(project, coding["id"])
    proposal = [] if linked else propose_partners(project, coding["id"])
    if as_json:
        emit_json(
            {"coding": coding["id"], "partners": linked, "proposed": [p.__dict__ for p in proposal]}
        )
        return
    click.echo(f"coding {coding['id'][:8]}: “{coding['quote'][:80]}”")
    if linked:
        click.echo("partners: " + ", ".join(p["name"] for p in linked))
    elif proposal:
        click.echo("proposed (store with --accept, or give --partners A,B):")
        for p in proposal:
            click.echo(f"  {p.name} [{p.type}] — {'; '.join(p.reasons)}")
    else:
        click.echo("no partners yet; give --partners A,B")


@click.command("links")
@case_option
@click.option(
    "--accept-proposals",
    "accept_all",
    is_flag=True,
    help="Store the proposal of every collaboration coding that has no partners yet.",
)
@click.option("--json", "as_json", is_flag=True)
@pass_state
def links_cmd(state: State, case: str | None, accept_all: bool, as_json: bool) -> None:
    """Collaboration codings with their partners (or proposals) and valence."""
    project = state.project()
    case_id = _case_id(project, case)
    if accept_all:
        n = accept_proposals(project, case_id)
        click.echo(f"stored the proposed partners of {n} codings", err=True)
    rows = list_links(project, case_id)
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        r["short"] = r["id"][:8]
        r["orgs"] = (
            "; ".join(r["partners"])
            if r["confirmed"]
            else ("? " + "; ".join(r["proposed"]) if r["proposed"] else "")
        )
    table(
        rows,
        ["short", "case_name", "document", "code", "orgs", "valence"],
        ["coding", "case", "document", "code", "partners (? = proposed)", "valence"],
    )


# --- graphs -----------------------------------------------------------------------------


def _filters(
    project: Project,
    case: str | None,
    round_: str | None,
    role: str | None,
    code: str | None,
    proposed: bool,
) -> Any:
    if code:
        code = resolve_code(project, code)["path"]
    return Filters(_case_id(project, case), round_, role, code, proposed)


filter_options = [
    click.option("--round", "round_", metavar="N", help="Only documents of this round."),
    click.option("--role", metavar="ROLE", help="Only documents of this respondent role."),
    click.option("--code", metavar="CODE", help="Only passages with this code (or a child of it)."),
    click.option(
        "--proposed", is_flag=True, help="Use proposed partners for codings without confirmed ones."
    ),
]


def with_filters(f: Any) -> Any:
    for option in reversed(filter_options):
        f = option(f)
    return f


@click.command("graph")
@case_option
@click.option(
    "--pooled", is_flag=True, help="All cases in one graph (same-named organisations merge)."
)
@with_filters
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    help=".graphml, .gexf (Gephi), .json, .png or .svg",
)
@click.option("--title", help="Title for a drawn graph.")
@click.option(
    "--language",
    type=click.Choice(["nl", "en"]),
    default="nl",
    show_default=True,
    help="Language of a drawn graph's title, legend and captions.",
)
@click.option("--json", "as_json", is_flag=True, help="Print nodes and edges as JSON.")
@pass_state
def graph_cmd(
    state: State,
    case: str | None,
    pooled: bool,
    round_: str | None,
    role: str | None,
    code: str | None,
    proposed: bool,
    out: Path | None,
    title: str | None,
    language: str,
    as_json: bool,
) -> None:
    """The collaboration graph of a case, or pooled across cases."""
    project = state.project()
    if not case and not pooled:
        raise InvalidInput("give --case NAME, or --pooled for all cases")
    filters = _filters(project, case, round_, role, code, proposed)
    g = build_graph(project, filters, pooled=pooled or not filters.case_id)
    if out:
        if out.suffix.lower() in (".png", ".svg"):
            g.graph["subtitle"] = describe_filters(filters, language)
            g.graph["proposed"] = proposed
        write_graph(g, out, title=title, language=language)
        click.echo(
            f"wrote {out} ({g.number_of_nodes()} organisations, {g.number_of_edges()} links)",
            err=True,
        )
        if g.number_of_edges() == 0 and not proposed:
            click.echo(
                "  no confirmed collaboration links yet: add --proposed to draw the partners proposed from "
                "mentions, or confirm links with `casebook partners links --case NAME`",
                err=True,
            )
    if as_json:
        attrs = {k: v for k, v in g.graph.items() if k != "org_types"}  # the vocabulary is no JSON
        emit_json({"graph": attrs, "nodes": node_rows(g), "edges": edge_rows(g)})
    elif not out:
        rows = edge_rows(g)
        for r in rows:
            r["form"] = ", ".join(f"{k.split('.', 1)[-1]}×{v}" for k, v in r["forms"].items())
            r["val"] = f"+{r['positive']} −{r['negative']}" + (
                f" ±{r['mixed']}" if r["mixed"] else ""
            )
        table(
            rows,
            ["source", "target", "weight", "form", "val"],
            ["organisation", "organisation", "passages", "forms", "valence"],
        )


@click.command("network-metrics")
@click.option(
    "--case", "cases", multiple=True, metavar="CASE", help="Only these cases (repeatable)."
)
@with_filters
@click.option("--out", "out", type=click.Path(path_type=Path), help=".csv, .xlsx, .docx or .json")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def metrics_cmd(
    state: State,
    cases: tuple[str, ...],
    round_: str | None,
    role: str | None,
    code: str | None,
    proposed: bool,
    out: Path | None,
    as_json: bool,
) -> None:
    """Compare collaboration networks across cases: density, centralisation, penvoerder, type pairs."""
    project = state.project()
    filters = _filters(project, None, round_, role, code, proposed)
    case_ids = [_case_id(project, c) for c in cases] or None
    rows = comparison(project, filters, case_ids=case_ids)  # type: ignore[arg-type]
    if out:
        write_table(rows, out, vocabulary=project_types(project))
        click.echo(f"wrote {out} ({len(rows)} rows)", err=True)
    if as_json:
        emit_json(rows)
    elif not out:
        columns, flat = flatten(rows, project_types(project))
        shown = [
            "case",
            "nodes",
            "edges",
            "density",
            "degree_centralisation",
            "components",
            "partner_share",
            "penvoerder_degree",
            "penvoerder_betweenness",
        ]
        table(
            flat,
            shown,
            [
                "case",
                "nodes",
                "edges",
                "density",
                "centralisation",
                "components",
                "share active",
                "penv. degree",
                "penv. betweenness",
            ],
        )


def add(group: click.Group) -> None:
    for cmd in (partners_group, link_cmd, links_cmd, graph_cmd, metrics_cmd):
        group.add_command(cmd)
