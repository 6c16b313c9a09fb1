"""Turning coders' character ranges into per-unit data for the agreement statistics.

Two views of the same codings:

* character level (as NVivo): every character of a document is a unit, and a
  coder "coded" it for a code when any of their ranges for that code covers it;
* unit level: sentences, paragraphs, speaker turns or the whole document are
  units, and a coverage rule (see :data:`RULES`) decides whether a coder's
  ranges count as coding the unit.

A coder's own overlapping ranges of one code are merged first, so coding a
passage twice never counts twice. Ranges are half-open ``[start, end)`` Python
string offsets into the canonical text. Everything works on merged intervals or
numpy vectors so a 165,000-character transcript with dozens of codes stays fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from casebook.agreement.stats import Estimate, krippendorff_alpha_nominal
from casebook.errors import InvalidInput

Range = tuple[int, int]
Rule = Literal["any-overlap", "majority"]
RULES: tuple[Rule, ...] = ("any-overlap", "majority")
NO_CODE = ""
"""The value a coder gives a unit in nominal data when they applied no code to it."""

_NON_SPACE = re.compile(r"\S+")


@dataclass(frozen=True)
class CharCounts:
    """The four cells of a two-coder, one-code character table."""

    both: int
    a_only: int
    b_only: int
    neither: int

    @property
    def total(self) -> int:
        return self.both + self.a_only + self.b_only + self.neither

    @property
    def table(self) -> list[list[int]]:
        """Rows: coder A coded / not; columns: coder B coded / not (for Cohen's kappa)."""
        return [[self.both, self.a_only], [self.b_only, self.neither]]


@dataclass(frozen=True)
class Disagreement:
    """A stretch (characters ``[start, end)`` or units ``[start, end)``) where coders differ."""

    start: int
    end: int
    coded_by: tuple[str, ...]
    not_coded_by: tuple[str, ...]


def _check(length: int, ranges: Iterable[Range]) -> np.ndarray:
    arr = np.asarray([tuple(r) for r in ranges], dtype=np.int64).reshape(-1, 2)
    if length < 0:
        raise InvalidInput(f"document length cannot be negative ({length})")
    bad = (arr[:, 0] < 0) | (arr[:, 1] > length) | (arr[:, 0] > arr[:, 1])
    if bad.any():
        s, e = arr[np.argmax(bad)]
        raise InvalidInput(
            f"coding range [{s}, {e}) does not fit a text of {length} characters; "
            "re-anchor the codings to the current text before comparing coders"
        )
    return arr[arr[:, 0] < arr[:, 1]]


def merge_ranges(ranges: Iterable[Range], length: int | None = None) -> list[Range]:
    """The union of ranges as sorted, disjoint, non-touching intervals."""
    arr = _check(length if length is not None else np.iinfo(np.int64).max, ranges)
    if arr.size == 0:
        return []
    arr = arr[np.argsort(arr[:, 0], kind="stable")]
    ends = np.maximum.accumulate(arr[:, 1])
    new = np.ones(len(arr), dtype=bool)
    new[1:] = arr[1:, 0] > ends[:-1]
    starts = arr[new, 0]
    last = np.flatnonzero(new)
    group_ends = ends[np.r_[last[1:] - 1, len(arr) - 1]]
    return [(int(s), int(e)) for s, e in zip(starts, group_ends, strict=True)]


def coverage_vector(length: int, ranges: Iterable[Range]) -> np.ndarray:
    """Per-character coded (True) / not coded vector of one coder for one code."""
    arr = _check(length, ranges)
    diff = np.zeros(length + 1, dtype=np.int32)
    np.add.at(diff, arr[:, 0], 1)
    np.add.at(diff, arr[:, 1], -1)
    return np.cumsum(diff[:-1]) > 0


def _covered(merged: Sequence[Range]) -> int:
    return sum(e - s for s, e in merged)


def _overlap(a: Sequence[Range], b: Sequence[Range]) -> int:
    total = i = j = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total


def char_counts(length: int, a_ranges: Iterable[Range], b_ranges: Iterable[Range]) -> CharCounts:
    """Both / A only / B only / neither character counts for one code, by interval arithmetic."""
    a = merge_ranges(_check(length, a_ranges).tolist())
    b = merge_ranges(_check(length, b_ranges).tolist())
    both = _overlap(a, b)
    a_total, b_total = _covered(a), _covered(b)
    return CharCounts(both, a_total - both, b_total - both, length - a_total - b_total + both)


def character_matrix(
    length: int, coder_ranges: Mapping[str, Iterable[Range]], coders: Sequence[str]
) -> np.ndarray:
    """Coders x characters boolean reliability data for one code.

    A coder listed in ``coders`` but absent from ``coder_ranges`` coded none
    of it: not coding a passage is a judgement, not a missing value.
    """
    out = np.zeros((len(coders), length), dtype=bool)
    for i, coder in enumerate(coders):
        out[i] = coverage_vector(length, coder_ranges.get(coder, ()))
    return out


def _content_mask(text: str) -> np.ndarray:
    runs = [m.span() for m in _NON_SPACE.finditer(text)]
    return coverage_vector(len(text), runs)


def _unit_bounds(units: Sequence[Range], length: int) -> np.ndarray:
    arr = np.asarray([tuple(u) for u in units], dtype=np.int64).reshape(-1, 2)
    if len(arr) and ((arr[:, 0] < 0) | (arr[:, 1] > length) | (arr[:, 0] > arr[:, 1])).any():
        raise InvalidInput(
            f"a unit span does not fit a text of {length} characters; "
            "segment the current text again before comparing coders"
        )
    return arr


def unit_matrix(
    text: str,
    units: Sequence[Range],
    coder_ranges: Mapping[str, Iterable[Range]],
    coders: Sequence[str],
    rule: Rule = "any-overlap",
) -> np.ndarray:
    """Coders x units boolean reliability data for one code.

    Only non-whitespace characters count, so a selection that runs on over
    the space or newline between two sentences does not code the next one.

    * ``any-overlap``: a unit is coded when the coder's ranges cover at least
      one of its non-whitespace characters.
    * ``majority``: when they cover at least half of its non-whitespace
      characters.

    A unit with no non-whitespace character is never coded.
    """
    if rule not in RULES:
        raise InvalidInput(f"unknown coverage rule {rule!r}; use one of {', '.join(RULES)}")
    length = len(text)
    bounds = _unit_bounds(units, length)
    content = _content_mask(text)
    content_cum = np.concatenate([[0], np.cumsum(content, dtype=np.int64)])
    unit_content = content_cum[bounds[:, 1]] - content_cum[bounds[:, 0]]
    out = np.zeros((len(coders), len(bounds)), dtype=bool)
    for i, coder in enumerate(coders):
        coded = coverage_vector(length, coder_ranges.get(coder, ())) & content
        cum = np.concatenate([[0], np.cumsum(coded, dtype=np.int64)])
        covered = cum[bounds[:, 1]] - cum[bounds[:, 0]]
        if rule == "any-overlap":
            out[i] = covered > 0
        else:
            out[i] = (covered > 0) & (2 * covered >= unit_content)
    return out


@dataclass(frozen=True)
class Pooled:
    """Per-code tables joined so every (unit, code) pair is one binary unit.

    ``code_index[j]`` and ``unit_index[j]`` say which code and which unit
    column ``j`` of ``matrix`` stands for, so disagreements can be traced back.
    """

    matrix: np.ndarray
    codes: list[str]
    code_index: np.ndarray
    unit_index: np.ndarray

    def label(self, column: int) -> tuple[str, int]:
        return self.codes[int(self.code_index[column])], int(self.unit_index[column])


def pooled_binary(per_code: Mapping[str, np.ndarray]) -> Pooled:
    """Join per-code coders x units tables into one coders x (units * codes) table."""
    tables = [np.asarray(m, dtype=bool) for m in per_code.values()]
    if not tables:
        empty = np.zeros(0, dtype=np.int64)
        return Pooled(np.zeros((0, 0), dtype=bool), [], empty, empty)
    if len({t.shape[0] for t in tables}) != 1:
        raise InvalidInput("every code's table must have the same coders (rows)")
    widths = [t.shape[1] for t in tables]
    code_index = np.repeat(np.arange(len(tables)), widths)
    unit_index = np.concatenate([np.arange(w) for w in widths])
    return Pooled(np.hstack(tables), list(per_code), code_index, unit_index)


def nominal_units(
    per_code: Mapping[str, np.ndarray],
    coders: Sequence[str],
    uncoded: Literal["category", "missing"] = "category",
) -> list[list[str | None]]:
    """Coders x units nominal data for a codebook whose codes exclude each other.

    A unit's value is the one code a coder applied to it. A unit the coder left
    uncoded gets :data:`NO_CODE` ("none of these" is a choice) or ``None``
    (missing) when ``uncoded="missing"``. Two codes on one unit by one coder
    mean the codes are not mutually exclusive there, so this refuses rather
    than guess.
    """
    if uncoded not in ("category", "missing"):
        raise InvalidInput("uncoded must be 'category' or 'missing'")
    codes = list(per_code)
    if not codes:
        return [[] for _ in coders]
    stack = np.stack([np.asarray(per_code[c], dtype=bool) for c in codes])
    if stack.shape[1] != len(coders):
        raise InvalidInput("the tables have a different number of coders than were named")
    applied = stack.sum(axis=0)
    if (applied > 1).any():
        who, unit = np.argwhere(applied > 1)[0]
        raise InvalidInput(
            f"{coders[who]} applied several codes to unit {unit}; the codes are not "
            "mutually exclusive there, so compare them one code at a time"
        )
    empty: str | None = NO_CODE if uncoded == "category" else None
    which = stack.argmax(axis=0)
    return [
        [codes[which[i, j]] if applied[i, j] else empty for j in range(stack.shape[2])]
        for i in range(len(coders))
    ]


def per_code_results(
    per_code: Mapping[str, np.ndarray],
    statistic: Callable[[np.ndarray], Estimate] = krippendorff_alpha_nominal,
) -> dict[str, Estimate]:
    """One estimate per code, to show beside the pooled figure."""
    return {code: statistic(np.asarray(table)) for code, table in per_code.items()}


def _runs(matrix: np.ndarray, coders: Sequence[str], offsets: np.ndarray) -> list[Disagreement]:
    """Group consecutive columns with the same split of coders; keep the split ones."""
    if matrix.shape[1] == 0:
        return []
    change = np.ones(matrix.shape[1], dtype=bool)
    change[1:] = (matrix[:, 1:] != matrix[:, :-1]).any(axis=0)
    starts = np.flatnonzero(change)
    ends = np.r_[starts[1:], matrix.shape[1]]
    out: list[Disagreement] = []
    for s, e in zip(starts, ends, strict=True):
        col = matrix[:, s]
        if col.all() or not col.any():
            continue
        out.append(
            Disagreement(
                int(offsets[s]),
                int(offsets[e]),
                tuple(c for c, v in zip(coders, col, strict=True) if v),
                tuple(c for c, v in zip(coders, col, strict=True) if not v),
            )
        )
    return out


def char_disagreements(
    length: int,
    coder_ranges: Mapping[str, Iterable[Range]],
    coders: Sequence[str],
    text: str | None = None,
) -> list[Disagreement]:
    """Contiguous character runs where some coders coded the code and others did not.

    Works on the boundaries of the merged ranges, not on characters, so a long
    document costs no more than its codings. With ``text`` given, whitespace
    at the edges of a run is trimmed and whitespace-only runs are dropped: a
    selection that did or did not include a trailing space is no disagreement.
    """
    if text is not None and len(text) != length:
        raise InvalidInput(f"the text has {len(text)} characters, not {length}")
    merged = {c: merge_ranges(coder_ranges.get(c, ()), length) for c in coders}
    points = sorted({0, length, *(p for rs in merged.values() for r in rs for p in r)})
    bounds = np.asarray(points, dtype=np.int64)
    lefts = bounds[:-1]
    matrix = np.zeros((len(coders), len(lefts)), dtype=bool)
    for i, c in enumerate(coders):
        if not merged[c]:
            continue
        arr = np.asarray(merged[c], dtype=np.int64)
        k = np.searchsorted(arr[:, 0], lefts, side="right") - 1
        matrix[i] = (k >= 0) & (lefts < arr[np.maximum(k, 0), 1])
    runs = _runs(matrix, coders, bounds)
    if text is None:
        return runs
    out = []
    for d in runs:
        piece = text[d.start : d.end]
        stripped = piece.strip()
        if not stripped:
            continue
        start = d.start + (len(piece) - len(piece.lstrip()))
        out.append(Disagreement(start, start + len(stripped), d.coded_by, d.not_coded_by))
    return out


def unit_disagreements(matrix: np.ndarray, coders: Sequence[str]) -> list[Disagreement]:
    """Runs of consecutive units (by index, ``[start, end)``) on which coders differ."""
    m = np.asarray(matrix, dtype=bool)
    return _runs(m, coders, np.arange(m.shape[1] + 1))
