"""Assessment cycles, their stages, assessments of service units and their answers."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from patuh.accounts.scopes import scope_for
from patuh.orgs.models import Government, Province, ServiceProduct, ServiceUnit
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


class AssessmentStatus(models.TextChoices):
    """The workflow: draft → submitted → (changes requested → submitted …) → verified → final
    (locked) → published. A final or published assessment changes only through an audited
    reopen. A dropped assessment left the campaign (with a reason) and is not scored."""

    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    CHANGES_REQUESTED = "changes_requested", _("Perlu perbaikan")
    VERIFIED = "verified", _("Terverifikasi")
    FINAL = "final", _("Final")
    PUBLISHED = "published", _("Dipublikasikan")
    DROPPED = "dropped", _("Dikeluarkan")


OPEN_STATUSES = frozenset({AssessmentStatus.DRAFT, AssessmentStatus.CHANGES_REQUESTED})
"""Statuses in which the people filling an assessment still have work to do."""
LOCKED_STATUSES = frozenset({AssessmentStatus.FINAL, AssessmentStatus.PUBLISHED})


KIND_STAGE = {
    "self": Stage.SELF_ASSESSMENT,
    "pre_evaluation": Stage.PRE_EVALUATION,
    "official": Stage.DATA_COLLECTION,
}
"""The stage whose window opens the answers of each kind of assessment for editing."""


class Program(models.TextChoices):
    """Who runs a cycle's evaluation: the Ombudsman's compliance assessment or KemenPAN-RB's
    PEKPPP. Derived from the cycle's instrument."""

    OMBUDSMAN = "ombudsman", _("Ombudsman RI")
    PEKPPP = "pekppp", _("PEKPPP KemenPAN-RB")


def program_of(instrument_code: str) -> str:
    """The program an instrument belongs to: the ``pekppp-*`` instruments are KemenPAN-RB's,
    every other one the Ombudsman's."""
    return Program.PEKPPP if instrument_code.startswith("pekppp") else Program.OMBUDSMAN


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
    program = models.CharField(
        _("program"),
        max_length=16,
        choices=Program.choices,
        default=Program.OMBUDSMAN,
        db_default=Program.OMBUDSMAN,
        help_text=_("Ditentukan oleh instrumen siklus."),
    )
    is_synthetic = models.BooleanField(_("data sintetis"), default=False)
    service_users_per_unit = models.PositiveSmallIntegerField(
        _("pengguna layanan per unit"),
        default=0,
        db_default=0,
        help_text=_(
            "Pengguna layanan yang disiapkan untuk diwawancarai (persepsi maladministrasi) di "
            "setiap penilaian unit; 0: ditambahkan satu per satu."
        ),
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("siklus penilaian")
        verbose_name_plural = _("siklus penilaian")
        ordering = ["-year", "province__region_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year", "province"],
                name="assessments_cycle_unique_program_year_province",
            ),
            models.UniqueConstraint(
                fields=["program", "year"],
                condition=Q(province__isnull=True),
                name="assessments_cycle_unique_program_national_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.program = program_of(self.instrument_code)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "instrument_code" in update_fields:
            kwargs["update_fields"] = {*update_fields, "program"}
        super().save(*args, **kwargs)

    @property
    def is_pekppp(self) -> bool:
        return self.program == Program.PEKPPP

    def stages_in_order(self) -> list[CycleStage]:
        return sorted(self.stages.all(), key=lambda stage: STAGE_ORDER.get(stage.stage, 99))

    def respondents_per_unit(self) -> dict[str, int]:
        """How many respondents of each group an assessment of this cycle starts with."""
        return {**RESPONDENTS_PER_UNIT, RespondentGroup.SERVICE_USERS: self.service_users_per_unit}


class CycleStage(models.Model):
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="stages", verbose_name=_("siklus")
    )
    stage = models.CharField(_("tahap"), max_length=32, choices=Stage.choices)
    starts_on = models.DateField(_("mulai"), null=True, blank=True)
    ends_on = models.DateField(pgettext_lazy("tahap", "selesai"), null=True, blank=True)
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


