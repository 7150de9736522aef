"""What the API shows and accepts. Writes are validated here only for their shape; the
service functions (``save_answer``, ``evidence.add_file``…) decide whether a value is valid
for the instrument, exactly as for the web pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from patuh.assessments.models import Assessment, Cycle, CycleStage, Evidence
from patuh.orgs.models import Government, ServiceProduct, ServiceUnit
from patuh.results.models import ResultSnapshot
from patuh.scoring.answers import is_na
from patuh.surveys.models import SurveyResponse

MAX_LIST_ITEMS = 500
MAX_VERSION = 2**31 - 1

NA_OR_NUMBER = {
    "oneOf": [
        {"type": "number"},
        {"type": "string", "enum": ["na"]},
    ]
}
ANSWER_VALUE_SCHEMA = {
    "oneOf": [
        {"type": "number"},
        {"type": "string", "enum": ["na"]},
        {"type": "array", "items": NA_OR_NUMBER, "minItems": 1, "maxItems": MAX_LIST_ITEMS},
    ],
    "description": "Angka pada skala indikator, daftar angka (satu per responden/produk), "
    'atau "na" (tidak berlaku, dengan na_reason).',
}
STORED_VALUE_SCHEMA = {
    "oneOf": [
        {"type": "number"},
        {"type": "string"},
        {"type": "array", "items": {"oneOf": [{"type": "number"}, {"type": "string"}]}},
    ],
    "nullable": True,
    "description": 'Nilai tersimpan: angka, daftar angka, "na", atau null bila belum dijawab.',
}
DECIMAL_TEXT = {"type": "string", "nullable": True, "description": "Desimal sebagai teks."}


def absolute(request: Any, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# -- organisations and cycles ----------------------------------------------------------------


class GovernmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:government-detail", lookup_field="region_code"
    )
    province = serializers.CharField(
        source="province.region_code", read_only=True, allow_null=True, default=None
    )
    province_name = serializers.CharField(
        source="province.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Government
        fields = ["url", "region_code", "name", "kind", "code_system", "province", "province_name"]


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceProduct
        fields = ["id", "name"]


class UnitSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:unit-detail")
    government = serializers.CharField(source="government.region_code", read_only=True)
    government_name = serializers.CharField(source="government.name", read_only=True)
    products = ProductSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceUnit
        fields = [
            "id",
            "url",
            "government",
            "government_name",
            "code",
            "name",
            "type",
            "yearly_user_population",
            "is_synthetic",
            "products",
        ]


class StageSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = CycleStage
        fields = ["stage", "label", "starts_on", "ends_on"]


class CycleSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:cycle-detail")
    province = serializers.CharField(
        source="province.region_code", read_only=True, allow_null=True, default=None
    )
    stages = serializers.SerializerMethodField()

    class Meta:
        model = Cycle
        fields = [
            "id",
            "url",
            "year",
            "name",
            "instrument_code",
            "program",
            "province",
            "is_synthetic",
            "stages",
        ]

    @extend_schema_field(StageSerializer(many=True))
    def get_stages(self, cycle: Cycle) -> list[dict[str, Any]]:
        return StageSerializer(cycle.stages_in_order(), many=True).data


# -- assessments -----------------------------------------------------------------------------


class ScoreSummarySerializer(serializers.Serializer):
    draft = serializers.BooleanField(help_text=_("Belum final: nilai dihitung langsung (draf)."))
    unit_score = serializers.CharField(allow_null=True)
    unit_category = serializers.CharField(allow_null=True)
    unit_opinion = serializers.CharField(allow_null=True)
    unit_zone = serializers.CharField(allow_null=True)
    government_score = serializers.CharField(allow_null=True)
    government_category = serializers.CharField(allow_null=True)
    government_opinion = serializers.CharField(allow_null=True)
    government_zone = serializers.CharField(allow_null=True)
    unit_quality_label = serializers.CharField(allow_null=True)
    government_quality_label = serializers.CharField(allow_null=True)


class PermissionSummarySerializer(serializers.Serializer):
    can_edit = serializers.BooleanField()
    edit_refusal = serializers.CharField(
        allow_blank=True, help_text=_("Alasan bila pengguna tidak dapat mengubah jawaban.")
    )
    can_submit = serializers.BooleanField()
    can_comment = serializers.BooleanField()


class AssessmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:assessment-detail")
    year = serializers.IntegerField(source="cycle.year", read_only=True)
    unit = serializers.IntegerField(source="service_unit_id", read_only=True)
    unit_code = serializers.CharField(source="service_unit.code", read_only=True)
    unit_name = serializers.CharField(source="service_unit.name", read_only=True)
    government = serializers.CharField(source="service_unit.government.region_code", read_only=True)
    government_name = serializers.CharField(source="service_unit.government.name", read_only=True)
    answers_url = serializers.SerializerMethodField()
    evidence_url = serializers.SerializerMethodField()
    result_url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField(
        help_text=_("Ringkasan nilai langsung; hanya pada detail (null di daftar).")
    )
    permissions = serializers.SerializerMethodField(
        help_text=_("Apa yang boleh dilakukan pengguna sekarang; hanya pada detail.")
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "url",
            "cycle",
            "year",
            "kind",
            "status",
            "unit",
            "unit_code",
            "unit_name",
            "government",
            "government_name",
            "submitted_at",
            "updated_at",
            "is_synthetic",
            "answers_url",
            "evidence_url",
            "result_url",
            "web_url",
            "status_note",
            "summary",
            "permissions",
        ]

    def _url(self, name: str, assessment: Assessment) -> str:
        return absolute(self.context.get("request"), reverse(name, args=[assessment.pk]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_answers_url(self, assessment: Assessment) -> str:
        return self._url("api:answer-list", assessment)

    @extend_schema_field(OpenApiTypes.URI)
    def get_evidence_url(self, assessment: Assessment) -> str:
        return self._url("api:evidence-list", assessment)

    @extend_schema_field(OpenApiTypes.URI)
    def get_result_url(self, assessment: Assessment) -> str:
        return self._url("api:assessment-result", assessment)

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, assessment: Assessment) -> str:
        return self._url("assessments:assessment", assessment)

    @extend_schema_field(ScoreSummarySerializer(allow_null=True))
    def get_summary(self, assessment: Assessment) -> dict[str, Any] | None:
        return self.context.get("summary")

    @extend_schema_field(PermissionSummarySerializer(allow_null=True))
    def get_permissions(self, assessment: Assessment) -> dict[str, Any] | None:
        access = self.context.get("access")
        if access is None:
            return None
        return {
            "can_edit": access.can_edit,
            "edit_refusal": access.edit_refusal,
            "can_submit": access.can_submit,
            "can_comment": access.can_comment,
        }


class SubmitSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default="", help_text=_("Catatan")
    )


# -- the explainable result of one assessment ------------------------------------------------


class ProvisionalNoteSerializer(serializers.Serializer):
    path = serializers.CharField()
    note = serializers.CharField()


class DimensionResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.CharField(allow_null=True, help_text=_("Bobot nominal (persen)."))
    effective_weight = serializers.CharField(
        allow_null=True, help_text=_("Porsi nilai unit setelah normalisasi N/A (0–1).")
    )
    score = serializers.CharField(allow_null=True, help_text=_("null bila semua N/A."))


class IndicatorResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    dimension = serializers.CharField()
    variable = serializers.CharField()
    status = serializers.CharField(help_text="answered | missing | not_applicable")
    value = serializers.CharField(allow_null=True)
    weight = serializers.CharField(allow_null=True)
    points = serializers.CharField(allow_null=True)
    max_points = serializers.CharField(allow_null=True)
    points_lost = serializers.CharField(allow_null=True)
    rubric_text = serializers.CharField(allow_null=True)


class WhatIfStepSerializer(serializers.Serializer):
    unit = serializers.CharField()
    indicator = serializers.CharField()
    name = serializers.CharField()
    from_value = serializers.CharField(allow_null=True)
    to_value = serializers.CharField(allow_null=True)
    gain = serializers.CharField(allow_null=True)


class WhatIfSerializer(serializers.Serializer):
    current_category = serializers.CharField()
    target_category = serializers.CharField(allow_null=True)
    target_minimum = serializers.CharField(allow_null=True)
    reachable = serializers.BooleanField()
    projected_score = serializers.CharField(allow_null=True)
    steps = WhatIfStepSerializer(many=True)


class GovernmentFigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField(help_text=_("answered, atau missing (dihitung nilai terendah)."))
    value = serializers.CharField(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    source = serializers.CharField(allow_null=True)
    points_lost = serializers.CharField(allow_null=True)
    provisional = serializers.BooleanField()


class GovernmentElementSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text=_("survey atau secondary_data."))
    weight = serializers.CharField(allow_null=True)
    score = serializers.CharField(allow_null=True)
    points = serializers.CharField(allow_null=True)
    provisional = serializers.BooleanField()
    indicators = GovernmentFigureSerializer(many=True)


class ComplianceSerializer(serializers.Serializer):
    level = serializers.CharField(allow_null=True)
    label = serializers.CharField(allow_null=True)
    suffix = serializers.BooleanField(allow_null=True)
    provisional = serializers.BooleanField()


class AwardSerializer(serializers.Serializer):
    name = serializers.CharField()
    awarded = serializers.BooleanField()
    categories = serializers.ListField(child=serializers.CharField())
    provisional = serializers.BooleanField()


class LayersSerializer(serializers.Serializer):
    """The result layers of the 2025+ method; ``None`` and empty before 2025."""

    quality_label = serializers.CharField(allow_null=True)
    award = AwardSerializer(allow_null=True)
    units_score = serializers.CharField(allow_null=True)
    elements = GovernmentElementSerializer(many=True)
    compliance = ComplianceSerializer(allow_null=True)


class PekpppProvisionalSerializer(serializers.Serializer):
    """Which PEKPPP figures rest on a provisional part of the instrument."""

    ipp = serializers.BooleanField()
    category = serializers.BooleanField()
    f03 = serializers.BooleanField()
    composite = serializers.BooleanField()
    composite_category = serializers.BooleanField()


class PekpppFiguresSerializer(serializers.Serializer):
    """KemenPAN-RB's PEKPPP figures of a unit or a government (a PEKPPP cycle only)."""

    ipp = serializers.CharField(
        help_text=_("Indeks Pelayanan Publik F-02 (0–5); pemerintah: rata-rata unit.")
    )
    ipp_category = serializers.CharField(help_text=_("Kategori IPP (A sampai F)."))
    ipp_label = serializers.CharField(allow_null=True)
    f03 = serializers.CharField(
        allow_null=True,
        help_text=_("Indeks F-03 (0–5); null tanpa responden (pemerintah: bila satu unit tanpa)."),
    )
    f03_respondents = serializers.IntegerField()
    composite = serializers.CharField(
        allow_null=True, help_text=_("IPP gabungan F-02 dan F-03; tidak mengubah IPP.")
    )
    composite_category = serializers.CharField(allow_null=True)
    provisional = PekpppProvisionalSerializer()


