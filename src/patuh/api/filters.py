"""Query filters of the list endpoints: ``?province=12``, ``?government=12.05``,
``?cycle=2023`` (a year), ``?kind=self``, ``?status=draft``, ``?unit=42``…

Every filter narrows a queryset that is already scoped to the user; none can widen it. A
value of the wrong shape is a 400 naming the filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from patuh.assessments.models import Assessment, AssessmentKind, AssessmentStatus, Cycle
from patuh.orgs.models import (
    UNIT_SECTORS,
    Government,
    GovernmentKind,
    Sector,
    ServiceUnit,
    UnitType,
)
from patuh.results.models import ResultSnapshot
from patuh.surveys.models import Channel, SurveyKind, SurveyResponse

MAX_ID = 2**31 - 1


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """A whole number within the database's integer range (a larger one is a 400, not an
    overflow in the database driver)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class YearFilter(IdFilter):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class CodeFilter(filters.CharFilter):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)


class SearchFilter(filters.CharFilter):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("method", "search")
        kwargs.setdefault("label", _("Cari nama atau kode"))
        super().__init__(*args, **kwargs)


class GovernmentFilter(filters.FilterSet):
    province = CodeFilter(field_name="province__region_code", label=_("Kode provinsi"))
    kind = filters.ChoiceFilter(choices=GovernmentKind.choices, label=_("Jenis pemerintah"))
    q = SearchFilter()

    class Meta:
        model = Government
        fields = ["province", "kind"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(region_code=value))


class UnitFilter(filters.FilterSet):
    government = CodeFilter(field_name="government__region_code", label=_("Kode pemerintah"))
    province = CodeFilter(field_name="government__province__region_code", label=_("Kode provinsi"))
    type = filters.ChoiceFilter(choices=UnitType.choices, label=_("Jenis unit"))
    sector = filters.ChoiceFilter(
        choices=Sector.choices, method="in_sector", label=_("Sektor unit")
    )
    q = SearchFilter()

    class Meta:
        model = ServiceUnit
        fields = ["government", "province", "type", "sector"]

    def in_sector(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(type__in=[t for t, s in UNIT_SECTORS.items() if s == value])

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(code=value))


class CycleFilter(filters.FilterSet):
    year = YearFilter(field_name="year", label=_("Tahun"))
    province = CodeFilter(field_name="province__region_code", label=_("Kode provinsi"))

    class Meta:
        model = Cycle
        fields = ["year", "province"]


class AssessmentFilter(filters.FilterSet):
    cycle = YearFilter(field_name="cycle__year", label=_("Tahun siklus"))
    cycle_id = IdFilter(field_name="cycle_id", label=_("ID siklus"))
    kind = filters.ChoiceFilter(choices=AssessmentKind.choices, label=_("Jenis penilaian"))
    status = filters.ChoiceFilter(choices=AssessmentStatus.choices, label=_("Status"))
    unit = IdFilter(field_name="service_unit_id", label=_("ID unit layanan"))
    government = CodeFilter(
        field_name="service_unit__government__region_code", label=_("Kode pemerintah")
    )
    province = CodeFilter(
        field_name="service_unit__government__province__region_code", label=_("Kode provinsi")
    )

    class Meta:
        model = Assessment
        fields = ["cycle", "cycle_id", "kind", "status", "unit", "government", "province"]


class SurveyResponseFilter(filters.FilterSet):
    cycle = YearFilter(field_name="cycle__year", label=_("Tahun siklus"))
    unit = IdFilter(field_name="unit_id", label=_("ID unit layanan"))
    government = CodeFilter(field_name="unit__government__region_code", label=_("Kode pemerintah"))
    province = CodeFilter(
        field_name="unit__government__province__region_code", label=_("Kode provinsi")
    )
    kind = filters.ChoiceFilter(choices=SurveyKind.choices, label=_("Jenis survei"))
    channel = filters.ChoiceFilter(choices=Channel.choices, label=_("Cara pengisian"))
    voided = filters.BooleanFilter(
        field_name="voided_at", lookup_expr="isnull", exclude=True, label=_("Dibatalkan")
    )
    flagged = filters.BooleanFilter(
        field_name="duplicate_of", lookup_expr="isnull", exclude=True, label=_("Ditandai ganda")
    )

    class Meta:
        model = SurveyResponse
        fields = ["cycle", "unit", "government", "province", "kind", "channel"]


class ResultFilter(filters.FilterSet):
    cycle = YearFilter(field_name="cycle__year", label=_("Tahun siklus"))
    government = CodeFilter(field_name="government__region_code", label=_("Kode pemerintah"))
    province = CodeFilter(field_name="government__province__region_code", label=_("Kode provinsi"))
    kind = filters.ChoiceFilter(
        field_name="government__kind", choices=GovernmentKind.choices, label=_("Jenis pemerintah")
    )
    category = CodeFilter(field_name="category", label=_("Kategori"))
    zone = CodeFilter(field_name="zone", label=_("Zona"))

    class Meta:
        model = ResultSnapshot
        fields = ["cycle", "government", "province", "kind", "category", "zone"]


class Ordering(OrderingFilter):
    """``?ordering=field`` or ``?ordering=-field,other`` on a list endpoint, from the view's
    own ``ordering_fields`` allow-list (``{query name: model path}``); an unknown field is a
    400 naming it. The view's usual order follows as the tie-breaker, so pages stay stable."""

    ordering_description = _(
        "Urutan: nama kolom, '-' di depan untuk menurun, beberapa dipisah koma."
    )

    def get_ordering(self, request: Any, queryset: QuerySet, view: Any) -> list[str] | None:
        text = request.query_params.get(self.ordering_param)
        if not text:
            return None
        allowed: dict[str, str] = getattr(view, "ordering_fields", {})
        ordering = []
        for term in (part.strip() for part in text.split(",")):
            name = term.removeprefix("-")
            if name not in allowed:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            _("Tidak dapat mengurutkan menurut '%(name)s'; pilihan: %(allowed)s.")
                            % {"name": name, "allowed": ", ".join(allowed) or "-"}
                        ]
                    }
                )
            ordering.append(("-" if term.startswith("-") else "") + allowed[name])
        return ordering

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        return queryset.order_by(*ordering, *queryset.query.order_by, "pk")

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        allowed = list(getattr(view, "ordering_fields", {}))
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": f"{self.ordering_description} ({', '.join(allowed)})",
                "schema": {"type": "string"},
            }
        ]
