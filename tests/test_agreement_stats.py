"""Agreement statistics checked against published worked examples, hand sums and the
`krippendorff` package; unit building checked against brute-force character loops."""

from __future__ import annotations

import math
import time
from collections import Counter
from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from casebook.agreement import (
    NO_CODE,
    Disagreement,
    bootstrap_alpha_ci,
    char_counts,
    char_disagreements,
    character_matrix,
    cohen_kappa,
    cohen_kappa_from_table,
    coverage_vector,
    fleiss_kappa,
    krippendorff_alpha_nominal,
    merge_ranges,
    nominal_units,
    pairwise,
    per_code_results,
    percent_agreement,
    pooled_binary,
    unit_disagreements,
    unit_matrix,
)
from casebook.errors import InvalidInput

# --- Cohen's kappa on NVivo's documented example -------------------------------------

# 1,000 characters. Coder A: [0, 100) and [300, 350) = 150 characters, entered as
# overlapping pieces plus a duplicate, as a coder who codes a passage twice would.
# Coder B: [300, 350) and [600, 650) = 100 characters.
# Both: [300, 350) = 50; A only: [0, 100) = 100; B only: [600, 650) = 50; neither: 800.
NVIVO_A = [(0, 60), (40, 100), (300, 350), (310, 340)]
NVIVO_B = [(600, 650), (300, 350)]


def test_nvivo_example_counts_from_ranges():
    counts = char_counts(1000, NVIVO_A, NVIVO_B)
    assert (counts.both, counts.a_only, counts.b_only, counts.neither) == (50, 100, 50, 800)
    assert counts.total == 1000


def test_nvivo_example_kappa_is_0_318():
    a = coverage_vector(1000, NVIVO_A)
    b = coverage_vector(1000, NVIVO_B)
    # By hand: po = (50 + 800) / 1000 = 0.85
    #          pe = P(A yes) P(B yes) + P(A no) P(B no) = 0.15 * 0.10 + 0.85 * 0.90 = 0.78
    #          kappa = (0.85 - 0.78) / (1 - 0.78) = 0.07 / 0.22 = 0.3182
    k = cohen_kappa(a, b)
    assert k.observed == pytest.approx(0.85)
    assert k.expected == pytest.approx(0.78)
    assert round(k.value, 3) == 0.318
    assert k.value == pytest.approx(0.07 / 0.22, abs=1e-12)
    assert k.n_units == 1000
    # The same figure from the four counts, without one label per character.
    table = cohen_kappa_from_table(char_counts(1000, NVIVO_A, NVIVO_B).table)
    assert table.value == pytest.approx(k.value, abs=1e-12)
    assert percent_agreement(a, b).value == pytest.approx(0.85)


def test_cohen_kappa_nominal_hand_example():
    a = ["x", "x", "y", "y", "z", "z", "x", "y", "z", "x"]
    b = ["x", "y", "y", "y", "z", "x", "x", "y", "z", "z"]
    # Table (rows A, cols B): x: 2 1 1 | y: 0 3 0 | z: 1 0 2  -> po = 7/10
    # Margins A: 4 3 3, B: 3 4 3 -> pe = (12 + 12 + 9) / 100 = 0.33
    # kappa = (0.70 - 0.33) / 0.67 = 0.5522388
    k = cohen_kappa(a, b)
    assert k.observed == pytest.approx(0.7)
    assert k.expected == pytest.approx(0.33)
    assert k.value == pytest.approx(0.37 / 0.67, abs=1e-12)


def test_cohen_kappa_drops_units_missing_a_label():
    k = cohen_kappa([1, 0, None, 1, 0], [1, 0, 1, None, 1])
    # Left: (1,1), (0,0), (0,1): po = 2/3; A margins 1/3 yes, B 2/3 yes
    # pe = 1/3 * 2/3 + 2/3 * 1/3 = 4/9; kappa = (2/3 - 4/9) / (5/9) = 0.4
    assert k.n_units == 3
    assert k.value == pytest.approx(0.4)


