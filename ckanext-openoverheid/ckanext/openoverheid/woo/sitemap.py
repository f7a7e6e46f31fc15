"""The sitemaps the national Woo-index reads, straight from the database, every time.

Per (organisation, information category) with at least one public document there is one sitemap index,
``/woo/sitemaps/<organisation>/sitemapindex-diwoo-infocatNNN.xml`` (the only name the Woo-index reads),
pointing at pages ``sitemap-diwoo-infocatNNN-<n>.xml`` of at most ``PAGE_SIZE`` documents. ``robots.txt``
names every index. Nothing is kept: a document that is closed, withdrawn (private) or deleted is gone from
the next answer, and a pair left without public documents has no index at all (an empty ``urlset`` or
``sitemapindex`` is invalid), so its robots.txt line goes and its URLs answer 404.

A document is listed when all of these hold (``_public_documents``):
- its publication: type ``publicatie``, active, not private, not closed itself (``access_rights`` absent
  or ``publiek``), with an ``informatiecategorie``;
- its organisation: active, with a ``tooi_identifier`` (DiWoo's publisher);
- the document (resource): active, ``access_rights`` absent or ``publiek``, and a file we can point at:
  an upload (``<loc>`` = CKAN's download URL on ``ckan.site_url``) or a link starting with ``https://``.

Documents are ordered by (created, id), so new documents land on the last page and earlier pages keep their
content; pages are read with a server-side cursor (``yield_per``) and written as they are read: memory
does not grow with the number of documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.lib.munge import munge_filename
from sqlalchemy.dialects.postgresql import JSONB

from ckanext.openoverheid.woo import categories, diwoo
from ckanext.openoverheid.woo.categories import Category

# 2,000 documents a page keeps every page under the 50 MB limit even when each entry is as large as it can
# get (tests/unit/test_woo_sitemap_builder.py measures the largest entry); a page of ordinary documents is
# about 3 MB. The 50,000-URL limit is far away.
PAGE_SIZE = 2_000
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_URLS = 50_000
YIELD_PER = 500
CHUNK_BYTES = 64 * 1024
PATH = "/woo/sitemaps"
DEFAULT_HANDELING = "https://identifier.overheid.nl/tooi/def/thes/kern/c_641ecd76"  # vaststelling
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
URLSET_OPEN = (f'<urlset xmlns="{diwoo.SITEMAP_NS}" xmlns:diwoo="{diwoo.DIWOO_NS}">\n').encode()
URLSET_CLOSE = b"</urlset>\n"
INDEX_OPEN = f'<sitemapindex xmlns="{diwoo.SITEMAP_NS}">\n'.encode()
INDEX_CLOSE = b"</sitemapindex>\n"


@dataclass(frozen=True)
class IndexEntry:
    """An (organisation, category) pair that has an index: at least one public document."""

    organization: str  # the organisation's name (its URL segment)
    category: Category
    documents: int
    lastmod: dt.datetime

    @property
    def pages(self) -> int:
        return -(-self.documents // PAGE_SIZE)


# --- URLs -------------------------------------------------------------------------------------------------

def index_url(site_url: str, organization: str, category: Category) -> str:
    return f"{site_url.rstrip('/')}{PATH}/{organization}/{category.index_name}"


def page_url(site_url: str, organization: str, category: Category, page: int) -> str:
    return f"{site_url.rstrip('/')}{PATH}/{organization}/{category.page_name(page)}"


def download_url(site_url: str, package_type: str, package_id: str, resource_id: str, url: str) -> str:
    """CKAN's download URL of an uploaded file, as ``resource_dictize`` builds it."""
    filename = munge_filename(url.rsplit("/")[-1])
    return f"{site_url.rstrip('/')}/{package_type}/{package_id}/resource/{resource_id}/download/{filename}"


# --- the query --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Public:
    """The FROM clause, the conditions and the named columns of every document the Woo-index may see."""

    source: Any
    conditions: tuple[Any, ...]
    organization: Any
    category_uri: Any
    tooi: Any
    lastmod: Any
    order: tuple[Any, ...]

    def of(self, organization: str, category: Category) -> tuple[Any, ...]:
        return (*self.conditions, self.organization == organization, self.category_uri == category.uri)


def _public_documents() -> _Public:
    package, resource, group = model.package_table, model.resource_table, model.group_table
    package_access = package.c.extras["access_rights"].astext
    resource_access = sa.cast(resource.c.extras, JSONB)["access_rights"].astext
    category_uri = package.c.extras["informatiecategorie"].astext
    tooi = group.c.extras["tooi_identifier"].astext
    return _Public(
        source=resource.join(package, package.c.id == resource.c.package_id)
        .join(group, group.c.id == package.c.owner_org),
        conditions=(
            package.c.type == "publicatie",
            package.c.state == "active",
            package.c.private.is_(False),
            sa.or_(package_access.is_(None), package_access == "publiek"),
            category_uri.isnot(None),
            group.c.is_organization.is_(True),
            group.c.state == "active",
            sa.func.coalesce(tooi, "") != "",
            resource.c.state == "active",
            sa.or_(resource_access.is_(None), resource_access == "publiek"),
            sa.or_(resource.c.url_type == "upload",
                   sa.and_(resource.c.url.ilike("https://%"), sa.func.length(resource.c.url) <= diwoo.LOC_MAX)),
        ),
        organization=group.c.name,
        category_uri=category_uri,
        tooi=tooi,
        lastmod=sa.func.greatest(package.c.metadata_modified, resource.c.metadata_modified,
                                 sa.func.coalesce(resource.c.last_modified, resource.c.metadata_modified)),
        order=(resource.c.created, resource.c.id),
    )


