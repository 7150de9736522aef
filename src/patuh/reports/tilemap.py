"""A tile-grid map of Indonesia's 38 provinces as SVG text: one square per province, placed
roughly west → east and north → south (Aceh top left, the Papua provinces right), coloured
by category (A–E) or zone. Plain Python like :mod:`patuh.reports.charts`: the same SVG is
drawn by the browser (no JavaScript, only presentation attributes, no ``style``) and by
WeasyPrint in a PDF."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.translation import gettext as _

from patuh.reports.charts import NEUTRAL, ZONE_COLOURS

TILES: dict[str, tuple[int, int, str]] = {
    # code: (column, row, short label)
    "11": (0, 0, "ACEH"),
    "12": (1, 0, "SUMUT"),
    "21": (3, 0, "KEPRI"),
    "13": (1, 1, "SUMBAR"),
    "14": (2, 1, "RIAU"),
    "17": (1, 2, "BKL"),
    "15": (2, 2, "JAMBI"),
    "19": (3, 2, "BABEL"),
    "16": (2, 3, "SUMSEL"),
    "18": (3, 3, "LPG"),
    "31": (4, 3, "DKI"),
    "36": (3, 4, "BANTEN"),
    "32": (4, 4, "JABAR"),
    "33": (5, 4, "JATENG"),
    "34": (5, 5, "DIY"),
    "35": (6, 4, "JATIM"),
    "51": (7, 4, "BALI"),
    "52": (8, 4, "NTB"),
    "53": (9, 4, "NTT"),
    "61": (5, 1, "KALBAR"),
    "62": (6, 1, "KALTENG"),
    "63": (6, 2, "KALSEL"),
    "64": (7, 1, "KALTIM"),
    "65": (7, 0, "KALTARA"),
    "75": (9, 0, "GTLO"),
    "71": (10, 0, "SULUT"),
    "76": (8, 1, "SULBAR"),
    "72": (9, 1, "SULTENG"),
    "73": (8, 2, "SULSEL"),
    "74": (9, 2, "SULTRA"),
    "82": (12, 0, "MALUT"),
    "81": (12, 2, "MALUKU"),
    "96": (13, 1, "PBD"),
    "92": (14, 1, "PABAR"),
    "91": (15, 1, "PAPUA"),
    "94": (14, 2, "PATENG"),
    "95": (15, 2, "PAPEG"),
    "93": (15, 3, "PASEL"),
}
"""The 38 provinces by Kemendagri code, each on its own square of the grid."""

CATEGORY_COLOURS = {
    "A": "#198754",
    "B": "#75b798",
    "C": "#ffc107",
    "D": "#fd7e14",
    "E": "#dc3545",
}
_DARK = {"#198754", "#dc3545", "#212529", NEUTRAL}
MISSING = "#e9ecef"

TILE = 44
GAP = 4


@dataclass(frozen=True)
class TileValue:
    """What one province's square shows: its category or zone, its score if any, where the
    figure comes from (shown in the tooltip) and an optional link."""

    category: str = ""
    zone: str = ""
    score: Decimal | None = None
    source: str = ""
    href: str = ""

    @property
    def colour(self) -> str:
        category = self.category.strip().upper()
        if category in CATEGORY_COLOURS:
            return CATEGORY_COLOURS[category]
        zone = (self.zone or self.category).strip().lower()
        return ZONE_COLOURS.get(zone, NEUTRAL if (self.score is not None) else MISSING)

    @property
    def shown(self) -> str:
        """The short text written on the square: the category, else the zone."""
        category = self.category.strip().upper()
        if category in CATEGORY_COLOURS:
            return category
        return (self.zone or self.category).strip().lower()


def published_colour(category: str, zone: str = "") -> str:
    """The colour of a category (A–E), else of a zone (the category column holds the zone
    for the years before categories), else neutral grey."""
    return TileValue(category=category or "", zone=zone or "", score=Decimal(0)).colour


def _legend(values: Mapping[str, TileValue]) -> list[tuple[str, str]]:
    used_categories = {v.category.strip().upper() for v in values.values()} & set(CATEGORY_COLOURS)
    used_zones = {
        (v.zone or v.category).strip().lower()
        for v in values.values()
        if v.category.strip().upper() not in CATEGORY_COLOURS
    } & set(ZONE_COLOURS)
    legend = []
    if used_categories:
        legend += [(colour, category) for category, colour in CATEGORY_COLOURS.items()]
    for zone in ("hijau", "kuning", "merah", "hitam"):
        if zone in used_zones:
            legend.append((ZONE_COLOURS[zone], _("zona %(zone)s") % {"zone": zone}))
    legend.append((MISSING, _("tanpa data")))
    return legend


def tile_map(
    values: Mapping[str, TileValue], *, names: Mapping[str, str] | None = None, title: str = ""
) -> str:
    """The SVG map: every province of :data:`TILES`, coloured from ``values`` (by province
    code; a province without a value is drawn light grey), with a ``<title>`` per square
    (name, value, source) and a legend underneath."""
    names = names or {}
    columns = max(column for column, _, _ in TILES.values()) + 1
    rows = max(row for _, row, _ in TILES.values()) + 1
    width = columns * (TILE + GAP)
    legend = _legend(values)
    legend_top = rows * (TILE + GAP) + 8
    height = legend_top + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" '
        f'viewBox="0 0 {width} {height}" class="patuh-chart patuh-tilemap" '
        f'font-family="DejaVu Sans, sans-serif" font-size="8">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for code, (column, row, short) in sorted(TILES.items()):
        value = values.get(code)
        x, y = column * (TILE + GAP), row * (TILE + GAP)
        fill = value.colour if value else MISSING
        ink = "#ffffff" if fill in _DARK else "#212529"
        name = names.get(code, short)
        if value is None:
            tooltip = f"{name}: {_('tanpa data')}"
        else:
            shown = " ".join(
                part
                for part in (
                    "" if value.score is None else f"{Decimal(value.score):.2f}",
                    value.shown,
                )
                if part
            )
            tooltip = f"{name}: {shown}" + (f" ({value.source})" if value.source else "")
        square = (
            f'<g data-province="{code}"><title>{escape(tooltip)}</title>'
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="4" fill="{fill}" '
            f'stroke="#adb5bd" stroke-width="0.5"/>'
            f'<text x="{x + TILE // 2}" y="{y + 17}" text-anchor="middle" fill="{ink}">'
            f"{escape(short)}</text>"
        )
        if value is not None and value.shown:
            square += (
                f'<text x="{x + TILE // 2}" y="{y + 32}" text-anchor="middle" fill="{ink}" '
                f'font-size="10" font-weight="bold">{escape(value.shown[:6])}</text>'
            )
        square += "</g>"
        if value is not None and value.href:
            square = f'<a href="{escape(value.href)}">{square}</a>'
        parts.append(square)
    x = 0
    for colour, label in legend:
        parts.append(
            f'<rect x="{x}" y="{legend_top}" width="12" height="12" fill="{colour}" '
            f'stroke="#adb5bd" stroke-width="0.5"/>'
            f'<text x="{x + 16}" y="{legend_top + 10}" font-size="10">{escape(label)}</text>'
        )
        x += 24 + 7 * len(label)
    parts.append("</svg>")
    return "".join(parts)


def province_values(
    patuh: Mapping[str, tuple[Decimal | None, str, str]],
    published: list[object],
    *,
    link: str = "",
) -> dict[str, TileValue]:
    """A value per province for :func:`tile_map`: Patuh's own result of the provincial
    government (``patuh``: province code → (score, category, zone)) where there is one, else
    the figure the Ombudsman published for the province (``published``: published figures,
    only the ``ombudsman`` program's ``provinsi`` rows are used). ``link``: a URL pattern with
    ``{code}`` for each square's link (e.g. the province table)."""
    values: dict[str, TileValue] = {}
    for figure in published:
        code = getattr(figure, "region_code", "")
        if (
            getattr(figure, "program", "") != "ombudsman"
            or getattr(figure, "entity_kind", "") != "provinsi"
            or code not in TILES
            or not (figure.category or figure.zone)  # type: ignore[attr-defined]
        ):
            continue
        values.setdefault(
            code,
            TileValue(
                category=figure.category,  # type: ignore[attr-defined]
                zone=figure.zone,  # type: ignore[attr-defined]
                score=figure.score,  # type: ignore[attr-defined]
                source=_("dipublikasikan"),
            ),
        )
    for code, (score, category, zone) in patuh.items():
        if code in TILES:
            values[code] = TileValue(category=category, zone=zone, score=score, source="Patuh")
    if link:
        values = {
            code: TileValue(v.category, v.zone, v.score, v.source, link.format(code=code))
            for code, v in values.items()
        }
    return values
