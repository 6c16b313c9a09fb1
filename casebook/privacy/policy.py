"""What one export hides, and the ``Pseudonymiser`` that does it.

Three independent choices: persons (always, once pseudonymising), case names
(replaced by stable codes "regio A", "regio B", … over all cases of the
project, so a region has the same code in every export), and organisation
names (replaced by their type, "een mbo-instelling", from the partner
registry). Replacements inside quoted text are in square brackets, the
convention for an editor's change to a quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from casebook.errors import InvalidInput
from casebook.messages import catalogue_words
from casebook.partners.detection import Detector
from casebook.partners.model import Organisation
from casebook.partners.variants import derived_variants
from casebook.privacy.names import LANGUAGE_WORDS
from casebook.privacy.pseudonymise import Pseudonymiser, case_codes
from casebook.privacy.registry import needs_scan, rejected_names, replaceable_persons, scan_persons
from casebook.store.project import Project

PERSON_LABELS = ("role", "name", "pseudonym")
PSEUDONYM_WORD = {"nl": "Respondent", "en": "Respondent"}

ROLE_LABELS: dict[str, dict[str, str]] = {
    "nl": {},
    "en": {
        "programmamanager": "programme manager",
        "programmaleider": "programme manager",
        "bedrijfsleven": "business",
        "bedrijf": "business",
        "gemeente": "municipality",
        "po": "primary school",
        "vso": "special secondary school",
        "interviewer": "interviewer",
        "penvoerder": "lead vmbo school",
        "branche": "sector organisation",
    },
}

TYPE_PHRASES: dict[str, dict[str, str]] = {
    "nl": {
        "vmbo-penvoerder": "de penvoerende vmbo-school",
        "vmbo": "een vmbo-school",
        "mbo": "een mbo-instelling",
        "po": "een basisschool",
        "vso/pro": "een vso/pro-school",
        "hbo/pabo": "een hogeschool",
        "bedrijf": "een bedrijf",
        "branche": "een brancheorganisatie",
        "gemeente": "de gemeente",
        "ondersteuning": "een ondersteunende organisatie",
        "overig": "een organisatie",
    },
    "en": {
        "vmbo-penvoerder": "the lead vmbo school",
        "vmbo": "a vmbo school",
        "mbo": "an mbo college",
        "po": "a primary school",
        "vso/pro": "a special or practical school",
        "hbo/pabo": "a university of applied sciences",
        "bedrijf": "a company",
        "branche": "a sector organisation",
        "gemeente": "the municipality",
        "ondersteuning": "a support organisation",
        "overig": "an organisation",
    },
}

NO_NAME = {"nl": "naam", "en": "name"}
CASE_WORD = {"nl": "regio", "en": "region"}


def role_label(role: str | None, language: str) -> str | None:
    if not role:
        return None
    return ROLE_LABELS.get(language, {}).get(role.lower(), role)


@dataclass
class PrivacyOptions:
    persons: bool = False
    cases: bool = False
    organisations: bool = False
    person_label: str = (
        "role"  # role: "[programmamanager]"; name: "[naam]"; pseudonym: "[Respondent 3]"
    )
    language: str = "nl"

    def __post_init__(self) -> None:
        if self.person_label not in PERSON_LABELS:
            raise InvalidInput(
                f"unknown person label '{self.person_label}'; use one of: {', '.join(PERSON_LABELS)}"
            )
        if self.cases or self.organisations:
            self.persons = True

    @property
    def enabled(self) -> bool:
        return self.persons

    def describe(self) -> str:
        parts = []
        if self.persons:
            parts.append("personen" if self.language == "nl" else "persons")
        if self.cases:
            parts.append("regio's" if self.language == "nl" else "regions")
        if self.organisations:
            parts.append("organisaties" if self.language == "nl" else "organisations")
        return ", ".join(parts)


@dataclass
class Privacy:
    """The pseudonymiser of one export, plus how case names and documents are shown."""

    options: PrivacyOptions
    pseudonymiser: Pseudonymiser = field(default_factory=Pseudonymiser)
    case_labels: dict[str, str] = field(default_factory=dict)  # case name -> "regio A"
    notes: list[str] = field(default_factory=list)
    ignore: set[str] = field(default_factory=set)  # reviewed non-names, lower case
    known: set[str] = field(
        default_factory=set
    )  # lower-cased words that explain a capital (see known_words)
    _documents: dict[str, str] = field(default_factory=dict)
    _coders: dict[str, str] = field(default_factory=dict)

    def text(self, value: str | None, document: str | None = None) -> str:
        """``document`` names where the text comes from, for the key's list of documents."""
        if not value:
            return value or ""
        if not self.options.enabled:
            return value
        self.pseudonymiser.context = document
        try:
            return self.pseudonymiser.replace(value)
        finally:
            self.pseudonymiser.context = None

    def coder(self, name: str | None) -> str | None:
        """Coders are people too: "coder 1", "coder 2" in a pseudonymised export."""
        if not name or not self.options.enabled:
            return name
        if name not in self._coders:
            self._coders[name] = f"coder {len(self._coders) + 1}"
        return self._coders[name]

    def case(self, name: str | None) -> str | None:
        """The case as an attribution names it: its code when asked, else its name."""
        if name is None:
            return None
        if self.options.cases:
            return self.case_labels.get(name, name)
        return name

    def document(self, name: str, kind_label: str) -> str:
        """Document names carry organisation and place names: a numbered stand-in instead."""
        if not self.options.enabled:
            return name
        if name not in self._documents:
            code = f"{kind_label} {len(self._documents) + 1}"
            self._documents[name] = code
            self.pseudonymiser.record("document", name, code)
        return self._documents[name]

    def registered(self) -> list[str]:
        return self.pseudonymiser.registered_names("person")


