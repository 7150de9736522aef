"""The REST API's viewsets.

Each one reads through ``for_user`` querysets (outside the user's scope: 404), asks
:class:`~patuh.assessments.access.AssessmentAccess` before any change (refused: 403 with the
web page's reason) and changes data only through the audited service functions the web
workspace calls (``save_answer``, ``evidence.add_file``/``add_link``/``remove``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from patuh.api import presenters
from patuh.api import serializers as s
from patuh.api.filters import (
    AssessmentFilter,
    CycleFilter,
    GovernmentFilter,
    Ordering,
    ResultFilter,
    SurveyResponseFilter,
    UnitFilter,
)
from patuh.api.permissions import (
    EditRefused,
    assessment_for,
    require_edit,
    survey_responses_for,
)
from patuh.api.schema import (
    BAD_REQUEST,
    FORBIDDEN,
    LIST_ERRORS,
    NOT_FOUND,
    PUBLIC_LIST_ERRORS,
    PUBLIC_READ_ERRORS,
    READ_ERRORS,
    UNAUTHORIZED,
    UNSUPPORTED,
)
from patuh.api.throttling import AnonymousRate, UserRate
from patuh.assessments import evidence as evidence_verbs
from patuh.assessments.access import AssessmentAccess
from patuh.assessments.evidence_files import ALLOWED_TYPES
from patuh.assessments.models import Answer, Assessment, Cycle, Evidence, EvidenceKind, Program
from patuh.assessments.services import (
    UNSET,
    AnswerChange,
    AnswerConflict,
    prepare_assessments,
    save_answer,
    submit_assessment,
)
from patuh.assessments.workspace import _part_labels, live_result
from patuh.core.files import private_file_response
from patuh.core.uploads import upload_refusal
from patuh.orgs.models import Government, Province, ServiceUnit
from patuh.results.models import ResultSnapshot
from patuh.results.services import ranking
from patuh.results.views import _public_cycles
from patuh.scoring import Indicator, load_instrument

LOCKED_CODES = frozenset({"locked", "not_open"})
"""``ensure_open``'s refusals: the assessment left the editable statuses meanwhile (403)."""


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    page_query_description = gettext_lazy("Nomor halaman (mulai 1).")
    page_size_query_description = gettext_lazy("Baris per halaman: bawaan 50, paling banyak 200.")
    invalid_page_message = gettext_lazy("Halaman ini tidak ada.")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with every 404 saying the same thing: which model or lookup missed
    is nobody's business."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


# Throttling, pagination and authentication shared by every endpoint (no docstring: the
# schema would show it as every operation's description).
class ApiMixin:
    permission_classes = [IsAuthenticated]
    throttle_classes = [AnonymousRate, UserRate]
    pagination_class = Pagination
    parser_classes = [JSONParser]
    filter_backends = [DjangoFilterBackend, Ordering]
    ordering_fields: dict[str, str] = {}
    """``?ordering=`` allow-list of a list endpoint: ``{query name: model path}``."""

    def get_exception_handler(self) -> Any:
        return exception_handler

    @property
    def schema_only(self) -> bool:
        return getattr(self, "swagger_fake_view", False)


def _errors(error: ValidationError, field: str) -> dict[str, list[str]]:
    return {field: list(error.messages)}


# -- organisations and cycles ----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Daftar pemerintah yang terlihat oleh pengguna"),
        responses={200: s.GovernmentSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Satu pemerintah"),
        responses={200: s.GovernmentSerializer, **READ_ERRORS},
    ),
)
class GovernmentViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.GovernmentSerializer
    filterset_class = GovernmentFilter
    ordering_fields = {"region_code": "region_code", "name": "name", "kind": "kind"}
    lookup_field = "region_code"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self) -> QuerySet[Government]:
        if self.schema_only:
            return Government.objects.none()
        return (
            Government.objects.for_user(self.request.user)
            .select_related("province")
            .order_by("region_code")
        )


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Daftar unit layanan yang terlihat"),
        responses={200: s.UnitSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Satu unit layanan"), responses={200: s.UnitSerializer, **READ_ERRORS}
    ),
)
class UnitViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.UnitSerializer
    filterset_class = UnitFilter
    ordering_fields = {
        "government": "government__region_code",
        "code": "code",
        "name": "name",
        "type": "type",
    }

    def get_queryset(self) -> QuerySet[ServiceUnit]:
        if self.schema_only:
            return ServiceUnit.objects.none()
        return (
            ServiceUnit.objects.for_user(self.request.user)
            .select_related("government")
            .prefetch_related("products")
            .order_by("government__region_code", "code")
        )


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Daftar siklus penilaian yang terlihat"),
        responses={200: s.CycleSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Satu siklus dengan tahapnya"),
        responses={200: s.CycleSerializer, **READ_ERRORS},
    ),
)
class CycleViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.CycleSerializer
    filterset_class = CycleFilter
    ordering_fields = {"year": "year", "province": "province__region_code"}

    def get_queryset(self) -> QuerySet[Cycle]:
        if self.schema_only:
            return Cycle.objects.none()
        return (
            Cycle.objects.for_user(self.request.user)
            .select_related("province")
            .prefetch_related("stages")
            .order_by("-year", "province__region_code")
        )


