"""Issue 14: the analyst's review replayed from gold marks, and form switches on type words.

The replay answers the decisions `casebook partners review` offers with the
same domain functions the CLI calls, so a corpus can be scored twice: as
detection leaves it, and after the review it takes to finish the job.
"""

from __future__ import annotations

import os
from pathlib import Path

from casebook.partners.evaluation import evaluate_corpus, format_score
from casebook.store.project import open_project

CASES = "case,towns\nOlmbeek,Olmbeek;Rijsdam\n"
MANIFEST = (
    "file,case,kind,role,round,organisation\na.txt,Olmbeek,interview,docent,1,Vakcollege Olmbeek\n"
)


def _corpus(folder: Path, partners: list[str], text: str) -> Path:
    os.environ.setdefault("CASEBOOK_BLANK_NLP", "1")
    folder.mkdir()
    (folder / "cases.csv").write_text(CASES, encoding="utf-8")
    (folder / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    (folder / "partners.csv").write_text(
        "case,organisation,type,aliases\n" + "".join(f"Olmbeek,{p},\n" for p in partners),
        encoding="utf-8",
    )
    (folder / "a.txt").write_text(text, encoding="utf-8")
    return folder


def test_a_renamed_firm_offered_as_candidate_takes_one_decision(tmp_path) -> None:
    firm = "Metaalbedrijf Kranenburg B.V."
    corpus = _corpus(
        tmp_path / "c",
        [f"{firm},bedrijf", "Vakcollege Olmbeek,vmbo", "Gemeente Olmbeek,gemeente"],
        "I: Met wie werkt u samen?\n"
        f"R: Vooral met [[Kraanwerk Techniek BV|{firm}]], zo heet het bedrijf nu. "
        f"{{{{SAM.VMBO_BEDRIJF|Vakcollege Olmbeek;{firm}: Onze leerlingen lopen stage bij "
        f"[[Kraanwerk Techniek BV|{firm}]] en de docenten van "
        "[[het Vakcollege|Vakcollege Olmbeek]] gaan daar op bezoek.}}\n"
        f"R: Ook [[Kraanwerk Techniek BV|{firm}]] betaalt mee, net als "
        "[[de gemeente|Gemeente Olmbeek]].\n"
        "R: Verder praten we met Bouwfirma Lindhout BV over een project.\n",
    )
    keep = tmp_path / "kept.casebook"
    score = evaluate_corpus(corpus, review=True, keep=keep)
    assert score.recall < 0.5 and score.passages_complete == 0.0
    assert score.review is not None and score.after_review is not None
    assert score.review.assigned == ["Kraanwerk Techniek BV"]
    assert score.review.rejected == 1 and score.review.decisions == 2
    assert score.after_review.recall == 1.0 and score.after_review.precision == 1.0
    assert score.after_review.passages_complete == 1.0
    assert score.review.unseen_mentions == 0
    assert "after a replayed review of 2 decisions" in format_score(score)
    # The decisions are the project's own: an alias and a remembered rejection.
    project = open_project(keep)
    try:
        assert project.query("SELECT alias FROM organisation_aliases") == [
            {"alias": "Kraanwerk Techniek BV"}
        ]
        assert [
            r["name"]
            for r in project.query(
                "SELECT name FROM organisation_candidates WHERE status = 'rejected'"
            )
        ] == ["Bouwfirma Lindhout BV"]
    finally:
        project.close()


def test_a_form_meaning_two_partners_is_decided_per_mention(tmp_path) -> None:
    corpus = _corpus(
        tmp_path / "c",
        [
            "Bouwbedrijf Hazelaar,bedrijf",
            "Hazelaar Installaties,bedrijf",
            "Vakcollege Olmbeek,vmbo",
        ],
        "I: Welke bedrijven doen mee?\n"
        "R: [[Bouwbedrijf Hazelaar|Bouwbedrijf Hazelaar]] en "
        "[[Hazelaar Installaties|Hazelaar Installaties]]. Met [[Hazelaar|Bouwbedrijf Hazelaar]] "
        "bouwen we een schuur.\n"
        "R: En bij [[Hazelaar|Hazelaar Installaties]] leggen de leerlingen de leidingen aan.\n",
    )
    score = evaluate_corpus(corpus, review=True)
    assert score.review is not None and score.after_review is not None
    assert score.recall == 0.5
    assert score.review.assigned == [] and score.review.per_mention == 2
    assert score.after_review.recall == 1.0 and score.after_review.precision == 1.0


def test_without_review_nothing_is_replayed(tmp_path) -> None:
    corpus = _corpus(
        tmp_path / "c",
        ["Vakcollege Olmbeek,vmbo"],
        "R: Bij [[het Vakcollege|Vakcollege Olmbeek]] gaat het goed.\n",
    )
    score = evaluate_corpus(corpus)
    assert score.review is None and score.after_review is None
    assert "review" not in score.as_dict()


def test_a_type_word_form_can_be_switched_off_with_or_without_its_article(tmp_path) -> None:
    from casebook.core.cases import ensure_case
    from casebook.core.documents import DocumentMeta, import_file
    from casebook.partners.forms import switch_form
    from casebook.partners.registry import add_organisation
    from casebook.partners.storage import detect_case, list_mentions

    os.environ.setdefault("CASEBOOK_BLANK_NLP", "1")
    project = open_project(tmp_path / "p.db", coder="tester")
    case = ensure_case(project, "Olmbeek")
    add_organisation(project, case, "Gemeente Olmbeek", "gemeente")
    path = tmp_path / "d.txt"
    path.write_text("De gemeente betaalt. Daarna belde de gemeente terug.\n", encoding="utf-8")
    import_file(project, path, DocumentMeta(case="Olmbeek"))
    detect_case(project, case)

    def count() -> int:
        return sum(1 for m in list_mentions(project, case_id=case) if "gemeente" in m["surface"])

    assert count() == 2
    for form in ("gemeente", "de gemeente"):
        off = switch_form(project, case, form, on=False)
        assert (off.mentions_before, off.mentions_after) == (2, 0), form
        detect_case(project, case, force=True)
        assert count() == 0
        assert switch_form(project, case, form, on=True).mentions_after == 2
    project.close()