def build_privacy(project: Project, options: PrivacyOptions) -> Privacy:
    """The pseudonymiser for one export; scans for persons first when documents are new."""
    privacy = Privacy(options)
    if not options.enabled:
        return privacy
    lang = options.language
    persons, scanned = _persons_for_export(project)
    if scanned is not None:
        privacy.notes.append(
            f"{scanned.speakers} speakers and {scanned.candidates_new} name candidates found in documents "
            "imported since the last scan were replaced too; the registry was not changed "
            "(`casebook persons scan` records them for review)"
        )
    pending = sum(1 for p in persons if p.status == "candidate")
    if pending:
        privacy.notes.append(
            f"{pending} unreviewed name candidates were replaced too; confirm or reject them with "
            "`casebook persons confirm|reject`"
        )
    nameless = NO_NAME[lang]
    if options.person_label == "pseudonym":
        privacy.pseudonymiser.numbered = PSEUDONYM_WORD[lang]
    for p in persons:
        if p.label:
            replacement = p.label if p.label.startswith("[") else f"[{p.label}]"
        elif options.person_label == "pseudonym":
            replacement = ""  # numbered on first use, so "Respondent 1" is the first voice met
        elif options.person_label == "role" and p.role:
            replacement = f"[{role_label(p.role, lang)}]"
        else:
            replacement = f"[{nameless}]"
        privacy.pseudonymiser.add("person", p.name, replacement, tuple(p.aliases))
    privacy.ignore = rejected_names(project)
    privacy.known = known_words(project) | {w for n in privacy.ignore for w in n.split()}

    case_names = [r["name"] for r in project.query("SELECT name FROM cases ORDER BY name")]
    if options.cases:
        codes = case_codes(case_names)
        word = CASE_WORD[lang]
        privacy.case_labels = {n: c.replace("regio", word, 1) for n, c in codes.items()}
        for name, label in privacy.case_labels.items():
            privacy.pseudonymiser.add("case", name, f"[{label}]")
    if options.organisations:
        added = _add_organisations(project, privacy, case_names)
        if added == 0:
            privacy.notes.append(
                "no partner registry in this project: organisation names are left as they are "
                "(build one with `casebook partners import`)"
            )
    return privacy


class _Discard(Exception):
    """Raised to roll back a scan made only to read its result."""


def _persons_for_export(project: Project) -> tuple[list[Any], Any]:
    """The persons to replace, scanning new documents first without writing to the project.

    An export never changes the project: when documents are newer than the
    last person scan, the scan runs inside a transaction that is rolled back
    once its result is read.
    """
    if not needs_scan(project):
        return replaceable_persons(project), None
    found: dict[str, Any] = {}
    try:
        with project.transaction():
            found["summary"] = scan_persons(project)
            found["persons"] = replaceable_persons(project)
            raise _Discard
    except _Discard:
        pass
    return found["persons"], found["summary"]


