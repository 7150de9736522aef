"""The register's figures in the rapor, in ``patuh complaints stats`` and in the demo."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from patuh.complaints.models import Complaint
from patuh.complaints.stats import Period, government_figures, unit_figures
from patuh.reports.rapor import render_rapor_html


def test_the_rapor_has_a_complaints_section_per_unit(cycle_2023, langkat):
    html = render_rapor_html(cycle_2023, langkat)
    section = html[html.index('id="rapor-complaints"') :]
    section = section[: section.index("</section>")]
    result = government_figures(langkat, Period.year(2023))
    assert (
        result.total.volume
        == Complaint.objects.filter(unit__government=langkat, received_on__year=2023).count()
    )
    assert result.total.volume > 0
    for unit, figures in result.units:
        if figures.volume:
            assert unit.name in section
    assert f"<th>{result.total.volume}</th>" in section


def test_the_stats_command_prints_json_per_unit_and_government(langkat_dinkes):
    out = io.StringIO()
    call_command(
        "complaints",
        "stats",
        "--government",
        "12.05",
        "--year",
        "2023",
        "--format",
        "json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["period"] == {"start": "2023-01-01", "end": "2023-12-31"}
    dinkes = next(row for row in data["units"] if row["unit"] == "12.05/dinkes")
    expected = unit_figures(langkat_dinkes, Period.year(2023))
    assert dinkes["volume"] == expected.volume
    assert dinkes["median_days"] == str(expected.median_days)
    assert set(dinkes) == {
        "unit",
        "name",
        "volume",
        "closed",
        "open",
        "follow_up_due",
        "followed_up_in_time",
        "overdue",
        "share_in_time",
        "median_days",
    }
    assert data["government"]["volume"] == sum(row["volume"] for row in data["units"])


def test_the_stats_command_refuses_an_unknown_government(db):
    with pytest.raises(CommandError) as raised:
        call_command("complaints", "stats", "--government", "99.99", stdout=io.StringIO())
    assert raised.value.returncode == 2


def test_the_demo_complaints_are_synthetic_and_dated_in_the_past(db):
    from django.utils import timezone

    rows = Complaint.objects.filter(tracking_id__startswith="DEMO-")
    assert rows.exists()
    assert not rows.filter(is_synthetic=False).exists()
    today = timezone.localdate()
    assert not rows.filter(received_on__gt=today).exists()
    assert not rows.filter(closed_on__gt=today).exists()
    assert not rows.filter(received_on__year=2023).exclude(complainant_name="").exists()
