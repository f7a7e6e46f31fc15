"""Who handles what an organisation is asked or told (meldingen, requests): its editors and admins, and
the portal's sysadmins, who may do everything."""

from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.model as model

STAFF_ROLES = ("editor", "admin")


def is_staff(user_name: str | None, organization_id: str | None) -> bool:
    """True for sysadmins and for editors/admins of the organisation."""
    if not user_name:
        return False
    if authz.is_sysadmin(user_name):
        return True
    if not organization_id:
        return False
    return authz.users_role_for_group_or_org(organization_id, user_name) in STAFF_ROLES


def staff_organization_ids(user_name: str | None) -> list[str]:
    """The organisations whose meldingen this user handles (all of them for a sysadmin)."""
    if not user_name:
        return []
    if authz.is_sysadmin(user_name):
        return [g.id for g in model.Session.query(model.Group).filter_by(is_organization=True, state="active")]
    user = model.User.get(user_name)
    if user is None:
        return []
    rows = (
        model.Session.query(model.Member.group_id)
        .join(model.Group, model.Group.id == model.Member.group_id)
        .filter(
            model.Member.table_name == "user",
            model.Member.table_id == user.id,
            model.Member.state == "active",
            model.Member.capacity.in_(STAFF_ROLES),
            model.Group.is_organization.is_(True),
            model.Group.state == "active",
        )
    )
    return [row[0] for row in rows]


def organization_named(name: Any) -> model.Group | None:
    """The active organisation called ``name`` (name or id), or None."""
    # PostgreSQL refuses a NUL character in a query parameter: such a name is simply unknown
    if not isinstance(name, str) or not name or "\x00" in name:
        return None
    group = model.Group.get(name)
    return group if group is not None and group.is_organization and group.state == "active" else None