def known_words(project: Project) -> set[str]:
    """Lower-cased words that explain a capitalised word in an export.

    Names of cases, organisations (with aliases) and places in case
    attributes, code labels and paths, document kinds and the words of our
    own templates: nothing else capitalised is taken for granted by --strict.
    """
    texts: list[str] = []
    queries = [
        "SELECT name AS t FROM cases",
        "SELECT label AS t FROM codes",
        "SELECT path AS t FROM codes",
        "SELECT value AS t FROM case_attributes",
        "SELECT value AS t FROM document_attributes",
        "SELECT DISTINCT kind AS t FROM documents",
        "SELECT DISTINCT organisation AS t FROM documents",
        "SELECT value AS t FROM meta WHERE key IN ('title', 'name', 'project.title')",
        "SELECT name AS t FROM organisations",
        "SELECT alias AS t FROM organisation_aliases",
        "SELECT name AS t FROM frameworks",
    ]
    for sql in queries:
        try:
            texts += [r["t"] for r in project.query(sql) if r["t"]]
        except Exception:  # noqa: BLE001 - a table this project does not have (no partner registry)
            continue
    words: set[str] = set(catalogue_words()) | {w.lower() for w in LANGUAGE_WORDS}
    for t in texts:
        words |= {w.lower() for w in re.findall(r"[\w’']+", str(t))}
    return words


def _add_organisations(project: Project, privacy: Privacy, case_names: list[str]) -> int:
    tables = {
        r["name"] for r in project.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    if "organisations" not in tables:
        return 0
    lang = privacy.options.language
    phrases = TYPE_PHRASES[lang]
    orgs = project.query("SELECT id, case_id, name, type FROM organisations ORDER BY name")
    aliases: dict[str, list[str]] = {}
    for r in project.query("SELECT organisation_id, alias FROM organisation_aliases"):
        aliases.setdefault(r["organisation_id"], []).append(r["alias"])
    seen = _surfaces_in_text(project, orgs, aliases, case_names)
    cases = {c.lower() for c in case_names}
    for o in orgs:
        forms = {o["name"], *aliases.get(o["id"], []), *seen.get(o["id"], set())}
        forms |= _derived(o["name"])
        keep = tuple(
            sorted(f for f in forms if _proper(f) and f.lower() not in cases and f != o["name"])
        )
        phrase = phrases.get(o["type"], phrases["overig"])
        privacy.pseudonymiser.add("organisation", o["name"], f"[{phrase}]", keep)
    return len(orgs)


def _proper(form: str) -> bool:
    """A name rather than 'de gemeente' or 'het ROC': some capitalised word of 3+ letters."""
    words = form.split()
    if words and words[0].lower() in ("de", "het", "'t") and len(words) == 2 and words[1].isupper():
        return False
    return any(len(w) >= 3 and w[0].isupper() for w in words) and not all(
        w.lower() in ("gemeente", "roc", "college", "stichting", "school", "de", "het")
        for w in words
    )


def _derived(name: str) -> set[str]:
    return set(derived_variants(name))


def _surfaces_in_text(
    project: Project,
    orgs: list[dict[str, Any]],
    aliases: dict[str, list[str]],
    case_names: list[str],
) -> dict[str, set[str]]:
    """How documents actually write each organisation ("Hekkert", "de Veenpoort").

    Mentions confirmed or detected by the partners module are read as they
    are; nothing is written to the project.
    """
    out: dict[str, set[str]] = {}
    try:
        rows = project.query(
            "SELECT organisation_id, surface FROM mentions WHERE organisation_id IS NOT NULL"
            " AND status IN ('auto', 'confirmed') AND method NOT IN ('generic', 'model', 'candidate')"
        )
    except Exception:  # noqa: BLE001 - partner tables absent
        return out
    for r in rows:
        out.setdefault(r["organisation_id"], set()).add(r["surface"])
    if rows:
        return out
    by_case: dict[str, list[Organisation]] = {}
    for o in orgs:
        by_case.setdefault(o["case_id"], []).append(
            Organisation(
                o["id"], o["case_id"], o["name"], o["type"], list(aliases.get(o["id"], []))
            )
        )
    for case_id, case_orgs in by_case.items():
        texts = [
            r["text"]
            for r in project.query(
                "SELECT t.text FROM documents d JOIN document_texts t ON t.document_id = d.id"
                " WHERE d.case_id = ?",
                (case_id,),
            )
        ]
        if not texts:
            continue
        detector = Detector(case_orgs, case_names, use_model=False)
        for found in detector.detect_many(texts):
            for f in found:
                if f.organisation_id and f.method not in ("generic", "model", "candidate"):
                    out.setdefault(f.organisation_id, set()).add(f.surface)
    return out
