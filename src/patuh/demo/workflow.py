"""Where the demo's past cycles stand in the workflow, and their follow-up.

- 2022 is published: every official assessment of Sumatera Utara is published, each
  government's rapor has its follow-up actions (Labuhanbatu has finished some, with proof),
  and the Ombudsman's products to Labuhanbatu and Langkat are recorded (this year's
  products, which grade the compliance of the cycle in progress, are recorded by
  :mod:`patuh.demo.current`; none is dated in 2022 or 2023, so these results stand).
- 2023 is at verification: Langkat's official assessments are submitted and wait for the
  verifier (the Sumatera Utara assessor is assigned to Langkat for 2023 too); every other
  government's are final; Langkat's self-assessment is submitted.

Only assessments still in draft are moved, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from patuh.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    AssessorAssignment,
    Cycle,
)
from patuh.followup.models import ActionStatus, FollowUpAction, OmbudsmanProduct
from patuh.followup.services import create_actions_for_rapor
from patuh.orgs.models import Government
from patuh.results.services import publish_snapshot, take_snapshot

PUBLISHED_YEAR = 2022
VERIFICATION_YEAR = 2023
AT_VERIFICATION = "12.05"  # Langkat
LABUHANBATU = "12.10"
DONE_AT_LABUHANBATU = 3
"""How many of Labuhanbatu's 2022 follow-up actions the demo shows finished."""

PRODUCTS = (
    (
        LABUHANBATU,
        "corrective_action",
        "LAHP/0142/SU/2022",
        dt.date(2022, 8, 15),
        "Penundaan berlarut penerbitan akta kelahiran di Disdukcapil",
        "followed_up",
    ),
    (
        LABUHANBATU,
        "suggestion",
        "LHA/0031/SU/2022",
        dt.date(2022, 11, 3),
        "Standar pelayanan Puskesmas belum dipublikasikan secara elektronik",
        "in_progress",
    ),
    (
        AT_VERIFICATION,
        "corrective_action",
        "LAHP/0207/SU/2023",
        dt.date(2023, 6, 20),
        "Pungutan di luar ketentuan pada layanan surat rekomendasi PBI-JK Dinas Sosial",
        "pending",
    ),
)


def load_workflow(cycles: dict[int, Cycle], created: dict[str, int]) -> None:
    admin = get_user_model().objects.filter(username="admin").first()
    published = cycles.get(PUBLISHED_YEAR)
    if published is not None:
        moved = Assessment.objects.filter(
            cycle=published, kind=AssessmentKind.OFFICIAL, status=AssessmentStatus.DRAFT
        ).update(status=AssessmentStatus.PUBLISHED)
        if moved:
            for government in Government.objects.filter(
                units__assessments__cycle=published
            ).distinct():
                publish_snapshot(published, government, actor=admin)
                created["follow_up"] = created.get("follow_up", 0) + create_actions_for_rapor(
                    published, government, actor=admin
                )
            _finish_some(published)
    verifying = cycles.get(VERIFICATION_YEAR)
    if verifying is not None:
        drafts = Assessment.objects.filter(cycle=verifying, status=AssessmentStatus.DRAFT)
        at_verification = Q(service_unit__government__region_code=AT_VERIFICATION)
        drafts.filter(at_verification).update(
            status=AssessmentStatus.SUBMITTED, submitted_at=timezone.now()
        )
        finalised = (
            drafts.filter(kind=AssessmentKind.OFFICIAL)
            .exclude(at_verification)
            .update(status=AssessmentStatus.FINAL)
        )
        if finalised:
            for government in (
                Government.objects.filter(units__assessments__cycle=verifying)
                .exclude(region_code=AT_VERIFICATION)
                .distinct()
            ):
                take_snapshot(verifying, government, actor=admin)
        assessor = get_user_model().objects.filter(username="penilai.sumut").first()
        if assessor is not None:
            for government in Government.objects.filter(region_code=AT_VERIFICATION):
                AssessorAssignment.objects.get_or_create(
                    cycle=verifying, government=government, assessor=assessor
                )
    if admin is not None:
        for code, kind, reference, issued, subject, status in PRODUCTS:
            government = Government.objects.get(region_code=code)
            OmbudsmanProduct.objects.get_or_create(
                government=government,
                reference=reference,
                defaults={
                    "kind": kind,
                    "issued_on": issued,
                    "subject": subject + " (contoh sintetis)",
                    "follow_up_status": status,
                    "followed_up_on": issued + dt.timedelta(days=60)
                    if status == "followed_up"
                    else None,
                    "created_by": admin,
                },
            )


def _finish_some(cycle: Cycle) -> None:
    actions = FollowUpAction.objects.filter(
        cycle=cycle, government__region_code=LABUHANBATU
    ).order_by("-points_lost", "pk")[:DONE_AT_LABUHANBATU]
    for action in actions:
        action.status = ActionStatus.DONE
        action.proof_note = "Perbaikan selesai (contoh sintetis)."
        action.proof_url = f"https://example.org/labuhanbatu/tindak-lanjut/{action.indicator_code}"
        action.completed_at = timezone.now()
        action.save()
