"""Build the demo corpus from the hand-written sources in ``sources/``.

Run ``python corpus/make_corpus.py`` (or ``--out DIR`` to build elsewhere).
The output is deterministic: fixed document metadata, fixed zip timestamps and
reportlab's invariant mode, so rebuilding gives byte-identical files and a
changed file in git always means a changed source.

The same transcript source feeds every format, so the spoken text a reader
recovers from a .docx, .odt, .vtt or .srt file is the text in the source; the
renderers only differ in how they mark speakers, paragraphs and times.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
FIXED_DT = datetime(2022, 5, 1, 12, 0, 0)
ZIP_DT = (2022, 5, 1, 12, 0, 0)
AUTHOR = "Onderzoeksteam casestudies STO (fictief)"
UUID_NS = uuid.UUID("6f1c2a52-3b0e-4d8a-9a57-0c1d2e3f4a5b")


# --- transcript sources --------------------------------------------------------


@dataclass
class Turn:
    speaker: str  # "I" (interviewer) or "R" (respondent)
    paragraphs: list[str]


def read_transcript(path: Path) -> list[Turn]:
    """``I:``/``R:`` lines open a turn; other lines add a paragraph to it."""
    turns: list[Turn] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        m = re.match(r"^([IR]): (.*)$", line)
        if m:
            turns.append(Turn(m.group(1), [m.group(2)]))
        elif turns:
            turns[-1].paragraphs.append(line)
        else:
            raise SystemExit(f"{path}:{n}: text before the first I:/R: label")
    _check_no_false_labels(path, turns)
    return turns


def _check_no_false_labels(path: Path, turns: list[Turn]) -> None:
    """A continuation paragraph that looks like "Word:" would be read as a speaker."""
    from casebook.text import speakers

    for turn in turns:
        for para in turn.paragraphs[1:]:
            for chunk in [para, *split_cues(para, 100), *split_cues(para, 200)]:
                m = speakers.match_label(chunk)
                if m and m.label:
                    raise SystemExit(f"{path}: paragraph looks like a speaker label: {chunk[:60]!r}")


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def split_cues(paragraph: str, limit: int) -> list[str]:
    """Caption-sized chunks: whole sentences while they fit, long ones cut at words."""
    chunks: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(paragraph):
        pieces = _cut_words(sentence, limit) if len(sentence) > limit else [sentence]
        for piece in pieces:
            if current and len(current) + 1 + len(piece) <= limit:
                current += " " + piece
            else:
                if current:
                    chunks.append(current)
                current = piece
    if current:
        chunks.append(current)
    return chunks


def _cut_words(text: str, limit: int) -> list[str]:
    out: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > limit:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        out.append(current)
    return out


def _wrap_two_lines(text: str, width: int = 50) -> str:
    lines = _cut_words(text, width)
    if len(lines) <= 2:
        return "\n".join(lines)
    half = (len(text) + 1) // 2
    cut = text.rfind(" ", 0, half + 10)
    return text[:cut] + "\n" + text[cut + 1 :]


class Clock:
    """Speech time: about 2.6 words a second, short pauses between cues and turns."""

    def __init__(self, start: float = 3.0) -> None:
        self.t = start

    def span(self, text: str, gap: float = 0.4) -> tuple[float, float]:
        words = len(text.split())
        start = self.t
        end = start + max(1.2, words / 2.6)
        self.t = end + gap
        return start, end

    def pause(self, seconds: float) -> None:
        self.t += seconds


def hms(seconds: float, sep: str = ".", hours: bool = True) -> str:
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def hms_plain(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


# --- renderers -----------------------------------------------------------------


def _label(meta: dict[str, Any], speaker: str) -> str:
    return meta["labels"][0 if speaker == "I" else 1]


def render_txt_timestamps(turns: list[Turn], meta: dict[str, Any], out: Path) -> None:
    clock = Clock(4.0)
    lines: list[str] = []
    for turn in turns:
        for k, para in enumerate(turn.paragraphs):
            start, _ = clock.span(para, gap=0.8)
            if k == 0:
                lines.append(f"[{hms_plain(start)}] {_label(meta, turn.speaker)}: {para}")
            else:
                lines.append(para)
            lines.append("")
        clock.pause(1.2)
    out.write_bytes("\n".join(lines).encode("utf-8"))


def _labelled_lines(turns: list[Turn], meta: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for turn in turns:
        for k, para in enumerate(turn.paragraphs):
            lines.append(f"{_label(meta, turn.speaker)}: {para}" if k == 0 else para)
            lines.append("")
    return lines


def render_txt_cp1252(turns: list[Turn], meta: dict[str, Any], out: Path) -> None:
    text = "\r\n".join(_labelled_lines(turns, meta))
    out.write_bytes(text.encode("cp1252"))


def render_txt_bom_crlf(turns: list[Turn], meta: dict[str, Any], out: Path) -> None:
    text = "\r\n".join(_labelled_lines(turns, meta))
    out.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def render_md(turns: list[Turn], meta: dict[str, Any], out: Path) -> None:
    lines = [f"# {meta['title']}", ""]
    if meta.get("intro"):
        lines += [meta["intro"], ""]
    lines += _labelled_lines(turns, meta)
    out.write_bytes("\n".join(lines).encode("utf-8"))


def render_vtt(turns: list[Turn], meta: dict[str, Any], out: Path) -> None:
    """Teams style: a GUID-like cue id, ``<v Name>`` voices, several cues per turn."""
    clock = Clock(2.5)
    lines = ["WEBVTT", ""]
    for t_index, turn in enumerate(turns):
        name = _label(meta, turn.speaker)
        base = uuid.uuid5(UUID_NS, f"{meta['file']}#{t_index}")
        n = 0
        for para in turn.paragraphs:
            for chunk in split_cues(para, 170):
                start, end = clock.span(chunk)
                lines += [f"{base}/{t_index + 11}-{n}", f"{hms(start)} --> {hms(end)}"]
                lines += [f"<v {name}>{chunk}</v>", ""]
                n += 1
        clock.pause(0.9)
    out.write_bytes("\n".join(lines).encode("utf-8"))


def render_srt(turns: list[Turn], meta: dict[str, Any], out: Path) -> None:
    """Numbered cues of at most two lines; the speaker's name opens each turn."""
    clock = Clock(1.0)
    lines: list[str] = []
    n = 1
    for turn in turns:
        first = True
        for para in turn.paragraphs:
            for chunk in split_cues(para, 96):
                start, end = clock.span(chunk, gap=0.2)
                text = f"{_label(meta, turn.speaker)}: {chunk}" if first else chunk
                first = False
                lines += [str(n), f"{hms(start, ',')} --> {hms(end, ',')}", _wrap_two_lines(text), ""]
                n += 1
        clock.pause(0.8)
    out.write_bytes("\n".join(lines).encode("utf-8"))


