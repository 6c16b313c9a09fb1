"""A generated 60-page progress report with ruled budget tables on most pages.

Used by bench/ingest.py (``--tables``): whole-process import time of this
file against pdfplumber's ``extract_text`` on the same file. The content is
fictional and generated with a fixed seed, so every run times the same PDF.
"""

from __future__ import annotations

import random
from pathlib import Path

ITEMS = (
    "Personeelskosten docenten",
    "Inhuur technisch onderwijsassistent",
    "Materiaal werkplaats",
    "Gastlessen bedrijven",
    "Scholing docenten",
    "Projectleiding",
    "Vervoer leerlingen",
    "Gereedschap en machines",
    "Licenties software",
    "Communicatie en voorlichting",
    "Onderzoek en monitoring",
    "Onvoorzien",
)
SENTENCES = (
    "De samenwerking tussen de scholen en de bedrijven in de regio is dit kwartaal verder gegroeid.",
    "Het programmateam heeft de besteding getoetst aan de begroting uit het regioplan.",
    "Enkele activiteiten liepen vertraging op door het tekort aan technisch docenten.",
    "De cofinanciering van de bedrijven is hoger uitgevallen dan vooraf geraamd.",
    "In de volgende periode ligt de nadruk op het borgen van de doorlopende leerlijnen.",
    "De werkplaatsen zijn vaker gedeeld tussen het vmbo en het mbo dan in het vorige jaar.",
)


def build(path: Path, pages: int = 60, seed: int = 3) -> Path:
    """Write the report: on about two thirds of the pages a ruled budget table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    rng = random.Random(seed)
    styles = getSampleStyleSheet()
    story: list = []
    for page in range(1, pages + 1):
        story.append(Paragraph(f"{page}. Voortgang deelproject {page}", styles["Heading2"]))
        for _ in range(rng.randint(2, 4)):
            story.append(Paragraph(" ".join(rng.sample(SENTENCES, 3)), styles["BodyText"]))
        if page % 3 != 0:
            rows = [["Post", "Begroot (€)", "Besteed (€)", "Verschil (€)", "Toelichting"]]
            for item in rng.sample(ITEMS, rng.randint(7, 11)):
                planned = rng.randint(5, 400) * 1000
                spent = int(planned * rng.uniform(0.5, 1.2))
                note = rng.choice(
                    ("conform plan", "vertraagd", "eerder gestart", "extra inzet", "")
                )
                rows.append(
                    [
                        item,
                        f"{planned:,}".replace(",", "."),
                        f"{spent:,}".replace(",", "."),
                        f"{planned - spent:,}".replace(",", "."),
                        note,
                    ]
                )
            table = Table(rows, colWidths=[150, 70, 70, 70, 100])
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("FONTSIZE", (0, 0), (-1, -1), 8),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                    ]
                )
            )
            story += [Spacer(1, 8), table, Spacer(1, 8)]
            story.append(Paragraph(" ".join(rng.sample(SENTENCES, 2)), styles["BodyText"]))
        story.append(PageBreak())
    SimpleDocTemplate(
        str(path), pagesize=A4, invariant=1, title="Voortgangsrapportage (bench)"
    ).build(story)
    return path


if __name__ == "__main__":
    import sys

    print(build(Path(sys.argv[1] if len(sys.argv) > 1 else "table-report.pdf")))