PEKPPP_HELP = _("Angka PEKPPP (IPP, F-03, gabungan) untuk siklus PEKPPP; null untuk Ombudsman.")


class UnitResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    type = serializers.CharField()
    score = serializers.CharField(allow_null=True)
    category = serializers.CharField()
    zone = serializers.CharField(allow_null=True)
    opinion = serializers.CharField()
    quality_label = serializers.CharField(allow_null=True)
    dimensions = DimensionResultSerializer(many=True)
    indicators = IndicatorResultSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField())
    not_applicable = serializers.ListField(child=serializers.CharField())
    what_if = WhatIfSerializer()
    pekppp = PekpppFiguresSerializer(allow_null=True, help_text=PEKPPP_HELP)


class GovernmentSummarySerializer(LayersSerializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    score = serializers.CharField(allow_null=True)
    category = serializers.CharField()
    zone = serializers.CharField(allow_null=True)
    opinion = serializers.CharField()
    pekppp = PekpppFiguresSerializer(allow_null=True, help_text=PEKPPP_HELP)


class AssessmentResultSerializer(serializers.Serializer):
    assessment = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    draft = serializers.BooleanField()
    instrument = serializers.CharField()
    instrument_version = serializers.CharField(allow_null=True)
    provisional = serializers.BooleanField()
    provisional_notes = ProvisionalNoteSerializer(many=True)
    synthetic = serializers.BooleanField()
    unit = UnitResultSerializer(allow_null=True)
    government = GovernmentSummarySerializer(allow_null=True)


# -- answers ---------------------------------------------------------------------------------


@extend_schema_field(STORED_VALUE_SCHEMA)
class StoredValueField(serializers.JSONField):
    pass


@extend_schema_field(ANSWER_VALUE_SCHEMA)
class AnswerValueField(serializers.JSONField):
    """A number, a non-empty list of numbers (or ``"na"`` items), or ``"na"``."""

    def to_internal_value(self, data: Any) -> Any:
        data = super().to_internal_value(data)
        if _is_number(data) or is_na(data):
            return data
        if (
            isinstance(data, list)
            and 0 < len(data) <= MAX_LIST_ITEMS
            and all(_is_number(item) or is_na(item) for item in data)
        ):
            return data
        raise serializers.ValidationError(
            _('Nilai harus angka, daftar angka, atau "na" (tidak berlaku).'), code="invalid_value"
        )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class PartKeySerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Kirim sebagai part untuk menyimpan satu bagian."))
    label = serializers.CharField()


class AnswerSerializer(serializers.Serializer):
    """One indicator of the assessment's instrument with its stored answer (version 0 and
    value null when not answered yet)."""

    indicator_code = serializers.CharField()
    indicator_name = serializers.CharField()
    dimension = serializers.CharField()
    variable = serializers.CharField()
    answered_per = serializers.CharField()
    scale_minimum = serializers.CharField()
    scale_maximum = serializers.CharField()
    applicable = serializers.BooleanField(
        help_text=_("Apakah indikator berlaku untuk jenis unit ini.")
    )
    value = StoredValueField()
    parts = serializers.DictField(
        child=serializers.JSONField(),
        help_text=_("Nilai per responden/produk (kunci r<id> atau p<id>)."),
    )
    na_reason = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(
        help_text=_("Kirim sebagai expected_version saat menyimpan; 0 bila belum dijawab.")
    )
    updated_at = serializers.DateTimeField(allow_null=True)
    updated_by = serializers.CharField(allow_null=True)
    editable = serializers.BooleanField(
        help_text=_("Apakah pengguna ini dapat mengubah jawaban sekarang.")
    )
    part_keys = PartKeySerializer(
        many=True, help_text=_("Responden/produk untuk indikator yang dijawab per bagian.")
    )
    url = serializers.URLField()


class AnswerWriteSerializer(serializers.Serializer):
    """A save of one indicator: the fields left out keep what is stored."""

    value = AnswerValueField(required=False)
    part = serializers.CharField(
        required=False,
        allow_null=True,
        max_length=32,
        help_text=_("Kunci responden/produk (r<id>/p<id>) bila menyimpan satu bagian saja."),
    )
    na_reason = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=2000
    )
    note = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=5000)
    expected_version = serializers.IntegerField(
        min_value=0,
        max_value=MAX_VERSION,
        help_text=_("Versi yang Anda baca (0 bila belum dijawab); lain dari yang tersimpan: 409."),
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AnswerStateSerializer(serializers.Serializer):
    value = StoredValueField()
    parts = serializers.DictField(child=serializers.JSONField())
    na_reason = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField(allow_null=True)
    updated_by = serializers.CharField(allow_null=True)


class SubmittedAnswerSerializer(serializers.Serializer):
    value = StoredValueField(required=False)
    part = serializers.CharField(allow_null=True)
    na_reason = serializers.CharField(allow_null=True)
    note = serializers.CharField(allow_null=True)
    expected_version = serializers.IntegerField()


class AnswerConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = AnswerStateSerializer()
    submitted = SubmittedAnswerSerializer()


# -- evidence --------------------------------------------------------------------------------


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(
        source="uploaded_by.username", read_only=True, allow_null=True, default=None
    )
    needs_confirmation = serializers.BooleanField(read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text=_("Unduhan di situs web (sesi login); null untuk tautan.")
    )
    file_url = serializers.SerializerMethodField(
        help_text=_("Unduhan lewat API (token); null untuk tautan.")
    )
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "assessment",
            "indicator_code",
            "kind",
            "title",
            "url",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "carried_from",
            "needs_confirmation",
            "confirmed_at",
            "removed_at",
            "download_url",
            "file_url",
            "thumbnail_url",
        ]

    def _absolute(self, path: str) -> str:
        return absolute(self.context.get("request"), path)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_download_url(self, evidence: Evidence) -> str | None:
        if evidence.kind != "file":
            return None
        return self._absolute(reverse("assessments:evidence_file", args=[evidence.pk]))

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_file_url(self, evidence: Evidence) -> str | None:
        if evidence.kind != "file":
            return None
        return self._absolute(
            reverse("api:evidence-file", args=[evidence.assessment_id, evidence.pk])
        )

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_thumbnail_url(self, evidence: Evidence) -> str | None:
        if evidence.kind != "file" or not evidence.thumbnail:
            return None
        return self._absolute(reverse("assessments:evidence_thumbnail", args=[evidence.pk]))