def _docx_core(document: Any, title: str) -> None:
    cp = document.core_properties
    cp.author = AUTHOR
    cp.last_modified_by = AUTHOR
    cp.title = title
    cp.created = FIXED_DT
    cp.modified = FIXED_DT
    cp.last_printed = FIXED_DT
    cp.revision = 1
    cp.comments = "Fictief demomateriaal"


def render_docx_bold(turns: list[Turn], meta: dict[str, Any], out: Path) -> None:
    from docx import Document

    document = Document()
    document.add_heading(meta["title"], level=1)
    if meta.get("intro"):
        document.add_paragraph().add_run(meta["intro"]).italic = True
    for turn in turns:
        for k, para in enumerate(turn.paragraphs):
            p = document.add_paragraph()
            if k == 0:
                p.add_run(f"{_label(meta, turn.speaker)}:").bold = True
                p.add_run(f" {para}")
            else:
                p.add_run(para)
    _docx_core(document, meta["title"])
    _save_zip(document.save, out)


def render_docx_table(turns: list[Turn], meta: dict[str, Any], out: Path) -> None:
    from docx import Document
    from docx.shared import Cm

    document = Document()
    document.add_heading(meta["title"], level=1)
    if meta.get("intro"):
        document.add_paragraph(meta["intro"])
    rows = [(_label(meta, t.speaker), p) for t in turns for p in t.paragraphs]
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (speaker, text) in zip(table.rows, rows, strict=True):
        row.cells[0].width = Cm(3.5)
        row.cells[1].width = Cm(13)
        row.cells[0].paragraphs[0].add_run(speaker).bold = True
        row.cells[1].paragraphs[0].add_run(text)
    _docx_core(document, meta["title"])
    _save_zip(document.save, out)


