"""Benchmark: a quote bank of 5,000 quotes written to Word.

Builds the demo project in a temporary folder and adds codings until the
project holds 5,000 quotes (spans of one to three sentences of the demo
transcripts, each with one code, so no two merge), then times in one process:

* ``export``: the whole ``casebook export quotes OUT.docx`` path (query,
  merging, attribution, grouping, the Word writer with headings, styles,
  TOC, count lines and the closing table, saving);
* ``lxml``: the baseline, written here apart from casebook's Word writer: the
  same quote and attribution texts as plain paragraphs of a minimal
  WordprocessingML package (content types, one relationship, document.xml
  built with lxml and zipped), the least a .docx holding that text costs.
  They come in the order the export prints them (code by code), since the
  order decides how much work compressing the text is (overlapping quotes
  side by side, as in reading order, deflate faster and smaller);
* ``python-docx``: the same paragraphs through python-docx
  (``Document.add_paragraph`` in a loop, then save), as a second row: it is
  slower than a plain writer, so a ratio against it alone flatters;
* ``export --pseudonymise --case-codes``: the same with the person registry,
  case codes and the rescan of the written file.

The export is also split into its two halves: the quote bank (query,
merging, attribution, pseudonyms) and the Word writer given that bank; the
writer alone does what the lxml baseline does plus styles, headings, TOC,
count lines and the closing table.

Times are CPU seconds of this process (best of ``--repeat``): everything
timed runs in it on one thread, and on a shared machine the wall clock
mostly measures the neighbours. Target: export <= 2x the lxml baseline (the
writer's and python-docx's ratios are printed beside it).

    python bench/export.py                # 5,000 quotes
    python bench/export.py --quotes 20000
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from casebook.demo import build_demo  # noqa: E402
from casebook.privacy.policy import PrivacyOptions  # noqa: E402
from casebook.reports.export import export_quotes  # noqa: E402
from casebook.reports.quotebank import QuoteOptions, QuoteQuery, build_quote_bank  # noqa: E402
from casebook.reports.quotes_docx import write_quotes_docx  # noqa: E402
from casebook.store.project import Project, new_id, now, open_project  # noqa: E402


def grow(project: Project, target: int, seed: int = 11) -> int:
    """Add single-code codings over 1-3 sentence spans until ``target`` codings exist."""
    rng = random.Random(seed)
    sentences = project.query(
        "SELECT document_id, start, end FROM segments WHERE kind = 'sentence' ORDER BY document_id, start"
    )
    codes = [
        r["id"]
        for r in project.query(
            "SELECT id FROM codes c WHERE NOT EXISTS"
            " (SELECT 1 FROM codes k WHERE k.parent_id = c.id)"
        )
    ]
    coders = [project.coder_id(name) for name in ("anouk", "bram")]
    texts: dict[str, str] = {}
    have = project.scalar("SELECT count(*) FROM codings")
    taken = {
        (r["document_id"], r["code_id"], r["start"])
        for r in project.query("SELECT document_id, code_id, start FROM codings")
    }
    rows = []
    stamp = now()
    while have + len(rows) < target:
        i = rng.randrange(len(sentences))
        first = sentences[i]
        j = i
        for _ in range(rng.randint(0, 2)):
            if j + 1 < len(sentences) and sentences[j + 1]["document_id"] == first["document_id"]:
                j += 1
        doc, start, end = first["document_id"], first["start"], sentences[j]["end"]
        code = rng.choice(codes)
        if (doc, code, start) in taken:
            continue
        # one span per (document, code) start, and never overlapping another of the same code
        taken.add((doc, code, start))
        if doc not in texts:
            texts[doc] = project.scalar(
                "SELECT text FROM document_texts WHERE document_id = ?", (doc,)
            )
        rows.append(
            (
                new_id(),
                doc,
                code,
                rng.choice(coders),
                start,
                end,
                texts[doc][start:end],
                None,
                stamp,
                stamp,
            )
        )
    with project.transaction():
        project.conn.executemany(
            "INSERT OR IGNORE INTO codings (id, document_id, code_id, coder_id, start, end, quote, memo,"
            " created_at, modified_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
    return project.scalar("SELECT count(*) FROM codings")


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml"'
    ' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)


def lxml_docx(texts: list[tuple[str, str]], path: Path) -> None:
    """The baseline: one ``w:p/w:r/w:t`` per text, built with lxml, in a minimal package."""
    import zipfile

    from lxml import etree

    w = f"{{{W_NS}}}"
    space = "{http://www.w3.org/XML/1998/namespace}space"
    root = etree.Element(w + "document", nsmap={"w": W_NS})
    body = etree.SubElement(root, w + "body")
    for pair in texts:
        for text in pair:
            t = etree.SubElement(
                etree.SubElement(etree.SubElement(body, w + "p"), w + "r"), w + "t"
            )
            t.set(space, "preserve")
            t.text = text
    etree.SubElement(body, w + "sectPr")
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PACKAGE_RELS)
        z.writestr("word/document.xml", xml)


def check_lxml_docx(path: Path, texts: list[tuple[str, str]]) -> None:
    """The baseline file must hold every text: python-docx reads it back."""
    from docx import Document

    read = [p.text for p in Document(str(path)).paragraphs]
    want = [t for pair in texts for t in pair]
    if read != want:
        raise SystemExit(f"the lxml baseline wrote {len(read)} paragraphs, expected {len(want)}")


def python_docx(texts: list[tuple[str, str]], path: Path) -> None:
    from docx import Document

    doc = Document()
    for quote, attribution in texts:
        doc.add_paragraph(quote)
        doc.add_paragraph(attribution)
    doc.save(str(path))


def best_of(n: int, fn: Callable[[], object]) -> float:
    """Least CPU time of ``n`` runs after a warm-up run."""
    fn()
    times = []
    for _ in range(n):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quotes", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="casebook-bench-export-") as tmp:
        tmp_path = Path(tmp)
        db = tmp_path / "bench.db"
        t = time.perf_counter()
        build_demo(db)
        project = open_project(db, create=False)
        total = grow(project, args.quotes)
        print(f"project: {total} codings ({time.perf_counter() - t:.1f} s to build)")
        options = QuoteOptions()
        bank = build_quote_bank(project, QuoteQuery(merge="none"), options)
        n = len(bank.quotes)
        texts = [
            (f"“{q.text}”", q.attribution) for section in bank.outline() for q in section.quotes
        ]
        if len(texts) != len(bank.quotes):
            raise SystemExit(f"the outline holds {len(texts)} quotes, the bank {len(bank.quotes)}")
        chars = sum(len(a) + len(b) for a, b in texts)
        print(f"quotes: {n} ({chars:,} characters of quote and attribution text)")

        out = tmp_path / "bank.docx"
        t_export = best_of(
            args.repeat, lambda: export_quotes(project, out, QuoteQuery(merge="none"), options)
        )
        t_bank = best_of(
            args.repeat, lambda: build_quote_bank(project, QuoteQuery(merge="none"), options)
        )
        t_writer = best_of(args.repeat, lambda: write_quotes_docx(bank, tmp_path / "writer.docx"))
        lxml_path = tmp_path / "lxml.docx"
        lxml_docx(texts, lxml_path)
        check_lxml_docx(lxml_path, texts)
        t_lxml = best_of(args.repeat, lambda: lxml_docx(texts, lxml_path))
        t_docx = best_of(args.repeat, lambda: python_docx(texts, tmp_path / "python-docx.docx"))
        private = PrivacyOptions(persons=True, cases=True)
        export_quotes(
            project,
            tmp_path / "warm.docx",
            QuoteQuery(merge="none"),
            options,
            private,
            key=tmp_path / "warm.key.csv",
        )  # the first run scans for persons
        t_private = best_of(
            args.repeat,
            lambda: export_quotes(
                project,
                tmp_path / "private.docx",
                QuoteQuery(merge="none"),
                options,
                private,
                key=tmp_path / "key.csv",
            ),
        )
        size = out.stat().st_size / 1e6
        print(f"CPU seconds, best of {args.repeat}")
        print(f"export quotes .docx              {t_export:6.3f} s  ({size:.1f} MB)")
        print(f"  quote bank (query, merging)    {t_bank:6.3f} s")
        print(f"  Word writer, given the bank    {t_writer:6.3f} s")
        print(
            f"baseline: lxml paragraphs        {t_lxml:6.3f} s  ({lxml_path.stat().st_size / 1e6:.1f} MB)"
        )
        print(f"python-docx paragraphs           {t_docx:6.3f} s")
        ratio = t_export / t_lxml
        verdict = "met" if ratio <= 2 else "NOT met"
        print(f"ratio export / lxml              {ratio:6.2f}x  (target <= 2x: {verdict})")
        print(f"ratio writer / lxml              {t_writer / t_lxml:6.2f}x  (the writer alone)")
        print(f"ratio export / python-docx       {t_export / t_docx:6.2f}x  (for comparison only)")
        print(
            f"export --pseudonymise --case-codes {t_private:5.2f} s  (incl. rescan of the written file)"
        )
        project.close()


if __name__ == "__main__":
    main()
