"""Speaker-label detection: the conventions we accept and the look-alikes we refuse."""

from __future__ import annotations

import pytest

from casebook.importers.assemble import assemble
from casebook.importers.base import Block, ReadResult
from casebook.text import speakers


@pytest.mark.parametrize(
    ("paragraph", "label", "org", "time", "body"),
    [
        ("I: Hoe gaat het?", "I", None, None, "Hoe gaat het?"),
        ("R: Goed.", "R", None, None, "Goed."),
        ("Interviewer: Vertel eens.", "Interviewer", None, None, "Vertel eens."),
        ("Respondent: Nou...", "Respondent", None, None, "Nou..."),
        ("Respondent 2: Ja.", "Respondent 2", None, None, "Ja."),
        ("Marieke: We zijn begonnen.", "Marieke", None, None, "We zijn begonnen."),
        ("Marieke (ROC Maasdelta): Klopt.", "Marieke", "ROC Maasdelta", None, "Klopt."),
        ("Piet van der Berg: Zeker.", "Piet van der Berg", None, None, "Zeker."),
        ("mevr. Bakker: Inderdaad.", "mevr. Bakker", None, None, "Inderdaad."),
        ("[id1] hello there", "id1", None, None, "hello there"),
        ("[R1] dat denk ik", "R1", None, None, "dat denk ik"),
        ("JUSTICE BREYER: Well, counsel.", "JUSTICE BREYER", None, None, "Well, counsel."),
        ("MR. ROBERTS: Thank you.", "MR. ROBERTS", None, None, "Thank you."),
        ("[00:12:31] R: Ja hoor.", "R", None, 751.0, "Ja hoor."),
        ("00:12:31 I: En toen?", "I", None, 751.0, "En toen?"),
        ("12:31 Jan: Precies.", "Jan", None, 751.0, "Precies."),
        ("Jan de Vries [00:01:02]: Hoi.", "Jan de Vries", None, 62.0, "Hoi."),
        ("Jan (00:01:02): Hoi.", "Jan", None, 62.0, "Hoi."),
        ("Sanne (interviewer): Begin maar.", "Sanne (interviewer)", None, None, "Begin maar."),
        ("Jan de Vries   0:03", "Jan de Vries", None, 3.0, ""),
        ("[00:12:31] Daarna gingen we door.", None, None, 751.0, "Daarna gingen we door."),
        ("00:12:31 daarna gingen we door.", None, None, 751.0, "daarna gingen we door."),
    ],
)
def test_accepted_labels(
    paragraph: str, label: str | None, org: str | None, time: float | None, body: str
) -> None:
    m = speakers.match_label(paragraph)
    assert m is not None
    assert m.label == label
    assert m.organisation == org
    assert m.time == time
    assert paragraph[m.body_start :].strip() == body


@pytest.mark.parametrize(
    "paragraph",
    [
        "Conclusie: het werkt.",
        "Let op: dit is belangrijk.",
        "LET OP: dit is belangrijk.",
        "https://www.sterktechniekonderwijs.nl: de website",
        "Zie https://example.org/pagina voor meer.",
        "Om 10:30 uur begon de bijeenkomst.",
        "10:30 uur: start van de bijeenkomst.",
        "10:30-11:00 overleg met de stuurgroep",
        "De school heeft drie doelen: werven, binden en boeien.",
        "Stand van zaken: we liggen op schema.",
        "Stap 1: kennismaken.",
        "Piet zei: dat gaan we doen.",
        "[sic] zo staat het er.",
        "[Gelach] dat is waar.",
        "Wat vindt u ervan?: lastig.",
        "Tel.: 010-1234567",
    ],
)
def test_refused_look_alikes(paragraph: str) -> None:
    assert speakers.match_label(paragraph) is None


def test_trust_needs_generic_or_recurring() -> None:
    paragraphs = [
        "Jan: Eerste keer.",
        "Karin: Alleen een keer.",
        "Jan: Tweede keer.",
        "I: Een vraag?",
        "[id7] iets",
    ]
    trusted = speakers.trusted_labels(paragraphs)
    assert "jan" in trusted
    assert "i" in trusted
    assert "id7" in trusted
    assert "karin" not in trusted