def test_cohen_kappa_matches_a_count_by_hand():
    """Kappa against exact fractions counted unit by unit (apart from the contingency table)."""
    rng = np.random.default_rng(7)
    a = rng.integers(0, 4, 300).tolist()
    b = np.where(rng.random(300) < 0.6, a, rng.integers(0, 4, 300)).tolist()
    n = len(a)
    observed = Fraction(sum(x == y for x, y in zip(a, b, strict=True)), n)
    share_a, share_b = Counter(a), Counter(b)
    chance = sum(Fraction(share_a[c], n) * Fraction(share_b[c], n) for c in set(a) | set(b))
    expected = (observed - chance) / (1 - chance)
    k = cohen_kappa(a, b)
    assert k.observed == pytest.approx(float(observed), abs=1e-12)
    assert k.expected == pytest.approx(float(chance), abs=1e-12)
    assert k.value == pytest.approx(float(expected), abs=1e-12)


def test_undefined_values_say_why():
    same = cohen_kappa([1, 1, 1], [1, 1, 1])
    assert same.value is None and "no variation" in same.reason
    assert percent_agreement([1, 1, 1], [1, 1, 1]).value == 1.0
    flat = krippendorff_alpha_nominal([[1, 1, None], [1, 1, 2]])
    assert flat.value is None and "no variation" in flat.reason
    lonely = krippendorff_alpha_nominal([[1, None], [None, 2]])
    assert lonely.value is None and "two or more coders" in lonely.reason
    assert fleiss_kappa([[3, 0], [3, 0]]).value is None
    assert not bootstrap_alpha_ci([[1, 1], [1, 1]]).point.defined


def test_bad_shapes_are_refused():
    with pytest.raises(InvalidInput):
        cohen_kappa([1, 2], [1])
    with pytest.raises(InvalidInput):
        krippendorff_alpha_nominal([[1, 2, 3], [1, 2]])
    with pytest.raises(InvalidInput, match="same number of raters"):
        fleiss_kappa([[2, 1], [1, 1]])


# --- Krippendorff's alpha ---------------------------------------------------------------

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# nominal data, any number of observers, missing data. Coders A-D x units 1-12.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_krippendorff_2011_worked_example():
    alpha = krippendorff_alpha_nominal(K2011)
    # Unit 12 has one value and drops out: 11 units, n = 40 pairable values with
    # n_1..n_5 = 9, 13, 10, 5, 3 and 32 of 40 values on the diagonal, so
    # alpha = 1 - (n - 1) * (n - sum o_cc) / (n^2 - sum n_c^2)
    #       = 1 - 39 * 8 / (1600 - 384) = 1 - 312 / 1216 = 0.743
    assert alpha.n_units == 11
    assert alpha.n_values == 40
    assert alpha.observed == pytest.approx(32 / 40)
    assert alpha.expected == pytest.approx((81 + 169 + 100 + 25 + 9 - 40) / (40 * 39))
    assert round(alpha.value, 3) == 0.743
    assert alpha.value == pytest.approx(1 - 312 / 1216, abs=1e-12)


def test_alpha_accepts_nan_and_strings_alike():
    as_nan = np.array([[np.nan if v is None else v for v in row] for row in K2011], dtype=float)
    as_text = [[None if v is None else f"code {v}" for v in row] for row in K2011]
    ref = krippendorff_alpha_nominal(K2011).value
    assert krippendorff_alpha_nominal(as_nan).value == pytest.approx(ref, abs=1e-12)
    assert krippendorff_alpha_nominal(as_text).value == pytest.approx(ref, abs=1e-12)


@st.composite
def reliability_tables(draw: st.DrawFn) -> list[list[int | None]]:
    # Up to 12 categories, so both the packed-key and the np.unique paths are exercised.
    coders, units = draw(st.integers(2, 5)), draw(st.integers(1, 15))
    top = draw(st.sampled_from([1, 3, 11]))
    value = st.one_of(st.none(), st.integers(0, top))
    row = st.lists(value, min_size=units, max_size=units)
    return draw(st.lists(row, min_size=coders, max_size=coders))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(reliability_tables())
