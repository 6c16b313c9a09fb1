"""The one message catalogue: every word a deliverable prints, in Dutch and English.

Long because it is data: the Dutch and English catalogues side by side, so a missing
translation shows.

Quote banks, codebooks, case reports, spreadsheets and network pictures take
their labels, legends, headers and quantities from here, so a Dutch
deliverable contains no English from our own templates (tests check every
Dutch export against this catalogue). Numbers and money are written the way
each language writes them: ``€ 3.450.000`` and ``99,5 %`` in Dutch,
``€3,450,000`` and ``99.5%`` in English. Babel would do the same for two
languages at the cost of a dependency; these few rules are enough here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from casebook.orgtypes import DEFAULT_TYPES

LANGUAGES = ("nl", "en")

MESSAGES: dict[str, dict[str, Any]] = {
    "nl": {
        "quote_bank": "Citatenbank",
        "codebook": "Codeboek",
        "case_report": "Casusrapport",
        "contents": "Inhoud",
        "toc_note": "Word vult deze inhoudsopgave met paginanummers bij het openen van het document "
        "(of klik erin en druk op F9).",
        "project": "Project",
        "date": "Datum",
        "codes": "Codes",
        "all_codes": "alle codes",
        "with_children": "met subcodes",
        "without_children": "zonder subcodes",
        "together_with": "samen met",
        "not_with": "niet samen met",
        "within": "binnen",
        "cases": "Regio's",
        "roles": "Rollen",
        "rounds": "Rondes",
        "coders": "Codeurs",
        "kinds": "Documentsoorten",
        "documents": "Documenten",
        "other_filters": "Overige filters",
        "length": "Lengte citaat",
        "chars": "tekens",
        "grouping": "Indeling",
        "attribution": "Bronvermelding",
        "pseudonymised": "Gepseudonimiseerd",
        "no": "nee",
        "n_quotes": "Aantal citaten",
        "quotes": ("{n} citaat", "{n} citaten"),
        "from_cases": ("uit {n} regio", "uit {n} regio's"),
        "respondents": ("{n} respondent", "{n} respondenten"),
        "question": "Vraag",
        "overview": "Overzicht: citaten per code en regio",
        "overview_note": "Aantal citaten in deze citatenbank per code (zonder subcodes) en regio.",
        "code": "Code",
        "total": "Totaal",
        "notes": "Notities bij citaten",
        "memo": "memo",
        "no_case": "(geen regio)",
        "no_role": "(rol onbekend)",
        "round": "ronde",
        "respondent": "respondent",
        "groupings": {
            "code-case": "code → regio",
            "case-code": "regio → code",
            "code-role": "code → rol",
        },
        "kind_labels": {
            "interview": "interview",
            "progress_report": "voortgangsrapportage",
            "plan": "regioplan",
            "other": "document",
        },
        "months": (
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ),
        "empty": "Geen citaten gevonden met deze selectie.",
        # codebook and case report
        "definition": "Definitie",
        "when_to_use": "Wanneer gebruiken",
        "when_not_to_use": "Wanneer niet gebruiken",
        "example": "Voorbeeld",
        "counts": "Gebruik",
        "codings_in": "{n} coderingen in {d} documenten, {c} regio's",
        "n_codes": "{n} codes",
        "codebook_note": "Aantallen zijn coderingen in het project op de exportdatum.",
        "attributes": "Kenmerken",
        "attribute": "Kenmerk",
        "value": "Waarde",
        "material": "Materiaal",
        "framework": "Raamwerk",
        "theme": "Thema",
        "summary": "Samenvatting",
        "passages": "Passages",
        "network": "Samenwerkingsnetwerk",
        "network_caption": "Figuur: samenwerkingsnetwerk van de regio (kleur = type organisatie, "
        "lijndikte = aantal gecodeerde passages).",
        "key_quotes": "Kerncitaten per thema",
        "n_documents": "{n} documenten",
        "col_document": "Document",
        "col_kind": "Soort",
        "col_round": "Ronde",
        "col_role": "Rol",
        # counts with singular and plural forms
        "documents_n": ("{n} document", "{n} documenten"),
        "codings_n": ("{n} codering", "{n} coderingen"),
        "in_documents_n": ("in {n} document", "in {n} documenten"),
        "regions_n": ("{n} regio", "{n} regio's"),
        "codes_n": ("{n} code", "{n} codes"),
        "unused": "Niet gebruikt",
        "unused_codes": "Niet gebruikte codes",
        "unused_note": "Deze codes komen in het codeboek voor maar zijn (nog) niet gebruikt.",
        "network_caption_proposed": "Figuur: voorgestelde partners van de regio, afgeleid uit vermeldingen in "
        "de documenten en nog niet bevestigd (kleur = type organisatie).",
        # network drawings (casebook graph and the case report)
        "graph_title": "Samenwerkingsnetwerk",
        "graph_org_type": "Type organisatie",
        "graph_node_size": "grootte: aantal vermeldingen",
        "graph_edge": ("{n} gecodeerde passage", "{n} gecodeerde passages"),
        "graph_edge_proposed": ("{n} vermelding samen", "{n} vermeldingen samen"),
        "graph_isolated": (
            "{n} organisatie zonder gecodeerde samenwerking",
            "{n} organisaties zonder gecodeerde samenwerking",
        ),
        "graph_isolated_proposed": (
            "{n} organisatie zonder voorgestelde samenwerking",
            "{n} organisaties zonder voorgestelde samenwerking",
        ),
        "graph_empty": "Geen organisaties in het partnerregister.",
        "graph_proposed": "voorgesteld, niet bevestigd",
        "graph_round": "ronde {x}",
        "graph_role": "rol {x}",
        "graph_code": "code {x}",
        "graph_pooled": "alle regio's",
        "org_types": DEFAULT_TYPES.labels("nl"),  # a project's own types: casebook.store.orgtypes
        # spreadsheet headers (quote lists)
        "columns": {
            "code": "Code-id",
            "code_path": "Code",
            "code_label": "Codelabel",
            "case": "Regio",
            "document": "Document",
            "kind": "Soort",
            "round": "Ronde",
            "date": "Datum",
            "role": "Rol",
            "respondent": "Respondent",
            "coders": "Codeurs",
            "start": "Begin",
            "end": "Einde",
            "length": "Lengte",
            "quote": "Citaat",
            "attribution": "Bronvermelding",
            "question": "Vraag",
            "memos": "Memo's",
            "coding_ids": "Coderings-id's",
        },
        "quotes_sheet": "Citaten",
        "selection_sheet": "Selectie",
        "ids_sheet": "Id's",
        "col_codings": "Coderingen",
        # matrices, co-occurrence, framework and round comparisons (casebook/synthesis)
        "axes": {
            "case": "regio",
            "role": "rol",
            "round": "ronde",
            "document": "document",
            "kind": "soort",
            "coder": "codeur",
            "code": "code",
        },
        "measures": {
            "segments": "gecodeerde passages",
            "documents": "documenten",
            "respondents": "respondenten",
            "cases": "regio's",
            "characters": "tekens",
            "presence": "aanwezig",
        },
        "percent_of": {"row": "% van rijtotaal", "col": "% van kolomtotaal"},
        "none": "(geen)",
        "filters_note": "Filters: {x}.",
        "passages_sheet": "Passages",
        "passage_columns": {
            "row": "rij",
            "column": "kolom",
            "case_name": "regio",
            "document": "document",
            "kind": "soort",
            "round": "ronde",
            "role": "rol",
            "coder": "codeur",
            "code": "code",
            "start": "begin",
            "end": "einde",
            "quote": "citaat",
            "coding_id": "coderings-id",
        },
        "within_modes": {"overlap": "overlap", "turn": "spreekbeurt"},
        "cooccurrence_title": "Samen voorkomen per {x}",
        "cooccurrence_sheet": "samen voorkomen ({x})",
        "jaccard": "Jaccard",
        "rounds_title": "Wat is nieuw in {b} ten opzichte van {a}",
        "rounds_measure": "Maat: {x}.",
        "rounds_new_in": "Nieuw in {x}:",
        "rounds_new_sheet": "nieuw in {x}",
        "rounds_columns": {
            "case": "regio",
            "code": "code",
            "difference": "verschil",
            "status": "status",
        },
        "round_statuses": {
            "new": "nieuw",
            "gone": "verdwenen",
            "more": "meer",
            "fewer": "minder",
            "same": "gelijk",
            "only A": "alleen {a}",
            "only B": "alleen {b}",
        },
        "framework_columns": {
            "case": "regio",
            "theme": "thema",
            "summary": "samenvatting",
            "passages": "onderbouwende passages",
        },
        "no_role_short": "rol onbekend",
    },
    "en": {
        "quote_bank": "Quote bank",
        "codebook": "Codebook",
        "case_report": "Case report",
        "contents": "Contents",
        "toc_note": "Word fills in this table of contents with page numbers when the document is opened "
        "(or click it and press F9).",
        "project": "Project",
        "date": "Date",
        "codes": "Codes",
        "all_codes": "all codes",
        "with_children": "with child codes",
        "without_children": "without child codes",
        "together_with": "together with",
        "not_with": "not together with",
        "within": "within",
        "cases": "Regions",
        "roles": "Roles",
        "rounds": "Rounds",
        "coders": "Coders",
        "kinds": "Document kinds",
        "documents": "Documents",
        "other_filters": "Other filters",
        "length": "Quote length",
        "chars": "characters",
        "grouping": "Grouping",
        "attribution": "Attribution",
        "pseudonymised": "Pseudonymised",
        "no": "no",
        "n_quotes": "Number of quotes",
        "quotes": ("{n} quote", "{n} quotes"),
        "from_cases": ("from {n} region", "from {n} regions"),
        "respondents": ("{n} respondent", "{n} respondents"),
        "question": "Question",
        "overview": "Overview: quotes per code and region",
        "overview_note": "Number of quotes in this quote bank per code (without child codes) and region.",
        "code": "Code",
        "total": "Total",
        "notes": "Notes on quotes",
        "memo": "memo",
        "no_case": "(no region)",
        "no_role": "(role unknown)",
        "round": "round",
        "respondent": "respondent",
        "groupings": {
            "code-case": "code → region",
            "case-code": "region → code",
            "code-role": "code → role",
        },
        "kind_labels": {
            "interview": "interview",
            "progress_report": "progress report",
            "plan": "regional plan",
            "other": "document",
        },
        "months": (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        "empty": "No quotes match this selection.",
        "definition": "Definition",
        "when_to_use": "When to use",
        "when_not_to_use": "When not to use",
        "example": "Example",
        "counts": "Use",
        "codings_in": "{n} codings in {d} documents, {c} regions",
        "n_codes": "{n} codes",
        "codebook_note": "Counts are codings in the project on the export date.",
        "attributes": "Attributes",
        "attribute": "Attribute",
        "value": "Value",
        "material": "Material",
        "framework": "Framework",
        "theme": "Theme",
        "summary": "Summary",
        "passages": "Passages",
        "network": "Collaboration network",
        "network_caption": "Figure: the region's collaboration network (colour = organisation type, "
        "line width = number of coded passages).",
        "key_quotes": "Key quotes per theme",
        "n_documents": "{n} documents",
        "col_document": "Document",
        "col_kind": "Kind",
        "col_round": "Round",
        "col_role": "Role",
        "documents_n": ("{n} document", "{n} documents"),
        "codings_n": ("{n} coding", "{n} codings"),
        "in_documents_n": ("in {n} document", "in {n} documents"),
        "regions_n": ("{n} region", "{n} regions"),
        "codes_n": ("{n} code", "{n} codes"),
        "unused": "Not used",
        "unused_codes": "Unused codes",
        "unused_note": "These codes are in the codebook but have not been used (yet).",
        "network_caption_proposed": "Figure: the region's proposed partners, derived from mentions in the "
        "documents and not yet confirmed (colour = organisation type).",
        "graph_title": "Collaboration network",
        "graph_org_type": "Organisation type",
        "graph_node_size": "size: number of mentions",
        "graph_edge": ("{n} coded passage", "{n} coded passages"),
        "graph_edge_proposed": ("{n} joint mention", "{n} joint mentions"),
        "graph_isolated": (
            "{n} organisation without coded collaboration",
            "{n} organisations without coded collaboration",
        ),
        "graph_isolated_proposed": (
            "{n} organisation without proposed collaboration",
            "{n} organisations without proposed collaboration",
        ),
        "graph_empty": "No organisations in the partner registry.",
        "graph_proposed": "proposed, not confirmed",
        "graph_round": "round {x}",
        "graph_role": "role {x}",
        "graph_code": "code {x}",
        "graph_pooled": "all regions",
        "org_types": DEFAULT_TYPES.labels("en"),
        "columns": {
            "code": "Code id",
            "code_path": "Code",
            "code_label": "Code label",
            "case": "Region",
            "document": "Document",
            "kind": "Kind",
            "round": "Round",
            "date": "Date",
            "role": "Role",
            "respondent": "Respondent",
            "coders": "Coders",
            "start": "Start",
            "end": "End",
            "length": "Length",
            "quote": "Quote",
            "attribution": "Attribution",
            "question": "Question",
            "memos": "Memos",
            "coding_ids": "Coding ids",
        },
        "quotes_sheet": "Quotes",
        "selection_sheet": "Selection",
        "ids_sheet": "Ids",
        "col_codings": "Codings",
        # English words here are the ones the synthesis exports have always printed.
        "axes": {
            "case": "case",
            "role": "role",
            "round": "round",
            "document": "document",
            "kind": "kind",
            "coder": "coder",
            "code": "code",
        },
        "measures": {
            "segments": "segments",
            "documents": "documents",
            "respondents": "respondents",
            "cases": "cases",
            "characters": "characters",
            "presence": "presence",
        },
        "percent_of": {"row": "% of row", "col": "% of col"},
        "none": "(none)",
        "filters_note": "Filters: {x}.",
        "passages_sheet": "Passages",
        "passage_columns": {
            "row": "row",
            "column": "column",
            "case_name": "case",
            "document": "document",
            "kind": "kind",
            "round": "round",
            "role": "role",
            "coder": "coder",
            "code": "code",
            "start": "start",
            "end": "end",
            "quote": "quote",
            "coding_id": "coding id",
        },
        "within_modes": {"overlap": "overlap", "turn": "turn"},
        "cooccurrence_title": "Co-occurrence by {x}",
        "cooccurrence_sheet": "co-occurrence ({x})",
        "jaccard": "Jaccard",
        "rounds_title": "What is new in {b} compared with {a}",
        "rounds_measure": "Measure: {x}.",
        "rounds_new_in": "New in {x}:",
        "rounds_new_sheet": "new in {x}",
        "rounds_columns": {
            "case": "case",
            "code": "code",
            "difference": "difference",
            "status": "status",
        },
        "round_statuses": {
            "new": "new",
            "gone": "gone",
            "more": "more",
            "fewer": "fewer",
            "same": "same",
            "only A": "only {a}",
            "only B": "only {b}",
        },
        "framework_columns": {
            "case": "case",
            "theme": "theme",
            "summary": "summary",
            "passages": "supporting passages",
        },
        "no_role_short": "no role",
    },
}


def message(language: str, key: str) -> Any:
    return MESSAGES[language][key]


def plural(language: str, key: str, n: int) -> str:
    """'1 codering', '2 coderingen': a (singular, plural) pair from the catalogue."""
    one, many = MESSAGES[language][key]
    return (one if n == 1 else many).format(n=format_number(n, language))


def format_number(value: float | int, language: str, decimals: int = 0) -> str:
    """Thousands separators and decimal mark of the language: 3.450.000 / 3,450,000; 99,5 / 99.5."""
    text = f"{value:,.{decimals}f}"
    if language == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_money(value: float | int, language: str) -> str:
    decimals = 0 if float(value).is_integer() else 2
    amount = format_number(value, language, decimals)
    return f"€ {amount}" if language == "nl" else f"€{amount}"


def format_percent(value: float | int, language: str, decimals: int = 1) -> str:
    """``value`` is already a percentage (99.5, not 0.995)."""
    decimals = 0 if float(value).is_integer() else decimals
    amount = format_number(value, language, decimals)
    return f"{amount} %" if language == "nl" else f"{amount}%"


def format_date(day: dt.date, language: str) -> str:
    """'3 december 2026' / '3 December 2026': the day, the month's name, the year."""
    return f"{day.day} {MESSAGES[language]['months'][day.month - 1]} {day.year}"


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)] + [
            s for k in value for s in _strings(k)
        ]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


@functools.cache
def catalogue_words(language: str | None = None) -> frozenset[str]:
    """Every lower-cased word of the catalogue (one language, or both): our own words in an export."""
    languages = [language] if language else list(LANGUAGES)
    out: set[str] = set()
    for lang in languages:
        for s in _strings(MESSAGES[lang]):
            out |= {
                w.lower()
                for w in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.sub(r"\{[^}]*\}", " ", s))
            }
    return frozenset(out)
