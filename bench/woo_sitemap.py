"""7. Woo sitemaps: writing the sitemaps of 100,000 documents, in constant memory.

* Time: ``ckanext.openoverheid.woo.sitemap.build_sitemap`` (lxml builds each ``<url>`` with its
  ``diwoo:Document``, the builder writes them in chunks) over every page of 100,000 documents, against the
  bare standard library writing the same documents: one f-string template per ``<url>``, text escaped with
  ``xml.sax.saxutils`` (checked element by element to be the same document). Both consume the documents
  from a generator and throw the bytes away after counting them, as a streamed response does.
* Memory: the peak traced by ``tracemalloc`` while our sitemaps of 100,000 documents are written, against
  the same at 10,000 (flat: the ratio stays near 1), and against the bare writer joining each page in
  memory before sending it (what not streaming costs).

Pure functions, no services (the database query that feeds the builder in the portal reads with a
server-side cursor, ``yield_per``; it is not part of this line). Sides alternate (ABAB, order flipped).
"""

from __future__ import annotations

import datetime as dt
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from bench.measure import Result, benchmark_main, interleaved, mb, median, ms, ours_with_ours, result
from bench.sizes import sizes
from ckanext.openoverheid import valuelists
from ckanext.openoverheid.woo import categories, diwoo, sitemap
from ckanext.openoverheid.woo.diwoo import SitemapDocument

GOAL = "<= 3"
SITE = "https://data.example.nl"
KERN = "https://identifier.overheid.nl/tooi/def/thes/kern/"
PUBLISHERS = [f"https://identifier.overheid.nl/tooi/id/gemeente/gm{code}" for code in ("0344", "0363", "0599", "0518")]
HANDELINGEN = [KERN + "c_641ecd76", KERN + "c_e1ec050e", KERN + "c_dfcee535"]
FORMATS = ["PDF", "DOCX", "ODT", "XLSX", "GeoJSON"]


def documents(count: int) -> Iterator[SitemapDocument]:
    """``count`` realistic documents, made as they are consumed (nothing kept)."""
    start = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    category_uris = [category.uri for category in categories.all_categories()]
    for number in range(count):
        yield SitemapDocument(
            loc=f"{SITE}/publicatie/{number:08x}-5d07-4e1c-9f3b-4c1d2e3f4a5b/resource/"
                f"{number:08x}-aa11-4b22-8c33-0123456789ab/download/besluit-woo-verzoek-{number}.pdf",
            lastmod=start + dt.timedelta(minutes=number),
            publisher_uri=PUBLISHERS[number % len(PUBLISHERS)],
            title=f"Besluit op Woo-verzoek {number} over parkeervergunningen & ontheffingen in de binnenstad",
            name=f"Besluit {number} (geanonimiseerd)",
            category_uri=category_uris[number % len(category_uris)],
            handeling_uri=HANDELINGEN[number % len(HANDELINGEN)],
            handeling_datum=(start + dt.timedelta(days=number % 700)).date(),
            creatiedatum=(start + dt.timedelta(days=number % 650)).date() if number % 3 else None,
            format=FORMATS[number % len(FORMATS)],
        )


def pages(docs: Iterable[SitemapDocument], size: int) -> Iterator[Iterator[SitemapDocument]]:
    """The documents cut into pages of ``size``, lazily (each page must be consumed before the next)."""
    iterator = iter(docs)
    while True:
        first = next(iterator, None)
        if first is None:
            return

        def page(first: SitemapDocument = first) -> Iterator[SitemapDocument]:
            yield first
            for _ in range(size - 1):
                doc = next(iterator, None)
                if doc is None:
                    return
                yield doc

        yield page()


def ours(count: int) -> int:
    """Bytes written for all pages of ``count`` documents by our builder."""
    return sum(len(chunk) for page in pages(documents(count), sitemap.PAGE_SIZE)
               for chunk in sitemap.build_sitemap(page))


ORGANISATIONS = valuelists.get("tooi_organisaties")
CATEGORIES = valuelists.get("woo_informatiecategorieen")
HANDELING_CODES = {str(item["uri"]): str(item["code"]) for item in valuelists.get("woo_handelingen")}


