"""The words of the chapter draft, Dutch and English, and how a role is named in a sentence.

Roles are project data (whatever the manifest's ``role`` column holds), so a
role without an entry in ``ROLE_NOUNS`` is still named, in a neutral form:
"geïnterviewden (rol: zorg)". The entries (casebook/data/role_nouns.toml) are
the phrasing Dutch evaluation reports use for the usual respondent groups of
the STO programme; a team adds its own with
``--role-names FILE`` (YAML: ``role: [singular, plural]``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml

from casebook.errors import InvalidInput

TEXT: dict[str, dict[str, Any]] = {
    "nl": {
        "title": "Casusoverstijgende analyse",
        "subtitle": "Concept per thema, opgesteld uit de gecodeerde passages",
        "contents": "Inhoud",
        "toc_note": "Word vult deze inhoudsopgave bij het openen van het document "
        "(of klik erin en druk op F9).",
        "scope": "Basis",
        "scope_line": "{cases} met interviews, {respondents} geïnterviewden, {reports}",
        "cases": ("{n} regio", "{n} regio's"),
        "reports": ("{n} voortgangsrapportage", "{n} voortgangsrapportages"),
        "round": "ronde {r}",
        "compared_with": "vergeleken met ronde {r}",
        "pseudonymised": "Gepseudonimiseerd: personen, regio's en organisaties zijn vervangen.",
        "method": "Aantallen zijn verschillende regio's en geïnterviewden, niet aantallen passages. "
        "Tussen haakjes staat steeds het aantal en de noemer.",
        "regions_noun": "regio's",
        "opening": "Dit thema komt naar voren in {phrase}.",
        "opening_none": "Dit thema komt in geen van de interviews naar voren ({figure}).",
        "roles_intro": "Het wordt genoemd door {list}.",
        "role_figure": "{word} {noun} ({figure})",
        "and": "en",
        "perspective": "Perspectieven",
        "perspective_note": "Aantal geïnterviewden per rol dat het thema noemt, en hoeveel van hen "
        "het als bevorderend of belemmerend beschrijven.",
        "col_role": "Rol",
        "col_mention": "Noemt thema",
        "col_positive": "Bevorderend",
        "col_negative": "Belemmerend",
        "quotes": "Citaten",
        "said_by": "aldus {who}",
        "report_box": "Kader: voortgangsrapportages",
        "report_line": "In {phrase} komt dit thema aan bod.",
        "report_none": "Geen van de voortgangsrapportages ({figure}) gaat op dit thema in.",
        "report_source": "uit een voortgangsrapportage",
        "change": "Veranderingen sinds ronde {r}",
        "change_line": "Van de {n} regio's die in beide rondes zijn geïnterviewd, noemen {both} het thema "
        "in beide rondes; in {new} is het nieuw en in {gone} komt het niet meer terug.",
        "change_none": "Geen regio is in beide rondes geïnterviewd; een vergelijking is niet mogelijk.",
        "contrasts": "Tegenstrijdigheden en verschillende perspectieven",
        "contrast_kind": {
            "contradiction": "Ogenschijnlijk tegenstrijdig",
            "perspective": "Verschil in perspectief",
        },
        "empty": "Geen thema's gekozen met gecodeerde passages.",
        "respondent_one": "een geïnterviewde",
        "respondents_many": "geïnterviewden",
        "unknown_role": ("een geïnterviewde (rol: {role})", "geïnterviewden (rol: {role})"),
    },
    "en": {
        "title": "Cross-case analysis",
        "subtitle": "Draft by theme, compiled from the coded passages",
        "contents": "Contents",
        "toc_note": "Word fills in this table of contents when the document is opened "
        "(or click it and press F9).",
        "scope": "Basis",
        "scope_line": "{cases} with interviews, {respondents} respondents, {reports}",
        "cases": ("{n} region", "{n} regions"),
        "reports": ("{n} progress report", "{n} progress reports"),
        "round": "round {r}",
        "compared_with": "compared with round {r}",
        "pseudonymised": "Pseudonymised: persons, regions and organisations are replaced.",
        "method": "Figures count distinct regions and respondents, not passages. "
        "The count and its denominator are given in brackets.",
        "regions_noun": "regions",
        "opening": "This theme comes up in {phrase}.",
        "opening_none": "This theme does not come up in any interview ({figure}).",
        "roles_intro": "It is named by {list}.",
        "role_figure": "{word} {noun} ({figure})",
        "and": "and",
        "perspective": "Perspectives",
        "perspective_note": "Respondents per role who name the theme, and how many of them describe "
        "it as facilitating or hindering.",
        "col_role": "Role",
        "col_mention": "Name the theme",
        "col_positive": "Facilitating",
        "col_negative": "Hindering",
        "quotes": "Quotes",
        "said_by": "says {who}",
        "report_box": "Box: progress reports",
        "report_line": "The theme is addressed in {phrase}.",
        "report_none": "None of the progress reports ({figure}) addresses this theme.",
        "report_source": "from a progress report",
        "change": "Changes since round {r}",
        "change_line": "Of the {n} regions interviewed in both rounds, {both} name the theme in both; "
        "in {new} it is new and in {gone} it no longer comes up.",
        "change_none": "No region was interviewed in both rounds; no comparison is possible.",
        "contrasts": "Contradictions and differing perspectives",
        "contrast_kind": {
            "contradiction": "Apparent contradiction",
            "perspective": "Difference in perspective",
        },
        "empty": "No themes chosen that have coded passages.",
        "respondent_one": "a respondent",
        "respondents_many": "respondents",
        "unknown_role": ("a respondent (role: {role})", "respondents (role: {role})"),
    },
}

ROLE_NOUNS_FILE = Path(__file__).resolve().parents[1] / "data" / "role_nouns.toml"


def load_role_nouns(path: Path = ROLE_NOUNS_FILE) -> dict[str, dict[str, tuple[str, str]]]:
    """language -> role -> (one person, the group), from the bundled data file."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return {
        lang: {role: (str(names[0]), str(names[1])) for role, names in roles.items()}
        for lang, roles in data.items()
    }


