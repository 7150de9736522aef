"""The API's two HTML pages: a signed-in user's token, and the reference generated from the
OpenAPI schema (server-rendered: no script, no CDN, the site's strict CSP unchanged)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from patuh.api.tokens import create_token, current_token, revoke_token

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_page(request: HttpRequest) -> HttpResponse:
    """Create (shown once), see and revoke one's own API token."""
    new_key = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            new_key = create_token(request.user, actor=request.user).key
        elif action == "revoke":
            if revoke_token(request.user, actor=request.user):
                messages.success(request, _("Token API dicabut; aplikasi yang memakainya ditolak."))
            return redirect("api:token")
        else:
            return redirect("api:token")
    return render(
        request, "api/token.html", {"token": current_token(request.user), "new_key": new_key}
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
