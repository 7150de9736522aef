"""The audit trail as a hash chain: each event's SHA-256 covers its content and the previous
event's hash, so an edited, inserted or deleted event shows up in ``patuh audit verify``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection

GENESIS = ""
CHAIN_LOCK = 7_310_421
"""PostgreSQL advisory lock that serialises appends (SQLite serialises writes itself)."""


def _json(value: Any) -> Any:
    """The value as the database will give it back (JSON round trip)."""
    return json.loads(json.dumps(value, default=str)) if value is not None else None


def digest(
    *,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    old: Any,
    new: Any,
    reason: str,
    context_type: str,
    context_id: str,
    created_at: dt.datetime,
    previous_hash: str,
) -> str:
    payload = json.dumps(
        {
            "actor": actor_id,
            "action": action,
            "object": [object_type, object_id],
            "old": _json(old),
            "new": _json(new),
            "reason": reason,
            "context": [context_type, context_id],
            "at": created_at.astimezone(dt.UTC).isoformat(),
            "previous": previous_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def event_digest(event: Any) -> str:
    return digest(
        actor_id=event.actor_id,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        old=event.old,
        new=event.new,
        reason=event.reason,
        context_type=event.context_type,
        context_id=event.context_id,
        created_at=event.created_at,
        previous_hash=event.previous_hash,
    )


def lock_chain() -> None:
    """Hold the chain for this transaction (PostgreSQL); SQLite's IMMEDIATE transactions
    already let one writer in at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


@dataclass(frozen=True)
class Break:
    event_id: int
    reason: str


def verify(events: Iterator[Any]) -> tuple[int, list[Break]]:
    """Walk the events in id order: (how many, where the chain breaks)."""
    previous = GENESIS
    count = 0
    breaks = []
    for event in events:
        count += 1
        if event.previous_hash != previous:
            breaks.append(
                Break(event.id, "rantai terputus: catatan sebelumnya diubah atau dihapus")
            )
        if event_digest(event) != event.hash:
            breaks.append(Break(event.id, "isi catatan tidak cocok dengan hash-nya (diubah)"))
        previous = event.hash
    return count, breaks


def chain_head(events: Any) -> dict[str, Any]:
    """Where the chain ends now: ``{"events": N, "head_id": ID, "head_hash": HASH}`` of an
    ``AuditEvent`` queryset (``head_id`` ``None`` and ``head_hash`` empty when it is empty).

    Every backup's manifest records it: the head's hash covers every event before it, so a
    later ``patuh audit verify --against BACKUP`` proves nothing recorded by then changed."""
    last = events.order_by("-id").only("id", "hash").first()
    return {
        "events": events.count(),
        "head_id": last.id if last is not None else None,
        "head_hash": last.hash if last is not None else GENESIS,
    }


def compare_with_head(recorded: dict[str, Any], events: Any) -> list[str]:
    """How the live chain (an ``AuditEvent`` queryset) differs from a head recorded earlier
    by :func:`chain_head`; empty when it still holds that head unchanged with as many events
    up to it. Breaks inside the chain are :func:`verify`'s business."""
    head_id = recorded.get("head_id")
    if head_id is None:
        return []
    differences = []
    live = events.filter(id=head_id).only("id", "hash").first()
    if live is None:
        differences.append(
            f"catatan #{head_id}, ujung rantai saat pencadangan, tidak ada lagi (dihapus)"
        )
    elif live.hash != recorded.get("head_hash"):
        differences.append(
            f"catatan #{head_id}, ujung rantai saat pencadangan, kini ber-hash {live.hash} "
            f"(cadangan: {recorded.get('head_hash')}): catatan sebelum pencadangan diubah"
        )
    up_to_head = events.filter(id__lte=head_id).count()
    if up_to_head != recorded.get("events"):
        differences.append(
            f"{up_to_head} catatan sampai #{head_id}, cadangan mencatat {recorded.get('events')}"
        )
    return differences