def test_alpha_matches_krippendorff_package(data):
    krippendorff = pytest.importorskip("krippendorff")
    arr = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
    try:
        expected = krippendorff.alpha(reliability_data=arr, level_of_measurement="nominal")
    except ValueError:  # the package refuses one-value domains and unpairable data
        assume(False)
    assume(not math.isnan(expected))
    ours = krippendorff_alpha_nominal(data)
    assert ours.defined
    assert ours.value == pytest.approx(expected, abs=1e-9)


# --- Fleiss' kappa ----------------------------------------------------------------------


def test_fleiss_kappa_hand_example():
    # 5 units, 3 raters, 3 categories. Per-unit agreement P_i = (sum n_ij^2 - 3) / 6:
    #   [3,0,0] -> 1, [0,3,0] -> 1, [2,1,0] -> 1/3, [1,1,1] -> 0, [0,2,1] -> 1/3
    # P-bar = (8/3) / 5 = 8/15. Column totals 6, 7, 2 of 15 ratings:
    # Pe = (36 + 49 + 4) / 225 = 89/225. kappa = (120 - 89) / (225 - 89) = 31/136 = 0.2279
    k = fleiss_kappa([[3, 0, 0], [0, 3, 0], [2, 1, 0], [1, 1, 1], [0, 2, 1]])
    assert k.observed == pytest.approx(8 / 15)
    assert k.expected == pytest.approx(89 / 225)
    assert k.value == pytest.approx(31 / 136, abs=1e-12)


complete_tables = st.integers(2, 5).flatmap(
    lambda coders: st.integers(2, 12).flatmap(
        lambda units: st.lists(
            st.lists(st.integers(0, 2), min_size=units, max_size=units),
            min_size=coders,
            max_size=coders,
        )
    )
)


@settings(max_examples=200, deadline=None)
@given(complete_tables)
def test_fleiss_and_alpha_agree_on_complete_data(data):
    # With no missing values both measure the same observed agreement; their chance
    # terms differ only by sampling with vs without replacement:
    #   n^2 * Pe_fleiss = sum n_c^2 = n (n - 1) Ae_alpha + n
    arr = np.array(data)
    counts = np.stack([(arr == c).sum(axis=0) for c in range(3)], axis=1)
    kappa = fleiss_kappa(counts)
    alpha = krippendorff_alpha_nominal(data)
    n = arr.size
    assert kappa.observed == pytest.approx(alpha.observed, abs=1e-12)
    assert n * n * kappa.expected == pytest.approx(n * (n - 1) * alpha.expected + n, abs=1e-9)
    assert kappa.defined == alpha.defined


def test_fleiss_matches_pairs_counted_by_hand():
    """Fleiss' kappa against exact fractions from agreeing rater pairs in the raw ratings."""
    rng = np.random.default_rng(3)
    ratings = rng.integers(0, 4, size=(40, 6)).tolist()
    raters = len(ratings[0])
    pairs = raters * (raters - 1) // 2
    observed = sum(
        Fraction(sum(x == y for x, y in combinations(unit, 2)), pairs) for unit in ratings
    ) / len(ratings)
    every = Counter(v for unit in ratings for v in unit)
    total = len(ratings) * raters
    chance = sum(Fraction(c, total) ** 2 for c in every.values())
    table = [[unit.count(c) for c in range(4)] for unit in ratings]
    k = fleiss_kappa(table)
    assert k.observed == pytest.approx(float(observed), abs=1e-12)
    assert k.expected == pytest.approx(float(chance), abs=1e-12)
    assert k.value == pytest.approx(float((observed - chance) / (1 - chance)), abs=1e-12)


# --- bootstrap ---------------------------------------------------------------------------


def _noisy_pair(units: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 3, units)
    b = np.where(rng.random(units) < 0.7, a, rng.integers(0, 3, units))
    return np.vstack([a, b])


def test_bootstrap_contains_point_and_is_reproducible():
    data = _noisy_pair(200, 11)
    first = bootstrap_alpha_ci(data, n=1000, seed=5)
    again = bootstrap_alpha_ci(data, n=1000, seed=5)
    other = bootstrap_alpha_ci(data, n=1000, seed=6)
    point = krippendorff_alpha_nominal(data).value
    assert first.point.value == pytest.approx(point, abs=1e-12)
    assert first.low < point < first.high
    assert (first.low, first.high) == (again.low, again.high)
    assert (first.low, first.high) != (other.low, other.high)
    assert first.defined_resamples == 1000