def test_recurring_lead_ins_are_still_refused() -> None:
    paragraphs = ["Let op: een.", "Let op: twee.", "Conclusie: drie.", "Conclusie: vier."]
    assert speakers.trusted_labels(paragraphs) == set()


def test_resolve_keeps_time_of_untrusted_label() -> None:
    m = speakers.resolve("[00:00:05] Karin: iets", trusted=set())
    assert m is not None and m.label is None and m.time == 5.0
    assert "[00:00:05] Karin: iets"[m.body_start :] == "Karin: iets"
    m = speakers.resolve("[00:00:05] Karin: iets", trusted={"karin"})
    assert m is not None and m.label == "Karin"
    assert speakers.resolve("Karin: iets", trusted=set()) is None


@pytest.mark.parametrize(
    ("text", "label", "org", "time"),
    [
        ("Jan", "Jan", None, None),
        ("Jan:", "Jan", None, None),
        ("  Marieke (ROC Maasdelta)  ", "Marieke", "ROC Maasdelta", None),
        ("Jan 00:01:02", "Jan", None, 62.0),
        ("Jan de Vries\n0:03", "Jan de Vries", None, 3.0),
        ("I", "I", None, None),
    ],
)
def test_as_label_accepts_whole_labels(
    text: str, label: str, org: str | None, time: float | None
) -> None:
    m = speakers.as_label(text)
    assert m is not None
    assert (m.label, m.organisation, m.time) == (label, org, time)


@pytest.mark.parametrize("text", ["", "Conclusie", "Jan zegt iets", "2021", "Hoe gaat het?"])
def test_as_label_refuses_other_text(text: str) -> None:
    assert speakers.as_label(text) is None


@pytest.mark.parametrize(
    ("label", "interviewer", "share", "expected"),
    [
        ("I", None, {}, "interviewer"),
        ("Interviewer", None, {}, "interviewer"),
        ("Interviewer 2", None, {}, "interviewer"),
        ("Q", None, {}, "interviewer"),
        ("R", None, {}, "respondent"),
        ("R1", None, {}, "respondent"),
        ("Respondent", "Sanne de Wit", {}, "respondent"),
        ("Sanne de Wit", "Sanne de Wit", {}, "interviewer"),
        ("Sanne", "Sanne de Wit", {}, "interviewer"),
        ("De Wit", "Sanne de Wit", {}, "interviewer"),
        ("SdW", "Sanne de Wit", {}, "interviewer"),
        ("SW", "Sanne de Wit", {}, "interviewer"),
        ("Sanne Jansen", "Sanne de Wit", {}, "respondent"),
        ("Piet", "Sanne de Wit", {}, "respondent"),
        ("Sanne (interviewer)", None, {}, "interviewer"),
        ("Piet (respondent)", "Piet", {}, "respondent"),
        ("id1", None, {"id1": 0.8, "id2": 0.1}, "interviewer"),
        ("id2", None, {"id1": 0.8, "id2": 0.1}, "respondent"),
        ("id1", None, {"id1": 0.2, "id2": 0.1}, "respondent"),
    ],
)
def test_speaker_kind(
    label: str, interviewer: str | None, share: dict[str, float], expected: str
) -> None:
    assert speakers.speaker_kind(label, interviewer, share) == expected


def _turns(paragraphs: list[str], interviewer: str | None = None):
    imported = assemble(
        ReadResult([Block(p) for p in paragraphs], format="text"), interviewer=interviewer
    )
    return imported, [
        (t.label, t.speaker_kind, t.time, imported.text[t.start : t.end])
        for t in imported.of_kind("turn")
    ]


