"""The API's two HTML pages: a signed-in user's token, and the reference generated from the
OpenAPI schema (server-rendered: no script, no CDN, the site's strict CSP unchanged)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.validators import MaxValueValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from patuh.api import tokens
from patuh.api.models import ApiToken

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nama"),
        max_length=tokens.NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Beri nama token: untuk apa token ini dipakai.")},
        help_text=gettext_lazy(
            "Untuk apa token ini, mis. «integrasi SIMPEL». Token aktif dengan nama yang sama "
            "diganti (yang lama langsung berhenti berlaku)."
        ),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Berlaku (hari)"),
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = self.fields["days"]
        days.max_value = tokens.max_days()
        days.initial = tokens.default_days()
        days.help_text = _("Paling lama %(max)s hari.") % {"max": tokens.max_days()}
        days.validators.append(MaxValueValidator(tokens.max_days()))
        days.widget.attrs.update({"min": 1, "max": tokens.max_days()})

    def clean_name(self) -> str:
        try:
            return tokens.check_name(self.cleaned_data["name"])
        except tokens.TokenError as error:
            raise forms.ValidationError(str(error)) from error


FORMS_SHOWN = "api_token_forms"
"""Session key: the one-time codes of the creation forms shown lately (see ``_spend``)."""


def _form_code(request: HttpRequest) -> str:
    code = secrets.token_urlsafe(16)
    request.session[FORMS_SHOWN] = [*request.session.get(FORMS_SHOWN, [])[-4:], code]
    return code


def _spend(request: HttpRequest, code: str) -> bool:
    """True once per form shown: reloading the page that shows a new key would otherwise
    send the form again and make another token of the same name, revoking the key just
    copied."""
    shown = request.session.get(FORMS_SHOWN, [])
    if not code or code not in shown:
        return False
    shown.remove(code)
    request.session[FORMS_SHOWN] = shown
    return True


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_page(request: HttpRequest) -> HttpResponse:
    """One's own API tokens: list them, make one (its key shown once, on this response
    only), revoke one."""
    new_key = ""
    form = TokenForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            if not _spend(request, request.POST.get("once", "")):
                messages.warning(
                    request,
                    _(
                        "Formulir ini sudah dikirim; tokennya sudah dibuat dan kuncinya hanya "
                        "ditampilkan sekali. Bila kunci itu belum tersalin, cabut tokennya dan "
                        "buat yang baru."
                    ),
                )
                return redirect("api:token")
            form = TokenForm(request.POST)
            if form.is_valid():
                try:
                    made = tokens.create_token(
                        request.user,
                        actor=request.user,
                        name=form.cleaned_data["name"],
                        days=form.cleaned_data["days"],
                    )
                except tokens.TokenError as error:
                    form.add_error(None, str(error))
                    status = 400
                else:
                    new_key = made.key
                    form = TokenForm()
            else:
                status = 400
        elif action == "revoke":
            token_id = request.POST.get("token", "")
            token = get_object_or_404(
                ApiToken, pk=int(token_id) if token_id.isdigit() else 0, user=request.user
            )
            if tokens.revoke_token(token, actor=request.user):
                messages.success(
                    request,
                    _("Token «%(name)s» (%(prefix)s…) dicabut; aplikasi yang memakainya ditolak.")
                    % {"name": token.name, "prefix": token.prefix},
                )
            return redirect("api:token")
        else:
            return redirect("api:token")
    now = timezone.now()
    rows = [(token, token.status(now)) for token in tokens.tokens_for(request.user)]
    return render(
        request,
        "api/token.html",
        {"rows": rows, "new_key": new_key, "form": form, "once": _form_code(request)},
        status=status,
    )


# -- the reference page ----------------------------------------------------------------------


def _resolve(schema: dict[str, Any], node: Any) -> Any:
    if isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return schema["components"]["schemas"].get(name, {})
    return node


def _type(schema: dict[str, Any], node: Any) -> str:
    node = _resolve(schema, node) or {}
    if "oneOf" in node:
        return " | ".join(_type(schema, option) for option in node["oneOf"])
    if "allOf" in node:
        return " & ".join(_type(schema, option) for option in node["allOf"])
    kind = node.get("type", "object")
    if kind == "array":
        return f"[{_type(schema, node.get('items', {}))}]"
    if "enum" in node:
        return " | ".join(str(value) for value in node["enum"] if value not in ("", None))
    text = kind + (f" ({node['format']})" if node.get("format") else "")
    return text + (" | null" if node.get("nullable") else "")


def _fields(schema: dict[str, Any], node: Any) -> list[dict[str, Any]]:
    node = _resolve(schema, node) or {}
    required = set(node.get("required", []))
    return [
        {
            "name": name,
            "type": _type(schema, prop),
            "required": name in required,
            "read_only": bool(_resolve(schema, prop).get("readOnly")),
            "description": _resolve(schema, prop).get("description", ""),
        }
        for name, prop in node.get("properties", {}).items()
    ]


@lru_cache(maxsize=4)
def reference(language: str) -> dict[str, Any]:
    """The schema, digested for the template (per language: descriptions are translated)."""
    from drf_spectacular.generators import SchemaGenerator

    with translation.override(language):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    sections: dict[str, list[dict[str, Any]]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            bodies = operation.get("requestBody", {}).get("content", {})
            body_type, body = next(iter(bodies.items()), (None, None))
            tag = (operation.get("tags") or ["api"])[0]
            sections.setdefault(tag, []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "public": {} in operation.get("security", [{}]),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "in": parameter["in"],
                            "type": _type(schema, parameter.get("schema", {})),
                            "required": parameter.get("required", False),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "body_type": body_type,
                    "body": _fields(schema, body["schema"]) if body else [],
                    "responses": [
                        {
                            "status": code,
                            "description": response.get("description", ""),
                            "fields": _fields(
                                schema,
                                next(iter(response.get("content", {}).values()), {}).get(
                                    "schema", {}
                                ),
                            )
                            if code.startswith("2")
                            else [],
                        }
                        for code, response in operation.get("responses", {}).items()
                    ],
                }
            )
    return {"info": schema.get("info", {}), "sections": sorted(sections.items())}


def docs_page(request: HttpRequest) -> HttpResponse:
    """The API reference: every endpoint, its parameters, body and responses."""
    return render(
        request,
        "api/docs.html",
        {"reference": reference(translation.get_language() or "id")},
    )