def indexes(organization: str | None = None) -> list[IndexEntry]:
    """Every (organisation, category) with public documents, by organisation name and category number."""
    public = _public_documents()
    query = (sa.select(public.organization, public.category_uri, sa.func.count(), sa.func.max(public.lastmod))
             .select_from(public.source).where(*public.conditions)
             .group_by(public.organization, public.category_uri))
    if organization is not None:
        query = query.where(public.organization == organization)
    entries = []
    for org, uri, count, lastmod in model.Session.execute(query):
        category = categories.by_uri(uri)
        if category is not None:
            entries.append(IndexEntry(org, category, int(count), lastmod))
    return sorted(entries, key=lambda entry: (entry.organization, entry.category.number))


def index_pages(organization: str, category: Category) -> list[tuple[int, dt.datetime]]:
    """(page number from 1, its lastmod) of every page of the pair's sitemaps; empty when it has none."""
    public = _public_documents()
    numbered = (sa.select(((sa.func.row_number().over(order_by=public.order) - 1) // PAGE_SIZE + 1).label("page"),
                          public.lastmod.label("lastmod"))
                .select_from(public.source).where(*public.of(organization, category))).subquery()
    query = (sa.select(numbered.c.page, sa.func.max(numbered.c.lastmod))
             .group_by(numbered.c.page).order_by(numbered.c.page))
    return [(int(page), lastmod) for page, lastmod in model.Session.execute(query)]


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def documents(site_url: str, organization: str, category: Category, page: int) -> Iterator[diwoo.SitemapDocument]:
    """The documents of one sitemap page, read in slices of ``YIELD_PER`` rows (server-side cursor)."""
    package, resource = model.package_table, model.resource_table
    public = _public_documents()
    query = (sa.select(resource.c.id, resource.c.url, resource.c.url_type, resource.c.name, resource.c.format,
                       package.c.id, package.c.type, package.c.title, package.c.extras, package.c.metadata_created,
                       public.tooi, public.lastmod)
             .select_from(public.source).where(*public.of(organization, category)).order_by(*public.order)
             .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    # A connection of its own: CKAN removes the request's session before a streamed body is written.
    with model.meta.engine.connect() as connection:
        rows = connection.execution_options(yield_per=YIELD_PER).execute(query)
        for row in rows:
            yield _document(site_url, category, row)


def _document(site_url: str, category: Category, row: Any) -> diwoo.SitemapDocument:
    (resource_id, url, url_type, name, format_code, package_id, package_type, title, extras, created, tooi,
     lastmod) = row
    extras = extras or {}
    loc = download_url(site_url, package_type, package_id, resource_id, url) if url_type == "upload" else url
    return diwoo.SitemapDocument(
        loc=loc,
        lastmod=lastmod.replace(tzinfo=dt.UTC),
        publisher_uri=tooi,
        title=title or "",
        name=name or "",
        category_uri=category.uri,
        handeling_uri=extras.get("handeling") or DEFAULT_HANDELING,
        handeling_datum=_date(extras.get("handeling_datum")) or created.date(),
        creatiedatum=_date(extras.get("creatiedatum")),
        format=format_code or "",
    )


# --- writing ----------------------------------------------------------------------------------------------

def build_sitemap(docs: Iterable[diwoo.SitemapDocument], chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """A ``<urlset>`` with one ``<url>`` per document, written as the documents come, in chunks of about
    ``chunk_bytes``. The caller makes sure there is at least one document (an empty urlset is invalid)."""
    chunk = [XML_DECLARATION, URLSET_OPEN]
    size = 0
    for doc in docs:
        data = diwoo.url_bytes(doc)
        chunk.append(data)
        chunk.append(b"\n")
        size += len(data) + 1
        if size >= chunk_bytes:
            yield b"".join(chunk)
            chunk, size = [], 0
    chunk.append(URLSET_CLOSE)
    yield b"".join(chunk)


def build_index(sitemaps: Iterable[tuple[str, dt.datetime]]) -> Iterator[bytes]:
    """A ``<sitemapindex>`` of (sitemap URL, lastmod) pairs; at least one, as for ``build_sitemap``."""
    yield XML_DECLARATION + INDEX_OPEN
    for url, lastmod in sitemaps:
        yield (f"<sitemap><loc>{_escape(url)}</loc><lastmod>{diwoo.w3c_datetime(lastmod)}</lastmod></sitemap>\n"
               .encode())
    yield INDEX_CLOSE


def robots_lines(site_url: str, entries: Iterable[IndexEntry]) -> list[str]:
    """``Sitemap: <absolute URL>`` for every index, for robots.txt."""
    return [f"Sitemap: {index_url(site_url, entry.organization, entry.category)}" for entry in entries]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
