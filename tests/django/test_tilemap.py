"""The province tile map: every province once, no two on one square, coloured by category or
zone, readable without JavaScript and drawn by WeasyPrint in a PDF."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

from test_web_hardening import _inline_code

from patuh.orgs.regions import read_provinces
from patuh.reports.tilemap import (
    CATEGORY_COLOURS,
    MISSING,
    TILES,
    TileValue,
    province_values,
    tile_map,
)


def test_the_grid_holds_the_38_kemendagri_provinces_each_on_its_own_square():
    assert len(TILES) == 38
    assert set(TILES) == {code for code, _ in read_provinces()}
    positions = [(column, row) for column, row, _ in TILES.values()]
    assert len(set(positions)) == len(positions)
    assert len({label for _, _, label in TILES.values()}) == 38
    # roughly west to east: Aceh left of Jakarta, Jakarta left of Papua
    assert TILES["11"][0] < TILES["31"][0] < TILES["91"][0]


def test_each_square_has_its_colour_title_and_value():
    svg = tile_map(
        {
            "12": TileValue(category="A", score=Decimal("90.54"), source="dipublikasikan"),
            "81": TileValue(zone="kuning", score=Decimal("72.44")),
            "33": TileValue(category="hijau"),  # a year before categories: the zone
        },
        names=dict(read_provinces()),
    )
    squares = dict(re.findall(r'<g data-province="(\d+)">(.*?)</g>', svg))
    assert set(squares) == set(TILES)
    assert f'fill="{CATEGORY_COLOURS["A"]}"' in squares["12"]
    assert "<title>Sumatera Utara: 90.54 A (dipublikasikan)</title>" in squares["12"]
    assert 'fill="#ffc107"' in squares["81"]
    assert "Maluku: 72.44 kuning" in squares["81"]
    assert 'fill="#198754"' in squares["33"]
    assert f'fill="{MISSING}"' in squares["11"]
    assert "Aceh: tanpa data" in squares["11"]
    legend = svg[svg.rindex("</g>") :]
    assert ">A<" in legend
    assert ">E<" in legend
    assert "zona kuning" in legend
    assert "tanpa data" in legend
    problems, _ = _inline_code(f"<div>{svg}</div>")
    assert problems == []
    assert "style" not in svg


def test_patuhs_own_provincial_result_wins_over_the_published_figure():
    figure = SimpleNamespace(
        program="ombudsman",
        entity_kind="provinsi",
        region_code="12",
        category="A",
        zone="",
        score=Decimal("90.54"),
    )
    pekppp = SimpleNamespace(**{**vars(figure), "program": "pekppp", "region_code": "32"})
    kabupaten = SimpleNamespace(**{**vars(figure), "entity_kind": "kabupaten", "region_code": "33"})
    values = province_values({}, [figure, pekppp, kabupaten], link="?provinsi={code}")
    assert set(values) == {"12"}
    assert values["12"].href == "?provinsi=12"
    assert values["12"].source == "dipublikasikan"
    values = province_values({"12": (Decimal("70.10"), "C", "kuning")}, [figure])
    assert values["12"].category == "C"
    assert values["12"].source == "Patuh"
    assert '<a href="?provinsi=12">' in tile_map(
        province_values({}, [figure], link="?provinsi={code}")
    )


def test_the_map_renders_in_a_pdf():
    from weasyprint import HTML

    svg = tile_map({"12": TileValue(category="B", score=Decimal("80.00"))}, title="Peta")
    pdf = HTML(string=f"<html><body><h1>Peta</h1>{svg}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000