class StageOverride(models.Model):
    """An admin's decision to keep a stage's window open longer, for one government or all."""

    stage = models.ForeignKey(
        CycleStage, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("tahap")
    )
    government = models.ForeignKey(
        Government,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stage_overrides",
        verbose_name=_("pemerintah"),
        help_text=_("Kosong: berlaku untuk semua pemerintah dalam siklus."),
    )
    open_until = models.DateField(_("dibuka sampai"))
    reason = models.TextField(_("alasan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("perpanjangan tahap")
        verbose_name_plural = _("perpanjangan tahap")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.stage} → {self.open_until}"


class AssessorAssignment(models.Model):
    """An assessor assigned to score a government's units in a cycle."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("siklus")
    )
    government = models.ForeignKey(
        Government,
        on_delete=models.CASCADE,
        related_name="assessor_assignments",
        verbose_name=_("pemerintah"),
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assessor_assignments",
        verbose_name=_("penilai"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan penilai")
        verbose_name_plural = _("penugasan penilai")
        ordering = ["cycle", "government__region_code", "assessor__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "government", "assessor"], name="assessments_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessor} — {self.government} ({self.cycle.year})"


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
    status = models.CharField(
        _("status"), max_length=24, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    status_note = models.TextField(
        _("catatan status"), blank=True, help_text=_("Alasan perubahan status terakhir.")
    )
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diajukan oleh"),
    )
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
    value = models.JSONField(_("nilai"), null=True, blank=True)
    parts = models.JSONField(
        _("nilai per responden/produk"),
        default=dict,
        blank=True,
        help_text=_("Untuk indikator per responden atau per produk: nilai tiap bagian."),
    )
    na_reason = models.TextField(_("alasan tidak berlaku"), blank=True)
    note = models.TextField(_("catatan"), blank=True)
    version = models.PositiveIntegerField(_("versi"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diperbarui oleh"),
    )
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


class RespondentGroup(models.TextChoices):
    """Who answers a per-respondent indicator (the instrument's ``respondents`` field)."""

    IMPLEMENTERS = "implementers", _("Pelaksana yang diwawancarai")
    COMPLAINT_OFFICIALS = "complaint_officials", _("Pengelola pengaduan")
    SERVICE_USERS = "service_users", _("Pengguna layanan")


RESPONDENTS_PER_UNIT = {
    RespondentGroup.IMPLEMENTERS: 4,
    RespondentGroup.COMPLAINT_OFFICIALS: 2,
    RespondentGroup.SERVICE_USERS: 0,
}
"""How many respondents of each group an assessment starts with (INSTRUMENTS.md); service
users: the cycle's :attr:`Cycle.service_users_per_unit`."""


class Respondent(models.Model):
    """One person whose answers an assessment records: an interviewed official or a user."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="respondents",
        verbose_name=_("penilaian"),
    )
    group = models.CharField(_("kelompok"), max_length=24, choices=RespondentGroup.choices)
    position = models.PositiveSmallIntegerField(_("urutan"))
    title = models.CharField(
        _("jabatan"), max_length=160, blank=True, help_text=_("Tanpa nama pribadi.")
    )

    class Meta:
        verbose_name = _("responden")
        verbose_name_plural = _("responden")
        ordering = ["assessment", "group", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "group", "position"], name="assessments_respondent_unique"
            )
        ]

    def __str__(self) -> str:
        label = self.title or _("Responden")
        return f"{label} {self.position}"

    @property
    def part_key(self) -> str:
        return f"r{self.pk}"


class ProductObservation(models.Model):
    """A sampled service product: where its service standard is published."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="product_observations",
        verbose_name=_("penilaian"),
    )
    product = models.ForeignKey(
        ServiceProduct, on_delete=models.CASCADE, related_name="+", verbose_name=_("produk layanan")
    )
    published_physically = models.BooleanField(_("dipublikasikan secara fisik"), default=False)
    published_electronically = models.BooleanField(
        _("dipublikasikan secara elektronik"), default=False
    )
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("produk sampel")
        verbose_name_plural = _("produk sampel")
        ordering = ["assessment", "product__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "product"], name="assessments_product_observation_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.product)


def evidence_upload_path(instance: Evidence, filename: str) -> str:
    """A random storage name: nothing of the uploader's file name reaches the disk."""
    extension = instance.extension or ""
    return f"evidence/{instance.assessment.cycle.year}/{secrets.token_hex(16)}{extension}"


def thumbnail_upload_path(instance: Evidence, filename: str) -> str:
    return f"evidence/thumbnails/{secrets.token_hex(16)}.jpg"


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Berkas")
    LINK = "link", _("Tautan")


class Evidence(models.Model):
    """A file or link that supports one indicator's answer."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("penilaian")
    )
    indicator_code = models.CharField(_("kode indikator"), max_length=32)
    kind = models.CharField(_("jenis"), max_length=8, choices=EvidenceKind.choices)
    title = models.CharField(_("judul"), max_length=200, blank=True)
    file = models.FileField(_("berkas"), upload_to=evidence_upload_path, blank=True)
    thumbnail = models.FileField(_("gambar kecil"), upload_to=thumbnail_upload_path, blank=True)
    url = models.URLField(_("tautan"), max_length=1000, blank=True)
    original_name = models.CharField(_("nama berkas asal"), max_length=255, blank=True)
    content_type = models.CharField(_("jenis isi"), max_length=120, blank=True)
    extension = models.CharField(_("ekstensi"), max_length=8, blank=True)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("dibawa dari"),
    )
    confirmed_at = models.DateTimeField(_("dikonfirmasi"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dikonfirmasi oleh"),
    )
    removed_at = models.DateTimeField(_("ditarik"), null=True, blank=True)

    class Meta:
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")
        ordering = ["assessment", "indicator_code", "uploaded_at", "id"]
        indexes = [models.Index(fields=["assessment", "indicator_code"])]

    def __str__(self) -> str:
        return self.title or self.original_name or self.url

    @property
    def needs_confirmation(self) -> bool:
        return self.carried_from_id is not None and self.confirmed_at is None


class Comment(models.Model):
    """A comment on one indicator; replies point to the thread's first comment."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="comments", verbose_name=_("penilaian")
    )
    indicator_code = models.CharField(_("kode indikator"), max_length=32)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("membalas"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessment_comments",
        verbose_name=_("penulis"),
    )
    body = models.TextField(_("isi"))
    created_at = models.DateTimeField(_("ditulis"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diselesaikan oleh"),
    )

    class Meta:
        verbose_name = _("komentar")
        verbose_name_plural = _("komentar")
        ordering = ["assessment", "indicator_code", "created_at", "id"]
        indexes = [models.Index(fields=["assessment", "indicator_code"])]

    def __str__(self) -> str:
        return f"{self.indicator_code}: {self.body[:40]}"


class ChangeRequest(models.Model):
    """A verifier's request to change one indicator of a submitted assessment."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="change_requests",
        verbose_name=_("penilaian"),
    )
    indicator_code = models.CharField(_("kode indikator"), max_length=32)
    note = models.TextField(_("catatan"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diminta oleh"),
    )
    requested_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    answered_at = models.DateTimeField(
        _("dijawab"),
        null=True,
        blank=True,
        help_text=_("Diisi ketika penilaian diajukan kembali setelah perbaikan."),
    )

    class Meta:
        verbose_name = _("permintaan perbaikan")
        verbose_name_plural = _("permintaan perbaikan")
        ordering = ["assessment", "requested_at", "id"]
        indexes = [models.Index(fields=["assessment", "indicator_code"])]

    def __str__(self) -> str:
        return f"{self.indicator_code}: {self.note[:40]}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class GovernmentAnswer(models.Model):
    """A government-level figure of a cycle (the 2025+ method): a secondary-data value
    (Output from BPS, KemenPAN-RB, Kemendagri, Bappenas) with its year and source, or the
    public-trust survey's index. It belongs to the government, not to a unit. Write it with
    :func:`patuh.assessments.government_data.record_government_answer`, which validates
    against the cycle's instrument and audits."""

    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.CASCADE,
        related_name="government_answers",
        verbose_name=_("siklus"),
    )
    government = models.ForeignKey(
        Government,
        on_delete=models.CASCADE,
        related_name="cycle_answers",
        verbose_name=_("pemerintah"),
    )
    indicator_code = models.CharField(_("kode indikator"), max_length=32)
    value = models.DecimalField(_("nilai"), max_digits=14, decimal_places=4)
    year = models.PositiveSmallIntegerField(_("tahun data"), null=True, blank=True)
    source = models.CharField(_("sumber data"), max_length=300, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    version = models.PositiveIntegerField(_("versi"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diperbarui oleh"),
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("jawaban tingkat pemerintah")
        verbose_name_plural = _("jawaban tingkat pemerintah")
        ordering = ["cycle_id", "government_id", "indicator_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "government", "indicator_code"],
                name="assessments_government_answer_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.government} {self.indicator_code} = {self.value}"

    def as_answer(self) -> dict[str, Any]:
        """The figure as the scoring core reads it from ``government.answers``."""
        figure: dict[str, Any] = {"value": self.value}
        if self.year is not None:
            figure["year"] = self.year
        if self.source:
            figure["source"] = self.source
        return figure
