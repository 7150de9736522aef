"""The inbox, the preferences page and the unsubscribe landing page.

Every inbox view starts from :func:`_get_notification_for_user`: a user reaches only their
own notifications (anyone else's id is a 404). The unsubscribe page needs no login: its
signed token names the user and the event, and is its only credential."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from patuh.notifications import services
from patuh.notifications.models import EVENT_HELP, Event, Notification

PER_PAGE = 30


def _get_notification_for_user(user, pk: int) -> Notification:
    return get_object_or_404(Notification.objects.for_user(user), pk=pk)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's notifications, unread first, newest first within each."""
    notifications = (
        Notification.objects.for_user(request.user)
        .annotate(unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()))
        .order_by("-unread", "-created_at", "-id")
    )
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    notification = _get_notification_for_user(request.user, pk)
    services.mark_read(request.user, [notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = _get_notification_for_user(request.user, pk)
    services.mark_read(request.user, [notification.pk])
    if request.htmx:
        notification.refresh_from_db()
        return render(
            request,
            "notifications/_marked.html",
            {"notification": notification, "unread": services.unread_count(request.user)},
        )
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_read(request.user)
    messages.success(request, _("%(count)s notifikasi ditandai sudah dibaca.") % {"count": count})
    return redirect("notifications:inbox")


def _channels_from(post) -> dict[str, services.Channels]:
    return {
        event: services.Channels(
            in_app=post.get(f"{event}-in_app") == "on", email=post.get(f"{event}-email") == "on"
        )
        for event in Event.values
    }


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """A table of events × channels (in the app, by e-mail); everything on by default."""
    if request.method == "POST":
        changed = services.set_preferences(
            request.user, _channels_from(request.POST), actor=request.user
        )
        if changed:
            messages.success(request, _("Pengaturan notifikasi disimpan."))
        else:
            messages.info(request, _("Tidak ada yang berubah."))
        return redirect("notifications:preferences")
    current = services.preferences(request.user)
    rows = [
        {
            "event": event,
            "label": event.label,
            "help": EVENT_HELP[event],
            "channels": current[event.value],
        }
        for event in Event
    ]
    return render(
        request,
        "notifications/preferences.html",
        {"rows": rows, "has_email": bool(request.user.email)},
    )


@csrf_exempt  # the signed token is the credential; mail clients POST here (RFC 8058)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: say what the link does, with one button; POST: stop that event's e-mails."""
    parsed = services.read_unsubscribe_token(token)
    user = None
    if parsed is not None:
        user = get_user_model().objects.filter(pk=parsed[0], is_active=True).first()
    if user is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    event = Event(parsed[1])
    done = False
    if request.method == "POST":
        services.unsubscribe(user, event)
        done = True
    elif request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "event": event,
            "done": done,
            "already_off": not done and not services.preferences(user)[event].email,
            "email": user.email,
        },
    )
