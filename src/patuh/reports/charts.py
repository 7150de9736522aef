"""Charts as SVG text, built in plain Python: the same definitions feed the web pages and the
PDF rapor (WeasyPrint draws SVG), with no JavaScript and no external service."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

ZONE_COLOURS = {
    "hijau": "#198754",
    "kuning": "#ffc107",
    "merah": "#dc3545",
    "hitam": "#212529",
}
NEUTRAL = "#6c757d"
DIMENSION_COLOURS = ("#0d6efd", "#6610f2", "#20c997", "#fd7e14", "#d63384")


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    colour: str = NEUTRAL
    note: str = ""


def _number(value: Decimal | None, decimals: int = 2) -> str:
    return "–" if value is None else f"{Decimal(value):.{decimals}f}"


def bar_chart(
    bars: Sequence[Bar],
    *,
    maximum: Decimal = Decimal(100),
    width: int = 640,
    bar_height: int = 18,
    label_width: int = 200,
    title: str = "",
    decimals: int = 2,
) -> str:
    """Horizontal bars, one per item, with the value written at the end of each bar."""
    gap = 6
    top = 22 if title else 4
    height = top + len(bars) * (bar_height + gap) + 4
    plot = width - label_width - 96
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" '
        f'viewBox="0 0 {width} {height}" class="patuh-chart" '
        f'font-family="DejaVu Sans, sans-serif" font-size="11">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
        parts.append(f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>')
    for index, bar in enumerate(bars):
        y = top + index * (bar_height + gap)
        share = Decimal(0) if bar.value is None else max(Decimal(0), Decimal(bar.value)) / maximum
        length = int(plot * min(share, Decimal(1)))
        label = bar.label if len(bar.label) <= 32 else bar.label[:31] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 5}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{plot}" height="{bar_height}" fill="#e9ecef"/>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
            f'fill="{bar.colour}"><title>{escape(bar.label)}: '
            f"{_number(bar.value, decimals)}</title></rect>"
        )
        parts.append(
            f'<text x="{label_width + plot + 6}" y="{y + bar_height - 5}">'
            f"{_number(bar.value, decimals)}{escape(' ' + bar.note) if bar.note else ''}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def zone_bars(rows: Sequence[tuple[str, Decimal | None, str | None, str]]) -> list[Bar]:
    """(label, score, zone, category) rows as bars coloured by zone."""
    return [
        Bar(label, score, ZONE_COLOURS.get((zone or "").lower(), NEUTRAL), category)
        for label, score, zone, category in rows
    ]


def dimension_bars(dimensions: Sequence[tuple[str, Decimal | None]]) -> list[Bar]:
    return [
        Bar(name, score, DIMENSION_COLOURS[index % len(DIMENSION_COLOURS)])
        for index, (name, score) in enumerate(dimensions)
    ]


def count_bars(counts: Sequence[tuple[str, int]]) -> tuple[list[Bar], Decimal]:
    """Counts per zone as bars, and the maximum to scale them by."""
    top = Decimal(max((count for _, count in counts), default=1) or 1)
    return (
        [
            Bar(label.capitalize(), Decimal(count), ZONE_COLOURS.get(label, NEUTRAL))
            for label, count in counts
        ],
        top,
    )
