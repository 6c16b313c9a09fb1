"""Words for shares: "vrijwel alle (18 van de 20)", as evaluation reports write them.

A chapter never gives a bare quantifier: the figure stays beside it, so a
reader can check the word against the count. The thresholds are data (a
list of lower bounds on the share, highest first) and can be replaced from a
YAML file, because teams disagree on where "de meeste" starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from casebook.errors import InvalidInput


@dataclass(frozen=True)
class Band:
    """A share from ``at_least`` (inclusive) upwards gets ``word``."""

    at_least: float
    word: str


# Checked top-down; n == N and n == 0 are handled before the bands, and
# n == 1 of several is "één", whatever its share.
DEFAULT_BANDS: dict[str, tuple[Band, ...]] = {
    "nl": (
        Band(0.9, "vrijwel alle"),
        Band(0.6, "de meeste"),
        Band(0.4, "ongeveer de helft van de"),
        Band(0.2, "een deel van de"),
        Band(0.0, "enkele"),
    ),
    "en": (
        Band(0.9, "almost all"),
        Band(0.6, "most"),
        Band(0.4, "about half of the"),
        Band(0.2, "some of the"),
        Band(0.0, "a few"),
    ),
}
ALL = {"nl": "alle", "en": "all"}
NONE = {"nl": "geen van de", "en": "none of the"}
ONE = {"nl": "één van de", "en": "one of the"}


@dataclass(frozen=True)
class Quantifier:
    bands: tuple[Band, ...]
    language: str = "nl"

    def word(self, n: int, total: int) -> str:
        """The quantifier alone; ``phrase`` adds the figure."""
        if total <= 0 or n < 0 or n > total:
            raise ValueError(f"cannot quantify {n} of {total}")
        if n == 0:
            return NONE[self.language]
        if n == total:
            return ALL[self.language]
        if n == 1:
            return ONE[self.language]
        share = n / total
        for band in self.bands:
            if share >= band.at_least:
                return band.word
        return self.bands[-1].word

    def figure(self, n: int, total: int) -> str:
        return f"{n} van de {total}" if self.language == "nl" else f"{n} of {total}"

    def phrase(self, n: int, total: int, noun: str) -> str:
        """'vrijwel alle regio's (18 van de 20)'."""
        return f"{self.word(n, total)} {noun} ({self.figure(n, total)})"


def default_quantifier(language: str = "nl") -> Quantifier:
    if language not in DEFAULT_BANDS:
        raise InvalidInput(f"unknown language '{language}'; use one of: {', '.join(DEFAULT_BANDS)}")
    return Quantifier(DEFAULT_BANDS[language], language)


def load_quantifier(path: Path, language: str = "nl") -> Quantifier:
    """Bands from YAML: a list of ``{at_least: 0.9, word: "vrijwel alle"}``, any order."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read the quantifier file ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{path}: not valid YAML; check indentation and quotes") from exc
    items = data.get("bands") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise InvalidInput(f"{path}: expected a list of bands with 'at_least' and 'word'")
    bands: list[Band] = []
    for i, item in enumerate(items, start=1):
        try:
            at_least = float(item["at_least"])
            word = str(item["word"]).strip()
        except (TypeError, KeyError, ValueError) as exc:
            raise InvalidInput(
                f"{path}: band {i} needs 'at_least' (a share between 0 and 1) and 'word'"
            ) from exc
        if not 0 <= at_least <= 1 or not word:
            raise InvalidInput(
                f"{path}: band {i}: 'at_least' must lie between 0 and 1 and 'word' be set"
            )
        bands.append(Band(at_least, word))
    bands.sort(key=lambda b: b.at_least, reverse=True)
    if bands[-1].at_least > 0:
        raise InvalidInput(f"{path}: the lowest band must start at 0 so every share gets a word")
    return Quantifier(tuple(bands), language)
