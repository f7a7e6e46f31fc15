"""Template helpers of the meldingen pages (map settings, labels, choices)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from babel.numbers import format_decimal
from markupsafe import Markup

from ckanext.openoverheid.meldingen import categories, settings
from ckanext.openoverheid.meldingen.public import lang as _lang


def meldingen_map_config(lat: float | None = None, lon: float | None = None, zoom: int | None = None) -> Markup:
    """The map settings as JSON for a ``data-`` attribute (tile URL, attribution, start view)."""
    if lat is None or lon is None:
        lat, lon = settings.map_center()
    return Markup.escape(json.dumps({
        "tileUrl": settings.tile_url(),
        "attribution": settings.attribution(),
        "center": [lat, lon],
        "zoom": zoom or 14,
    }, ensure_ascii=False))


def meldingen_categories() -> list[dict[str, Any]]:
    return tk.get_action("melding_category_list")({}, {})


def meldingen_category_groups() -> list[tuple[str, list[dict[str, Any]]]]:
    """Categories grouped for an <optgroup> list, in file order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for category in meldingen_categories():
        groups.setdefault(category["group"] or "", []).append(category)
    return list(groups.items())


def meldingen_statuses() -> list[dict[str, Any]]:
    lang = _lang()
    return [
        {"code": s.code, "name": categories.label(s.name, lang), "open311": s.open311, "to": list(s.to)}
        for s in categories.workflow().statuses
    ]


def meldingen_status_name(code: str) -> str:
    status = categories.workflow().get(code)
    return categories.label(status.name, _lang()) if status else code


def meldingen_next_statuses(code: str) -> list[dict[str, Any]]:
    status = categories.workflow().get(code)
    lang = _lang()
    result = []
    for target in status.to if status else ():
        found = categories.workflow().get(target)
        if found:
            result.append({"code": found.code, "name": categories.label(found.name, lang),
                           "explanation_required": found.explanation_required})
    return result


def meldingen_answer(service_code: str, code: str, answer: Any) -> tuple[str, str]:
    """(question, answer) of an extra question, in the page's language, for display."""
    category = categories.category(service_code)
    attribute = category.attribute(code) if category else None
    if attribute is None:
        return code, ", ".join(map(str, answer)) if isinstance(answer, list) else str(answer)
    lang = _lang()
    names = {v.key: categories.label(v.name, lang) for v in attribute.values}
    values = answer if isinstance(answer, list) else [answer]
    return categories.label(attribute.question, lang), ", ".join(names.get(str(v), str(v)) for v in values)


def meldingen_date(value: str | None, with_hours: bool = True) -> str:
    """An ISO timestamp as "29 november 2026, 10:15" (English: "November 29, 2026, 10:15"; without
    ``with_hours`` only the day) in the site's time zone: CKAN's render_datetime, which the core plugin
    makes follow the page's language."""
    if not value:
        return ""
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    return tk.h.render_datetime(value, with_hours=with_hours)


def meldingen_handles(organization_id: str | None = None) -> bool:
    """Whether the signed-in user handles meldingen: of this organisation, or of any when none is given."""
    from ckanext.openoverheid.meldingen.logic.auth import is_staff, staff_organization_ids

    user = tk.current_user.name if tk.current_user.is_authenticated else None
    if organization_id is None:
        return bool(staff_organization_ids(user))
    return is_staff(user, organization_id)


def meldingen_staff_organizations() -> list[dict[str, str]]:
    """The organisations whose meldingen the signed-in user handles, by title (the dashboard's choice)."""
    import ckan.model as model

    from ckanext.openoverheid.meldingen.logic.auth import staff_organization_ids

    user = tk.current_user.name if tk.current_user.is_authenticated else None
    groups = [g for g in map(model.Group.get, staff_organization_ids(user)) if g is not None]
    return sorted(({"name": g.name, "title": g.title or g.name} for g in groups), key=lambda g: g["title"].lower())


def meldingen_number(value: float | None, digits: int = 1) -> str:
    """A figure in the page's language (decimal comma in Dutch); a dash when there is none."""
    if value is None:
        return "–"
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(round(value, digits), format=pattern, locale=_lang())


def get_helpers() -> dict[str, Callable[..., Any]]:
    return {
        "meldingen_handles": meldingen_handles,
        "meldingen_map_config": meldingen_map_config,
        "meldingen_categories": meldingen_categories,
        "meldingen_category_groups": meldingen_category_groups,
        "meldingen_statuses": meldingen_statuses,
        "meldingen_status_name": meldingen_status_name,
        "meldingen_next_statuses": meldingen_next_statuses,
        "meldingen_date": meldingen_date,
        "meldingen_answer": meldingen_answer,
        "meldingen_staff_organizations": meldingen_staff_organizations,
        "meldingen_number": meldingen_number,
    }
