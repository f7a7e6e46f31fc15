"""Reading navl's flattened data dicts, shared by our validators (core and features)."""

from __future__ import annotations

import json
from typing import Any

from ckan.lib.navl.dictization_functions import missing

Key = tuple[Any, ...]


def empty(value: Any) -> bool:
    return value is missing or value is None or value == "" or value == []


def blank(value: Any) -> bool:
    return empty(value) or (isinstance(value, str) and not value.strip())


def get(data: dict[Key, Any], key: Key) -> Any:
    value = data.get(key, missing)
    return None if value is missing else value


def as_list(value: Any) -> list[str]:
    """A list of codes as scheming stores it (JSON), as a form sends it (one string or a list) or
    as a simple client writes it ("5.1.2.e, 5.1.1.d")."""
    if empty(value):
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    text = str(value).strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            return [text]
        return [str(v) for v in parsed] if isinstance(parsed, list) else [str(parsed)]
    return [part.strip() for part in text.split(",") if part.strip()]