class EvidenceCreateSerializer(serializers.Serializer):
    """A file (multipart) or a link for one indicator."""

    indicator_code = serializers.CharField(max_length=32)
    file = serializers.FileField(
        required=False,
        allow_empty_file=True,
        help_text=_("PDF, JPEG, PNG, WebP, DOCX atau XLSX; diperiksa dari isinya."),
    )
    url = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, help_text=_("Atau tautan http(s).")
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        has_file = attrs.get("file") is not None
        has_url = bool((attrs.get("url") or "").strip())
        if has_file == has_url:
            raise serializers.ValidationError(
                _("Kirim satu berkas (file) atau satu tautan (url)."), code="file_or_url"
            )
        return attrs


class EvidenceWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Alasan penarikan (wajib)."))


# -- survey responses ------------------------------------------------------------------------


class SurveyResponseSerializer(serializers.ModelSerializer):
    """A citizen's response, without the device and address fingerprints."""

    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    government = serializers.CharField(source="unit.government.region_code", read_only=True)
    year = serializers.IntegerField(source="cycle.year", read_only=True)
    answers = serializers.DictField(child=serializers.JSONField(), read_only=True)
    profile = serializers.DictField(child=serializers.CharField(), read_only=True)
    entered_by = serializers.CharField(
        source="entered_by.username", read_only=True, allow_null=True, default=None
    )
    flagged = serializers.BooleanField(read_only=True)
    voided = serializers.SerializerMethodField()

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "unit",
            "unit_code",
            "unit_name",
            "government",
            "cycle",
            "year",
            "kind",
            "respondent_id",
            "answers",
            "profile",
            "channel",
            "entered_by",
            "submitted_at",
            "flagged",
            "duplicate_of",
            "voided",
            "voided_at",
            "void_reason",
        ]

    def get_voided(self, response: SurveyResponse) -> bool:
        return response.voided_at is not None


