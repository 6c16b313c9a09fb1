"""Agreement coefficients on plain data, with no knowledge of projects or databases.

Every coefficient comes back as an :class:`Estimate` instead of a bare float,
because a report must be able to say *why* a number is missing: a coefficient
that corrects for chance is 0/0 when the coders showed no variation at all, and
printing ``nan`` (or worse, 1.0) there would mislead a reader. Undefined means
``value is None`` with a one-line ``reason``; nothing here returns ``nan``.

Labels may be any hashable values; ``None`` (or a float NaN) marks a missing
value. Large inputs (one unit per character of a 165,000-character transcript)
are handled with numpy, so a Python loop only runs when labels are arbitrary
objects rather than a numeric array.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from casebook.errors import InvalidInput

Label = Hashable | None


@dataclass(frozen=True)
class Estimate:
    """A coefficient with the parts a method section needs to report it.

    ``observed`` and ``expected`` are agreement proportions for every
    coefficient, so that each one reads as (observed - expected) / (1 - expected);
    for Krippendorff's alpha they are 1 - D_o and 1 - D_e.
    """

    name: str
    value: float | None
    observed: float | None
    expected: float | None
    n_units: int
    n_values: int
    reason: str = ""

    @property
    def defined(self) -> bool:
        return self.value is not None


def _undefined(
    name: str,
    reason: str,
    observed: float | None = None,
    expected: float | None = None,
    n_units: int = 0,
    n_values: int = 0,
) -> Estimate:
    return Estimate(name, None, observed, expected, n_units, n_values, reason)


_ALPHA = "Krippendorff's alpha (nominal)"
_DENSE_CELLS = 1 << 24  # above this many cluster x pattern cells, aggregate sparsely


@dataclass(frozen=True)
class Interval:
    """A percentile bootstrap interval around a point estimate."""

    point: Estimate
    low: float | None
    high: float | None
    level: float
    resamples: int
    defined_resamples: int
    reason: str = ""


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _encode(rows: Sequence[Sequence[Any]] | np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Map labels to small integers (-1 = missing) so the arithmetic can be vectorised."""
    if isinstance(rows, np.ndarray) and rows.dtype.kind in "biuf":
        arr = np.atleast_2d(rows)
        if arr.ndim != 2:
            raise InvalidInput("reliability data must be a table of coders x units")
        if arr.dtype.kind == "b":
            return arr.astype(np.int8), [False, True]
        if arr.dtype.kind in "iu" and arr.size and 0 <= arr.min() and arr.max() < 65536:
            present = np.flatnonzero(np.bincount(arr.ravel()))
            lookup = np.full(int(present[-1]) + 1, -1, dtype=np.int64)
            lookup[present] = np.arange(len(present))
            return lookup[arr], present.tolist()
        missing = np.isnan(arr) if arr.dtype.kind == "f" else np.zeros(arr.shape, dtype=bool)
        categories, inverse = np.unique(arr[~missing], return_inverse=True)
        codes = np.full(arr.shape, -1, dtype=np.int64)
        codes[~missing] = inverse
        return codes, categories.tolist()
    lengths = {len(row) for row in rows}
    if len(lengths) > 1:
        raise InvalidInput(
            f"coders have different numbers of units ({sorted(lengths)}); "
            "give every coder one value (or None) per unit"
        )
    width = lengths.pop() if lengths else 0
    index: dict[Any, int] = {}
    codes = np.full((len(rows), width), -1, dtype=np.int64)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if _is_missing(value):
                continue
            if isinstance(value, np.generic):
                value = value.item()
            code = index.get(value)
            if code is None:
                code = index[value] = len(index)
            codes[i, j] = code
    return codes, list(index)


