"""Issue 14 (generality): the programme's own names are data, not code.

Interviews name the programme under study as if it were an organisation;
the rules must never take it for a partner, but which programme that is
comes from casebook/data/not_partners.toml, not from the detection code.
"""

from __future__ import annotations

from casebook.partners.candidates import Taken, candidate, run_pieces
from casebook.partners.words import NOT_ORGS, NOT_PARTNERS_FILE, _not_partners
from tests.conftest import REPO


def test_the_programme_names_live_in_the_data_file(tmp_path) -> None:
    path = tmp_path / "not_partners.toml"
    path.write_text('names = ["Zorg Dichtbij", "ZD"]\nstarts = ["ZD "]\n', encoding="utf-8")
    assert _not_partners(path) == {"names": ["zorg dichtbij", "zd"], "starts": ["zd "]}
    assert set(_not_partners(NOT_PARTNERS_FILE)["names"]) <= NOT_ORGS
    for module in (REPO / "casebook" / "partners").glob("*.py"):
        assert "techniekonderwijs" not in module.read_text(encoding="utf-8").lower(), module


def test_a_programme_name_is_not_offered_for_review() -> None:
    text = "Wij doen mee aan Sterk Techniekonderwijs en werken met Bouwfirma Lindhout."
    found = [
        candidate(text, piece, set(), set())
        for piece in run_pieces(text, Taken([]), lambda w: True)
    ]
    names = {c[3] for c in found if c}
    assert "Bouwfirma Lindhout" in names
    assert not any("Techniekonderwijs" in n for n in names)