def test_bootstrap_matches_naive_unit_resampling():
    # The fast pattern-multinomial draw must give the same distribution as drawing
    # unit columns with replacement and recomputing alpha each time.
    data = _noisy_pair(150, 2)
    rng = np.random.default_rng(99)
    naive = [
        krippendorff_alpha_nominal(data[:, rng.integers(0, 150, 150)]).value for _ in range(2000)
    ]
    low, high = np.quantile(naive, [0.025, 0.975])
    fast = bootstrap_alpha_ci(data, n=2000, seed=1)
    assert fast.low == pytest.approx(low, abs=0.03)
    assert fast.high == pytest.approx(high, abs=0.03)
    assert fast.high - fast.low > 0.1


def test_cluster_bootstrap_matches_naive_cluster_resampling(monkeypatch):
    # 60 paragraphs of 20 units each; agreement differs between paragraphs, so units
    # within a paragraph are alike and resampling paragraphs must widen the interval.
    rng = np.random.default_rng(8)
    a = rng.integers(0, 2, 1200)
    keep_rate = np.repeat(rng.uniform(0.3, 1.0, 60), 20)
    b = np.where(rng.random(1200) < keep_rate, a, 1 - a)
    data, para = np.vstack([a, b]), np.repeat(np.arange(60), 20)
    by_unit = bootstrap_alpha_ci(data, n=2000, seed=3)
    by_para = bootstrap_alpha_ci(data, n=2000, seed=3, clusters=para)
    naive = []
    for _ in range(2000):
        picked = rng.integers(0, 60, 60)
        naive.append(krippendorff_alpha_nominal(data.reshape(2, 60, 20)[:, picked].reshape(2, -1)))
    low, high = np.quantile([e.value for e in naive], [0.025, 0.975])
    assert by_para.point.value == pytest.approx(by_unit.point.value, abs=1e-12)
    assert by_para.low == pytest.approx(low, abs=0.03)
    assert by_para.high == pytest.approx(high, abs=0.03)
    assert by_para.high - by_para.low > 1.3 * (by_unit.high - by_unit.low)
    # The sparse aggregation used for very many clusters gives the same interval.
    monkeypatch.setattr("casebook.agreement.stats._DENSE_CELLS", 0)
    sparse = bootstrap_alpha_ci(data, n=2000, seed=3, clusters=para)
    assert (sparse.low, sparse.high) == pytest.approx((by_para.low, by_para.high), abs=1e-12)
    with pytest.raises(InvalidInput, match="cluster"):
        bootstrap_alpha_ci(data, clusters=para[:-1])


def test_bootstrap_level_narrows_interval():
    data = _noisy_pair(200, 4)
    wide = bootstrap_alpha_ci(data, seed=1, level=0.95)
    narrow = bootstrap_alpha_ci(data, seed=1, level=0.5)
    assert wide.low < narrow.low < narrow.high < wide.high


# --- character level ----------------------------------------------------------------------


def test_own_overlapping_codings_count_once():
    messy = [(0, 10), (5, 15), (5, 15), (14, 20), (30, 30)]
    assert merge_ranges(messy) == [(0, 20)]
    assert coverage_vector(50, messy).sum() == 20
    assert np.array_equal(coverage_vector(50, messy), coverage_vector(50, [(0, 20)]))
    counts = char_counts(50, messy, [(10, 40)])
    assert (counts.both, counts.a_only, counts.b_only, counts.neither) == (10, 10, 20, 10)


def test_touching_ranges_merge_but_gaps_do_not():
    assert merge_ranges([(5, 8), (0, 5), (9, 12)]) == [(0, 8), (9, 12)]


def test_ranges_outside_the_text_are_refused():
    with pytest.raises(InvalidInput, match="does not fit"):
        coverage_vector(100, [(90, 101)])
    with pytest.raises(InvalidInput, match="does not fit"):
        char_counts(100, [(10, 5)], [])


range_lists = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 60)).map(lambda t: (min(t), max(t))), max_size=6
)


