"""The MQA score of one dataset, from its DCAT graph: data.europa.eu's Metadata Quality Assessment.

Five dimensions, 405 points: findability, accessibility, interoperability, reusability and
contextuality, each indicator worth the points the MQA gives it. A dataset-level indicator earns all
its points or none. A distribution-level indicator earns its points in proportion to the share of the
dataset's distributions that meet it (rounded to whole points), as the MQA weighs distributions; a
dataset without distributions earns none of them. Reachability is not decided here: the caller passes
the stored link-check results (``links.py``), and DCAT-AP compliance the SHACL verdict
(``compliance.py``), so that scoring itself is pure and fast.

Labels and messages are English msgids (``N_``); whoever shows them translates them, and messages
carry their numbers as ``params`` for ``str.format`` after translation.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from ckanext.openoverheid.dcat.namespaces import DCAT, DCT
from ckanext.openoverheid.quality import vocabularies

TOTAL = 405


def N_(message: str) -> str:
    return message


class Band(enum.Enum):
    """The MQA's rating of a total: the lowest score of each band."""

    EXCELLENT = 351
    GOOD = 221
    SUFFICIENT = 121
    BAD = 0

    @classmethod
    def of(cls, total: int) -> Band:
        return next(band for band in cls if total >= band.value)

    @property
    def label(self) -> str:
        return {Band.EXCELLENT: N_("Excellent"), Band.GOOD: N_("Good"), Band.SUFFICIENT: N_("Sufficient"),
                Band.BAD: N_("Bad")}[self]


