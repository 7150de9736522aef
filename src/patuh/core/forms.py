"""Small parsers shared by the views that read plain POST forms."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def parse_date(raw: str | None, label: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` form value, ``None`` when empty; a clear message when malformed."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as error:
        raise ValidationError(
            _("%(label)s: tanggal '%(raw)s' tidak valid (format TTTT-BB-HH).")
            % {"label": label, "raw": raw}
        ) from error