@settings(max_examples=200, deadline=None)
@given(range_lists, range_lists)
def test_interval_counts_match_character_loop(a, b):
    in_a = [any(s <= i < e for s, e in a) for i in range(60)]
    in_b = [any(s <= i < e for s, e in b) for i in range(60)]
    counts = char_counts(60, a, b)
    assert counts.both == sum(x and y for x, y in zip(in_a, in_b, strict=True))
    assert counts.a_only == sum(x and not y for x, y in zip(in_a, in_b, strict=True))
    assert counts.b_only == sum(y and not x for x, y in zip(in_a, in_b, strict=True))
    assert counts.neither == sum(not x and not y for x, y in zip(in_a, in_b, strict=True))
    assert coverage_vector(60, a).tolist() == in_a


@settings(max_examples=200, deadline=None)
@given(range_lists, range_lists, range_lists)
def test_disagreement_runs_match_character_loop(a, b, c):
    coders = ["ann", "bo", "cas"]
    ranges = {"ann": a, "bo": b, "cas": c}
    expected: list[Disagreement] = []
    for i in range(60):
        who = tuple(k for k in coders if any(s <= i < e for s, e in ranges[k]))
        if not who or len(who) == len(coders):
            continue
        rest = tuple(k for k in coders if k not in who)
        last = expected[-1] if expected else None
        if last and last.end == i and last.coded_by == who:
            expected[-1] = Disagreement(last.start, i + 1, who, rest)
        else:
            expected.append(Disagreement(i, i + 1, who, rest))
    assert char_disagreements(60, ranges, coders) == expected


def test_disagreements_ignore_whitespace_only_differences():
    text = "Alpha beta.\nGamma delta."
    # A selects "beta.\n", B selects "beta." then later "Gamma": only "Gamma" differs.
    runs = char_disagreements(
        len(text), {"A": [(6, 12)], "B": [(6, 11), (12, 17)]}, ["A", "B"], text
    )
    assert runs == [Disagreement(12, 17, ("B",), ("A",))]
    assert text[12:17] == "Gamma"
    raw = char_disagreements(len(text), {"A": [(6, 12)], "B": [(6, 11), (12, 17)]}, ["A", "B"])
    assert raw == [
        Disagreement(11, 12, ("A",), ("B",)),
        Disagreement(12, 17, ("B",), ("A",)),
    ]


def test_character_level_scales_to_a_long_transcript():
    # 165,000 characters, 3 coders, 40 codes with 30 codings each: matrices, alpha
    # per code, pooled alpha and a bootstrap must stay interactive.
    length, coders = 165_000, ["a", "b", "c"]
    rng = np.random.default_rng(0)
    started = time.perf_counter()
    per_code = {}
    for code in range(40):
        starts = rng.integers(0, length - 2000, 30)
        base = [(int(s), int(s + rng.integers(50, 2000))) for s in starts]
        jitter = {
            c: [(max(0, s + int(rng.integers(-40, 40))), e) for s, e in base if rng.random() < 0.8]
            for c in coders
        }
        per_code[f"code {code}"] = character_matrix(length, jitter, coders)
    results = per_code_results(per_code)
    pooled = pooled_binary(per_code)
    alpha = krippendorff_alpha_nominal(pooled.matrix)
    ci = bootstrap_alpha_ci(pooled.matrix, n=1000, seed=1)
    elapsed = time.perf_counter() - started
    assert pooled.matrix.shape == (3, 40 * length)
    assert pooled.label(length + 5) == ("code 1", 5)
    assert all(r.defined and 0.5 < r.value < 1 for r in results.values())
    assert ci.low <= alpha.value <= ci.high
    assert elapsed < 30, f"character-level agreement took {elapsed:.1f}s"


# --- unit level --------------------------------------------------------------------------

TEXT = (
    "Wij starten in mei. "
    "De werkplaats van de school staat nu vol met zes nieuwe machines.\n \nKlaar."
)
SENTENCES = [(0, 19), (20, 85), (86, 87), (88, 94)]