def _two_coders(a: Sequence[Label], b: Sequence[Label]) -> tuple[np.ndarray, np.ndarray, int]:
    if len(a) != len(b):
        raise InvalidInput(
            f"the two coders have {len(a)} and {len(b)} units; give both one label per unit"
        )
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        codes, categories = _encode(np.vstack([np.asarray(a), np.asarray(b)]))
    else:
        codes, categories = _encode([list(a), list(b)])
    both = (codes[0] >= 0) & (codes[1] >= 0)
    return codes[0][both], codes[1][both], len(categories)


def percent_agreement(a: Sequence[Label], b: Sequence[Label]) -> Estimate:
    """Share of units on which two coders gave the same label (units missing either drop out)."""
    ca, cb, _ = _two_coders(a, b)
    n = int(ca.size)
    if n == 0:
        return _undefined("percent agreement", "no unit has a label from both coders")
    po = float(np.count_nonzero(ca == cb)) / n
    return Estimate("percent agreement", po, po, None, n, 2 * n)


def cohen_kappa_from_table(table: Sequence[Sequence[float]] | np.ndarray) -> Estimate:
    """Cohen's kappa from a square contingency table (rows: coder A, columns: coder B).

    Exposed separately so character counts (both / A only / B only / neither)
    can be turned into kappa without materialising one label per character.
    """
    t = np.asarray(table, dtype=float)
    if t.ndim != 2 or t.shape[0] != t.shape[1]:
        raise InvalidInput("a kappa table must be square: one row and one column per category")
    if (t < 0).any():
        raise InvalidInput("a kappa table cannot hold negative counts")
    n = float(t.sum())
    if n == 0:
        return _undefined("Cohen's kappa", "no unit has a label from both coders")
    po = float(np.trace(t)) / n
    pe = float(t.sum(axis=1) @ t.sum(axis=0)) / (n * n)
    units = int(round(n))
    if math.isclose(pe, 1.0):
        why = "no variation: both coders used one and the same category for every unit"
        return _undefined("Cohen's kappa", why, po, pe, units, 2 * units)
    return Estimate("Cohen's kappa", (po - pe) / (1 - pe), po, pe, units, 2 * units)


def cohen_kappa(a: Sequence[Label], b: Sequence[Label]) -> Estimate:
    """Cohen's kappa for two coders over nominal (or binary) per-unit labels."""
    ca, cb, k = _two_coders(a, b)
    if ca.size == 0:
        return cohen_kappa_from_table(np.zeros((1, 1)))
    k = max(k, 1)
    table = np.bincount(ca * k + cb, minlength=k * k).reshape(k, k)
    return cohen_kappa_from_table(table)


def fleiss_kappa(counts: Sequence[Sequence[int]] | np.ndarray) -> Estimate:
    """Fleiss' kappa from a units x categories table of how many raters chose each category."""
    t = np.asarray(counts, dtype=float)
    if t.ndim != 2 or t.shape[0] == 0:
        raise InvalidInput(
            "Fleiss' kappa needs a table with one row per unit, one column per category"
        )
    if (t < 0).any() or not np.allclose(t, np.round(t)):
        raise InvalidInput("Fleiss' kappa counts must be whole numbers of raters")
    raters = t.sum(axis=1)
    m = float(raters[0])
    if not np.all(raters == m):
        raise InvalidInput(
            "Fleiss' kappa needs the same number of raters for every unit; "
            "use Krippendorff's alpha when values are missing"
        )
    units = t.shape[0]
    if m < 2:
        return _undefined("Fleiss' kappa", "fewer than two raters per unit", n_units=units)
    p_unit = ((t * t).sum(axis=1) - m) / (m * (m - 1))
    po = float(p_unit.mean())
    p_cat = t.sum(axis=0) / (units * m)
    pe = float(p_cat @ p_cat)
    n_values = int(m) * units
    if math.isclose(pe, 1.0):
        why = "no variation: every rating fell in one category"
        return _undefined("Fleiss' kappa", why, po, pe, units, n_values)
    return Estimate("Fleiss' kappa", (po - pe) / (1 - pe), po, pe, units, n_values)