# -- published results and rankings ----------------------------------------------------------


class ResultSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:result-detail")
    year = serializers.IntegerField(source="cycle.year", read_only=True)
    cycle_name = serializers.CharField(source="cycle.name", read_only=True)
    government = serializers.CharField(source="government.region_code", read_only=True)
    government_name = serializers.CharField(source="government.name", read_only=True)
    government_kind = serializers.CharField(source="government.kind", read_only=True)
    province = serializers.CharField(
        source="government.province.region_code", read_only=True, allow_null=True, default=None
    )
    public_url = serializers.SerializerMethodField()
    quality_label = serializers.SerializerMethodField()
    award = serializers.SerializerMethodField()

    class Meta:
        model = ResultSnapshot
        fields = [
            "id",
            "url",
            "year",
            "cycle",
            "cycle_name",
            "government",
            "government_name",
            "government_kind",
            "province",
            "instrument_code",
            "instrument_version",
            "instrument_sha256",
            "score",
            "category",
            "opinion",
            "zone",
            "checksum",
            "taken_at",
            "published_at",
            "public_url",
            "quality_label",
            "award",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_quality_label(self, snapshot: ResultSnapshot) -> str | None:
        from patuh.results.layers import quality_label_of

        return quality_label_of(snapshot.instrument_code, snapshot.category)

    @extend_schema_field(AwardSerializer(allow_null=True))
    def get_award(self, snapshot: ResultSnapshot) -> dict[str, Any] | None:
        from patuh.results.layers import award_of

        return award_of(snapshot.instrument_code, snapshot.category)

    @extend_schema_field(OpenApiTypes.URI)
    def get_public_url(self, snapshot: ResultSnapshot) -> str:
        return absolute(
            self.context.get("request"),
            reverse("results:result", args=[snapshot.cycle.year, snapshot.government.region_code]),
        )


class PublishedGovernmentSerializer(LayersSerializer):
    code = serializers.CharField(allow_null=True)
    name = serializers.CharField(allow_null=True)
    kind = serializers.CharField(allow_null=True)
    score = serializers.CharField(allow_null=True)
    category = serializers.CharField(allow_null=True)
    opinion = serializers.CharField(allow_null=True)
    zone = serializers.CharField(allow_null=True)
    pekppp = PekpppFiguresSerializer(allow_null=True, help_text=PEKPPP_HELP)


class PublishedUnitSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True)
    name = serializers.CharField(allow_null=True)
    type = serializers.CharField(allow_null=True)
    score = serializers.CharField(allow_null=True)
    category = serializers.CharField(allow_null=True)
    opinion = serializers.CharField(allow_null=True)
    zone = serializers.CharField(allow_null=True)
    quality_label = serializers.CharField(allow_null=True)
    dimensions = serializers.DictField(child=serializers.CharField(allow_null=True))
    pekppp = PekpppFiguresSerializer(allow_null=True, help_text=PEKPPP_HELP)