def _span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def test_unit_spans_are_what_the_tests_think():
    assert TEXT[0:19] == "Wij starten in mei."
    assert TEXT[20:85].startswith("De werkplaats") and TEXT[20:85].endswith("machines.")
    assert TEXT[86:87] == " " and TEXT[88:94] == "Klaar."


def test_any_overlap_rule():
    coders = ["one_word", "spill_space", "spill_word", "none"]
    ranges = {
        "one_word": [_span("machines")],  # one word of sentence 2
        "spill_space": [(0, 20)],  # sentence 1 plus the space after it
        "spill_word": [(0, 22)],  # sentence 1 plus "De" of sentence 2
        "none": [],
    }
    m = unit_matrix(TEXT, SENTENCES, ranges, coders, rule="any-overlap")
    assert m.tolist() == [
        [False, True, False, False],
        [True, False, False, False],
        [True, True, False, False],
        [False, False, False, False],
    ]


def test_majority_rule():
    sentence = TEXT[20:85]
    content = sum(not ch.isspace() for ch in sentence)
    assert content == 54  # even, so "exactly half" exists
    # Cover the first k characters of sentence 2 so that exactly half its content is coded.
    k, seen = 0, 0
    while seen < content / 2:
        seen += not sentence[k].isspace()
        k += 1
    ranges = {
        "half": [(20, 20 + k)],
        "just_under": [(20, 20 + k - 1)],
        "one_word": [_span("machines")],
        "whole_doc": [(0, len(TEXT))],
    }
    coders = list(ranges)
    m = unit_matrix(TEXT, SENTENCES, ranges, coders, rule="majority")
    assert m[:, 1].tolist() == [True, False, False, True]
    # The whitespace-only "unit" is never coded, even by a whole-document selection.
    assert m[:, 2].tolist() == [False, False, False, False]
    assert m[3].tolist() == [True, True, False, True]
    # any-overlap would count the half, the just-under and the single word alike.
    assert unit_matrix(TEXT, SENTENCES, ranges, coders)[:, 1].tolist() == [True] * 4


def test_whole_document_as_one_unit_and_bad_rule():
    m = unit_matrix(TEXT, [(0, len(TEXT))], {"a": [_span("mei")]}, ["a", "b"])
    assert m.tolist() == [[True], [False]]
    with pytest.raises(InvalidInput, match="coverage rule"):
        unit_matrix(TEXT, SENTENCES, {}, ["a"], rule="most")  # type: ignore[arg-type]


def test_pooled_and_nominal_units():
    coders = ["a", "b"]
    per_code = {
        "kansen": unit_matrix(TEXT, SENTENCES, {"a": [(0, 19)], "b": [(0, 19)]}, coders),
        "knelpunt": unit_matrix(TEXT, SENTENCES, {"a": [(20, 85)], "b": [(88, 94)]}, coders),
    }
    pooled = pooled_binary(per_code)
    assert pooled.matrix.shape == (2, 8)
    assert pooled.label(0) == ("kansen", 0) and pooled.label(5) == ("knelpunt", 1)
    nominal = nominal_units(per_code, coders)
    assert nominal == [
        ["kansen", "knelpunt", NO_CODE, NO_CODE],
        ["kansen", NO_CODE, NO_CODE, "knelpunt"],
    ]
    missing = nominal_units(per_code, coders, uncoded="missing")
    assert missing[1] == ["kansen", None, None, "knelpunt"]
    # Only unit 0 has two values when "no code" counts as missing: alpha is undefined.
    assert not krippendorff_alpha_nominal(missing).defined
    assert unit_disagreements(pooled.matrix, coders) == [
        Disagreement(5, 6, ("a",), ("b",)),
        Disagreement(7, 8, ("b",), ("a",)),
    ]
    both = {"kansen": per_code["kansen"], "knelpunt": per_code["kansen"]}
    with pytest.raises(InvalidInput, match="not mutually exclusive"):
        nominal_units(both, coders)


def test_pairwise_uses_every_pair():
    data = [[1, 2, 1, 2], [1, 2, 2, 2], [1, 2, 1, 1]]
    result = pairwise(data, percent_agreement)
    assert {k: v.value for k, v in result.items()} == {(0, 1): 0.75, (0, 2): 0.75, (1, 2): 0.5}
