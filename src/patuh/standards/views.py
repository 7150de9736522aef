"""Service-standard pages: the staff pages per unit and product, and the public pages.

Staff views find the unit through ``ServiceUnit.objects.for_user`` (404 outside the user's
scope) and ask :func:`can_edit_standards` before showing a form or changing anything (403 with
the reason). The public pages need no login and read only published versions' public
components and maklumat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from patuh.orgs.models import ServiceProduct, ServiceUnit
from patuh.standards.access import can_edit_standards, edit_refusal
from patuh.standards.components import SERVICE_PLEDGE_LABEL
from patuh.standards.forms import StandardForm
from patuh.standards.links import public_unit_url
from patuh.standards.models import (
    ServiceStandard,
    StandardStatus,
    current_standard,
    current_standards,
    draft_of,
)
from patuh.standards.services import (
    StandardConflict,
    new_version_from,
    publish,
    save_draft,
)


@dataclass
class ProductRow:
    product: ServiceProduct
    current: ServiceStandard | None
    draft: ServiceStandard | None


def get_unit_for_user(user: Any, unit_id: int) -> ServiceUnit:
    """The unit if the user may see it, or 404 (its existence stays private)."""
    return get_object_or_404(
        ServiceUnit.objects.for_user(user).select_related("government"), pk=unit_id
    )


def _require_edit(user: Any, unit: ServiceUnit) -> None:
    if not can_edit_standards(user, unit):
        raise PermissionDenied(edit_refusal())


def _edit_url(unit: ServiceUnit, product: ServiceProduct) -> str:
    return reverse("standards:edit", args=[unit.pk, product.pk])


# -- staff pages --------------------------------------------------------------------------------


@login_required
@require_GET
def unit_standards(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id)
    products = list(unit.products.all())
    current = current_standards(products)
    drafts = {
        s.product_id: s
        for s in ServiceStandard.objects.filter(product__in=products, status=StandardStatus.DRAFT)
    }
    rows = [ProductRow(p, current.get(p.pk), drafts.get(p.pk)) for p in products]
    context = {
        "unit": unit,
        "rows": rows,
        "can_edit": can_edit_standards(request.user, unit),
        "public_url": public_unit_url(unit),
    }
    return render(request, "standards/unit.html", context)


def _edit_context(
    unit: ServiceUnit, product: ServiceProduct, form: StandardForm | None, **extra: Any
) -> dict[str, Any]:
    draft = draft_of(product)
    return {
        "unit": unit,
        "product": product,
        "form": form,
        "draft": draft,
        "current": current_standard(product),
        "versions": list(product.standards.all()),
        "public_url": public_unit_url(unit),
        "pledge_label": _(SERVICE_PLEDGE_LABEL),
        **extra,
    }


def _form_response(
    request: HttpRequest,
    unit: ServiceUnit,
    product: ServiceProduct,
    form: StandardForm,
    *,
    status: int,
    errors: list[str] | None = None,
    saved: ServiceStandard | None = None,
) -> HttpResponse:
    context = _edit_context(unit, product, form, errors=errors or [], saved=saved)
    template = "standards/form_response.html" if request.htmx else "standards/edit.html"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit_standard(request: HttpRequest, unit_id: int, product_id: int) -> HttpResponse:
    """The product's draft form (or, with only published versions, the button that starts a
    new version). POST saves the draft, and with ``action=publish`` publishes it too."""
    unit = get_unit_for_user(request.user, unit_id)
    product = get_object_or_404(unit.products, pk=product_id)
    _require_edit(request.user, unit)
    if request.method == "GET":
        draft = draft_of(product)
        has_published = product.standards.published().exists()
        form = StandardForm.for_standard(draft) if draft or not has_published else None
        return render(request, "standards/edit.html", _edit_context(unit, product, form))

    publishing = request.POST.get("action") == "publish"
    form = StandardForm(request.POST)
    if not form.is_valid():
        return _form_response(request, unit, product, form, status=422)
    try:
        draft = save_draft(
            product,
            form.components(),
            form.cleaned_data["service_pledge"],
            form.cleaned_data["adopted_on"],
            request.user,
            expected_revision=form.cleaned_data["revision"],
        )
    except StandardConflict as conflict:
        return _form_response(request, unit, product, form, status=409, errors=conflict.messages)
    except ValidationError as error:
        return _form_response(request, unit, product, form, status=422, errors=error.messages)
    if publishing:
        try:
            publish(draft, request.user)
        except ValidationError as error:
            notice = _("Draf versi %(version)s tersimpan, tetapi belum dipublikasikan.") % {
                "version": draft.version
            }
            return _form_response(
                request,
                unit,
                product,
                StandardForm.for_standard(draft),
                status=422,
                errors=[notice, *error.messages],
            )
        messages.success(
            request,
            _("Standar pelayanan versi %(version)s dipublikasikan.") % {"version": draft.version},
        )
        return redirect(_edit_url(unit, product))
    if request.htmx:
        return _form_response(
            request, unit, product, StandardForm.for_standard(draft), status=200, saved=draft
        )
    messages.success(request, _("Draf versi %(version)s tersimpan.") % {"version": draft.version})
    return redirect(_edit_url(unit, product))


@login_required
@require_POST
def start_version(request: HttpRequest, unit_id: int, product_id: int) -> HttpResponse:
    """A new draft copying the current published version."""
    unit = get_unit_for_user(request.user, unit_id)
    product = get_object_or_404(unit.products, pk=product_id)
    _require_edit(request.user, unit)
    current = current_standard(product)
    if current is None:
        raise Http404("Belum ada versi yang dipublikasikan")
    try:
        draft = new_version_from(current, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Draf versi %(version)s dibuat dari versi %(source)s.")
            % {"version": draft.version, "source": current.version},
        )
    return redirect(_edit_url(unit, product))


@login_required
@require_GET
def version_detail(
    request: HttpRequest, unit_id: int, product_id: int, version: int
) -> HttpResponse:
    """One version, every component (internal ones too: the reader can see the unit)."""
    unit = get_unit_for_user(request.user, unit_id)
    product = get_object_or_404(unit.products, pk=product_id)
    standard = get_object_or_404(product.standards, version=version)
    current = current_standard(product)
    context = {
        "unit": unit,
        "product": product,
        "standard": standard,
        "is_current": current is not None and current.pk == standard.pk,
        "current": current,
        "versions": list(product.standards.all()),
        "can_edit": can_edit_standards(request.user, unit),
        "public_url": public_unit_url(unit),
        "pledge_label": _(SERVICE_PLEDGE_LABEL),
    }
    return render(request, "standards/version.html", context)


# -- public pages (no login) --------------------------------------------------------------------


def _public_unit(region_code: str, unit_code: str) -> ServiceUnit:
    return get_object_or_404(
        ServiceUnit.objects.select_related("government"),
        government__region_code=region_code,
        code=unit_code,
    )


@require_GET
def public_unit(request: HttpRequest, region_code: str, unit_code: str) -> HttpResponse:
    unit = _public_unit(region_code, unit_code)
    products = list(unit.products.all())
    current = current_standards(products)
    context = {
        "unit": unit,
        "published": [(p, current[p.pk]) for p in products if p.pk in current],
        "unpublished": [p for p in products if p.pk not in current],
        "pledge_label": _(SERVICE_PLEDGE_LABEL),
    }
    return render(request, "standards/public_unit.html", context)


@require_GET
def public_print(
    request: HttpRequest, region_code: str, unit_code: str, product_id: int
) -> HttpResponse:
    unit = _public_unit(region_code, unit_code)
    product = get_object_or_404(unit.products, pk=product_id)
    standard = current_standard(product)
    if standard is None:
        raise Http404("Standar pelayanan belum dipublikasikan")
    context = {
        "unit": unit,
        "product": product,
        "standard": standard,
        "public_url": request.build_absolute_uri(public_unit_url(unit)),
        "pledge_label": _(SERVICE_PLEDGE_LABEL),
    }
    return render(request, "standards/print.html", context)