class ResultDetailSerializer(ResultSerializer):
    provisional = serializers.SerializerMethodField()
    provisional_notes = serializers.SerializerMethodField()
    synthetic = serializers.SerializerMethodField()
    government_result = serializers.SerializerMethodField()
    units = serializers.SerializerMethodField()

    class Meta(ResultSerializer.Meta):
        fields = [
            *ResultSerializer.Meta.fields,
            "provisional",
            "provisional_notes",
            "synthetic",
            "government_result",
            "units",
        ]

    def _published(self, snapshot: ResultSnapshot) -> dict[str, Any]:
        from patuh.api.presenters import published_result

        cache = self.context.setdefault("_published", {})
        if snapshot.pk not in cache:
            cache[snapshot.pk] = published_result(snapshot)
        return cache[snapshot.pk]

    def get_provisional(self, snapshot: ResultSnapshot) -> bool:
        return self._published(snapshot)["provisional"]

    @extend_schema_field(ProvisionalNoteSerializer(many=True))
    def get_provisional_notes(self, snapshot: ResultSnapshot) -> list[dict[str, Any]]:
        return self._published(snapshot)["provisional_notes"]

    def get_synthetic(self, snapshot: ResultSnapshot) -> bool:
        return self._published(snapshot)["synthetic"]

    @extend_schema_field(PublishedGovernmentSerializer)
    def get_government_result(self, snapshot: ResultSnapshot) -> dict[str, Any]:
        return self._published(snapshot)["government_result"]

    @extend_schema_field(PublishedUnitSerializer(many=True))
    def get_units(self, snapshot: ResultSnapshot) -> list[dict[str, Any]]:
        return self._published(snapshot)["units"]


class RankingYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    url = serializers.URLField()


class RankedEntrySerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text=_("Nilai sama berbagi peringkat (1, 2, 2, 4)."))
    previous_rank = serializers.IntegerField(allow_null=True)
    change = serializers.IntegerField(
        allow_null=True, help_text=_("Naik (positif) atau turun (negatif) sejak siklus lalu.")
    )
    government = serializers.CharField()
    name = serializers.CharField()
    score = serializers.CharField()
    category = serializers.CharField(allow_blank=True)
    zone = serializers.CharField(allow_null=True)
    quality_label = serializers.CharField(allow_null=True)
    opinion = serializers.CharField(allow_null=True)
    award = AwardSerializer(allow_null=True)
    public_url = serializers.URLField()


class RankingGroupSerializer(serializers.Serializer):
    group = serializers.CharField(help_text=_("Kelompok sebanding: jenis pemerintah."))
    entries = RankedEntrySerializer(many=True)


class RankingCycleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    name = serializers.CharField()
    instrument_code = serializers.CharField()
    province = serializers.CharField(allow_null=True)


class PreviousCycleSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    instrument_code = serializers.CharField()


class RankingSectionSerializer(serializers.Serializer):
    cycle = RankingCycleSerializer()
    previous_cycle = PreviousCycleSerializer(allow_null=True)
    comparable = serializers.BooleanField(
        help_text=_("Siklus lalu memakai instrumen yang sama (nilai dapat dibandingkan).")
    )
    count = serializers.IntegerField()
    zones = serializers.DictField(child=serializers.IntegerField())
    categories = serializers.DictField(child=serializers.IntegerField())
    groups = RankingGroupSerializer(many=True)


class RankingSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    province = serializers.CharField(allow_null=True)
    sections = RankingSectionSerializer(many=True)


# -- errors (for the schema) -----------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
