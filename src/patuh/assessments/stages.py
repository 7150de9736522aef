"""Stage windows: whether a stage of a cycle is open today for a government.

A window is open from its ``starts_on`` to its ``ends_on`` (both inclusive; an empty end means
open-ended). An admin's :class:`~patuh.assessments.models.StageOverride` keeps it open until its
``open_until`` date, for one government or for all of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from patuh.assessments.models import Cycle, CycleStage, Stage, StageOverride
from patuh.orgs.models import Government


def today() -> dt.date:
    """Today's date in the project's time zone (one place for tests to move the clock)."""
    return timezone.localdate()


@dataclass(frozen=True)
class Window:
    stage: str
    label: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    override: StageOverride | None
    is_open: bool
    defined: bool

    @property
    def overridden(self) -> bool:
        return self.override is not None

    def describe(self) -> str:
        """One sentence for the page: open until when, or closed since/until when."""
        if not self.defined:
            return _("Jadwal tahap %(stage)s belum ditetapkan.") % {"stage": self.label}
        if self.override is not None:
            return _("%(stage)s dibuka sampai %(date)s (perpanjangan: %(reason)s).") % {
                "stage": self.label,
                "date": self.override.open_until.strftime("%d-%m-%Y"),
                "reason": self.override.reason,
            }
        if self.is_open:
            if self.ends_on is None:
                return _("%(stage)s sedang dibuka.") % {"stage": self.label}
            return _("%(stage)s dibuka sampai %(date)s.") % {
                "stage": self.label,
                "date": self.ends_on.strftime("%d-%m-%Y"),
            }
        if self.starts_on and today() < self.starts_on:
            return _("%(stage)s baru dibuka pada %(date)s.") % {
                "stage": self.label,
                "date": self.starts_on.strftime("%d-%m-%Y"),
            }
        return _("%(stage)s sudah ditutup pada %(date)s.") % {
            "stage": self.label,
            "date": self.ends_on.strftime("%d-%m-%Y") if self.ends_on else "-",
        }


def window(cycle: Cycle, stage: str, government: Government | None = None) -> Window:
    """The window of ``stage`` in ``cycle`` as it stands today for ``government``."""
    label = str(Stage(stage).label)
    cycle_stage = CycleStage.objects.filter(cycle=cycle, stage=stage).first()
    if cycle_stage is None:
        return Window(stage, label, None, None, None, False, False)
    now = today()
    in_dates = (
        cycle_stage.starts_on is not None
        and cycle_stage.starts_on <= now
        and (cycle_stage.ends_on is None or now <= cycle_stage.ends_on)
    )
    overrides = StageOverride.objects.filter(stage=cycle_stage, open_until__gte=now)
    if government is not None:
        overrides = overrides.filter(government__isnull=True) | overrides.filter(
            government=government
        )
    else:
        overrides = overrides.filter(government__isnull=True)
    override = None if in_dates else overrides.order_by("-open_until").first()
    return Window(
        stage=stage,
        label=label,
        starts_on=cycle_stage.starts_on,
        ends_on=cycle_stage.ends_on,
        override=override,
        is_open=in_dates or override is not None,
        defined=cycle_stage.starts_on is not None,
    )
