"""Column widths fitted to what the cells hold, so no word breaks inside a table cell.

Word and LibreOffice break a word that is wider than its column ("Rond/e",
"Coderi/ngen"). Each column therefore gets at least the width of its
longest word, measured with a per-character estimate of the body font;
the space left over goes to the columns whose text is longest, so long
values wrap between words. When even the longest words do not fit, the
table is set a size smaller and, as a last step, the caller is told to put it
on a landscape page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CELL_PADDING = 260  # twips: Word's default cell margins (2 x 108) and a little air
# Advance widths (1/1000 em) of DejaVu Sans, the font LibreOffice falls back to when Calibri is
# missing; it is wider than Calibri, so a column wide enough for it is wide enough for both.
_CHARS = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~àáäçèéêëïóöúü–—‘’“”…€"
_REGULAR = dict(
    zip(
        _CHARS,
        [
            318,
            401,
            460,
            838,
            636,
            950,
            780,
            275,
            390,
            390,
            500,
            838,
            318,
            361,
            318,
            337,
            636,
            636,
            636,
            636,
            636,
            636,
            636,
            636,
            636,
            636,
            337,
            337,
            838,
            838,
            838,
            531,
            1000,
            684,
            686,
            698,
            770,
            632,
            575,
            775,
            752,
            295,
            295,
            656,
            557,
            863,
            748,
            787,
            603,
            787,
            695,
            635,
            611,
            732,
            684,
            989,
            685,
            611,
            685,
            390,
            337,
            390,
            838,
            500,
            500,
            613,
            635,
            550,
            635,
            615,
            352,
            635,
            634,
            278,
            278,
            579,
            278,
            974,
            634,
            612,
            635,
            635,
            411,
            521,
            392,
            634,
            592,
            818,
            592,
            592,
            525,
            636,
            337,
            636,
            838,
            613,
            613,
            613,
            550,
            615,
            615,
            615,
            615,
            278,
            612,
            612,
            634,
            634,
            500,
            1000,
            318,
            318,
            518,
            518,
            1000,
            636,
        ],
        strict=True,
    )
)
_BOLD = dict(
    zip(
        _CHARS,
        [
            348,
            456,
            521,
            838,
            696,
            1002,
            872,
            306,
            457,
            457,
            523,
            838,
            380,
            415,
            380,
            365,
            696,
            696,
            696,
            696,
            696,
            696,
            696,
            696,
            696,
            696,
            400,
            400,
            838,
            838,
            838,
            580,
            1000,
            774,
            762,
            734,
            830,
            683,
            683,
            821,
            837,
            372,
            372,
            775,
            637,
            995,
            837,
            850,
            733,
            850,
            770,
            720,
            682,
            812,
            774,
            1103,
            771,
            724,
            725,
            457,
            365,
            457,
            838,
            500,
            500,
            675,
            716,
            593,
            716,
            678,
            435,
            716,
            712,
            343,
            343,
            665,
            343,
            1042,
            712,
            687,
            716,
            716,
            493,
            595,
            478,
            712,
            652,
            924,
            645,
            652,
            582,
            712,
            365,
            712,
            838,
            675,
            675,
            675,
            593,
            678,
            678,
            678,
            678,
            343,
            687,
            687,
            712,
            712,
            500,
            1000,
            380,
            380,
            657,
            657,
            1000,
            696,
        ],
        strict=True,
    )
)


def text_width(text: str, size_half_points: int = 22, bold: bool = False) -> int:
    """Estimated width in twips of ``text`` at the given size (see _REGULAR)."""
    table = _BOLD if bold else _REGULAR
    units = sum(table.get(ch, 700) for ch in text)
    return int(units * size_half_points * 10 / 1000) + 1


@dataclass
class Fit:
    widths: list[int]
    size: int  # half-points
    too_wide: bool  # the longest words do not fit even at the smallest size


def fit_columns(
    rows: list[list[Any]],
    page: int,
    *,
    size: int = 22,
    min_size: int = 16,
    bold_rows: set[int] | None = None,
    hints: list[int] | None = None,
) -> Fit:
    """Widths (twips) that sum to at most ``page`` with every word of every cell whole."""
    bold_rows = bold_rows or set()
    n = max((len(r) for r in rows), default=0)
    current = size
    while True:
        longest_word = [0] * n
        whole = [0] * n
        for i, row in enumerate(rows):
            bold = i in bold_rows
            for j in range(n):
                text = "" if j >= len(row) or row[j] is None else str(row[j])
                for word in text.split() or [""]:
                    longest_word[j] = max(longest_word[j], text_width(word, current, bold))
                whole[j] = max(whole[j], text_width(text, current, bold))
        minimum = [w + CELL_PADDING for w in longest_word]
        wanted = [w + CELL_PADDING for w in whole]
        if sum(minimum) <= page or current <= min_size:
            break
        current -= 2
    if sum(wanted) <= page:
        widths = wanted
        spare = page - sum(widths)
        # Tables fill the text width; numbers stay narrow, text columns share the rest.
        weights = hints or [max(0, w - m) + 1 for w, m in zip(wanted, minimum, strict=True)]
        total = sum(weights) or 1
        widths = [w + spare * k // total for w, k in zip(widths, weights, strict=True)]
        return Fit(widths, current, False)
    if sum(minimum) > page:
        return Fit(minimum, current, True)
    spare = page - sum(minimum)
    extra = [w - m for w, m in zip(wanted, minimum, strict=True)]
    total = sum(extra) or 1
    widths = [m + spare * e // total for m, e in zip(minimum, extra, strict=True)]
    return Fit(widths, current, False)
