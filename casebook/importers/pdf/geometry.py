"""Where text sits on a PDF page: boxes in PDF points, y upwards.

Every stage of the PDF importer passes these along: extraction makes them,
tables and running headers remove some, reading order sorts them and tags
each with its column, paragraphs read them. ``Box`` is a plain rectangle and
never changes; ``Line`` is a line of text (or a whole table) whose box the
later stages adjust (turned pages, stripped line numbers, column edges), so it
stays mutable and hashes by identity.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in PDF points (y upwards)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )


@dataclass(slots=True, eq=False)
class Line:
    """One line of text (or one table) with its box in PDF points, y upwards.

    ``left`` and ``right`` are the edges of the column the line was read in
    (set by reading order); ``rows`` holds a table's rows when the line stands
    for a whole table; ``number`` is a leading number set apart by a wide gap
    (a transcript line number, perhaps): (length of "12 ", the number's right
    edge, the text's left edge).
    """

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    h: float
    soft: bool = False  # ends in a hyphen PDFium marked as a line-end hyphen
    bold: bool = False
    col: int = 0
    left: float = field(init=False)
    right: float = field(init=False)
    rows: list[str] | None = None
    number: tuple[int, float, float] | None = None

    def __post_init__(self) -> None:
        self.h = max(self.h, 0.1)
        self.left = self.x0
        self.right = self.x1

    @classmethod
    def around(cls, box: Box, h: float = 1.0) -> Line:
        """An empty line covering ``box``: a page outline, or the place of a table."""
        return cls("", box.x0, box.y0, box.x1, box.y1, h)

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<{self.x0:.0f},{self.y0:.0f},{self.x1:.0f},{self.y1:.0f} h{self.h:.1f} {self.text[:40]!r}>"


@dataclass(slots=True, eq=False)
class Page:
    """One page's lines, its vertical extent and what else it draws."""

    number: int
    lines: list[Line] = field(default_factory=list)
    margin: list[Line] = field(default_factory=list)  # vertical text beside the body
    top: float = 0.0
    bottom: float = 0.0
    status: str = "ok"  # ok | blank | no_text | scanned | unreadable
    drawn: bool = False  # images, shapes or forms on the page
    image_share: float = 0.0  # largest image as a share of the page


def turn(ln: Line, direction: int) -> None:
    """Rotate a box so text that runs up (1) or down (-1) runs left to right."""
    x0, y0, x1, y1 = ln.x0, ln.y0, ln.x1, ln.y1
    if direction == 1:
        ln.x0, ln.x1, ln.y0, ln.y1 = y0, y1, -x1, -x0
    else:
        ln.x0, ln.x1, ln.y0, ln.y1 = -y1, -y0, x0, x1
    ln.left, ln.right = ln.x0, ln.x1