@dataclass(frozen=True)
class Message:
    """A msgid with the values its ``{placeholders}`` take after translation."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, translate: Callable[[str], str] = lambda message: message) -> str:
        return translate(self.msgid).format(**self.params)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    earned: int
    possible: int
    missing: Message | None  # what is missing and how to earn the points; None when all are earned


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    indicators: tuple[Indicator, ...]

    @property
    def earned(self) -> int:
        return sum(indicator.earned for indicator in self.indicators)

    @property
    def possible(self) -> int:
        return sum(indicator.possible for indicator in self.indicators)


@dataclass(frozen=True)
class Report:
    dimensions: tuple[Dimension, ...]

    @property
    def total(self) -> int:
        return sum(dimension.earned for dimension in self.dimensions)

    @property
    def possible(self) -> int:
        return sum(dimension.possible for dimension in self.dimensions)

    @property
    def band(self) -> Band:
        return Band.of(self.total)

    @property
    def indicators(self) -> dict[str, Indicator]:
        return {indicator.key: indicator for dimension in self.dimensions for indicator in dimension.indicators}

    @property
    def missing(self) -> list[Indicator]:
        return [indicator for indicator in self.indicators.values() if indicator.missing is not None]


@dataclass(frozen=True)
class LinkResult:
    """One stored check of a URL: whether it answered (HTTP status below 400) and when it was checked."""

    url: str
    reachable: bool
    status: int | None
    checked: datetime.datetime
    error: str = ""


# --- the indicators -------------------------------------------------------------------------------


def _whole(key: str, label: str, points: int, met: bool, missing: str) -> Indicator:
    return Indicator(key, label, points if met else 0, points, None if met else Message(missing))


NO_DISTRIBUTIONS = N_("The dataset has no distributions; add one to earn these points.")
# A closed dataset must not get one: the points stay out of reach while it is closed (open, tenzij).
CLOSED_WITHOUT_DISTRIBUTIONS = N_(
    "The data is not public, so the dataset has no public distributions: these points cannot be earned "
    "while it is closed.")
PUBLIC_ACCESS = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"


def _share(key: str, label: str, points: int, meeting: int, distributions: int, missing: str) -> Indicator:
    """Points in proportion to the share of distributions meeting the indicator."""
    if distributions == 0:
        return Indicator(key, label, 0, points, Message(NO_DISTRIBUTIONS))
    earned = round(points * meeting / distributions)
    if meeting == distributions:
        return Indicator(key, label, earned, points, None)
    return Indicator(key, label, earned, points, Message(missing, {"count": distributions - meeting,
                                                                    "total": distributions}))


def _uris(graph: Graph, subject: Node, predicate: URIRef) -> list[str]:
    return [str(value) for value in graph.objects(subject, predicate) if isinstance(value, URIRef)]


def first_uri(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    return next(iter(sorted(_uris(graph, subject, predicate))), None)


def _has(graph: Graph, subject: Node, predicate: URIRef) -> bool:
    return (subject, predicate, None) in graph


def _findability(graph: Graph, dataset: Node) -> Dimension:
    return Dimension("findability", N_("Findability"), (
        _whole("keyword", N_("Keywords"), 30, _has(graph, dataset, DCAT.keyword),
               N_("No keywords (dcat:keyword): add tags to the dataset.")),
        _whole("theme", N_("Themes"), 30, _has(graph, dataset, DCAT.theme),
               N_("No theme (dcat:theme): choose a theme for the dataset.")),
        _whole("spatial", N_("Spatial coverage"), 20, _has(graph, dataset, DCT.spatial),
               N_("No spatial coverage (dct:spatial): give the area the data is about.")),
        _whole("temporal", N_("Temporal coverage"), 20, _has(graph, dataset, DCT.temporal),
               N_("No temporal coverage (dct:temporal): give the period the data covers.")),
    ))


@dataclass(frozen=True)
class _LinkMessages:
    failed: str  # placeholders: count, total, date
    unchecked: str  # count, total
    absent: str  # count, total


_ACCESS_MESSAGES = _LinkMessages(
    N_("{count} of {total} access URLs did not answer when checked on {date}: fix or replace the link."),
    N_("Not checked yet: the link check has not visited {count} of {total} access URLs."),
    N_("{count} of {total} distributions have no access URL (dcat:accessURL): add the link."),
)
_DOWNLOAD_MESSAGES = _LinkMessages(
    N_("{count} of {total} download URLs did not answer when checked on {date}: fix or replace the link."),
    N_("Not checked yet: the link check has not visited {count} of {total} download URLs."),
    N_("{count} of {total} distributions have no download URL, so none can be reached: link the file itself."),
)


def _reachability(key: str, label: str, points: int, urls: list[str | None],
                  links: Mapping[str, LinkResult], messages: _LinkMessages) -> Indicator:
    """``urls`` holds one entry per distribution: its URL, or None when it has none."""
    if not urls:
        return _share(key, label, points, 0, 0, "")
    results = [links.get(url) if url else None for url in urls]
    reachable = sum(1 for result in results if result is not None and result.reachable)
    earned = round(points * reachable / len(urls))
    if reachable == len(urls):
        return Indicator(key, label, earned, points, None)
    failed = [result for result in results if result is not None and not result.reachable]
    unchecked = sum(1 for url, result in zip(urls, results, strict=True) if url and result is None)
    total = len(urls)
    if failed:
        last = max(result.checked for result in failed)
        message = Message(messages.failed, {"count": len(failed), "total": total, "date": last.date().isoformat()})
    elif unchecked:
        message = Message(messages.unchecked, {"count": unchecked, "total": total})
    else:
        message = Message(messages.absent, {"count": total - reachable, "total": total})
    return Indicator(key, label, earned, points, message)


def _accessibility(graph: Graph, distributions: list[Node], links: Mapping[str, LinkResult]) -> Dimension:
    access = [first_uri(graph, d, DCAT.accessURL) for d in distributions]
    download = [first_uri(graph, d, DCAT.downloadURL) for d in distributions]
    return Dimension("accessibility", N_("Accessibility"), (
        _reachability("access_url_reachable", N_("Access URL reachable"), 50, access, links, _ACCESS_MESSAGES),
        _share("download_url", N_("Download URL"), 20, sum(1 for url in download if url), len(distributions),
               N_("{count} of {total} distributions have no download URL (dcat:downloadURL): link the file "
                  "itself.")),
        _reachability("download_url_reachable", N_("Download URL reachable"), 30, download, links,
                      _DOWNLOAD_MESSAGES),
    ))


def _formats(graph: Graph, distribution: Node) -> list[str]:
    return _uris(graph, distribution, DCT["format"]) + _uris(graph, distribution, DCAT.mediaType)


def _from_vocabulary(graph: Graph, distribution: Node) -> bool:
    """Every format and media type stated is an EU file type or an IANA media type (and one is stated)."""
    stated = [*graph.objects(distribution, DCT["format"]), *graph.objects(distribution, DCAT.mediaType)]
    return bool(stated) and all(
        isinstance(value, URIRef) and vocabularies.is_format_from_vocabulary(str(value)) for value in stated)


def _interoperability(graph: Graph, distributions: list[Node], conforms: bool | None) -> Dimension:
    def count(test: Callable[[Node], bool]) -> int:
        return sum(1 for distribution in distributions if test(distribution))

    total = len(distributions)
    if conforms is None:
        compliance = Indicator("dcat_ap_compliance", N_("DCAT-AP compliance"), 0, 30, Message(N_(
            "Not checked: the DCAT-AP shapes could not be applied.")))
    else:
        compliance = _whole("dcat_ap_compliance", N_("DCAT-AP compliance"), 30, conforms, N_(
            "The dataset's DCAT does not conform to DCAT-AP 2.1.1: ask the portal's administrators to check "
            "the SHACL report (ckan openoverheid quality)."))
    return Dimension("interoperability", N_("Interoperability"), (
        _share("format", N_("Format"), 20, count(lambda d: _has(graph, d, DCT["format"])), total,
               N_("{count} of {total} distributions have no format (dct:format): choose one.")),
        _share("media_type", N_("Media type"), 10, count(lambda d: _has(graph, d, DCAT.mediaType)), total,
               N_("{count} of {total} distributions have no media type (dcat:mediaType): choose a format the "
                  "portal knows, or state the media type.")),
        _share("format_vocabulary", N_("Format and media type from a vocabulary"), 10,
               count(lambda d: _from_vocabulary(graph, d)), total,
               N_("{count} of {total} distributions have a format outside the EU file-type list or IANA media "
                  "types: choose a format from the list.")),
        _share("non_proprietary", N_("Non-proprietary format"), 20,
               count(lambda d: vocabularies.is_non_proprietary(_formats(graph, d))), total,
               N_("{count} of {total} distributions are in a proprietary format: also offer an open one "
                  "(e.g. CSV or ODS instead of XLSX).")),
        _share("machine_readable", N_("Machine-readable format"), 20,
               count(lambda d: vocabularies.is_machine_readable(_formats(graph, d))), total,
               N_("{count} of {total} distributions are not machine-readable: also offer the data as CSV, JSON "
                  "or another structured format.")),
        compliance,
    ))


def _reusability(graph: Graph, dataset: Node, distributions: list[Node]) -> Dimension:
    def licences(distribution: Node) -> list[str]:
        return _uris(graph, distribution, DCT.license)

    access_rights = _uris(graph, dataset, DCT.accessRights)
    total = len(distributions)
    return Dimension("reusability", N_("Reusability"), (
        _share("license", N_("Licence"), 20, sum(1 for d in distributions if _has(graph, d, DCT.license)), total,
               N_("{count} of {total} distributions have no licence (dct:license): choose a licence for the "
                  "dataset.")),
        _share("license_vocabulary", N_("Licence from a vocabulary"), 10,
               sum(1 for d in distributions
                   if licences(d) and all(vocabularies.is_licence_from_vocabulary(uri) for uri in licences(d))),
               total,
               N_("{count} of {total} distributions have no licence from the EU licence list: choose an open "
                  "licence such as CC0 or CC BY.")),
        _whole("access_rights", N_("Access rights"), 10, _has(graph, dataset, DCT.accessRights),
               N_("No access rights (dct:accessRights): state whether the dataset is public.")),
        _whole("access_rights_vocabulary", N_("Access rights from a vocabulary"), 5,
               bool(access_rights) and all(vocabularies.is_access_right_from_vocabulary(uri)
                                           for uri in access_rights),
               N_("The access rights are not from the EU access-right list: choose public, restricted or "
                  "non-public.")),
        _whole("contact_point", N_("Contact point"), 20, _has(graph, dataset, DCAT.contactPoint),
               N_("No contact point (dcat:contactPoint): add a contact with an e-mail address.")),
        _whole("publisher", N_("Publisher"), 10, _has(graph, dataset, DCT.publisher),
               N_("No publisher (dct:publisher): the dataset needs an organisation.")),
    ))


def _contextuality(graph: Graph, dataset: Node, distributions: list[Node]) -> Dimension:
    total = len(distributions)
    return Dimension("contextuality", N_("Contextuality"), (
        _share("rights", N_("Rights"), 5, sum(1 for d in distributions if _has(graph, d, DCT.rights)), total,
               N_("{count} of {total} distributions have no rights statement (dct:rights).")),
        _share("byte_size", N_("File size"), 5, sum(1 for d in distributions if _has(graph, d, DCAT.byteSize)),
               total, N_("{count} of {total} distributions have no file size (dcat:byteSize): state the size in "
                         "bytes, or upload the file.")),
        _whole("issued", N_("Date of issue"), 5, _has(graph, dataset, DCT.issued),
               N_("No date of issue (dct:issued): give the date the dataset was first published.")),
        _whole("modified", N_("Modification date"), 5, _has(graph, dataset, DCT.modified),
               N_("No modification date (dct:modified): give the date of the last change.")),
    ))


def score(graph: Graph, dataset: URIRef, links: Mapping[str, LinkResult], conforms: bool | None) -> Report:
    """The MQA report of ``dataset`` in ``graph``.

    ``links`` maps checked URLs to their last result (a URL absent was not checked yet); ``conforms`` is
    the DCAT-AP SHACL verdict of the graph, None when it could not be decided.
    """
    distributions = sorted(graph.objects(dataset, DCAT.distribution), key=str)
    report = Report((
        _findability(graph, dataset),
        _accessibility(graph, distributions, links),
        _interoperability(graph, distributions, conforms),
        _reusability(graph, dataset, distributions),
        _contextuality(graph, dataset, distributions),
    ))
    closed = {str(value) for value in graph.objects(dataset, DCT.accessRights)} - {PUBLIC_ACCESS}
    return _explained_as_closed(report) if closed and not distributions else report


def _explained_as_closed(report: Report) -> Report:
    """The report of a closed dataset: "add a distribution" would be wrong advice, so it says why not."""
    def explained(indicator: Indicator) -> Indicator:
        if indicator.missing is not None and indicator.missing.msgid == NO_DISTRIBUTIONS:
            return replace(indicator, missing=Message(CLOSED_WITHOUT_DISTRIBUTIONS))
        return indicator

    return Report(tuple(replace(dimension, indicators=tuple(map(explained, dimension.indicators)))
                        for dimension in report.dimensions))
