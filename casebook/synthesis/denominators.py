"""What "van de N" counts: every case, respondent or report in scope, coded or not.

A matrix cell counts the cases (respondents, reports) that *have* a theme;
the chapter also needs how many there are in all, or "9 van de 20" has no
20. The respondent key and the role are defined exactly as for passages
(``synthesis.passages``), so a numerator from ``casebook matrix --measure
respondents`` always lies within its denominator here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from casebook.core.filters import PassageFilter
from casebook.store.project import Project

INTERVIEW = "interview"
REPORT = "progress_report"

_RESPONDENT_KEY = (
    "(CASE WHEN coalesce(d.respondent, '') <> '' THEN 'r:' || d.respondent"
    " ELSE 'd:' || d.id || ':' || lower(trim(coalesce(t.label, ''))) END)"
)
_WHOLE_DOCUMENT_KEY = (
    "(CASE WHEN coalesce(d.respondent, '') <> '' THEN 'r:' || d.respondent ELSE 'd:' || d.id END)"
)


@dataclass
class Denominators:
    """Everything in scope, per unit: the Ns of a chapter."""

    cases: set[str] = field(default_factory=set)  # case ids with an interview in scope
    respondents: dict[str, set[str]] = field(default_factory=dict)  # role -> respondent keys
    reports: set[str] = field(default_factory=set)  # progress-report document ids
    report_cases: set[str] = field(default_factory=set)

    def respondents_of(self, role: str) -> int:
        return len(self.respondents.get(role, ()))

    @property
    def all_respondents(self) -> int:
        return len(set().union(*self.respondents.values())) if self.respondents else 0


def count_denominators(project: Project, filters: PassageFilter) -> Denominators:
    """Cases, respondents by role and reports within the document filters (round, case, attributes)."""
    clauses = filters.document_clauses()
    where = "".join(f" AND {c}" for c, _ in clauses)
    params = [v for _, p in clauses for v in p]
    out = Denominators()
    for r in project.query(
        f"SELECT d.id, d.kind, d.case_id FROM documents d WHERE d.kind IN (?, ?){where}",
        [INTERVIEW, REPORT, *params],
    ):
        if r["kind"] == INTERVIEW:
            if r["case_id"]:
                out.cases.add(r["case_id"])
        else:
            out.reports.add(r["id"])
            if r["case_id"]:
                out.report_cases.add(r["case_id"])
    by_role: dict[str, set[str]] = defaultdict(set)
    rows = project.query(
        f"SELECT coalesce(t.role, d.role) AS role, {_RESPONDENT_KEY} AS respondent"
        " FROM documents d JOIN segments t ON t.document_id = d.id AND t.kind = 'turn'"
        " AND coalesce(t.speaker_kind, '') <> 'interviewer'"
        f" WHERE d.kind = ?{where}"
        " UNION"
        f" SELECT d.role AS role, {_WHOLE_DOCUMENT_KEY} AS respondent FROM documents d"
        " WHERE d.kind = ? AND NOT EXISTS (SELECT 1 FROM segments s WHERE s.document_id = d.id"
        f" AND s.kind = 'turn'){where}",
        [INTERVIEW, *params, INTERVIEW, *params],
    )
    for r in rows:
        if r["role"]:
            by_role[r["role"]].add(r["respondent"])
    if filters.roles:
        by_role = defaultdict(set, {k: v for k, v in by_role.items() if k.lower() in filters.roles})
    out.respondents = dict(by_role)
    return out
