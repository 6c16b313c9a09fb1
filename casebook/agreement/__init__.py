"""Intercoder agreement: pure statistics and the unit-building that feeds them.

No database access here; callers load codings and pass plain ranges in.
See docs/agreement-method.md for the method statement.
"""

from casebook.agreement.stats import (
    Estimate,
    Interval,
    bootstrap_alpha_ci,
    cohen_kappa,
    cohen_kappa_from_table,
    fleiss_kappa,
    krippendorff_alpha_nominal,
    pairwise,
    percent_agreement,
)
from casebook.agreement.units import (
    NO_CODE,
    RULES,
    CharCounts,
    Disagreement,
    Pooled,
    char_counts,
    char_disagreements,
    character_matrix,
    coverage_vector,
    merge_ranges,
    nominal_units,
    per_code_results,
    pooled_binary,
    unit_disagreements,
    unit_matrix,
)

__all__ = [
    "NO_CODE",
    "RULES",
    "CharCounts",
    "Disagreement",
    "Estimate",
    "Interval",
    "Pooled",
    "bootstrap_alpha_ci",
    "char_counts",
    "char_disagreements",
    "character_matrix",
    "cohen_kappa",
    "cohen_kappa_from_table",
    "coverage_vector",
    "fleiss_kappa",
    "krippendorff_alpha_nominal",
    "merge_ranges",
    "nominal_units",
    "pairwise",
    "per_code_results",
    "percent_agreement",
    "pooled_binary",
    "unit_disagreements",
    "unit_matrix",
]
