"""Organisations: provinces, governments (pemda and K/L), their service units and products."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from patuh.accounts.scopes import scope_for


class GovernmentKind(models.TextChoices):
    KEMENTERIAN = "kementerian", _("Kementerian")
    LEMBAGA = "lembaga", _("Lembaga")
    PROVINSI = "provinsi", _("Pemerintah provinsi")
    KABUPATEN = "kabupaten", _("Pemerintah kabupaten")
    KOTA = "kota", _("Pemerintah kota")


class CodeSystem(models.TextChoices):
    KEMENDAGRI = "kemendagri", _("Kode wilayah Kemendagri")
    OTHER = "other", _("Kode lain")


class UnitType(models.TextChoices):
    DINKES = "dinkes", _("Dinas Kesehatan")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    DISDIK = "disdik", _("Dinas Pendidikan")
    DINSOS = "dinsos", _("Dinas Sosial")
    DPMPTSP = "dpmptsp", _("DPMPTSP")
    DISDUKCAPIL = "disdukcapil", _("Disdukcapil")
    RSUD = "rsud", _("RSUD")
    PANTI_SOSIAL = "panti_sosial", _("Panti Sosial")
    SEKOLAH = "sekolah", _("Sekolah")
    IMIGRASI = "imigrasi", _("Kantor Imigrasi")
    LAPAS = "lapas", _("Lembaga Pemasyarakatan (Lapas)")
    BAPAS = "bapas", _("Balai Pemasyarakatan (Bapas)")
    POLRES = "polres", _("Polres")
    KANTAH = "kantah", _("Kantor Pertanahan")
    UNIT_KL = "unit_kl", _("Unit K/L")
    LAINNYA = "lainnya", _("Lainnya")


class Sector(models.TextChoices):
    """The sector a unit's service belongs to, as the Ombudsman groups the sites it chooses
    (OPINI-2025.md §8): health, social, education and the vertical offices."""

    KESEHATAN = "kesehatan", _("Kesehatan")
    SOSIAL = "sosial", _("Sosial")
    PENDIDIKAN = "pendidikan", _("Pendidikan")
    INSTANSI_VERTIKAL = "instansi_vertikal", _("Instansi vertikal")
    LAINNYA = "lainnya", _("Lainnya")


UNIT_SECTORS: dict[str, str] = {
    UnitType.DINKES: Sector.KESEHATAN,
    UnitType.PUSKESMAS: Sector.KESEHATAN,
    UnitType.RSUD: Sector.KESEHATAN,
    UnitType.DINSOS: Sector.SOSIAL,
    UnitType.PANTI_SOSIAL: Sector.SOSIAL,
    UnitType.DISDIK: Sector.PENDIDIKAN,
    UnitType.SEKOLAH: Sector.PENDIDIKAN,
    UnitType.IMIGRASI: Sector.INSTANSI_VERTIKAL,
    UnitType.LAPAS: Sector.INSTANSI_VERTIKAL,
    UnitType.BAPAS: Sector.INSTANSI_VERTIKAL,
    UnitType.POLRES: Sector.INSTANSI_VERTIKAL,
    UnitType.KANTAH: Sector.INSTANSI_VERTIKAL,
    UnitType.DPMPTSP: Sector.LAINNYA,
    UnitType.DISDUKCAPIL: Sector.LAINNYA,
    UnitType.UNIT_KL: Sector.LAINNYA,
    UnitType.LAINNYA: Sector.LAINNYA,
}
"""Unit type → sector; every :class:`UnitType` has one (templates and filters group by it)."""


def sector_of(unit_type: str) -> str:
    """The sector of ``unit_type`` (``lainnya`` for a type without one)."""
    return UNIT_SECTORS.get(unit_type, Sector.LAINNYA)


class ProvinceQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> ProvinceQuerySet:
        scope = scope_for(user)
        if scope.everything:
            return self
        return self.filter(
            Q(pk__in=scope.province_ids)
            | Q(governments__pk__in=scope.government_ids)
            | Q(governments__units__pk__in=scope.unit_ids)
        ).distinct()


class GovernmentQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> GovernmentQuerySet:
        scope = scope_for(user)
        if scope.everything:
            return self
        return self.filter(
            Q(province_id__in=scope.province_ids)
            | Q(pk__in=scope.government_ids)
            | Q(pk__in=ServiceUnit.objects.filter(pk__in=scope.unit_ids).values("government_id"))
        )


class ServiceUnitQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> ServiceUnitQuerySet:
        scope = scope_for(user)
        if scope.everything:
            return self
        return self.filter(
            Q(government__province_id__in=scope.province_ids)
            | Q(government_id__in=scope.government_ids)
            | Q(pk__in=scope.unit_ids)
        )


class ServiceProductQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> ServiceProductQuerySet:
        if scope_for(user).everything:
            return self
        return self.filter(unit__in=ServiceUnit.objects.for_user(user))


class Province(models.Model):
    region_code = models.CharField(_("kode wilayah Kemendagri"), max_length=8, unique=True)
    name = models.CharField(_("nama"), max_length=120)

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")
        ordering = ["region_code"]

    def __str__(self) -> str:
        return self.name


class Government(models.Model):
    """A pemda (provinsi, kabupaten, kota) or a kementerian/lembaga."""

    kind = models.CharField(_("jenis"), max_length=16, choices=GovernmentKind.choices)
    region_code = models.CharField(
        _("kode"),
        max_length=32,
        unique=True,
        help_text=_("Untuk pemda: kode wilayah Kemendagri, mis. 12.05 (bukan kode BPS)."),
    )
    code_system = models.CharField(
        _("sistem kode"), max_length=16, choices=CodeSystem.choices, default=CodeSystem.KEMENDAGRI
    )
    name = models.CharField(_("nama"), max_length=160)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="governments",
        verbose_name=_("provinsi"),
        help_text=_("Kosong untuk kementerian/lembaga."),
    )

    objects = GovernmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("pemerintah")
        verbose_name_plural = _("pemerintah")
        ordering = ["region_code"]
        indexes = [models.Index(fields=["kind", "region_code"])]

    def __str__(self) -> str:
        return self.name


class ServiceUnit(models.Model):
    """A unit layanan (OPD, Puskesmas, RSUD, vertical office) assessed on its own."""

    government = models.ForeignKey(
        Government, on_delete=models.CASCADE, related_name="units", verbose_name=_("pemerintah")
    )
    code = models.SlugField(_("kode unit"), max_length=64)
    name = models.CharField(_("nama"), max_length=160)
    type = models.CharField(_("jenis unit"), max_length=16, choices=UnitType.choices)
    yearly_user_population = models.PositiveIntegerField(
        _("jumlah pengguna layanan per tahun"), null=True, blank=True
    )
    is_synthetic = models.BooleanField(_("data sintetis"), default=False)

    objects = ServiceUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit layanan")
        verbose_name_plural = _("unit layanan")
        ordering = ["government__region_code", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "code"], name="orgs_serviceunit_code_unique_in_government"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.government})"

    @property
    def sector(self) -> str:
        return sector_of(self.type)

    def get_sector_display(self) -> str:
        return str(Sector(self.sector).label)


class ServiceProduct(models.Model):
    """A produk/jenis layanan of a unit, e.g. "Penerbitan KTP-el"."""

    unit = models.ForeignKey(
        ServiceUnit, on_delete=models.CASCADE, related_name="products", verbose_name=_("unit")
    )
    name = models.CharField(_("nama"), max_length=200)

    objects = ServiceProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("produk layanan")
        verbose_name_plural = _("produk layanan")
        ordering = ["unit_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"], name="orgs_serviceproduct_name_unique_in_unit"
            )
        ]

    def __str__(self) -> str:
        return self.name
