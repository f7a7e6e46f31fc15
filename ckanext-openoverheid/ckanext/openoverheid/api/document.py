"""The OpenAPI document (``openapi.yaml`` beside this module) as data: loaded once, served as JSON,
and flattened into what the human page shows.

No CKAN here. ``operations`` resolves the document's local ``$ref``s so that the page (and tests)
can list every path with its parameters and responses without knowing OpenAPI's indirections.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

__all__ = ["Operation", "api_version", "load", "operations", "path_shape", "served"]

HTTP_METHODS = ("get", "head", "post", "put", "patch", "delete", "options")


@functools.cache
def _cached() -> dict[str, Any]:
    text = resources.files("ckanext.openoverheid.api").joinpath("openapi.yaml").read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    if not isinstance(document, dict) or "openapi" not in document:
        raise RuntimeError("ckanext/openoverheid/api/openapi.yaml is not an OpenAPI document: fix the YAML")
    return document


def load() -> dict[str, Any]:
    """A fresh copy of the document (callers may change it)."""
    return copy.deepcopy(_cached())


def api_version() -> str:
    """``info.version``: the value of the ``API-Version`` header (NL API Design Rules)."""
    return str(_cached()["info"]["version"])


def served(site_url: str) -> dict[str, Any]:
    """The document as served: ``servers`` names this portal's public address."""
    document = load()
    document["servers"] = [{"url": site_url.rstrip("/") or "/", "description": document["info"]["title"]}]
    return document


def path_shape(path: str) -> str:
    """A path with its parameters blanked (``/feeds/tag/{tag}.rss`` → ``/feeds/tag/{}.rss``), also for
    werkzeug rules (``/feeds/tag/<tag>.rss``), so that routes and documented paths can be compared."""
    return re.sub(r"\{[^}]*\}|<[^>]*>", "{}", path)


def resolve(document: dict[str, Any], node: Any) -> Any:
    """``node`` with a local ``$ref`` (``#/components/...``) followed, recursively at the top level."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        pointer = str(node["$ref"])
        if not pointer.startswith("#/"):
            raise ValueError(f"only local references are supported in openapi.yaml, not {pointer}")
        node = document
        for part in pointer[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        seen += 1
        if seen > 20:
            raise ValueError(f"reference loop at {pointer}")
    return node


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    type: str
    description: str
    default: Any = None
    enum: tuple[Any, ...] = ()
    example: Any = None


@dataclass(frozen=True)
class Reply:
    status: str
    description: str
    media_types: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    responses: tuple[Reply, ...] = field(default_factory=tuple)

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", f"{self.method}-{self.path}".lower()).strip("-")

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")


def _type_of(schema: dict[str, Any]) -> str:
    kind = str(schema.get("type") or "")
    if kind == "array":
        items = schema.get("items") or {}
        return f"array of {items.get('type') or 'object'}"
    return kind


def _parameter(document: dict[str, Any], raw: Any) -> Parameter:
    spec = resolve(document, raw)
    schema = resolve(document, spec.get("schema") or {})
    return Parameter(
        name=spec["name"],
        location=spec["in"],
        required=bool(spec.get("required")),
        type=_type_of(schema),
        description=str(spec.get("description") or "").strip(),
        default=schema.get("default"),
        enum=tuple(schema.get("enum") or ()),
        example=spec.get("example", schema.get("example")),
    )


def _reply(document: dict[str, Any], status: str, raw: Any) -> Reply:
    spec = resolve(document, raw)
    return Reply(
        status=str(status),
        description=str(spec.get("description") or "").strip(),
        media_types=tuple(spec.get("content") or ()),
        headers=tuple(spec.get("headers") or ()),
    )


def operations(document: dict[str, Any] | None = None) -> list[Operation]:
    """Every operation of the document, in the document's order, references resolved."""
    document = document or _cached()
    found = []
    for path, item in (document.get("paths") or {}).items():
        shared = list(item.get("parameters") or [])
        for method in HTTP_METHODS:
            spec = item.get(method)
            if not spec:
                continue
            parameters = tuple(_parameter(document, p) for p in [*shared, *(spec.get("parameters") or [])])
            responses = tuple(_reply(document, s, r) for s, r in (spec.get("responses") or {}).items())
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=str(spec.get("summary") or "").strip(),
                    description=str(spec.get("description") or "").strip(),
                    tags=tuple(spec.get("tags") or ()),
                    parameters=parameters,
                    responses=responses,
                )
            )
    return found
