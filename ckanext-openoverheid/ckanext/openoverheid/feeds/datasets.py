"""A dataset dict (as ``package_search`` returns it) as a feed item.

No CKAN here: the caller passes the URLs, so this stays a plain function that unit tests can call.
Only metadata goes into an item — never a resource — so a feed cannot carry more of a closed dataset
than its public metadata, whatever dict it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ckanext.openoverheid import valuelists
from ckanext.openoverheid.feeds.build import Category, FeedItem, moment, plain_text
from ckanext.openoverheid.feeds.geo import location_of


def _as_list(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v]


def theme_categories(pkg: Mapping[str, Any], language: str = "nl") -> list[Category]:
    """The dataset's themes: the URI as term (Atom), the label of the value list in ``language``
    (what RSS and readers show)."""
    themes = valuelists.get("themes")
    return [Category(term=uri, label=themes.label(uri, language)) for uri in _as_list(pkg.get("theme"))]


def tag_categories(pkg: Mapping[str, Any], tag_scheme: str | None = None) -> list[Category]:
    """The dataset's tags (``tags`` as dicts, or ``tag_string``), scheme the portal's tag search."""
    names = [t.get("display_name") or t.get("name") for t in pkg.get("tags") or [] if isinstance(t, Mapping)]
    if not names and pkg.get("tag_string"):
        names = [n.strip() for n in str(pkg["tag_string"]).split(",")]
    return [Category(term=name, scheme=tag_scheme) for name in names if name]


def dataset_item(
    pkg: Mapping[str, Any],
    *,
    link: str,
    item_id: str | None = None,
    language: str = "nl",
    organization_url: Callable[[str], str] | None = None,
    tag_scheme: str | None = None,
) -> FeedItem:
    """The feed item of a dataset.

    :param link: the dataset's page
    :param item_id: a permanent id (default ``link``); pass the URL by the dataset's id, which
        survives a rename
    :param organization_url: the organisation's page for its name, for the Atom author's ``uri``
    """
    organization = pkg.get("organization") or {}
    location = location_of(pkg.get("spatial_coverage"))
    point = location.point if location else None
    # one geometry per item: the point when there is one, else the box
    box = location.box if location and point is None else None
    return FeedItem(
        id=item_id or link,
        title=str(pkg.get("title") or pkg.get("name") or ""),
        link=link,
        description=plain_text(pkg.get("notes")),
        published=moment(pkg.get("metadata_created")),
        updated=moment(pkg.get("metadata_modified")),
        author=organization.get("title") or organization.get("name") or None,
        author_uri=organization_url(organization["name"]) if organization_url and organization.get("name") else None,
        categories=[*theme_categories(pkg, language), *tag_categories(pkg, tag_scheme)],
        lat=point[0] if point else None,
        lon=point[1] if point else None,
        bbox=box,
    )