def test_turn_spans_paragraphs_until_next_label() -> None:
    _text, turns = _turns(
        [
            "I: Hoe begon het project?",
            "R: Met een bijeenkomst.",
            "Daarna volgden werkgroepen.",
            "En een techlab.",
            "I: Wie betaalde dat?",
        ]
    )
    assert [(t[0], t[1]) for t in turns] == [
        ("I", "interviewer"),
        ("R", "respondent"),
        ("I", "interviewer"),
    ]
    assert turns[1][3] == "Met een bijeenkomst.\nDaarna volgden werkgroepen.\nEn een techlab."


def test_false_positives_stay_in_the_text() -> None:
    paragraphs = [
        "Interviewer: Wat is de stand van zaken?",
        "Respondent: We zijn op schema.",
        "Conclusie: het loopt goed.",
        "Let op: de subsidie stopt in 2024.",
        "Let op: dan moet borging geregeld zijn.",
        "https://www.example.org/regio bevat het plan.",
        "Om 10:30 uur begon de stuurgroep.",
        "Interviewer: Dank u.",
    ]
    imported, turns = _turns(paragraphs)
    assert [t[0] for t in turns] == ["Interviewer", "Respondent", "Interviewer"]
    for kept in paragraphs[2:7]:
        assert kept in imported.text
    assert turns[1][3].startswith("We zijn op schema.\nConclusie: het loopt goed.")


def test_timestamps_at_turn_start_become_turn_time() -> None:
    imported, turns = _turns(
        [
            "[00:00:05] I: Welkom.",
            "[00:00:09] R: Dank je.",
            "[00:01:10] Verder met het tweede punt.",
            "00:02:00 I: Afronden?",
        ]
    )
    assert [(t[0], t[2]) for t in turns] == [("I", 5.0), ("R", 9.0), ("I", 120.0)]
    assert "00:0" not in imported.text
    assert turns[1][3] == "Dank je.\nVerder met het tweede punt."


def test_clock_time_at_paragraph_start_is_text() -> None:
    imported, turns = _turns(["I: Wanneer?", "R: Morgen.", "10:30 uur begint de les."])
    assert "10:30 uur begint de les." in imported.text
    assert turns[-1][3].endswith("10:30 uur begint de les.")


def test_recurring_names_and_organisations() -> None:
    _text, turns = _turns(
        [
            "Sanne: Hoe werkt de regio samen?",
            "Marieke (ROC Maasdelta): Via een stuurgroep.",
            "Sanne: En de bedrijven?",
            "Marieke (ROC Maasdelta): Die schuiven aan.",
        ],
        interviewer="Sanne de Wit",
    )
    assert [(t[0], t[1]) for t in turns] == [
        ("Sanne", "interviewer"),
        ("Marieke", "respondent"),
        ("Sanne", "interviewer"),
        ("Marieke", "respondent"),
    ]


def test_questions_decide_the_interviewer_without_metadata() -> None:
    _text, turns = _turns(
        [
            "[id1] Wat vindt u van de stages?",
            "[id2] Die zijn goed geregeld.",
            "[id1] En de begeleiding?",
            "[id2] Kan beter, vooral in het eerste jaar.",
        ]
    )
    kinds = {t[0]: t[1] for t in turns}
    assert kinds == {"id1": "interviewer", "id2": "respondent"}


def test_capital_labels_like_court_transcripts() -> None:
    _text, turns = _turns(
        [
            "CHIEF JUSTICE ROBERTS: We will hear argument first.",
            "MR. SMITH: Thank you, Mr. Chief Justice.",
            "JUSTICE BREYER: Counsel, one question.",
            "MR. SMITH: Certainly.",
        ]
    )
    assert [t[0] for t in turns] == [
        "CHIEF JUSTICE ROBERTS",
        "MR. SMITH",
        "JUSTICE BREYER",
        "MR. SMITH",
    ]


def test_one_off_speaker_in_a_focus_group() -> None:
    _text, turns = _turns(
        [
            "Jan: Wij zijn begonnen met gastlessen.",
            "Sanne: Hoe reageerden de leerlingen?",
            "Jan: Enthousiast.",
            "Karin: Bij ons ook, al was het wennen.",
            "Sanne: En de ouders?",
        ]
    )
    assert [t[0] for t in turns] == ["Jan", "Sanne", "Jan", "Karin", "Sanne"]


