"""Citizens' survey responses: the SKM (U1–U9), the maladministration perception survey
(OU-1…OU-5) and the PEKPPP users' questionnaire (F-03), per service unit and cycle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyKind(models.TextChoices):
    SKM = "skm", _("Survei Kepuasan Masyarakat (SKM)")
    PERCEPTION = "perception", _("Survei persepsi maladministrasi")
    F03 = "f03", _("Kuesioner F-03 PEKPPP (penilaian masyarakat)")


class Channel(models.TextChoices):
    WEB = "web", _("Diisi sendiri (tautan/QR)")
    ENUMERATOR = "enumerator", _("Dicatat petugas (telepon/tatap muka)")
    IMPORT = "import", _("Impor berkas")


class ResponseQuerySet(models.QuerySet):
    def valid(self) -> ResponseQuerySet:
        """Responses that count: not voided (flagged duplicates count until reviewed)."""
        return self.filter(voided_at__isnull=True)


class SurveyResponse(models.Model):
    unit = models.ForeignKey(
        "orgs.ServiceUnit",
        on_delete=models.CASCADE,
        related_name="survey_responses",
        verbose_name=_("unit layanan"),
    )
    cycle = models.ForeignKey(
        "assessments.Cycle",
        on_delete=models.CASCADE,
        related_name="survey_responses",
        verbose_name=_("siklus"),
    )
    kind = models.CharField(_("jenis survei"), max_length=16, choices=SurveyKind.choices)
    respondent_id = models.CharField(
        _("ID responden"),
        max_length=64,
        help_text=_("Tetap untuk satu responden: impor ulang berkas yang sama tidak menggandakan."),
    )
    answers = models.JSONField(_("jawaban"))
    profile = models.JSONField(_("profil responden"), default=dict, blank=True)
    channel = models.CharField(_("cara pengisian"), max_length=16, choices=Channel.choices)
    device_hash = models.CharField(_("sidik perangkat"), max_length=64, blank=True, db_index=True)
    address_hash = models.CharField(_("sidik alamat"), max_length=64, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    submitted_at = models.DateTimeField(_("dikirim"), auto_now_add=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kemungkinan ganda dari"),
    )
    voided_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibatalkan oleh"),
    )
    void_reason = models.TextField(_("alasan pembatalan"), blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")
        ordering = ["unit", "cycle", "kind", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "cycle", "kind", "respondent_id"],
                name="surveys_response_unique_respondent",
            )
        ]
        indexes = [models.Index(fields=["unit", "cycle", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit} #{self.respondent_id[:8]}"

    @property
    def flagged(self) -> bool:
        return self.duplicate_of_id is not None
