"""Offline field forms: XLSForm workbooks for ODK Collect and KoboCollect.

Plain Python (no Django), like :mod:`patuh.scoring`. See ``docs/xlsform.md``.
"""

from .xlsform import (
    FORM_KINDS,
    LANGUAGE,
    FieldFormError,
    FieldRef,
    checklist_fields,
    checklist_form,
    field_name,
    perception_fields,
    perception_form,
    skm_fields,
    skm_form,
)

__all__ = [
    "FORM_KINDS",
    "LANGUAGE",
    "FieldFormError",
    "FieldRef",
    "checklist_fields",
    "checklist_form",
    "field_name",
    "perception_fields",
    "perception_form",
    "skm_fields",
    "skm_form",
]