def test_untrusted_label_still_gives_up_its_timestamp() -> None:
    imported, turns = _turns(
        ["[00:00:04] I: Begin maar.", "[00:00:07] R: Goed.", "[00:00:30] Karin: komt zo binnen."]
    )
    assert "00:00" not in imported.text
    assert "Karin: komt zo binnen." in imported.text
    assert [t[0] for t in turns] == ["I", "R"]


def test_data_table_rows_end_a_turn() -> None:
    imported = assemble(
        ReadResult(
            [
                Block("Hoe groot is de regio?", speaker="I"),
                Block("Negen scholen.", speaker="R"),
                Block("School | Leerlingen", kind="table_row"),
                Block("Noordkaap | 420", kind="table_row"),
            ],
            format="docx",
            speakers_marked=True,
        )
    )
    turns = imported.of_kind("turn")
    assert [imported.text[t.start : t.end] for t in turns] == [
        "Hoe groot is de regio?",
        "Negen scholen.",
    ]


# --- issue 17 point 8: a role in brackets is a role, not an organisation -----------------------


def _turn_fields(paragraphs: list[str], role: str | None = None, organisation: str | None = None):
    imported = assemble(
        ReadResult([Block(p) for p in paragraphs], format="text"),
        role=role,
        organisation=organisation,
    )
    return [(t.label, t.speaker_kind, t.role, t.organisation) for t in imported.of_kind("turn")]


@pytest.mark.parametrize(
    ("bracket", "document_role", "is_role"),
    [
        ("mbo", None, True),
        ("docent techniek", None, True),
        ("MBO", "mbo", True),  # the document's own role, in any case
        ("ROC Maasdelta", None, False),
        ("Gemeente Lindeveen", "mbo", False),
        ("VLC", None, False),
        ("00:12", None, False),
    ],
)
def test_bracket_is_role(bracket: str, document_role: str | None, is_role: bool) -> None:
    assert speakers.bracket_is_role(bracket, document_role) is is_role


def test_role_in_brackets_maps_to_the_role() -> None:
    turns = _turn_fields(
        [
            "Interviewer: Hoe gaat het met de samenwerking?",
            "Respondent (mbo): Goed, we zien elkaar elke week.",
            "Interviewer: En de bedrijven?",
            "Respondent (mbo): Die schuiven aan.",
        ],
        role="vmbo",
        organisation="Esdal Vakcollege",
    )
    assert turns[1] == ("Respondent", "respondent", "mbo", "Esdal Vakcollege")
    assert turns[3] == turns[1]
    assert turns[0][2:] == (None, None)


def test_organisation_in_brackets_stays_an_organisation() -> None:
    """The demo corpus style: a name with its organisation."""
    turns = _turn_fields(
        [
            "Sanne: Hoe werkt de regio samen?",
            "Marieke (ROC Maasdelta): Via een stuurgroep.",
            "Sanne: En de bedrijven?",
            "Marieke (ROC Maasdelta): Die schuiven aan.",
        ],
        role="mbo",
    )
    assert turns[1][2:] == ("mbo", "ROC Maasdelta")


def test_qualcoder_id_tags_and_demo_bracket_times_are_unchanged() -> None:
    from tests.conftest import EXTERNAL

    example = EXTERNAL / "qualcoder-examples" / "transcript.txt"
    if not example.exists():
        pytest.skip("the shared QualCoder example is not here")
    paragraphs = [p for p in example.read_text(encoding="utf-8").split("\n") if p.strip()]
    turns = _turn_fields(paragraphs, role="student")
    assert {t[0] for t in turns} == {"id1", "id2", "id3"}
    assert all(t[2] == "student" and t[3] is None for t in turns)
    turns = _turn_fields(["[00:00:04] I: Goedemiddag.", "[00:00:11] R (docent): Ja, dat is goed."])
    assert turns[1][:3] == ("R", "respondent", "docent")
