"""Who belongs to a group, with their roles: read from the store's relations, the same for both engines."""

from __future__ import annotations

from collections.abc import Callable

from climatekg.graph.model import RelationKind, normalise_name
from climatekg.graph.store import Store


def member_roles(
    kg: Store, group: str, is_actor: Callable[[str], bool], role: str | None = None
) -> dict[str, list[str]]:
    """Actor members of ``group`` and the roles their memberships state (first-seen order).

    With ``role``, only members holding that role (compared with case, accents and spacing folded).
    """
    roles: dict[str, list[str]] = {}
    for r in kg.relations(group):
        if r.kind == RelationKind.MEMBER_OF and r.object == group and is_actor(r.subject):
            held = roles.setdefault(r.subject, [])
            if r.role and r.role not in held:
                held.append(r.role)
    if role:
        wanted = normalise_name(role)
        roles = {m: rs for m, rs in roles.items() if any(normalise_name(x) == wanted for x in rs)}
    return roles
