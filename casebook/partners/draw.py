"""Drawing a collaboration graph with matplotlib (PNG or SVG), laid out for an A4 page.

Colour shows the organisation type, node size the number of mentions, edge
width the number of coded passages (or, for proposed partners, joint
mentions). Connected groups are laid out one by one and packed in rows, so
no canvas is spent on empty space; organisations without any link are not
drawn as dots but named (or counted) in one line under the picture. Labels
are placed by a small repel step: each label tries the spots around its node
and takes the first that overlaps no label or node already placed. The
legend sits under the picture, inside the saved frame. Every word comes from
the message catalogue in the drawing's language. The layout is seeded, so
the same project draws the same picture.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import Any

from casebook.messages import MESSAGES, plural
from casebook.orgtypes import DEFAULT_TYPES, Vocabulary

A4_WIDTH_IN = (
    16 / 2.54
)  # drawn at the 16 cm it is placed at on A4, so its 7.5 pt labels print at 7.5 pt
LABEL_WIDTH = 18  # characters per label line; words are never broken
ISOLATES_NAMED = 12  # name up to this many unlinked organisations, else count them


def draw_graph(
    g: Any,
    path: Path,
    *,
    title: str | None = None,
    language: str = "nl",
    proposed: bool | None = None,
) -> Path:
    import matplotlib  # lazy: matplotlib: only when a graph is drawn

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # lazy: matplotlib: only when a graph is drawn
    import networkx as nx  # lazy: networkx: only when a graph is built

    msg = MESSAGES[language]
    if proposed is None:
        proposed = bool(g.graph.get("proposed"))
    linked = [v for v in g.nodes if g.degree(v) > 0]
    isolates = sorted((v for v in g.nodes if g.degree(v) == 0), key=lambda v: g.nodes[v]["label"])
    sub = g.subgraph(linked)
    pos = _layout(sub) if linked else {}
    weights = [int(e["weight"]) for _, _, e in sub.edges(data=True)]
    types = _types(g)
    colours = types.colours()
    handles = _legend_handles(g, sub, isolates, weights, msg, language, proposed)
    iso_lines: list[str] = []
    if isolates:
        line = plural(
            language, "graph_isolated_proposed" if proposed else "graph_isolated", len(isolates)
        )
        if len(isolates) <= ISOLATES_NAMED:
            line += ": " + ", ".join(g.nodes[v]["label"] for v in isolates)
        iso_lines = textwrap.wrap(line, 120, break_long_words=False, break_on_hyphens=False)
    if not linked and not isolates:
        iso_lines = [msg["graph_empty"]]
    # Heights in inches, top to bottom: title, drawing, legend, the line about unlinked organisations.
    xs = [x for x, _ in pos.values()] or [0.0]
    ys = [y for _, y in pos.values()] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    width = A4_WIDTH_IN
    title_h = 0.55
    graph_h = min(max(width * (span_y + 1.4) / (span_x + 2.0), 3.4), 9.0) if linked else 0.0
    legend_h = (0.3 + 0.2 * math.ceil(len(handles) / 3)) if handles else 0.0
    iso_h = 0.1 + 0.17 * len(iso_lines) if iso_lines else 0.0
    total = title_h + graph_h + legend_h + iso_h
    fig = plt.figure(figsize=(width, total), dpi=200)
    name = msg["graph_pooled"] if g.graph.get("name") == "pooled" else g.graph.get("name", "")
    title = title or f"{msg['graph_title']} — {name}".rstrip(" —")
    subtitle = g.graph.get("subtitle", "")  # set by the caller in the drawing's language
    if proposed:
        subtitle = f"{subtitle} · {msg['graph_proposed']}" if subtitle else msg["graph_proposed"]
    fig.text(0.5, 1 - 0.08 / total, title, ha="center", va="top", fontsize=11)
    if subtitle:
        fig.text(
            0.5, 1 - 0.32 / total, subtitle, ha="center", va="top", fontsize=8.5, color="#444444"
        )
    if linked:
        ax = fig.add_axes((0.01, (legend_h + iso_h) / total, 0.98, graph_h / total))
        ax.set_axis_off()
        top = max(weights, default=1)
        nx.draw_networkx_edges(
            sub,
            pos,
            ax=ax,
            width=[0.8 + 4.5 * w / top for w in weights],
            edge_color="#7a7a7a",
            alpha=0.6,
            style="dashed" if proposed else "solid",
        )
        mentions = [d.get("mentions", 0) for _, d in sub.nodes(data=True)]
        peak = max(mentions, default=0) or 1
        sizes = [120 + 700 * m / peak for m in mentions]
        nx.draw_networkx_nodes(
            sub,
            pos,
            ax=ax,
            node_color=[colours[d["type"]] for _, d in sub.nodes(data=True)],
            node_size=sizes,
            edgecolors="white",
            linewidths=1.2,
        )
        ax.set_xlim(min(xs) - 1.0, max(xs) + 1.0)
        ax.set_ylim(min(ys) - 0.7, max(ys) + 0.5)
        _edge_weights(ax, sub, pos, weights)
        _place_labels(fig, ax, sub, pos, sizes)
    if handles:
        fig.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, (legend_h + iso_h) / total),
            ncol=3,
            frameon=False,
            fontsize=7.5,
            title=msg["graph_org_type"],
            title_fontsize=8,
            handlelength=2.2,
            columnspacing=1.4,
            borderaxespad=0.2,
        )
    if iso_lines:
        fig.text(
            0.5,
            0.05 / total,
            "\n".join(iso_lines),
            ha="center",
            va="bottom",
            fontsize=7,
            color="#444444",
            style="italic",
        )
    fig.savefig(path, format=path.suffix.lstrip(".").lower(), bbox_inches="tight", pad_inches=0.12)
    plt.close(fig)
    return path


def _types(g: Any) -> Vocabulary:
    """The project's organisation types the graph was built with, covering every node's type."""
    types: Vocabulary = g.graph.get("org_types") or DEFAULT_TYPES
    return types.with_types(d["type"] for _, d in g.nodes(data=True))


def _legend_handles(
    g: Any,
    sub: Any,
    isolates: list[Any],
    weights: list[int],
    msg: dict[str, Any],
    language: str,
    proposed: bool,
) -> list[Any]:
    from matplotlib.lines import Line2D  # lazy: matplotlib: only when a graph is drawn

    present = {d["type"] for _, d in g.nodes(data=True)}
    types = _types(g)
    colours = types.colours()
    handles = [
        Line2D(
            [0],
            [0],
            marker="o",
            color="w",
            markerfacecolor=colours[t],
            markersize=8,
            label=types.label(t, language),
        )
        for t in types.keys
        if t in present
    ]
    if sub.number_of_nodes():
        handles.append(
            Line2D(
                [0],
                [0],
                marker="o",
                color="w",
                markerfacecolor="#cccccc",
                markersize=6,
                label=msg["graph_node_size"],
            )
        )
        edge_key = "graph_edge_proposed" if proposed else "graph_edge"
        top = max(weights, default=1)
        style = "--" if proposed else "-"
        handles.append(
            Line2D(
                [0],
                [0],
                color="#7a7a7a",
                lw=0.8 + 4.5 / top,
                ls=style,
                label=plural(language, edge_key, 1),
            )
        )
        if top > 1:
            handles.append(
                Line2D(
                    [0],
                    [0],
                    color="#7a7a7a",
                    lw=5.3,
                    ls=style,
                    label=plural(language, edge_key, top),
                )
            )
    return handles


def describe_filters(filters: Any, language: str, code_label: str | None = None) -> str:
    """The drawing's subtitle in its language: "ronde 2022, rol mbo" (proposals are added by draw_graph)."""
    msg = MESSAGES[language]
    parts = []
    if getattr(filters, "round", None):
        parts.append(msg["graph_round"].format(x=filters.round))
    if getattr(filters, "role", None):
        parts.append(msg["graph_role"].format(x=filters.role))
    if getattr(filters, "code", None):
        parts.append(msg["graph_code"].format(x=code_label or filters.code))
    return ", ".join(parts)