def _value_counts(codes: np.ndarray, categories: int) -> np.ndarray:
    """Units x categories: how many coders gave each value to each unit."""
    k = max(categories, 1)
    coder_idx, unit_idx = np.nonzero(codes >= 0)
    flat = unit_idx * k + codes[coder_idx, unit_idx]
    return np.bincount(flat, minlength=codes.shape[1] * k).reshape(codes.shape[1], k)


@dataclass(frozen=True)
class _Patterns:
    """Pairable units grouped by their value counts.

    A character-level table has millions of units but only a handful of
    distinct count patterns, so everything downstream works per pattern.
    """

    counts: np.ndarray  # patterns x categories
    freq: np.ndarray  # units per pattern
    unit_pattern: np.ndarray  # per original unit: pattern index, or -1 if not pairable


def _patterns(codes: np.ndarray, categories: int) -> _Patterns:
    k = max(categories, 1)
    n_coders, n_units = codes.shape
    base = n_coders + 1
    if base**k <= 1 << 22:
        powers = np.append(base ** np.arange(k, dtype=np.int64), 0)
        keys = np.zeros(n_units, dtype=np.int64)
        for row in codes:
            keys += powers[row]
        present = np.bincount(keys, minlength=1)
        distinct = np.flatnonzero(present)
        counts = (distinct[:, None] // base ** np.arange(k, dtype=np.int64)) % base
        lookup = np.full(len(present), -1, dtype=np.int64)
        lookup[distinct] = np.arange(len(distinct))
        inverse = lookup[keys]
        freq = present[distinct]
    else:
        counts, inverse, freq = np.unique(
            _value_counts(codes, k), axis=0, return_inverse=True, return_counts=True
        )
        inverse = inverse.reshape(-1)
    pairable = counts.sum(axis=1) >= 2
    renumber = np.where(pairable, np.cumsum(pairable) - 1, -1)
    return _Patterns(counts[pairable], freq[pairable], renumber[inverse])


def _coincidences(counts: np.ndarray) -> np.ndarray:
    """Krippendorff's coincidence matrix, one per row of ``counts`` (rows x k x k).

    A unit with m_u values contributes every ordered pair of values from
    different coders, weighted 1/(m_u - 1): n_uc * n_uk for c != k and
    n_uc * (n_uc - 1) on the diagonal.
    """
    w = 1.0 / (counts.sum(axis=1) - 1)
    weighted = counts * w[:, None]
    o = np.einsum("pc,pk->pck", weighted, counts.astype(float))
    idx = np.arange(counts.shape[1])
    o[:, idx, idx] -= weighted
    return o


def _alpha_parts(o: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(n, observed agreement, expected agreement) for nominal alpha from coincidences."""
    n_c = o.sum(axis=-1)
    n = n_c.sum(axis=-1)
    ao = np.trace(o, axis1=-2, axis2=-1) / n
    ae = ((n_c * (n_c - 1)).sum(axis=-1)) / (n * (n - 1))
    return n, ao, ae


def _alpha_from_coincidences(o: np.ndarray, n_units: int) -> Estimate:
    n, ao, ae = (float(x) for x in _alpha_parts(o))
    n_values = int(round(n))
    if math.isclose(ae, 1.0):
        why = "no variation: every pairable value is the same"
        return _undefined(_ALPHA, why, ao, ae, n_units, n_values)
    return Estimate(_ALPHA, 1.0 - (1.0 - ao) / (1.0 - ae), ao, ae, n_units, n_values)


def _alpha_of(patterns: _Patterns) -> Estimate:
    if patterns.counts.shape[0] == 0:
        return _undefined(_ALPHA, "no unit has values from two or more coders")
    o = np.tensordot(patterns.freq.astype(float), _coincidences(patterns.counts), axes=1)
    return _alpha_from_coincidences(o, int(patterns.freq.sum()))


def krippendorff_alpha_nominal(reliability_data: Sequence[Sequence[Any]] | np.ndarray) -> Estimate:
    """Krippendorff's alpha for nominal data via the coincidence matrix (Krippendorff 2011).

    ``reliability_data`` is coders x units; any number of coders, missing
    values allowed. Units with fewer than two values are not pairable and drop
    out, as in the published procedure.
    """
    codes, categories = _encode(reliability_data)
    return _alpha_of(_patterns(codes, len(categories)))


def bootstrap_alpha_ci(
    data: Sequence[Sequence[Any]] | np.ndarray,
    n: int = 1000,
    seed: int = 20240601,
    level: float = 0.95,
    clusters: Sequence[Hashable] | np.ndarray | None = None,
) -> Interval:
    """Percentile bootstrap interval for nominal alpha, resampling pairable units.

    Units are drawn with replacement, which keeps each unit's values together
    (coders' judgements of one unit are not independent). Without clusters the
    draw is a multinomial over distinct unit patterns: the same distribution as
    drawing unit columns, but fast enough for one unit per character.

    Neighbouring characters (or sentences) are not independent, so an interval
    over characters is far too narrow; pass ``clusters`` (one label per unit,
    e.g. the paragraph or document it lies in) to resample whole clusters
    instead. A resample with no variation has no alpha and is left out;
    ``defined_resamples`` says how many remained.
    """
    if n < 1:
        raise InvalidInput("the bootstrap needs at least one resample")
    if not 0 < level < 1:
        raise InvalidInput("the confidence level must lie between 0 and 1, e.g. 0.95")
    codes, categories = _encode(data)
    patterns = _patterns(codes, len(categories))
    point = _alpha_of(patterns)
    if not point.defined:
        return Interval(point, None, None, level, n, 0, point.reason)
    per_pattern = _coincidences(patterns.counts)
    if clusters is None:
        blocks = per_pattern
        draw_size = point.n_units
        probs = patterns.freq / patterns.freq.sum()
    else:
        groups = np.asarray(clusters)
        if groups.shape != (codes.shape[1],):
            raise InvalidInput("give exactly one cluster label per unit")
        keep = patterns.unit_pattern >= 0
        _, group = np.unique(groups[keep], return_inverse=True)
        group = group.reshape(-1)
        n_groups, n_patterns = int(group.max()) + 1, len(per_pattern)
        cell = group * n_patterns + patterns.unit_pattern[keep]
        if n_groups * n_patterns <= _DENSE_CELLS:
            table = np.bincount(cell, minlength=n_groups * n_patterns)
            blocks = np.tensordot(
                table.reshape(n_groups, n_patterns).astype(float), per_pattern, axes=1
            )
        else:
            cells, times = np.unique(cell, return_counts=True)
            blocks = np.zeros((n_groups, *per_pattern.shape[1:]))
            weighted = per_pattern[cells % n_patterns] * times[:, None, None]
            np.add.at(blocks, cells // n_patterns, weighted)
        draw_size = n_groups
        probs = np.full(n_groups, 1.0 / n_groups)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(draw_size, probs, size=n).astype(float)
    _, ao, ae = _alpha_parts(np.tensordot(draws, blocks, axes=1))
    ok = ~np.isclose(ae, 1.0)
    alphas = 1.0 - (1.0 - ao[ok]) / (1.0 - ae[ok])
    if alphas.size == 0:
        return Interval(point, None, None, level, n, 0, "no resample showed any variation")
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(alphas, [tail, 1.0 - tail])
    return Interval(point, float(low), float(high), level, n, int(alphas.size))


def pairwise(
    data: Sequence[Sequence[Label]],
    statistic: Callable[[Sequence[Label], Sequence[Label]], Estimate] = cohen_kappa,
) -> dict[tuple[int, int], Estimate]:
    """A two-coder statistic for every pair of coders (rows of ``data``)."""
    return {(i, j): statistic(data[i], data[j]) for i, j in combinations(range(len(data)), 2)}