# -- assessments -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Daftar penilaian yang terlihat"),
        responses={200: s.AssessmentSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Satu penilaian dengan ringkasan nilai langsung dan hak pengguna"),
        responses={200: s.AssessmentSerializer, **READ_ERRORS},
    ),
)
class AssessmentViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AssessmentSerializer
    filterset_class = AssessmentFilter
    ordering_fields = {
        "cycle": "cycle__year",
        "government": "service_unit__government__region_code",
        "unit": "service_unit__code",
        "kind": "kind",
        "status": "status",
        "updated_at": "updated_at",
    }

    def get_queryset(self) -> QuerySet[Assessment]:
        if self.schema_only:
            return Assessment.objects.none()
        return (
            Assessment.objects.for_user(self.request.user)
            .select_related("cycle", "cycle__province", "service_unit", "service_unit__government")
            .order_by(
                "-cycle__year",
                "service_unit__government__region_code",
                "service_unit__code",
                "kind",
            )
        )

    def get_object(self) -> Assessment:
        """The assessment through the web workspace's own lookup (404 outside the scope)."""
        return assessment_for(self.request.user, self.kwargs["pk"])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assessment = self.get_object()
        live = live_result(assessment)
        context = {
            **self.get_serializer_context(),
            "access": AssessmentAccess(request.user, assessment),
            "summary": presenters.score_summary(assessment, live),
        }
        return Response(s.AssessmentSerializer(assessment, context=context).data)

    @extend_schema(
        summary=gettext_lazy("Ajukan penilaian (jawaban terkunci)"),
        description=gettext_lazy(
            "Sama dengan tombol Ajukan di ruang kerja: untuk pengisi penilaian selama "
            "jendela tahapnya dibuka; tercatat di riwayat audit."
        ),
        request=s.SubmitSerializer,
        responses={
            200: s.AssessmentSerializer,
            400: BAD_REQUEST,
            401: UNAUTHORIZED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            415: UNSUPPORTED,
        },
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def submit(self, request: Request, pk: Any = None) -> Response:
        assessment = self.get_object()
        access = AssessmentAccess(request.user, assessment)
        if not access.can_submit:
            raise EditRefused(access.edit_refusal)
        body = s.SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            submit_assessment(assessment, actor=request.user, note=body.validated_data["note"])
        except ValidationError as error:
            raise EditRefused(" ".join(error.messages)) from error
        assessment = self.get_object()
        context = {
            **self.get_serializer_context(),
            "access": AssessmentAccess(request.user, assessment),
        }
        return Response(s.AssessmentSerializer(assessment, context=context).data)

    @extend_schema(
        summary=gettext_lazy(
            "Hasil yang dapat ditelusuri: nilai unit, dimensi, indikator dan poinnya"
        ),
        description=gettext_lazy(
            "Dihitung langsung dari jawaban seperti panel hasil di ruang kerja; "
            "`draft` benar selama penilaian belum final."
        ),
        responses={200: s.AssessmentResultSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="result", pagination_class=None)
    def result(self, request: Request, pk: Any = None) -> Response:
        assessment = self.get_object()
        data = presenters.assessment_result(assessment, live_result(assessment))
        return Response(s.AssessmentResultSerializer(data).data)


# -- answers ---------------------------------------------------------------------------------


ASSESSMENT_ID = OpenApiParameter(
    "assessment_pk",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description=gettext_lazy("ID penilaian"),
)
INDICATOR_CODE = OpenApiParameter(
    "indicator_code",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description=gettext_lazy("Kode indikator"),
)
SAVE_RESPONSES = {
    200: s.AnswerSerializer,
    400: BAD_REQUEST,
    401: UNAUTHORIZED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    415: UNSUPPORTED,
    409: OpenApiResponse(
        s.AnswerConflictSerializer,
        description=gettext_lazy(
            "Jawaban sudah diubah orang lain sejak Anda membacanya: tidak ada yang "
            "disimpan; `current` berisi nilai tersimpan, `submitted` nilai Anda."
        ),
    ),
}
SAVE_EXAMPLES = [
    OpenApiExample(
        "satu nilai",
        value={"value": 2, "note": "SK tersedia", "expected_version": 1},
        request_only=True,
    ),
    OpenApiExample(
        "tidak berlaku",
        value={"value": "na", "na_reason": "Unit tidak melayani", "expected_version": 0},
        request_only=True,
    ),
    OpenApiExample(
        "satu responden",
        value={"part": "r12", "value": 3, "expected_version": 2},
        request_only=True,
    ),
]


# Every indicator of an assessment's instrument with its answer; saves go through
# ``save_answer`` (validated, versioned, audited).
@extend_schema(parameters=[ASSESSMENT_ID], tags=["answers"])
class AnswerViewSet(ApiMixin, viewsets.GenericViewSet):
    serializer_class = s.AnswerSerializer
    queryset = Answer.objects.none()  # for the schema only; rows come from the instrument
    lookup_field = "indicator_code"

    def _indicator(self, assessment: Assessment, code: str) -> Indicator:
        indicator = load_instrument(assessment.cycle.instrument_code).indicators.get(code)
        if indicator is None:
            raise exceptions.NotFound(_("Indikator tidak ditemukan."))
        return indicator

    def _labels(self, assessment: Assessment) -> dict[str, dict[str, str]]:
        """The respondents' and sampled products' part keys and labels (created on first
        read, as the web workspace does)."""
        prepare_assessments([assessment])
        return _part_labels(
            assessment,
            list(assessment.respondents.order_by("group", "position")),
            list(
                assessment.product_observations.select_related("product").order_by(
                    "product__name", "pk"
                )
            ),
        )

    def _row(
        self,
        assessment: Assessment,
        access: AssessmentAccess,
        indicator: Indicator,
        answer: Answer | None,
        labels: dict[str, dict[str, str]],
    ) -> dict[str, Any]:
        url = reverse("api:answer-detail", args=[assessment.pk, indicator.code])
        if indicator.answered_per == "respondent":
            parts = labels.get(indicator.respondents or "", {})
        elif indicator.answered_per == "product":
            parts = labels.get("product", {})
        else:
            parts = {}
        return {
            "indicator_code": indicator.code,
            "indicator_name": indicator.name,
            "dimension": indicator.dimension_code,
            "variable": indicator.variable_code,
            "answered_per": indicator.answered_per,
            "scale_minimum": format(indicator.scale.minimum, "f"),
            "scale_maximum": format(indicator.scale.maximum, "f"),
            "applicable": indicator.applies_to_unit_type(assessment.service_unit.type),
            "editable": access.can_edit_indicator(indicator.code),
            "part_keys": [{"key": key, "label": label} for key, label in parts.items()],
            "url": self.request.build_absolute_uri(url),
            **answer_state(answer),
        }

    @extend_schema(
        summary=gettext_lazy("Semua indikator penilaian beserta jawabannya"),
        parameters=[
            OpenApiParameter(
                "dimension", OpenApiTypes.STR, description=gettext_lazy("Kode dimensi, mis. IN")
            ),
            OpenApiParameter(
                "answered",
                OpenApiTypes.BOOL,
                description=gettext_lazy("Hanya yang sudah/belum dijawab"),
            ),
        ],
        responses={200: s.AnswerSerializer(many=True), **LIST_ERRORS},
    )
    def list(self, request: Request, assessment_pk: int) -> Response:
        assessment = assessment_for(request.user, assessment_pk)
        access = AssessmentAccess(request.user, assessment)
        instrument = load_instrument(assessment.cycle.instrument_code)
        answers = {
            answer.indicator_code: answer
            for answer in Answer.objects.filter(assessment=assessment).select_related("updated_by")
        }
        labels = self._labels(assessment)
        dimension = request.query_params.get("dimension")
        answered = request.query_params.get("answered")
        if answered not in (None, "true", "false", "1", "0"):
            raise exceptions.ValidationError(
                {"answered": [_("Isi dengan true atau false.")]}, code="invalid"
            )
        rows = []
        for code, indicator in instrument.indicators.items():
            if dimension and indicator.dimension_code != dimension:
                continue
            answer = answers.get(code)
            if answered is not None:
                has_value = answer is not None and answer.value is not None
                if has_value != (answered in ("true", "1")):
                    continue
            rows.append(self._row(assessment, access, indicator, answer, labels))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.AnswerSerializer(page, many=True).data)

    @extend_schema(
        summary=gettext_lazy("Satu indikator dengan jawabannya"),
        parameters=[INDICATOR_CODE],
        responses={200: s.AnswerSerializer, **READ_ERRORS},
    )
    def retrieve(self, request: Request, assessment_pk: int, indicator_code: str) -> Response:
        assessment = assessment_for(request.user, assessment_pk)
        indicator = self._indicator(assessment, indicator_code)
        answer = (
            Answer.objects.filter(assessment=assessment, indicator_code=indicator.code)
            .select_related("updated_by")
            .first()
        )
        access = AssessmentAccess(request.user, assessment)
        row = self._row(assessment, access, indicator, answer, self._labels(assessment))
        return Response(s.AnswerSerializer(row).data)

    @extend_schema(
        summary=gettext_lazy("Simpan jawaban satu indikator"),
        description=gettext_lazy(
            "Sama dengan tombol simpan di ruang kerja: nilai diperiksa terhadap "
            "instrumen, `expected_version` mencegah menimpa perubahan orang lain (409), dan setiap "
            "perubahan tercatat di riwayat audit. Kolom yang tidak dikirim tetap seperti tersimpan."
        ),
        parameters=[INDICATOR_CODE],
        request=s.AnswerWriteSerializer,
        responses=SAVE_RESPONSES,
        examples=SAVE_EXAMPLES,
    )
    def update(self, request: Request, assessment_pk: int, indicator_code: str) -> Response:
        assessment = assessment_for(request.user, assessment_pk)
        access = AssessmentAccess(request.user, assessment)
        indicator = self._indicator(assessment, indicator_code)
        require_edit(access, indicator.code)
        body = s.AnswerWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        labels = self._labels(assessment)  # respondents and products exist before a part save
        change = AnswerChange(
            value=data.get("value", UNSET),
            part=data.get("part") or None,
            na_reason=data.get("na_reason"),
            note=data.get("note"),
        )
        try:
            answer = save_answer(
                assessment,
                indicator.code,
                change,
                actor=request.user,
                expected_version=data["expected_version"],
                reason=data.get("reason", ""),
            )
        except AnswerConflict as conflict:
            return Response(
                s.AnswerConflictSerializer(
                    {
                        "detail": _(
                            "Indikator ini sudah diubah orang lain; nilai Anda belum disimpan."
                        ),
                        "current": answer_state(conflict.answer),
                        "submitted": {
                            "value": None if change.value is UNSET else change.value,
                            "part": change.part,
                            "na_reason": change.na_reason,
                            "note": change.note,
                            "expected_version": data["expected_version"],
                        },
                    }
                ).data,
                status=status.HTTP_409_CONFLICT,
            )
        except ValidationError as error:
            if error.code in LOCKED_CODES:
                raise EditRefused(" ".join(error.messages)) from error
            field = {
                "unknown_part": "part",
                "parts_mismatch": "part",
                "na_reason_required": "na_reason",
                "not_applicable_to_unit": "non_field_errors",
            }.get(error.code or "", "value")
            raise exceptions.ValidationError(_errors(error, field)) from error
        answer = Answer.objects.select_related("updated_by").get(pk=answer.pk)
        row = self._row(assessment, access, indicator, answer, labels)
        return Response(s.AnswerSerializer(row).data)

    @extend_schema(
        summary=gettext_lazy("Simpan jawaban satu indikator (sama dengan PUT)"),
        parameters=[INDICATOR_CODE],
        request=s.AnswerWriteSerializer,
        responses=SAVE_RESPONSES,
        examples=SAVE_EXAMPLES,
    )
    def partial_update(self, request: Request, assessment_pk: int, indicator_code: str) -> Response:
        return self.update(request, assessment_pk, indicator_code)


def answer_state(answer: Answer | None) -> dict[str, Any]:
    """The stored answer (version 0 and null value when there is none)."""
    if answer is None:
        return {
            "value": None,
            "parts": {},
            "na_reason": "",
            "note": "",
            "version": 0,
            "updated_at": None,
            "updated_by": None,
        }
    return {
        "value": answer.value,
        "parts": answer.parts or {},
        "na_reason": answer.na_reason,
        "note": answer.note,
        "version": answer.version,
        "updated_at": answer.updated_at,
        "updated_by": answer.updated_by.username if answer.updated_by_id else None,
    }


# -- evidence --------------------------------------------------------------------------------


EVIDENCE_ID = OpenApiParameter(
    "evidence_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description=gettext_lazy("ID bukti")
)


# Evidence metadata; files are added and withdrawn through the audited evidence verbs.
@extend_schema(parameters=[ASSESSMENT_ID], tags=["evidence"])
class EvidenceViewSet(ApiMixin, viewsets.GenericViewSet):
    serializer_class = s.EvidenceSerializer
    queryset = Evidence.objects.none()  # for the schema only; see _evidence
    parser_classes = [MultiPartParser, JSONParser]

    def _evidence(self, assessment: Assessment, evidence_pk: int) -> Evidence:
        return get_object_or_404(
            Evidence.objects.select_related("uploaded_by"), pk=evidence_pk, assessment=assessment
        )

    @extend_schema(
        summary=gettext_lazy("Bukti dukung penilaian"),
        parameters=[
            OpenApiParameter(
                "indicator", OpenApiTypes.STR, description=gettext_lazy("Kode indikator")
            ),
            OpenApiParameter(
                "withdrawn",
                OpenApiTypes.BOOL,
                description=gettext_lazy("true: hanya bukti yang ditarik"),
            ),
        ],
        responses={200: s.EvidenceSerializer(many=True), **LIST_ERRORS},
    )
    def list(self, request: Request, assessment_pk: int) -> Response:
        assessment = assessment_for(request.user, assessment_pk)
        withdrawn = request.query_params.get("withdrawn", "false")
        if withdrawn not in ("true", "false", "1", "0"):
            raise exceptions.ValidationError({"withdrawn": [_("Isi dengan true atau false.")]})
        items = Evidence.objects.filter(
            assessment=assessment, removed_at__isnull=withdrawn in ("false", "0")
        ).select_related("uploaded_by")
        indicator = request.query_params.get("indicator")
        if indicator:
            items = items.filter(indicator_code=indicator[:32])
        page = self.paginate_queryset(items.order_by("indicator_code", "uploaded_at", "pk"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary=gettext_lazy("Tambah bukti: berkas (multipart) atau tautan"),
        description=gettext_lazy(
            "Berkas diperiksa dari isinya (PDF, JPEG, PNG, WebP, DOCX, XLSX; HTML, SVG, "
            "skrip dan program ditolak), dibatasi ukurannya, di-hash SHA-256 dan tercatat di "
            "riwayat audit."
        ),
        request={
            "multipart/form-data": s.EvidenceCreateSerializer,
            "application/json": s.EvidenceCreateSerializer,
        },
        responses={
            201: s.EvidenceSerializer,
            400: BAD_REQUEST,
            401: UNAUTHORIZED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            415: UNSUPPORTED,
        },
    )
    def create(self, request: Request, assessment_pk: int) -> Response:
        assessment = assessment_for(request.user, assessment_pk)
        access = AssessmentAccess(request.user, assessment)
        require_edit(access)
        received = request.data  # DRF parses first: a malformed body is a 400, not an error
        too_large = upload_refusal(request._request, settings.PATUH_EVIDENCE_MAX_BYTES)
        if too_large:
            raise exceptions.ValidationError({"file": [too_large]})
        body = s.EvidenceCreateSerializer(data=received)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        code = data["indicator_code"]
        if code not in load_instrument(assessment.cycle.instrument_code).indicators:
            raise exceptions.ValidationError(
                {
                    "indicator_code": [
                        _("Indikator '%(code)s' tidak ada di instrumen siklus ini.")
                        % {"code": code}
                    ]
                }
            )
        require_edit(access, code)
        try:
            if data.get("file") is not None:
                item = evidence_verbs.add_file(
                    assessment, code, data["file"], actor=request.user, title=data["title"]
                )
            else:
                item = evidence_verbs.add_link(
                    assessment, code, data["url"], actor=request.user, title=data["title"]
                )
        except ValidationError as error:
            if error.code in LOCKED_CODES:
                raise EditRefused(" ".join(error.messages)) from error
            field = "file" if data.get("file") is not None else "url"
            raise exceptions.ValidationError(_errors(error, field)) from error
        return Response(
            self.get_serializer(self._evidence(assessment, item.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary=gettext_lazy("Satu bukti"),
        parameters=[EVIDENCE_ID],
        responses={200: s.EvidenceSerializer, **READ_ERRORS},
    )
    def retrieve(self, request: Request, assessment_pk: int, evidence_pk: int) -> Response:
        assessment = assessment_for(request.user, assessment_pk)
        return Response(self.get_serializer(self._evidence(assessment, evidence_pk)).data)

    @extend_schema(
        summary=gettext_lazy("Tarik bukti (dengan alasan)"),
        description=gettext_lazy(
            "Berkas dan catatannya tetap tersimpan untuk riwayat; bukti hilang dari indikator."
        ),
        parameters=[EVIDENCE_ID],
        request=s.EvidenceWithdrawSerializer,
        responses={
            200: s.EvidenceSerializer,
            400: BAD_REQUEST,
            401: UNAUTHORIZED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            415: UNSUPPORTED,
        },
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, assessment_pk: int, evidence_pk: int) -> Response:
        assessment = assessment_for(request.user, assessment_pk)
        access = AssessmentAccess(request.user, assessment)
        item = self._evidence(assessment, evidence_pk)
        require_edit(access, item.indicator_code)
        body = s.EvidenceWithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            evidence_verbs.remove(item, actor=request.user, reason=body.validated_data["reason"])
        except ValidationError as error:
            if error.code in LOCKED_CODES:
                raise EditRefused(" ".join(error.messages)) from error
            raise exceptions.ValidationError(_errors(error, "reason")) from error
        return Response(self.get_serializer(self._evidence(assessment, item.pk)).data)

    @extend_schema(
        summary=gettext_lazy("Unduh berkas bukti"),
        description=gettext_lazy(
            "Lampiran yang tidak akan dijalankan peramban (nosniff, sandbox)."
        ),
        parameters=[EVIDENCE_ID],
        responses={
            **{(200, content_type): OpenApiTypes.BINARY for content_type in ALLOWED_TYPES},
            **READ_ERRORS,
        },
    )
    @action(detail=True, methods=["get"])
    def file(self, request: Request, assessment_pk: int, evidence_pk: int) -> FileResponse:
        assessment = assessment_for(request.user, assessment_pk)
        item = self._evidence(assessment, evidence_pk)
        if item.kind != EvidenceKind.FILE:
            raise exceptions.NotFound(_("Bukti ini tautan, bukan berkas."))
        name = item.original_name or f"bukti-{item.pk}{item.extension}"
        return private_file_response(item.file, item.content_type, name)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # a download is answered with the file's own type whatever the client accepts
        return super().perform_content_negotiation(request, force=force or self.action == "file")


# -- survey responses ------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Jawaban survei warga (SKM, persepsi) unit yang terlihat"),
        responses={200: s.SurveyResponseSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Satu jawaban survei"),
        responses={200: s.SurveyResponseSerializer, **READ_ERRORS},
    ),
)
class SurveyResponseViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.SurveyResponseSerializer
    filterset_class = SurveyResponseFilter
    ordering_fields = {"submitted_at": "submitted_at", "unit": "unit__code", "kind": "kind"}

    def get_queryset(self) -> QuerySet[Any]:
        if self.schema_only:
            return survey_responses_for(None).none()
        return (
            survey_responses_for(self.request.user)
            .select_related("unit", "unit__government", "cycle", "entered_by")
            .order_by("-submitted_at", "-pk")
        )


# -- public: published results and rankings --------------------------------------------------


def published_snapshots() -> QuerySet[ResultSnapshot]:
    """The latest published snapshot of each government and cycle: what the public pages
    show (``results.services.latest_published``); drafts and unpublished finals never."""
    published = ResultSnapshot.objects.filter(published_at__isnull=False)
    later = published.filter(cycle=OuterRef("cycle"), government=OuterRef("government")).filter(
        Q(published_at__gt=OuterRef("published_at"))
        | Q(published_at=OuterRef("published_at"), taken_at__gt=OuterRef("taken_at"))
    )
    return published.exclude(Exists(later))


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Hasil yang dipublikasikan (publik)"),
        auth=[],
        responses={200: s.ResultSerializer(many=True), **PUBLIC_LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Satu hasil yang dipublikasikan, dengan nilai unit (publik)"),
        auth=[],
        responses={200: s.ResultDetailSerializer, **PUBLIC_READ_ERRORS},
    ),
)
class ResultViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    serializer_class = s.ResultSerializer
    filterset_class = ResultFilter
    ordering_fields = {
        "cycle": "cycle__year",
        "government": "government__region_code",
        "score": "score",
        "published_at": "published_at",
    }

    def get_queryset(self) -> QuerySet[ResultSnapshot]:
        return (
            published_snapshots()
            .select_related("cycle", "government", "government__province")
            .order_by("-cycle__year", "government__region_code", "-published_at")
        )

    def get_serializer_class(self) -> type[Any]:
        if self.action == "retrieve":
            return s.ResultDetailSerializer
        return s.ResultSerializer


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Tahun yang punya peringkat dipublikasikan (publik)"),
        auth=[],
        responses={200: s.RankingYearSerializer(many=True), **PUBLIC_READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Peringkat per kelompok sebanding (publik)"),
        description=gettext_lazy(
            "Seperti halaman /publik/<tahun>/: hanya hasil yang dipublikasikan; nilai "
            "sama berbagi peringkat; perubahan peringkat dibanding siklus sebelumnya, dengan "
            "`comparable` salah bila instrumennya berbeda."
        ),
        auth=[],
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.PATH),
            OpenApiParameter(
                "province", OpenApiTypes.STR, description=gettext_lazy("Kode provinsi, mis. 12")
            ),
        ],
        responses={200: s.RankingSerializer, **PUBLIC_READ_ERRORS},
    ),
)
class RankingViewSet(ApiMixin, viewsets.GenericViewSet):
    permission_classes = [AllowAny]
    pagination_class = None
    serializer_class = s.RankingSerializer
    queryset = ResultSnapshot.objects.none()  # for the schema only
    lookup_field = "year"
    lookup_value_regex = r"[0-9]+"

    def list(self, request: Request) -> Response:
        years = sorted(
            set(
                ResultSnapshot.objects.filter(
                    published_at__isnull=False, cycle__program=Program.OMBUDSMAN
                ).values_list("cycle__year", flat=True)
            ),
            reverse=True,
        )
        return Response(
            [
                {
                    "year": year,
                    "url": request.build_absolute_uri(reverse("api:ranking-detail", args=[year])),
                }
                for year in years
            ]
        )

    def retrieve(self, request: Request, year: str) -> Response:
        province = None
        code = request.query_params.get("province")
        if code:
            province = get_object_or_404(Province, region_code=code[:8])
        sections = [
            presenters.ranking(ranking(cycle, published_only=True, province=province), request)
            for cycle in _public_cycles(int(year))
        ]
        return Response(
            {
                "year": int(year),
                "province": province.region_code if province is not None else None,
                "sections": sections,
            }
        )


