"""Real projects for the TUI tests and the benchmark, built through the domain API.

The transcript generator writes original, fictional Dutch interview text in
the shape of the STO interviews: "Interviewer:" and named respondents with
an organisation, a few timestamps, several paragraphs per turn.
"""

from __future__ import annotations

import random
from pathlib import Path

SIZE = (140, 40)  # the terminal every Pilot test runs in
CODER = "tester"

SMALL_CODEBOOK = """\
codebook: test codebook
codes:
  - name: BEL
    label: Belemmerende factoren
    valence: negative
    definition: Wat de samenwerking of de uitvoering van het plan tegenhoudt.
    colour: "#d62728"
    children:
      - name: TIJD
        label: Tijd
        definition: Gebrek aan tijd of ruimte in het rooster van docenten.
        shortcut: "1"
        colour: "#e377c2"
      - name: GELD
        label: Geld
        definition: Financiering die ontbreekt of ophoudt.
        shortcut: "3"
  - name: BEV
    label: Bevorderende factoren
    valence: positive
    colour: "#2ca02c"
    children:
      - name: VISIE
        label: Visie
        definition: Een gedeeld beeld van waar de regio naartoe wil.
        shortcut: "2"
        colour: "#17becf"
  - name: SAM
    label: Samenwerking
    colour: "#9467bd"
    children:
      - name: VMBO_MBO
        label: Vmbo–mbo
        definition: Samenwerking tussen vmbo-scholen en het mbo.
"""

OPENERS = [
    "Hoe kijkt u terug op het afgelopen jaar?",
    "Wat is er veranderd in de samenwerking met het bedrijfsleven?",
    "Kunt u een voorbeeld geven van een activiteit die goed liep?",
    "Waar liep u tegenaan bij het uitvoeren van het plan?",
    "Hoe betrekt u de docenten bij de techniekroute?",
    "Wat betekent de regeling voor de leerlingen?",
]
SUBJECTS = [
    "De docenten",
    "Onze school",
    "Het ROC",
    "De bedrijven",
    "De gemeente",
    "Het regioteam",
    "De leerlingen",
]
VERBS = ["organiseren", "bespreken", "plannen", "ontwikkelen", "verbeteren", "evalueren", "delen"]
OBJECTS = [
    "gastlessen in de werkplaats",
    "een doorlopende leerlijn techniek",
    "bedrijfsbezoeken voor de derde klas",
    "de inzet van nieuwe apparatuur",
    "gezamenlijke scholing voor docenten",
    "een techniekdag voor de basisscholen",
    "het gebruik van het technieklokaal",
]
TAILS = [
    "maar daar is nog weinig tijd voor.",
    "en dat werkt eigenlijk heel goed.",
    "omdat iedereen het belang ervan inziet.",
    "hoewel de planning vaak schuift.",
    "zodat leerlingen eerder kiezen voor techniek.",
    "want zonder de bedrijven lukt het niet.",
]


def make_transcript(
    words: int, seed: int = 7, respondent: str = "Marieke", organisation: str = "ROC Maasdelta"
) -> str:
    """A transcript of about ``words`` words, the same for the same seed."""
    rng = random.Random(seed)
    lines: list[str] = []
    count = 0
    minute = 0
    while count < words:
        minute += rng.randint(1, 3)
        question = rng.choice(OPENERS)
        lines.append(f"Interviewer: {question}")
        count += len(question.split()) + 1
        first = True
        for _ in range(rng.randint(1, 3)):
            sentences = []
            for _ in range(rng.randint(2, 6)):
                sentence = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, {rng.choice(TAILS)}"
                sentences.append(sentence)
                count += len(sentence.split())
            body = " ".join(sentences)
            if first:
                lines.append(f"{respondent} ({organisation}): {body}")
                first = False
            else:
                lines.append(body)
    return "\n".join(lines) + "\n"


def build_project(
    folder: Path,
    *,
    words: int = 600,
    documents: tuple[tuple[str, str, str], ...] = (("Lindeveen", "mbo", "2022"),),
    codebook_text: str = SMALL_CODEBOOK,
    name: str = "project.db",
    coder: str = "tester",
) -> Path:
    """A project file with the small codebook and one transcript per (case, role, round)."""
    from casebook.codes.io import import_codebook
    from casebook.core.documents import DocumentMeta, import_file
    from casebook.store.project import open_project

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    project = open_project(path, coder=coder)
    try:
        with project.transaction():
            project.set_meta("name", "test project")
        cb = folder / "codebook.yaml"
        cb.write_text(codebook_text, encoding="utf-8")
        import_codebook(project, cb)
        for i, (case, role, round_) in enumerate(documents):
            src = folder / f"{case.lower()}-{role}-{round_}.txt"
            src.write_text(make_transcript(words, seed=i + 1), encoding="utf-8")
            import_file(project, src, DocumentMeta(case=case, role=role, round=round_))
    finally:
        project.close()
    return path
