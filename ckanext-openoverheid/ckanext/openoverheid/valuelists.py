"""The value lists of the metadata schema (``schemas/valuelists/*.yaml``): data with Dutch and English
labels, read here by scheming's choices, our validators, the DCAT profile, the feeds and templates.

A list file has a ``name``, a ``value`` (which attribute of an item a dataset stores: ``code`` or
``uri``), a ``label`` and ``items``; every item has that attribute and a ``label`` with ``nl`` and
``en``. Lists are read once per process; a malformed file raises ``ValueListError`` naming the file,
so a broken list stops the portal at start-up instead of letting through values it cannot check.

No CKAN imports: the module is usable from unit tests and from ``harvesters/``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from typing import Any

import yaml

PACKAGE = "ckanext.openoverheid.schemas"
LANGUAGES = ("nl", "en")


class ValueListError(ValueError):
    """A value list file is missing or malformed; the message names the file and the fix."""


@dataclass(frozen=True)
class ValueList:
    name: str
    value_key: str  # "code" or "uri": which attribute of an item is stored in the dataset
    items: tuple[dict[str, Any], ...]
    label_text: dict[str, str] | None = None

    def values(self) -> list[str]:
        """The values a dataset may store, in list order."""
        return [str(item[self.value_key]) for item in self.items]

    def item(self, value: str | None) -> dict[str, Any] | None:
        """The item whose stored value or code is ``value`` (exact match), or None."""
        if value is None:
            return None
        value = str(value)
        for item in self.items:
            if str(item[self.value_key]) == value or str(item.get("code")) == value:
                return item
        return None

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and value in self.values()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.items)

    def label(self, value: str | None, language: str = "nl") -> str:
        """The label of a value in ``language`` (Dutch when missing); the value itself when unknown."""
        item = self.item(value)
        if item is None:
            return value or ""
        labels = item.get("label") or {}
        return str(labels.get(language) or labels.get("nl") or value)

    def find(self, text: str | None) -> dict[str, Any] | None:
        """The item ``text`` names in any common spelling: its value, code, URI, media type or an
        alias, case-insensitively. For input from people and other catalogues; ``item`` is exact."""
        if not text:
            return None
        wanted = str(text).strip().lower()
        for item in self.items:
            names = [item.get(self.value_key), item.get("code"), item.get("uri"), item.get("mimetype"),
                     *(item.get("aliases") or [])]
            if any(name and str(name).lower() == wanted for name in names):
                return item
        return None


def _files() -> Traversable:
    return resources.files(PACKAGE).joinpath("valuelists")


def names() -> list[str]:
    """The names of all value lists (their file names without ``.yaml``)."""
    return sorted(entry.name.removesuffix(".yaml") for entry in _files().iterdir() if entry.name.endswith(".yaml"))


def _check(path: str, data: Any) -> ValueList:
    if not isinstance(data, dict) or not isinstance(data.get("items"), list) or not data["items"]:
        raise ValueListError(f"{path}: expected a mapping with a non-empty 'items' list")
    value_key = data.get("value", "code")
    seen: set[str] = set()
    for index, item in enumerate(data["items"]):
        where = f"{path}, item {index + 1}"
        if not isinstance(item, dict) or not item.get(value_key):
            raise ValueListError(f"{where}: every item needs a '{value_key}' (the value datasets store)")
        value = str(item[value_key])
        if value in seen:
            raise ValueListError(f"{where}: '{value}' appears twice; values must be unique")
        seen.add(value)
        labels = item.get("label")
        if not isinstance(labels, dict) or any(not labels.get(language) for language in LANGUAGES):
            raise ValueListError(f"{where}: '{value}' needs a label in each of {', '.join(LANGUAGES)}")
    return ValueList(
        name=str(data.get("name") or path),
        value_key=value_key,
        items=tuple(data["items"]),
        label_text=data.get("label"),
    )


@functools.cache
def get(name: str) -> ValueList:
    """A value list by name (the file name without .yaml), read once per process."""
    path = _files().joinpath(f"{name}.yaml")
    if not path.is_file():
        raise ValueListError(f"no value list '{name}': expected schemas/valuelists/{name}.yaml; known: {names()}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValueListError(f"schemas/valuelists/{name}.yaml is not valid YAML: {error}") from error
    return _check(f"schemas/valuelists/{name}.yaml", data)


def label(name: str, value: str | None, language: str = "nl") -> str:
    return get(name).label(value, language)


def values(name: str) -> list[str]:
    return get(name).values()


def choices(name: str, language: str | None = None) -> list[dict[str, Any]]:
    """Scheming's choices for a list: ``value`` and ``label``. Without ``language`` the label is the
    ``{nl:, en:}`` dict, which scheming shows in the language of the page being rendered."""
    value_list = get(name)
    result: list[dict[str, Any]] = []
    for item in value_list.items:
        value = str(item[value_list.value_key])
        text: Any = dict(item["label"]) if language is None else value_list.label(value, language)
        result.append({"value": value, "label": text})
    return result


def ckan_licenses() -> list[dict[str, Any]]:
    """The licence list in the format of CKAN's licence register (``licenses_group_url``), so that
    ``license_title``, ``license_url`` and ``isopen`` of a dataset agree with our value list."""
    register = []
    for item in get("licenses").items:
        is_open = bool(item.get("open"))
        register.append({
            "id": str(item["code"]),
            "title": str(item["label"]["nl"]),
            "url": str(item.get("uri") or ""),
            "od_conformance": "approved" if is_open else "not reviewed",
            "osd_conformance": "not reviewed",
            "domain_content": True,
            "domain_data": True,
            "domain_software": False,
            "status": "active",
            "maintainer": "",
            "family": "",
        })
    return register


def ckan_licenses_json() -> str:
    """``schemas/licenses.json`` as it must read; a unit test keeps the file equal to this."""
    return json.dumps(ckan_licenses(), ensure_ascii=False, indent=2) + "\n"


def ckan_licenses_url() -> str:
    """A ``file://`` URL of ``schemas/licenses.json`` for CKAN's ``licenses_group_url``."""
    return "file://" + str(resources.files(PACKAGE).joinpath("licenses.json"))


if __name__ == "__main__":  # python -m ckanext.openoverheid.valuelists > schemas/licenses.json
    print(ckan_licenses_json(), end="")
