"""Printing rows as aligned tables, JSON or CSV."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

import click


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def emit_csv(rows: list[dict[str, Any]], columns: Sequence[str]) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(columns)
    for r in rows:
        writer.writerow(["" if r.get(c) is None else r.get(c) for c in columns])


def table(
    rows: list[dict[str, Any]], columns: Sequence[str], headers: Sequence[str] | None = None
) -> None:
    headers = list(headers or columns)
    cells = [["" if r.get(c) is None else str(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(headers)]
    widths = [min(w, 48) for w in widths]

    def fmt(values: list[str]) -> str:
        out = []
        for v, w in zip(values, widths, strict=True):
            v = v if len(v) <= w else v[: w - 1] + "…"
            out.append(v.ljust(w))
        return "  ".join(out).rstrip()

    click.echo(fmt(headers))
    click.echo("  ".join("─" * w for w in widths))
    for row in cells:
        click.echo(fmt(row))


def split_values(values: Sequence[str]) -> list[str]:
    """Repeated options and comma lists mean the same: --case A,B == --case A --case B."""
    return [v.strip() for item in values for v in item.split(",") if v.strip()]