def wrap_label(label: str) -> str:
    """Lines of at most LABEL_WIDTH characters, never breaking a word."""
    return (
        "\n".join(textwrap.wrap(label, LABEL_WIDTH, break_long_words=False, break_on_hyphens=False))
        or label
    )


def _edge_weights(ax: Any, g: Any, pos: dict[Any, tuple[float, float]], weights: list[int]) -> None:
    for (a, b), w in zip(g.edges, weights, strict=True):
        if w > 1:
            x, y = (pos[a][0] + pos[b][0]) / 2, (pos[a][1] + pos[b][1]) / 2
            ax.text(
                x,
                y,
                str(w),
                fontsize=7.5,
                color="#222222",
                ha="center",
                va="center",
                zorder=4,
                fontweight="bold",
                bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "#999999", "lw": 0.6},
            )


def _place_labels(
    fig: Any, ax: Any, g: Any, pos: dict[Any, tuple[float, float]], sizes: list[float]
) -> None:
    """The repel step: for each label the first spot around its node that overlaps nothing placed."""
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    taken = []  # display-space boxes of nodes and labels already placed
    for v, s in zip(g.nodes, sizes, strict=True):
        cx, cy = to_px(pos[v])
        r = math.sqrt(s) / 2 * fig.dpi / 72
        taken.append((cx - r, cy - r, cx + r, cy + r))
    order = sorted(zip(g.nodes, sizes, strict=True), key=lambda vs: -vs[1])
    for v, s in order:
        r = math.sqrt(s) / 2 * fig.dpi / 72 + 3
        text = ax.text(
            0,
            0,
            wrap_label(g.nodes[v]["label"]),
            fontsize=7.5,
            zorder=6,
            ha="center",
            va="center",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
        )
        cx, cy = to_px(pos[v])
        best = None
        for dx, dy, ha, va in _spots(r):
            text.set_ha(ha)
            text.set_va(va)
            text.set_position(ax.transData.inverted().transform((cx + dx, cy + dy)))
            box = text.get_window_extent(renderer).expanded(1.04, 1.08)
            rect = (box.x0, box.y0, box.x1, box.y1)
            hits = sum(_overlap(rect, t) for t in taken)
            if best is None or hits < best[0]:
                best = (hits, dx, dy, ha, va, rect)
            if hits == 0:
                break
        assert best is not None  # the loop above runs at least once
        _hits, dx, dy, ha, va, rect = best
        text.set_ha(ha)
        text.set_va(va)
        text.set_position(ax.transData.inverted().transform((cx + dx, cy + dy)))
        taken.append(rect)