# role -> (one person, the group) as a sentence names them: the default vocabulary
ROLE_NOUNS: dict[str, dict[str, tuple[str, str]]] = load_role_nouns()


class ChapterText:
    """The chapter's words in one language, with the team's own role names on top."""

    def __init__(self, language: str = "nl", role_names: dict[str, tuple[str, str]] | None = None):
        if language not in TEXT:
            raise InvalidInput(f"unknown language '{language}'; use one of: {', '.join(TEXT)}")
        self.language = language
        self.text = TEXT[language]
        self.roles = {**ROLE_NOUNS.get(language, {}), **(role_names or {})}

    def __getitem__(self, key: str) -> Any:
        return self.text[key]

    def count(self, key: str, n: int) -> str:
        one, many = self.text[key]
        return (one if n == 1 else many).format(n=n)

    def role_one(self, role: str | None) -> str:
        if not role:
            return self.text["respondent_one"]
        found = self.roles.get(role.lower())
        return found[0] if found else self.text["unknown_role"][0].format(role=role)

    def role_many(self, role: str | None) -> str:
        if not role:
            return self.text["respondents_many"]
        found = self.roles.get(role.lower())
        return found[1] if found else self.text["unknown_role"][1].format(role=role)

    def join(self, items: list[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + f" {self.text['and']} " + items[-1]


def load_role_names(path: Path) -> dict[str, tuple[str, str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read the role names ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{path}: not valid YAML; check indentation and quotes") from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: expected 'role: [singular, plural]' lines")
    out: dict[str, tuple[str, str]] = {}
    for role, forms in data.items():
        if not (
            isinstance(forms, list) and len(forms) == 2 and all(isinstance(f, str) for f in forms)
        ):
            raise InvalidInput(f"{path}: role '{role}' needs two names: [singular, plural]")
        out[str(role).lower()] = (forms[0], forms[1])
    return out
