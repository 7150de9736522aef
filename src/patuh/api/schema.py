"""Shared pieces of the OpenAPI description: the token scheme and the error responses every
endpoint may give."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import OpenApiExample, OpenApiResponse

from patuh.api.serializers import ErrorSerializer


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Documents :class:`patuh.api.authentication.ApiTokenAuthentication` under the name the
    schema has always used (``tokenAuth``)."""

    target_class = "patuh.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        scheme = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.keyword
        )
        scheme["description"] = gettext(
            "Header Authorization: Token <kunci>. Kunci berawalan patuh_, dibuat di "
            "/api/v1/token/ atau dengan patuh api-token, ditampilkan sekali dan berlaku "
            "sampai tanggal kedaluwarsanya (atau sampai dicabut)."
        )
        return scheme


FIELD_ERRORS = {
    "type": "object",
    "description": 'Kesalahan per kolom: {"kolom": ["pesan", …]}; kesalahan umum di '
    'non_field_errors; isi permintaan yang bukan JSON sah: {"detail": "pesan"}.',
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

BAD_REQUEST = OpenApiResponse(
    FIELD_ERRORS,
    description=gettext_lazy("Nilai atau filter tidak sah; pesan per kolom."),
    examples=[
        OpenApiExample(
            "nilai di luar skala",
            value={"value": ["IN-S1: nilai 7 di luar skala 0–3."]},
            status_codes=["400"],
        )
    ],
)
UNAUTHORIZED = OpenApiResponse(
    ErrorSerializer,
    description=gettext_lazy("Belum masuk: kirim header Authorization: Token <kunci>."),
)
FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description=gettext_lazy(
        "Terlihat tetapi tidak boleh diubah sekarang; detail menyebut alasannya "
        "(peran, penugasan, jendela tahap, status)."
    ),
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description=gettext_lazy("Tidak ada, atau di luar cakupan pengguna (sama saja)."),
)
UNSUPPORTED = OpenApiResponse(
    ErrorSerializer, description=gettext_lazy("Jenis isi permintaan tidak diterima (Content-Type).")
)

READ_ERRORS = {401: UNAUTHORIZED, 404: NOT_FOUND}
LIST_ERRORS = {400: BAD_REQUEST, 401: UNAUTHORIZED, 404: NOT_FOUND}
PUBLIC_LIST_ERRORS = {400: BAD_REQUEST, 401: UNAUTHORIZED, 404: NOT_FOUND}
PUBLIC_READ_ERRORS = {401: UNAUTHORIZED, 404: NOT_FOUND}


API_PREFIX = "/api/v1/"


def only_versioned_paths(endpoints: list[tuple], **kwargs: object) -> list[tuple]:
    """The schema describes ``/api/v1/`` only; the unversioned ``/api/`` copies of the same
    endpoints stay for older clients but are not documented twice."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
