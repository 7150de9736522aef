"""Assessment cycles, their stages, assessments of service units and their answers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from patuh.accounts.scopes import scope_for
from patuh.orgs.models import Province, ServiceUnit
from patuh.scoring import instrument_codes


def validate_instrument_code(value: str) -> None:
    codes = instrument_codes()
    if value not in codes:
        raise ValidationError(
            _("Instrumen '%(code)s' tidak dikenal. Yang tersedia: %(codes)s."),
            params={"code": value, "codes": ", ".join(codes)},
        )


class Stage(models.TextChoices):
    """The stages of a cycle, in order (INSTRUMENTS.md, "Cycle stages")."""

    SOSIALISASI = "sosialisasi", _("Sosialisasi")
    SELF_ASSESSMENT = "self_assessment", _("Pendampingan / penilaian mandiri")
    PRE_EVALUATION = "pre_evaluation", _("Pra-evaluasi")
    DATA_COLLECTION = "data_collection", _("Pengambilan data")
    VERIFICATION = "verification", _("Verifikasi")
    DETERMINATION = "determination", _("Penetapan")
    PUBLICATION = "publication", _("Publikasi dan penganugerahan")
    REPORT_CARD_HANDOVER = "report_card_handover", _("Penyerahan rapor")
    FOLLOW_UP = "follow_up", _("Tindak lanjut")


STAGE_ORDER = {code: position for position, code in enumerate(Stage.values)}


class AssessmentKind(models.TextChoices):
    SELF = "self", _("Penilaian mandiri")
    PRE_EVALUATION = "pre_evaluation", _("Pra-evaluasi")
    OFFICIAL = "official", _("Penilaian resmi")


class CycleQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> CycleQuerySet:
        """National cycles for anyone with a role; regional cycles of the user's provinces."""
        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.nothing:
            return self.none()
        return self.filter(
            Q(province__isnull=True) | Q(province__in=Province.objects.for_user(user))
        )


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> AssessmentQuerySet:
        if scope_for(user).everything:
            return self
        return self.filter(
            service_unit__in=ServiceUnit.objects.for_user(user),
            cycle__in=Cycle.objects.for_user(user),
        )


class Cycle(models.Model):
    """One yearly assessment: national (no province) or run for one province."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    name = models.CharField(_("nama"), max_length=200)
    instrument_code = models.CharField(
        _("instrumen"), max_length=64, validators=[validate_instrument_code]
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cycles",
        verbose_name=_("provinsi"),
        help_text=_("Wilayah siklus regional; kosong untuk siklus nasional."),
    )
    is_synthetic = models.BooleanField(_("data sintetis"), default=False)

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("siklus penilaian")
        verbose_name_plural = _("siklus penilaian")
        ordering = ["-year", "province__region_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "province"], name="assessments_cycle_unique_year_province"
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(province__isnull=True),
                name="assessments_cycle_unique_national_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def stages_in_order(self) -> list[CycleStage]:
        return sorted(self.stages.all(), key=lambda stage: STAGE_ORDER.get(stage.stage, 99))


class CycleStage(models.Model):
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="stages", verbose_name=_("siklus")
    )
    stage = models.CharField(_("tahap"), max_length=32, choices=Stage.choices)
    starts_on = models.DateField(_("mulai"), null=True, blank=True)
    ends_on = models.DateField(_("selesai"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("tahap siklus")
        verbose_name_plural = _("tahap siklus")
        ordering = ["cycle", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "stage"], name="assessments_stage_unique"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="assessments_stage_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} — {self.get_stage_display()}"


class Assessment(models.Model):
    """The assessment of one service unit in one cycle, by kind (self, pre-evaluation, official)."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("siklus")
    )
    service_unit = models.ForeignKey(
        ServiceUnit,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("unit layanan"),
    )
    kind = models.CharField(_("jenis penilaian"), max_length=16, choices=AssessmentKind.choices)
    is_synthetic = models.BooleanField(_("data sintetis"), default=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penilaian")
        verbose_name_plural = _("penilaian")
        ordering = ["cycle", "service_unit", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "service_unit", "kind"], name="assessments_assessment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.service_unit.name} ({self.cycle.year})"


class Answer(models.Model):
    """The value recorded for one indicator of one assessment.

    ``value`` is a number on the indicator's scale, a list of numbers (one per interviewed
    official, sampled product or respondent) or ``"na"``. Write it with
    :func:`patuh.assessments.services.record_answer`, which validates and audits.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("penilaian")
    )
    indicator_code = models.CharField(_("kode indikator"), max_length=32)
    value = models.JSONField(_("nilai"))
    note = models.TextField(_("catatan"), blank=True)
    version = models.PositiveIntegerField(_("versi"), default=1)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        ordering = ["assessment_id", "indicator_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator_code"], name="assessments_answer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code} = {self.value}"