# -- the root and anything not found ---------------------------------------------------------


ROOT_LINKS = {
    "governments": "api:government-list",
    "units": "api:unit-list",
    "cycles": "api:cycle-list",
    "assessments": "api:assessment-list",
    "survey-responses": "api:surveyresponse-list",
    "results": "api:result-list",
    "rankings": "api:ranking-list",
    "schema": "api:schema",
    "docs": "api:docs",
    "token": "api:token",
}


# GET /api/v1/ (and /api/): where everything is.
@extend_schema(exclude=True)
class ApiRootView(APIView):
    permission_classes = [AllowAny]
    get_exception_handler = ApiMixin.get_exception_handler
    throttle_classes = [AnonymousRate, UserRate]

    def get(self, request: Request) -> Response:
        return Response(
            {
                name: request.build_absolute_uri(reverse(url_name))
                for name, url_name in ROOT_LINKS.items()
            }
        )


# Any other address under /api/v1/ or /api/: a JSON 404 (not the HTML page).
@extend_schema(exclude=True)
class NotFoundView(ApiMixin, viewsets.ViewSet):
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []

    def missing(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.NotFound()


def not_found_view() -> Any:
    methods = ["get", "post", "put", "patch", "delete", "head", "options"]
    return NotFoundView.as_view(dict.fromkeys(methods, "missing"))
