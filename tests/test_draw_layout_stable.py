"""The network picture is the same in every process, whatever Python's hash seed.

String hashing is randomised per process, and a set of node keys iterates in
hash order; the layout must not depend on it.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import networkx as nx
from casebook.partners.draw import _layout

g = nx.Graph()
# one group of five among many pairs: a group under half the graph is where a
# subgraph view iterates its node set
for i in range(17):
    g.add_node(f"org-{i:02d}", label=f"Organisatie {i:02d}")
keys = list(g.nodes)
edges = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0), (0, 2)]
edges += [(i, i + 1) for i in range(5, 17, 2)]
for a, b in edges:
    g.add_edge(keys[a], keys[b], weight=1)
pos = _layout(g)
print(sorted((k, round(x, 6), round(y, 6)) for k, (x, y) in pos.items()))
"""


def _positions(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_layout_does_not_depend_on_the_hash_seed() -> None:
    first = _positions("1")
    assert first.strip()
    for seed in ("2", "3", "12345"):
        assert _positions(seed) == first
