"""What part of the data a user may see: the one place querysets' ``for_user`` ask.

Staff users and the national roles (national admin, verifier) see everything. Everyone else
sees the union of their memberships: a regional office admin its provinces, an assessor the
governments it is assigned to in any cycle (its province membership only makes it eligible
for assignment there) or named in its membership, a government coordinator its government, a
unit operator its unit. A KemenPAN-RB evaluator is scoped as an assessor is: the governments
it is assigned to in a PEKPPP cycle. Anonymous users see nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from patuh.accounts.roles import ASSIGNED_ROLES, NATIONAL_ROLES

_CACHE_ATTRIBUTE = "_patuh_scope"


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    province_ids: frozenset[int] = frozenset()
    government_ids: frozenset[int] = frozenset()
    unit_ids: frozenset[int] = frozenset()

    @property
    def nothing(self) -> bool:
        return not (self.everything or self.province_ids or self.government_ids or self.unit_ids)


NOTHING = Scope()


def scope_for(user: Any) -> Scope:
    """The user's scope, computed once per user object (one query)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    if user.is_staff or user.is_superuser:
        scope = Scope(everything=True)
    else:
        from patuh.assessments.models import AssessorAssignment

        memberships = list(
            user.memberships.values_list("role", "province_id", "government_id", "service_unit_id")
        )
        assigned: set[int] = set()
        if any(role in ASSIGNED_ROLES for role, *_ in memberships):
            assigned = set(
                AssessorAssignment.objects.filter(assessor=user).values_list(
                    "government_id", flat=True
                )
            )
        scope = Scope(
            everything=any(role in NATIONAL_ROLES for role, *_ in memberships),
            province_ids=frozenset(
                p for role, p, _, _ in memberships if p is not None and role not in ASSIGNED_ROLES
            ),
            government_ids=frozenset({g for _, _, g, _ in memberships if g is not None} | assigned),
            unit_ids=frozenset(u for _, _, _, u in memberships if u is not None),
        )
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope, e.g. after changing the user's memberships."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