def bare_url(doc: SitemapDocument) -> str:
    """The same ``<url>`` as ``diwoo.url_bytes``, written with the standard library only."""
    parts = [f"<url><loc>{escape(doc.loc)}</loc><lastmod>{diwoo.w3c_datetime(doc.lastmod)}</lastmod>",
             "<diwoo:Document><diwoo:DiWoo>",
             f"<diwoo:publisher resource={quoteattr(doc.publisher_uri)}>"
             f"{escape(ORGANISATIONS.label(doc.publisher_uri))}</diwoo:publisher>",
             f"<diwoo:titelcollectie><diwoo:officieleTitel>{escape(doc.title)}</diwoo:officieleTitel>"]
    if doc.name and doc.name != doc.title:
        parts.append(f"<diwoo:alternatieveTitels><diwoo:alternatieveTitel>{escape(doc.name)}"
                     "</diwoo:alternatieveTitel></diwoo:alternatieveTitels>")
    parts.append("</diwoo:titelcollectie><diwoo:classificatiecollectie><diwoo:informatiecategorieen>"
                 f"<diwoo:informatiecategorie resource={quoteattr(doc.category_uri)}>"
                 f"{escape(CATEGORIES.label(doc.category_uri))}</diwoo:informatiecategorie>"
                 "</diwoo:informatiecategorieen></diwoo:classificatiecollectie>")
    if doc.creatiedatum:
        parts.append(f"<diwoo:creatiedatum>{doc.creatiedatum.isoformat()}</diwoo:creatiedatum>")
    known = diwoo.file_type(doc.format)
    if known:
        parts.append(f"<diwoo:format resource={quoteattr(known[0])}>{escape(known[1])}</diwoo:format>")
    parts.append("<diwoo:documenthandelingen><diwoo:documenthandeling>"
                 f"<diwoo:soortHandeling resource={quoteattr(doc.handeling_uri)}>"
                 f"{escape(HANDELING_CODES[doc.handeling_uri])}</diwoo:soortHandeling>"
                 f"<diwoo:atTime>{diwoo.at_time(doc.handeling_datum)}</diwoo:atTime>"
                 "</diwoo:documenthandeling></diwoo:documenthandelingen></diwoo:DiWoo></diwoo:Document></url>\n")
    return "".join(parts)


def bare_sitemap(docs: Iterable[SitemapDocument]) -> Iterator[bytes]:
    yield sitemap.XML_DECLARATION + sitemap.URLSET_OPEN
    for doc in docs:
        yield bare_url(doc).encode()
    yield sitemap.URLSET_CLOSE


def bare(count: int) -> int:
    return sum(len(chunk) for page in pages(documents(count), sitemap.PAGE_SIZE) for chunk in bare_sitemap(page))


def whole_pages(count: int) -> int:
    """The bare writer, each page joined in memory before it is sent (no streaming)."""
    return sum(len(b"".join(bare_sitemap(page))) for page in pages(documents(count), sitemap.PAGE_SIZE))


def _shape(data: bytes) -> Counter[str]:
    return Counter(f"{etree.QName(element).localname}={element.text}" for element in etree.fromstring(data).iter())


def same_document(count: int = 200) -> None:
    """Both sides must write the same elements with the same texts, as many of each."""
    mine = b"".join(sitemap.build_sitemap(documents(count)))
    theirs = b"".join(bare_sitemap(documents(count)))
    if _shape(mine) != _shape(theirs):
        raise RuntimeError(f"the two sitemaps differ: only ours {_shape(mine) - _shape(theirs)}, "
                           f"only bare {_shape(theirs) - _shape(mine)}")


def traced_peak(write: Callable[[int], int], count: int) -> tuple[int, int]:
    """(peak bytes traced while writing, bytes written)."""
    tracemalloc.start()
    try:
        written = write(count)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, written


def run(size_name: str) -> list[Result]:
    size = sizes(size_name)
    count = size.woo_documents
    same_document()
    times = interleaved({"ours": lambda: ours(count), "bare": lambda: bare(count)}, size.woo_rounds)
    mine, theirs = median(times["ours"]), median(times["bare"])
    written = ours(count)
    peak_big, _ = traced_peak(ours, count)
    peak_small, _ = traced_peak(ours, count // 10)
    peak_whole, _ = traced_peak(whole_pages, count)
    page_count = -(-count // sitemap.PAGE_SIZE)
    return [
        result(f"Woo sitemaps of {count:,} documents / bare stdlib writing", mine / theirs, GOAL,
               f"{ms(mine)} vs {ms(theirs)} (median of {size.woo_rounds} rounds); {page_count} pages of "
               f"{sitemap.PAGE_SIZE:,}, {mb(written)} written",
               baseline="bare stdlib: f-strings and xml.sax.saxutils writing the same documents",
               ours_s=mine, bare_s=theirs, bytes=written),
        result(f"Woo sitemap memory flat (ours, {count:,} / {count // 10:,} documents)", peak_big / peak_small,
               "", f"tracemalloc peak {mb(peak_big)} for {count:,} vs {mb(peak_small)} for {count // 10:,}",
               baseline=ours_with_ours(f"our sitemaps of {count // 10:,} documents"),
               peak_big=peak_big, peak_small=peak_small),
        result(f"Woo sitemaps of {count:,}: peak memory ours / each page joined in memory", peak_big / peak_whole, "",
               f"{mb(peak_big)} vs {mb(peak_whole)} (tracemalloc; ours writes chunks of "
               f"{sitemap.CHUNK_BYTES // 1024} KB)",
               baseline="the bare stdlib writer joining each page in memory",
               peak_ours=peak_big, peak_whole=peak_whole),
    ]


if __name__ == "__main__":
    benchmark_main(run, __doc__)
