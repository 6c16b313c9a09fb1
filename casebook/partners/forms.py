"""Reviewing the ways organisations are written, one surface form at a time.

Derived variants ('SNO', 'het Vakcollege', 'Dijkhuis') are shown per
organisation with where they came from and how many mentions they found. A
decision is about a *form*, not a mention: switching a form off, or saying
which organisation it means, applies to every mention of that form in the
case, is kept in the project (a switch in ``variant_switches``, an
organisation choice as an alias) and so survives every later detection.
Each decision reports how many mentions it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from casebook.errors import InvalidInput
from casebook.partners.registry import add_alias, load_registry
from casebook.partners.storage import case_places, detect_case, switched_off_forms
from casebook.partners.variants import VariantIndex, derive, normalise
from casebook.partners.words import ARTICLES, DERIVED_ORIGINS
from casebook.store.project import Project, now


@dataclass
class FormDecision:
    form: str
    decision: str  # off | on | organisation
    organisation: str | None
    mentions_before: (
        int  # mentions of the form resolved to the organisation (or at all, for off/on)
    )
    mentions_after: int

    @property
    def changed(self) -> int:
        return abs(self.mentions_after - self.mentions_before)

    def describe(self) -> str:
        if self.decision == "organisation":
            return (
                f"'{self.form}' now means {self.organisation}: {self.mentions_after} mention(s) in the case "
                f"resolve to it ({self.changed} changed)"
            )
        if self.decision == "off":
            return f"'{self.form}' switched off: {self.mentions_before - self.mentions_after} mention(s) removed"
        return f"'{self.form}' switched on again: {self.mentions_after - self.mentions_before} mention(s) found"


def _bare(form: str) -> str:
    """A form as compared for counting: 'de penvoerder' and 'penvoerder' are one form."""
    words = normalise(form).split(" ", 1)
    return words[1] if len(words) == 2 and words[0] in ARTICLES else " ".join(words)


def _form_mentions(
    project: Project, case_id: str, form: str, organisation_id: str | None = None
) -> int:
    key = _bare(form)
    rows = project.query(
        "SELECT m.surface, m.organisation_id FROM mentions m JOIN documents d ON d.id = m.document_id "
        "WHERE d.case_id = ? AND m.status IN ('auto', 'confirmed', 'unresolved')",
        (case_id,),
    )
    return sum(
        1
        for r in rows
        if _bare(r["surface"]) == key
        and (organisation_id is None or r["organisation_id"] == organisation_id)
    )


def variant_table(project: Project, case_id: str) -> list[dict[str, Any]]:
    """Per organisation: every form it is found by (name, aliases, derived), with origin, state and mentions.

    Forms two organisations share come last, with the organisations they may mean.
    """
    detect_case(project, case_id)
    orgs = load_registry(project, case_id)
    case_names = [r["name"] for r in project.query("SELECT name FROM cases")]
    places = case_places(project, case_id)
    off = {normalise(f) for f in switched_off_forms(project, case_id)}
    index = VariantIndex(orgs, case_names, places, off)
    counts: dict[tuple[str, str | None], int] = {}
    for r in project.query(
        "SELECT m.surface, m.organisation_id FROM mentions m JOIN documents d ON d.id = m.document_id "
        "WHERE d.case_id = ? AND m.status IN ('auto', 'confirmed', 'unresolved')",
        (case_id,),
    ):
        k = (normalise(r["surface"]), r["organisation_id"])
        counts[k] = counts.get(k, 0) + 1
    out: list[dict[str, Any]] = []
    for o in orgs:
        seen: set[str] = set()
        for v in index.variants_of(o.id):
            seen.add(v.norm)
            out.append(
                {
                    "organisation": o.name,
                    "organisation_id": o.id,
                    "form": v.text,
                    "origin": v.origin,
                    "origin_text": DERIVED_ORIGINS.get(v.origin, v.origin),
                    "state": "on",
                    "mentions": counts.get((v.norm, o.id), 0),
                }
            )
        for name in o.names:
            for text, origin in derive(name, index.places):
                key = normalise(text)
                if key in off and key not in seen:
                    seen.add(key)
                    out.append(
                        {
                            "organisation": o.name,
                            "organisation_id": o.id,
                            "form": text,
                            "origin": origin,
                            "origin_text": DERIVED_ORIGINS.get(origin, origin),
                            "state": "off",
                            "mentions": 0,
                        }
                    )
    for key, ids in sorted(index.ambiguous.items()):
        names = [index.orgs[i].name for i in ids]
        out.append(
            {
                "organisation": " | ".join(names),
                "organisation_id": None,
                "form": index.ambiguous_text[key],
                "origin": "ambiguous",
                "origin_text": "shared by several organisations: not resolved on its own",
                "state": "on",
                "mentions": counts.get((key, None), 0),
            }
        )
    return out


def switch_form(project: Project, case_id: str, form: str, *, on: bool) -> FormDecision:
    """Switch a derived form off (no mention is made of it in the case) or back on."""
    key = normalise(form)
    if not key:
        raise InvalidInput("give the form to switch, e.g. 'Ploeg'")
    with project.transaction():
        before = _form_mentions(project, case_id, form)
        if on:
            cur = project.conn.execute(
                "DELETE FROM variant_switches WHERE case_id = ? AND form = ?", (case_id, key)
            )
            if cur.rowcount == 0:
                raise InvalidInput(f"'{form}' is not switched off in this case")
        else:
            project.conn.execute(
                "INSERT OR IGNORE INTO variant_switches (case_id, form, created_at) VALUES (?, ?, ?)",
                (case_id, key, now()),
            )
        project.audit("variant-on" if on else "variant-off", "case", case_id, after={"form": key})
        detect_case(project, case_id)
        after = _form_mentions(project, case_id, form)
    return FormDecision(form, "on" if on else "off", None, before, after)


def assign_form(project: Project, case_id: str, form: str, organisation_id: str) -> FormDecision:
    """Every mention of ``form`` in the case means this organisation (kept as an alias)."""
    org = project.query_one(
        "SELECT id, name, case_id FROM organisations WHERE id = ?", (organisation_id,)
    )
    if org is None or org["case_id"] != case_id:
        raise InvalidInput("that organisation is not a partner of this case")
    key = normalise(form)
    with project.transaction():
        before = _form_mentions(project, case_id, form, organisation_id)
        project.conn.execute(
            "DELETE FROM variant_switches WHERE case_id = ? AND form = ?", (case_id, key)
        )
        other = project.query_one(
            "SELECT o.name FROM organisation_aliases a JOIN organisations o ON o.id = a.organisation_id "
            "WHERE o.case_id = ? AND a.alias = ? AND o.id <> ?",
            (case_id, form.strip(), organisation_id),
        )
        if other:
            raise InvalidInput(
                f"'{form}' is an alias of {other['name']}; remove it there first "
                f'(casebook partners alias "{other["name"]}" "{form}" --remove)'
            )
        add_alias(project, organisation_id, form.strip())
        detect_case(project, case_id)
        after = _form_mentions(project, case_id, form, organisation_id)
    return FormDecision(form, "organisation", org["name"], before, after)