def _spots(r: float) -> list[tuple[float, float, str, str]]:
    far = r + 14
    return [
        (0, -r, "center", "top"),
        (0, r, "center", "bottom"),
        (r, 0, "left", "center"),
        (-r, 0, "right", "center"),
        (r * 0.8, -r * 0.8, "left", "top"),
        (-r * 0.8, -r * 0.8, "right", "top"),
        (r * 0.8, r * 0.8, "left", "bottom"),
        (-r * 0.8, r * 0.8, "right", "bottom"),
        (0, -far, "center", "top"),
        (0, far, "center", "bottom"),
        (far, 0, "left", "center"),
        (-far, 0, "right", "center"),
    ]


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _layout(g: Any) -> dict[Any, tuple[float, float]]:
    """Each connected group in its own spring layout, groups packed in rows about as wide as A4.

    One spring layout over disconnected groups pushes the groups to the
    corners and crushes each into a knot.
    """
    import networkx as nx  # lazy: networkx: only when a graph is built

    comps = sorted(
        nx.connected_components(g), key=lambda c: (-len(c), min(g.nodes[v]["label"] for v in c))
    )
    halves = [0.6 + 0.5 * math.sqrt(len(c)) for c in comps]
    gap = 1.1
    row_width = max(
        [2 * h for h in halves] + [math.sqrt(sum((2 * h) ** 2 for h in halves)) * 1.45, 4.0]
    )
    pos: dict[Any, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for comp, half in zip(comps, halves, strict=True):
        if x > 0 and x + 2 * half > row_width:
            x, y, row_h = 0.0, y - row_h - gap, 0.0
        # a fresh graph in label order: a subgraph view iterates its node set in hash
        # order, which differs between processes, and the spring layout follows node order
        sub = nx.Graph()
        sub.add_nodes_from(sorted(comp, key=lambda v: (g.nodes[v]["label"], str(v))))
        sub.add_edges_from(g.subgraph(comp).edges())
        if len(comp) == 2:
            a, b = sorted(comp, key=lambda v: g.nodes[v]["label"])
            local = {a: (-half * 0.6, 0.0), b: (half * 0.6, 0.0)}
        else:
            raw = nx.spring_layout(
                sub, seed=7, k=1.6 / math.sqrt(len(comp)), weight=None, iterations=300
            )
            local = {
                v: (float(px), float(py))
                for v, (px, py) in nx.rescale_layout_dict(raw, scale=half).items()
            }
        for v, (px, py) in local.items():
            pos[v] = (x + half + px, y - half + py)
        x += 2 * half + gap
        row_h = max(row_h, 2 * half)
    return pos
