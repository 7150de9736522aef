"""A 2025+ result (instrument ``opini-2025``) on every page that shows a result: score,
quality-of-service label, opinion, award, the government-level elements with each figure and
the compliance level, each flagged provisional where its rule is; never a zone. A 2023
result keeps its zone."""

from __future__ import annotations

import csv
import io
import json

import pytest

from patuh.assessments.models import Answer, Assessment, AssessmentStatus, Cycle
from patuh.reports.export import rows
from patuh.results.services import publish_snapshot
from patuh.scoring import load_instrument

INSTRUMENT = "opini-2025"
ZONE_MARKS = (
    ">Zona<",
    ">Zona:",
    "Sebaran zona",
    "data-zone",
    "data-published-zone",
    "· Hijau",
    "· Kuning",
    "· Merah",
    "· Hitam",
    "zone-",
)
"""How a page shows a zone: a header or label, a badge, a zone chart (the zones note and
the provisional notes may still say in prose why there are none)."""


def _no_zone(text: str) -> None:
    for mark in ZONE_MARKS:
        assert mark not in text, f"{mark!r}: a zone shown for a result without zones"


@pytest.fixture
def cycle_2025(sumut, langkat, verifier) -> Cycle:
    """Langkat assessed with opini-2025: three units answering 2 of 3 on every indicator
    that applies, final; no government-level answers yet (the figures count as missing)."""
    instrument = load_instrument(INSTRUMENT)
    cycle = Cycle.objects.create(
        year=2025,
        name="Penilaian Maladministrasi 2025",
        instrument_code=INSTRUMENT,
        province=sumut,
    )
    for unit in langkat.units.order_by("code")[:3]:
        assessment = Assessment.objects.create(
            cycle=cycle, service_unit=unit, kind="official", status=AssessmentStatus.FINAL
        )
        Answer.objects.bulk_create(
            Answer(assessment=assessment, indicator_code=code, value=2)
            for code, indicator in instrument.indicators.items()
            if indicator.applies_to_unit_type(unit.type)
        )
    return cycle


@pytest.fixture
def published_2025(cycle_2025, langkat, verifier):
    return publish_snapshot(cycle_2025, langkat, actor=verifier)


def test_the_government_page_shows_the_layers_and_no_zone(login, verifier, cycle_2025, langkat):
    response = login(verifier).get(f"/cycles/2025/governments/{langkat.region_code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-result-layers" in html
    assert "data-quality-label" in html
    assert "Kualitas Pelayanan".lower() in html.lower()
    for code in ("OU", "KM", "OU-IPP", "OU-IPM", "OU-SPM", "OU-RPJMD", "KM-IKM"):
        assert f'data-figure="{code}"' in html or f'data-element="{code}"' in html
    assert "data-figure-missing" in html
    assert 'data-provisional="compliance"' in html
    assert 'data-provisional="award"' in html
    assert "Opini Ombudsman RI" in html
    result = response.context["result"]
    assert result.band.zone is None
    assert result.quality_label in html
    assert result.opinion in html
    _no_zone(html)
