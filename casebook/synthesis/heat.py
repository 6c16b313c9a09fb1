"""Heat shading shared by the XLSX and DOCX writers and the TUI matrix screen.

One scale everywhere, white at zero to a saturated blue at the matrix
maximum, so a printed table and the screen read the same way.
"""

from __future__ import annotations

LOW = (255, 255, 255)
HIGH = (49, 130, 189)


def heat_rgb(value: float | None, vmax: float) -> tuple[int, int, int]:
    if not value or vmax <= 0:
        return LOW
    share = max(0.0, min(1.0, float(value) / vmax))
    return tuple(round(lo + (hi - lo) * share) for lo, hi in zip(LOW, HIGH, strict=True))  # type: ignore[return-value]


def heat_hex(value: float | None, vmax: float) -> str:
    """``RRGGBB`` (no '#'), as openpyxl and WordprocessingML want it."""
    return "{:02X}{:02X}{:02X}".format(*heat_rgb(value, vmax))


def dark(value: float | None, vmax: float) -> bool:
    """Whether text on this shade should be white to stay readable."""
    r, g, b = heat_rgb(value, vmax)
    return (0.299 * r + 0.587 * g + 0.114 * b) < 150