def render_odt(turns: list[Turn], meta: dict[str, Any], out: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import H, P, Span

    doc = OpenDocumentText()
    bold = Style(name="Spreker", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    heading = Style(name="Kop1", family="paragraph")
    heading.addElement(TextProperties(fontsize="16pt", fontweight="bold"))
    doc.styles.addElement(heading)
    if meta.get("title"):
        doc.text.addElement(H(outlinelevel=1, stylename=heading, text=meta["title"]))
    if meta.get("intro"):
        doc.text.addElement(P(text=meta["intro"]))
    org_done = False
    for turn in turns:
        for k, para in enumerate(turn.paragraphs):
            p = P()
            if k == 0:
                label = _label(meta, turn.speaker)
                if turn.speaker == "R" and meta.get("first_label_org") and not org_done:
                    label = f"{label} ({meta['first_label_org']})"
                    org_done = True
                p.addElement(Span(stylename=bold, text=f"{label}:"))
                p.addText(f" {para}")
            else:
                p.addText(para)
            doc.text.addElement(p)
    doc.meta.childNodes[:] = []  # no generator string or dates: keep builds identical
    buffer = io.BytesIO()
    doc.write(buffer)
    _normalise_zip(buffer.getvalue(), out)


def _save_zip(save: Any, out: Path) -> None:
    buffer = io.BytesIO()
    save(buffer)
    _normalise_zip(buffer.getvalue(), out)


def _normalise_zip(data: bytes, out: Path) -> None:
    """Rewrite a zip package with fixed timestamps so rebuilds are identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=ZIP_DT)
            new.compress_type = info.compress_type
            new.external_attr = 0o644 << 16
            new.create_system = 0
            dst.writestr(new, src.read(info.filename))
    out.write_bytes(buffer.getvalue())


RENDERERS = {
    "docx-bold": render_docx_bold,
    "docx-table": render_docx_table,
    "odt": render_odt,
    "txt-timestamps": render_txt_timestamps,
    "txt-cp1252": render_txt_cp1252,
    "txt-bom-crlf": render_txt_bom_crlf,
    "md": render_md,
    "vtt": render_vtt,
    "srt": render_srt,
}


# --- progress reports (PDF) ----------------------------------------------------

# Second parts of Dutch compounds where a line may break ("samen-werking").
_COMPOUND_TAILS = sorted(
    """werking onderwijs scholen school vakken vak stages stage sector rapportage
    rapportages manager management bedrijven bedrijf leerlingen leerling docenten
    docent profielen profiel periode groepen groep programma opleiding opleidingen
    ontwikkeling besteding toekenning vereniging techniek voorziening maatregelen
    planning activiteiten oriëntatie aanbod traject werkplaatsen materiaal fonds
    overleg partners bestand tekort verbouwing energie college kosten middelen
    instroom trajecten leden studenten dagen werkgroepen werkgroep""".split(),
    key=len,
    reverse=True,
)


def soft_hyphenate(text: str) -> str:
    """Mark one break point in long compounds so justified lines can hyphenate."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if len(word) < 11:
            return word
        low = word.lower()
        for tail in _COMPOUND_TAILS:
            if low.endswith(tail) and len(word) - len(tail) >= 4:
                cut = len(word) - len(tail)
                return word[:cut] + "\u00ad" + word[cut:]
        return word

    return re.sub(r"[^\W\d_]+", fix, text)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def euro(value: float) -> str:
    return "€ " + f"{value:,.0f}".replace(",", ".")


def pct(value: float) -> str:
    return f"{value:+.1f}%".replace(".", ",")


def build_pdf(report: dict[str, Any], out: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        KeepTogether,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    width, height = A4
    margin = 2.3 * cm
    body = ParagraphStyle(
        "body",
        fontName="Helvetica",
        fontSize=10,
        leading=14,
        alignment=TA_JUSTIFY,
        spaceAfter=7,
        embeddedHyphenation=1,
        hyphenationMinWordLength=8,
    )
    h1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=13, leading=17, spaceBefore=10, spaceAfter=6)
    cell = ParagraphStyle("cell", fontName="Helvetica", fontSize=8.5, leading=10.5)
    cell_bold = ParagraphStyle("cellb", parent=cell, fontName="Helvetica-Bold")
    caption = ParagraphStyle("caption", fontName="Helvetica-Oblique", fontSize=9, leading=12, spaceBefore=4, spaceAfter=4)
    title_style = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=24, leading=30, alignment=TA_CENTER)
    sub_style = ParagraphStyle("sub", fontName="Helvetica", fontSize=16, leading=22, alignment=TA_CENTER)
    line_style = ParagraphStyle("line", fontName="Helvetica", fontSize=11, leading=16, alignment=TA_CENTER)

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(margin, height - 1.4 * cm, report["header"])
        canvas.line(margin, height - 1.55 * cm, width - margin, height - 1.55 * cm)
        canvas.drawCentredString(width / 2, 1.3 * cm, f"Pagina {doc.page}")
        canvas.restoreState()

    frame_h = height - 2 * margin
    one = Frame(margin, margin, width - 2 * margin, frame_h, id="one")
    gap = 0.8 * cm
    col_w = (width - 2 * margin - gap) / 2
    left = Frame(margin, margin, col_w, frame_h, id="left")
    right = Frame(margin + col_w + gap, margin, col_w, frame_h, id="right")
    doc = BaseDocTemplate(
        str(out),
        pagesize=A4,
        invariant=1,
        title=f"{report['title']} {report['subtitle']}",
        author=f"Programmabureau {report['subtitle']} (fictief)",
        subject="Voortgangsrapportage Sterk Techniekonderwijs (demomateriaal)",
        creator="casebook corpus/make_corpus.py",
        pageTemplates=[
            PageTemplate(id="title", frames=[Frame(margin, margin, width - 2 * margin, frame_h)]),
            PageTemplate(id="one", frames=[one], onPage=decorate),
            PageTemplate(id="two", frames=[left, right], onPage=decorate),
        ],
    )

    def para(text: str, style: Any = body) -> Any:
        return Paragraph(_esc(soft_hyphenate(text)), style)

    story: list[Any] = [Spacer(1, 6 * cm), Paragraph(_esc(report["title"]), title_style), Spacer(1, 0.6 * cm)]
    story += [Paragraph(_esc(report["subtitle"]), sub_style), Spacer(1, 2.5 * cm)]
    story += [Paragraph(_esc(line), line_style) for line in report["title_lines"]]
    story += [NextPageTemplate("one"), PageBreak()]

    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    two_col = report.get("two_column", [])
    in_two = False
    usable = width - 2 * margin
    for section in report["sections"]:
        wants_two = section["heading"] in two_col
        if wants_two != in_two:
            story += [NextPageTemplate("two" if wants_two else "one"), PageBreak()]
            in_two = wants_two
        story.append(Paragraph(_esc(section["heading"]), h1))
        for text in section.get("paragraphs", []):
            story.append(para(text))
        if "table" in section:
            spec = section["table"]
            data = [[Paragraph(_esc(c), cell_bold) for c in spec["columns"]]]
            data += [[Paragraph(_esc(str(c)), cell) for c in row] for row in spec["rows"]]
            n = len(spec["columns"])
            if "widths" in spec:
                widths = [usable * w for w in spec["widths"]]
            else:
                first = usable * 0.42
                widths = [first] + [(usable - first) / (n - 1)] * (n - 1)
            table = Table(data, colWidths=widths, style=grid)
            story += [KeepTogether([para(spec["caption"], caption), table]), Spacer(1, 8)]
        if "budget" in section:
            spec = section["budget"]
            data = [[Paragraph(c, cell_bold) for c in ("Post", "Begroot", "Gerealiseerd", "Afwijking %")]]
            total_b = total_r = 0
            for post, begroot, real in spec["rows"]:
                total_b += begroot
                total_r += real
                data.append([Paragraph(_esc(post), cell), euro(begroot), euro(real), pct((real - begroot) / begroot * 100)])
            data.append([Paragraph("Totaal", cell_bold), euro(total_b), euro(total_r), pct((total_r - total_b) / total_b * 100)])
            style = TableStyle(
                list(grid.getCommands())
                + [
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                    ("FONTSIZE", (1, 1), (-1, -1), 8.5),
                    ("FONTNAME", (1, -1), (-1, -1), "Helvetica-Bold"),
                ]
            )
            widths = [usable * 0.46] + [usable * 0.18] * 3
            story.append(KeepTogether([para(spec["caption"], caption), Table(data, colWidths=widths, style=style)]))
    doc.build(story)


# --- tables --------------------------------------------------------------------

MANIFEST_COLUMNS = ["file", "case", "kind", "role", "round", "date", "organisation", "interviewer", "respondent"]
CODING_COLUMNS = ["file", "code", "coder", "quote", "occurrence", "memo"]


def write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row[c] for c in columns})


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def build(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    manifest: list[dict[str, Any]] = []

    for meta in load_yaml(SOURCES / "interviews.yaml"):
        turns = read_transcript(SOURCES / "interviews" / meta["source"])
        target = out_dir / meta["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        RENDERERS[meta["format"]](turns, meta, target)
        written.append(target)
        manifest.append({**meta, "kind": "interview"})

    reports = sorted((SOURCES / "reports").glob("*.yaml"))
    for path in reports:
        report = load_yaml(path)
        target = out_dir / report["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        build_pdf(report, target)
        written.append(target)
        manifest.append(
            {"file": report["file"], "case": report["case"], "kind": "progress_report", "round": "2021",
             "date": report["date"], "organisation": report["organisation"]}
        )

    manifest.sort(key=lambda r: (r["case"], r["kind"] != "interview", r["round"], r["file"]))
    write_csv(out_dir / "manifest.csv", MANIFEST_COLUMNS, manifest)
    written.append(out_dir / "manifest.csv")

    regions = load_yaml(SOURCES / "regions.yaml")
    attr_names = list(regions[0]["attributes"])
    write_csv(out_dir / "cases.csv", ["case", *attr_names], [{"case": r["case"], **r["attributes"]} for r in regions])
    written.append(out_dir / "cases.csv")
    for region in regions:
        rows = [
            {"case": region["case"], "organisation": name, "type": kind, "aliases": ";".join(aliases)}
            for name, kind, aliases in region["partners"]
        ]
        target = out_dir / "partners" / f"{region['case'].lower()}.csv"
        write_csv(target, ["case", "organisation", "type", "aliases"], rows)
        written.append(target)

    codings: list[dict[str, Any]] = []
    for file, by_coder in load_yaml(SOURCES / "codings.yaml").items():
        for coder, items in by_coder.items():
            for item in items:
                code, quote, *rest = item
                occurrence = rest[0] if rest and isinstance(rest[0], int) else None
                memo = rest[-1] if rest and isinstance(rest[-1], str) else ""
                codings.append(
                    {"file": file, "code": code, "coder": coder, "quote": quote,
                     "occurrence": occurrence, "memo": memo}
                )
    write_csv(out_dir / "codings.csv", CODING_COLUMNS, codings)
    written.append(out_dir / "codings.csv")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: corpus/)")
    args = parser.parse_args()
    written = build(args.out)
    print(f"wrote {len(written)} files to {args.out}")


if __name__ == "__main__":
    main()
