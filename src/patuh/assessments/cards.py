"""The workspace page's indicator cards, each rendered once per state and kept in the cache.

A unit's page shows some 45 cards (levels, parts, evidence, comments, change requests); their
rendering is most of the page's time. Each card is keyed by a digest of everything it shows:
the card template's source, the language and time zone, the assessment, the instrument, and
every field of every row behind the card (answer, evidence, comments, change requests and the
people named on them, the unit's locker documents, the complaint register's figures on a
Pengaduan card) together with the viewing user's rights on it. Any change to any of them
gives a new key, so a stale card cannot be served; an unused key simply expires.

The CSRF field is rendered with a placeholder and filled in with the request's token when
the page is served, so a card rendered for one session is safe to serve to another.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from patuh.assessments.workspace import IndicatorView, Thread

CARD_TEMPLATE = "assessments/workspace/indicator.html"
CSRF_PLACEHOLDER = "patuh-csrf-token-placeholder"
CARD_SECONDS = 24 * 3600

logger = logging.getLogger(__name__)


def _row(obj: Any) -> tuple[Any, ...] | None:
    """Every stored field of a model instance, as it was read."""
    if obj is None:
        return None
    return tuple(sorted((k, v) for k, v in vars(obj).items() if not k.startswith("_")))


def _person(user: Any) -> tuple[Any, ...] | None:
    if user is None:
        return None
    return (user.pk, user.username, user.first_name, user.last_name)


def _thread(thread: Thread) -> tuple[Any, ...]:
    return tuple(
        (_row(comment), _person(comment.author), _person(comment.resolved_by))
        for comment in [thread.root, *thread.replies]
    )


def _card_state(view: IndicatorView) -> tuple[Any, ...]:
    result = view.result
    return (
        view.indicator.code,
        _row(view.answer),
        view.applicable,
        tuple(view.part_labels.items()),
        None
        if result is None
        else (result.status, result.value, result.weight, result.points, result.max_points),
        tuple((_row(item), _person(item.uploaded_by)) for item in view.evidence),
        tuple(_thread(thread) for thread in view.threads),
        view.editable,
        tuple(view.standard_links),
        tuple((_row(request), _person(request.requested_by)) for request in view.change_requests),
        view.can_request_changes,
        view.complaint_evidence,
        tuple((_row(document), document.expired) for document in view.unit_documents),
    )


def _template_source() -> str:
    template = get_template(CARD_TEMPLATE)
    return template.template.source  # type: ignore[attr-defined]


_SOURCE_DIGEST: dict[str, str] = {}


def _source_digest() -> str:
    """The card template's digest (read once per process; a deploy starts new processes)."""
    digest = _SOURCE_DIGEST.get("card")
    if digest is None or settings.DEBUG:
        digest = hashlib.sha256(_template_source().encode()).hexdigest()[:16]
        _SOURCE_DIGEST["card"] = digest
    return digest


def render_cards(request: Any, context: dict[str, Any], views: dict[str, IndicatorView]) -> None:
    """Set ``view.html`` on every view: from the cache when a card in exactly this state was
    rendered before, else rendered now and cached."""
    assessment = context["assessment"]
    access = context["access"]
    instrument = context["instrument"]
    shared = (
        _source_digest(),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        _row(assessment),
        instrument.code,
        instrument.version,
        instrument.source_sha256,
        access.can_comment,
    )
    keys = {
        code: "patuh:card:" + hashlib.sha256(repr((shared, _card_state(view))).encode()).hexdigest()
        for code, view in views.items()
    }
    try:
        found = cache.get_many(list(keys.values()))
    except Exception:  # a cache that does not answer costs the page its speed, not its content
        logger.warning("card cache unavailable; rendering every card", exc_info=True)
        found = {}
    template = None
    rendered: dict[str, str] = {}
    for code, view in views.items():
        html = found.get(keys[code])
        if html is None:
            if template is None:
                template = get_template(CARD_TEMPLATE).template  # type: ignore[attr-defined]
            html = template.render(
                Context(
                    {
                        "view": view,
                        "assessment": assessment,
                        "access": access,
                        "instrument": instrument,
                        "csrf_token": CSRF_PLACEHOLDER,
                    },
                    autoescape=True,
                )
            )
            rendered[keys[code]] = html
        view.html = html
    if rendered:
        try:
            cache.set_many(rendered, CARD_SECONDS)
        except Exception:
            logger.warning("card cache unavailable; cards not kept", exc_info=True)
    token = get_token(request)
    for view in views.values():
        view.html = mark_safe(view.html.replace(CSRF_PLACEHOLDER, token))
