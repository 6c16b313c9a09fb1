"""Drawing a collaboration graph with matplotlib (PNG or SVG).

Colour shows the organisation type (legend), node size the number of
mentions, edge width the number of coded passages. Labels sit on a white
box so they stay readable over edges. The layout is seeded, so the same
project draws the same picture.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import Any

from casebook.partners import ORG_TYPES

TYPE_COLOURS: dict[str, str] = {
    "vmbo-penvoerder": "#1f4e9c",
    "vmbo": "#5b8fd6",
    "mbo": "#e07b00",
    "po": "#f2c400",
    "vso/pro": "#9b6bcc",
    "hbo/pabo": "#c2185b",
    "bedrijf": "#2e9e5b",
    "branche": "#7cc47f",
    "gemeente": "#8c6d46",
    "ondersteuning": "#5fb3b3",
    "overig": "#9e9e9e",
}


LEGEND_IN = 2.6  # inches the legend adds to the right of the drawing
READABLE_PT = 7.0  # smallest label size, in points on paper, that reads comfortably on A4


def printed_scale(width_in: float, print_width_cm: float | None) -> float:
    """How much larger than on paper the figure is drawn (1.0 when not placed at a set width)."""
    if not print_width_cm:
        return 1.0
    return max(1.0, (width_in + LEGEND_IN) / (print_width_cm / 2.54))


def label_size(n: int, scale: float) -> float:
    """Label font size in figure points: the usual size, or larger so it prints at READABLE_PT."""
    return max(8.0 if n > 25 else 9.0, READABLE_PT * scale)


def draw_graph(
    g: Any, path: Path, *, title: str | None = None, print_width_cm: float | None = None
) -> Path:
    """Draw the network; ``print_width_cm`` sizes the text for the width it will be printed at."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx
    from matplotlib.lines import Line2D

    n = g.number_of_nodes()
    pos, tops = _layout(g) if n else ({}, [])
    xs = [x for x, _ in pos.values()] or [0.0]
    ys = [y for _, y in pos.values()] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    width = 9 + min(9, math.sqrt(max(n, 1)) * 1.3)
    height = min(max(width * span_y / span_x, 5.0), 16.0)
    fig, ax = plt.subplots(figsize=(width, height), dpi=150)
    ax.set_axis_off()
    scale = printed_scale(width, print_width_cm)
    small = label_size(n, scale)
    title = title or f"Collaboration network — {g.graph.get('name', '')}"
    subtitle = g.graph.get("filters", "")
    ax.set_title(f"{title}\n{subtitle}" if subtitle else title, fontsize=max(13.0, 10.0 * scale))
    if n == 0:
        ax.text(0.5, 0.5, "no organisations in the registry", ha="center", va="center", fontsize=12)
    else:
        weights = [e["weight"] for _, _, e in g.edges(data=True)]
        top = max(weights, default=1)
        nx.draw_networkx_edges(
            g, pos, ax=ax, width=[1.0 + 6.0 * w / top for w in weights], edge_color="#6b6b6b", alpha=0.55
        )
        mentions = [d.get("mentions", 0) for _, d in g.nodes(data=True)]
        peak = max(mentions, default=0) or 1
        nx.draw_networkx_nodes(
            g, pos, ax=ax,
            node_color=[TYPE_COLOURS.get(d["type"], "#9e9e9e") for _, d in g.nodes(data=True)],
            node_size=[260 + 1400 * m / peak for m in mentions],
            edgecolors="white", linewidths=1.5,
        )
        # Labels hang below their node on a light box, so the node's colour stays visible.
        drop = 0.045 * max(span_y, span_x * 0.5, 1.0) * (5.0 / height) ** 0.5
        for (v, d), m in zip(g.nodes(data=True), mentions, strict=True):
            x, y = pos[v]
            wrapped = textwrap.wrap(d["label"], 22 if scale <= 1.0 else 18, break_long_words=False)
            ax.text(x, y - drop * (1.0 + 0.8 * m / peak), "\n".join(wrapped),
                    fontsize=small, ha="center", va="top", zorder=5,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8})
        if weights:
            for (a, b), w in zip(g.edges, weights, strict=True):
                if w > 1:
                    x, y = (pos[a][0] + pos[b][0]) / 2, (pos[a][1] + pos[b][1]) / 2
                    ax.text(x, y, str(w), fontsize=max(7.0, 6.5 * scale), color="#333333", ha="center", va="center",
                            bbox={"boxstyle": "circle,pad=0.15", "fc": "#f4f4f4", "ec": "#bbbbbb"})
        pooled = len({c for _, d in g.nodes(data=True) for c in d.get("cases", [])}) > 1
        for comp, cx, cy, isolated in tops:
            if isolated:
                caption = "not in any coded collaboration"
            elif pooled:  # name the case(s) each group of organisations belongs to
                caption = ", ".join(sorted({c for v in comp for c in g.nodes[v].get("cases", [])}))
            else:
                continue
            ax.text(cx, cy, caption, ha="center", va="bottom", fontsize=max(11 if not isolated else 9, small + 1),
                    fontweight="bold" if not isolated else "normal", color="#444444",
                    style="italic" if isolated else "normal")
        present = [t for t in ORG_TYPES if any(d["type"] == t for _, d in g.nodes(data=True))]
        handles = [
            Line2D([0], [0], marker="o", color="w", markerfacecolor=TYPE_COLOURS[t], markersize=10, label=ORG_TYPES[t])
            for t in present
        ]
        handles.append(Line2D([0], [0], marker="o", color="w", markerfacecolor="#cccccc", markersize=6,
                              label="node size: mentions"))
        if weights:
            handles.append(Line2D([0], [0], color="#6b6b6b", lw=1.0 + 6.0 * 1 / top, label="1 coded passage"))
            if top > 1:
                handles.append(Line2D([0], [0], color="#6b6b6b", lw=7.0, label=f"{top} coded passages"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=small,
                  title="organisation type", title_fontsize=small)
        ax.margins(0.12)
    fig.tight_layout()
    fig.savefig(path, format=path.suffix.lstrip(".").lower(), bbox_inches="tight")
    plt.close(fig)
    return path


def _layout(g: Any) -> tuple[dict[Any, tuple[float, float]], list[tuple[set[Any], float, float, bool]]]:
    """Each connected group in its own spring layout, groups side by side, isolates in rows below.

    One spring layout over disconnected groups (a pooled graph of regions)
    pushes the groups to the corners and crushes each into a knot.
    """
    import networkx as nx

    active = g.subgraph([v for v in g.nodes if g.degree(v) > 0])
    comps = sorted(nx.connected_components(active), key=lambda c: (-len(c), min(g.nodes[v]["label"] for v in c)))
    halves = [0.55 + 0.45 * math.sqrt(len(c)) for c in comps]
    gap = 0.9
    max_w = max([2 * h for h in halves] + [math.sqrt(sum((2 * h) ** 2 for h in halves)) * 1.7, 4.0])
    pos: dict[Any, tuple[float, float]] = {}
    tops: list[tuple[set[Any], float, float, bool]] = []  # group, x of its centre, y of its top, isolates?
    x = y = row_h = 0.0
    for comp, half in zip(comps, halves, strict=True):
        if x > 0 and x + 2 * half > max_w:
            x, y, row_h = 0.0, y - row_h - gap, 0.0
        sub = g.subgraph(comp)
        if len(comp) == 2:
            a, b = sorted(comp, key=lambda v: g.nodes[v]["label"])
            local = {a: (-half * 0.6, 0.0), b: (half * 0.6, 0.0)}
        else:
            raw = nx.spring_layout(sub, seed=7, k=1.5 / math.sqrt(len(comp)), weight="weight", iterations=200)
            local = {v: (float(px), float(py)) for v, (px, py) in nx.rescale_layout_dict(raw, scale=half).items()}
        for v, (px, py) in local.items():
            pos[v] = (x + half + px, y - half + py)
        tops.append((set(comp), x + half, y + 0.35, False))
        x += 2 * half + gap
        row_h = max(row_h, 2 * half)
    isolates = sorted((v for v in g.nodes if g.degree(v) == 0), key=lambda v: g.nodes[v]["label"])
    if isolates:
        width = max(max_w, 4.0)
        per_row = max(3, int(width / 1.3))
        step = width / per_row
        y0 = y - row_h - gap if comps else 0.0
        for i, v in enumerate(isolates):
            pos[v] = ((i % per_row) * step + step / 2, y0 - (i // per_row) * 0.9)
        tops.append((set(isolates), width / 2, y0 + 0.3, True))
    return pos, tops
