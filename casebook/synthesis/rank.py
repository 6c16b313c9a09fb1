"""Facilitators and barriers ranked by how many regions name them, by role, and against a split.

"Bevorderende factoren … zijn meer en duidelijker aanwezig in regio's waar
de gewenste resultaten al worden geboekt": to say that, an analyst needs each
factor's regions among the regions with results and among those without.
The split is either a case attribute (one column per value) or a code (the
regions whose documents carry it, and the rest). Counts are distinct regions
and respondents in interviews, like the chapter's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from casebook.codes.codebook import descendants, resolve_code
from casebook.core.filters import case_attribute_id, parse_filters
from casebook.core.query import marks
from casebook.errors import InvalidInput
from casebook.store.project import Project
from casebook.synthesis.denominators import INTERVIEW, count_denominators
from casebook.synthesis.matrix import MatrixSpec, build_matrix


@dataclass
class Split:
    label: str  # "krimp = ja", "with RES", "without RES"
    cases: set[str]


@dataclass
class RankedCode:
    code_id: str
    path: str
    label: str
    regions: int
    roles: dict[str, int]
    against: list[int] = field(default_factory=list)  # regions per split, in split order


@dataclass
class Ranking:
    group: str
    total_regions: int
    roles: dict[str, int]  # role -> respondents in scope (the denominators)
    splits: list[Split]
    codes: list[RankedCode]

    def grid(self) -> list[list[Any]]:
        head = ["#", "code", "label", f"regions (of {self.total_regions})"]
        head += [f"{r} (of {n})" for r, n in self.roles.items()]
        head += [f"{s.label} (of {len(s.cases)})" for s in self.splits]
        rows: list[list[Any]] = [head]
        for i, c in enumerate(self.codes, start=1):
            rows.append(
                [
                    i,
                    c.path,
                    c.label,
                    c.regions,
                    *(c.roles.get(r, 0) for r in self.roles),
                    *c.against,
                ]
            )
        return rows

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "regions": self.total_regions,
            "roles": self.roles,
            "splits": [{"label": s.label, "regions": len(s.cases)} for s in self.splits],
            "codes": [
                {
                    "code": c.path,
                    "label": c.label,
                    "regions": c.regions,
                    "roles": c.roles,
                    "against": dict(zip([s.label for s in self.splits], c.against, strict=True)),
                }
                for c in self.codes
            ],
        }


def rank_codes(
    project: Project,
    group: str,
    *,
    against: str | None = None,
    round_: str | None = None,
    filters: Sequence[str] = (),
) -> Ranking:
    parent = resolve_code(project, group)
    if not project.query_one("SELECT 1 FROM codes WHERE parent_id = ?", (parent["id"],)):
        raise InvalidInput(
            f"{parent['path']} has no child codes to rank; give a group code such as its parent"
        )
    scope = [*filters, *([f"round={round_}"] if round_ else []), f"kind={INTERVIEW}"]
    codes = [f"{parent['path']}.*"]
    presence = build_matrix(
        project, MatrixSpec("case", "code", "presence", codes, None, True, scope)
    )
    by_role = build_matrix(
        project, MatrixSpec("role", "code", "respondents", codes, None, True, scope)
    )
    den = count_denominators(project, parse_filters(project, scope))
    cases_of: dict[str, set[str]] = defaultdict(set)
    for (case_id, code_id), v in presence.cells.items():
        if v:
            cases_of[code_id].add(case_id)
    splits = _splits(project, against, den.cases, scope) if against else []
    roles = {r: den.respondents_of(r) for r in sorted(den.respondents, key=str.lower)}
    ranked = []
    for col in presence.cols:
        info = project.query_one("SELECT path, label FROM codes WHERE id = ?", (col.key,))
        assert info is not None
        here = cases_of.get(col.key, set())
        ranked.append(
            RankedCode(
                col.key,
                info["path"],
                info["label"] or info["path"],
                len(here),
                {
                    r: by_role.value(r, col.key)
                    for r in roles
                    if any(h.key == r for h in by_role.rows)
                },
                [len(here & s.cases) for s in splits],
            )
        )
    ranked.sort(key=lambda c: (-c.regions, -sum(c.roles.values()), c.path))
    return Ranking(parent["path"], len(den.cases), roles, splits, ranked)


def _splits(project: Project, against: str, cases: set[str], scope: Sequence[str]) -> list[Split]:
    """A case attribute splits by value; otherwise ``against`` is a code: regions with it and without."""
    try:
        attr_id = case_attribute_id(project, against)
    except InvalidInput:
        attr_id = None
    if attr_id is not None:
        values: dict[str, set[str]] = defaultdict(set)
        for r in project.query(
            "SELECT case_id, value FROM case_attributes WHERE attribute_id = ?", (attr_id,)
        ):
            if r["case_id"] in cases and r["value"] not in (None, ""):
                values[str(r["value"])].add(r["case_id"])
        missing = cases - set().union(*values.values()) if values else cases
        out = [Split(f"{against} = {v}", c) for v, c in sorted(values.items())]
        if missing:
            out.append(Split(f"{against} = (none)", missing))
        return out
    try:
        code = resolve_code(project, against)
    except Exception as exc:
        raise InvalidInput(f"--against '{against}' is neither a case attribute nor a code") from exc
    ids = descendants(project, code["id"])
    rounds = [f.split("=", 1)[1] for f in scope if f.startswith("round=")]
    where = f" AND d.round IN ({marks(rounds)})" if rounds else ""
    with_code = {
        r["case_id"]
        for r in project.query(
            "SELECT DISTINCT d.case_id FROM codings k JOIN documents d ON d.id = k.document_id"
            f" WHERE k.code_id IN ({marks(ids)}){where}",
            [*ids, *rounds],
        )
        if r["case_id"] in cases
    }
    return [
        Split(f"with {code['path']}", with_code),
        Split(f"without {code['path']}", cases - with_code),
    ]
