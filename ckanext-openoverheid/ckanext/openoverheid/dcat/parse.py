"""Graph -> CKAN dict: what the DCAT-AP-DONL profile adds to ckanext-dcat's reading of a dataset.

Our own output, and other DCAT portals' datasets, are read back into our field names: codes of our
value lists instead of URIs, the Woo statement of a closed dataset into grounds, motivation and
period. Extras ckanext-dcat kept for a field we now fill are consumed, so they are not stored twice.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from ckanext.openoverheid.bilingual import MAIN_LANGUAGE, SECOND_LANGUAGE, by_language
from ckanext.openoverheid.dcat.codes import access_rights_code, format_code, license_code, woo_ground_code
from ckanext.openoverheid.dcat.namespaces import ADMS, DCAT, DCATAP, DCT, FOAF, IANA_MEDIA_TYPES, RDF, RDFS, SKOS


class _Extras:
    """The extras ckanext-dcat read, and which of them our fields took over."""

    def __init__(self, extras: list[dict[str, Any]]) -> None:
        self.items = extras
        self.consumed: set[str] = set()

    def take(self, key: str) -> Any:
        for item in self.items:
            if item["key"] == key:
                self.consumed.add(key)
                return item["value"]
        return None

    def left(self) -> list[dict[str, Any]]:
        return [item for item in self.items if item["key"] not in self.consumed]


def parse_donl(g: Graph, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> dict[str, Any]:
    """Our fields of one dataset, on top of what ckanext-dcat's DCAT-AP 2 and scheming mappings read."""
    extras = _Extras(dataset_dict.get("extras") or [])
    _parse_access_rights(g, dataset_dict, dataset_ref, extras)
    _parse_uri_lists(g, dataset_dict, dataset_ref, extras)
    _parse_languages_of_text(g, dataset_dict, dataset_ref)
    _keep_fields_from_extras(dataset_dict, extras)
    _parse_status_licence_and_metadata_language(g, dataset_dict, dataset_ref)
    _parse_woo_statement(g, dataset_dict, dataset_ref)
    if isinstance(dataset_dict.get("contact"), list):
        dataset_dict["contact"] = [
            {key: contact.get(key) or "" for key in ("name", "email", "url")} for contact in dataset_dict["contact"]
        ]
    for resource in dataset_dict.get("resources") or []:
        _parse_resource(g, resource)
    dataset_dict["extras"] = extras.left()
    return dataset_dict


def _parse_access_rights(g: Graph, dataset_dict: dict[str, Any], dataset_ref: URIRef, extras: _Extras) -> None:
    """Our access-rights code from the EU URI; else from a value ckanext-dcat kept as it was."""
    access = None
    for value in g.objects(dataset_ref, DCT.accessRights):
        access = access_rights_code(str(value)) or access
    if access is None:
        raw = dataset_dict.get("access_rights") or extras.take("access_rights")
        access = access_rights_code(raw) or raw
    if access:
        dataset_dict["access_rights"] = access
        extras.take("access_rights")


def _parse_languages_of_text(g: Graph, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
    """Title and description in Dutch (or untagged) into ``title``/``notes``, in English into ``…_en``."""
    for field, predicate in (("title", DCT.title), ("notes", DCT.description)):
        texts = by_language([(str(value), getattr(value, "language", None))
                             for value in g.objects(dataset_ref, predicate)])
        main = texts.get(MAIN_LANGUAGE) or next(iter(texts.values()), None)
        if main:
            dataset_dict[field] = main
        if texts.get(SECOND_LANGUAGE) and texts[SECOND_LANGUAGE] != main:
            dataset_dict[f"{field}_en"] = texts[SECOND_LANGUAGE]


def _parse_uri_lists(g: Graph, dataset_dict: dict[str, Any], dataset_ref: URIRef, extras: _Extras) -> None:
    """Themes, languages and high-value categories as lists of URIs (scheming's multiple-choice fields)."""
    for key, predicate in (("theme", DCAT.theme), ("language", DCT.language), ("hvd_category", DCATAP.hvdCategory)):
        values = sorted(str(value) for value in g.objects(dataset_ref, predicate))
        if values:
            dataset_dict[key] = values
            extras.take(key)


def _keep_fields_from_extras(dataset_dict: dict[str, Any], extras: _Extras) -> None:
    """Fields of our schema that ckanext-dcat puts in extras: into the field when it is empty."""
    for key in ("identifier", "modified", "frequency"):
        if not dataset_dict.get(key):
            value = extras.take(key)
            if value:
                dataset_dict[key] = value
        else:
            extras.take(key)


def _parse_status_licence_and_metadata_language(g: Graph, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
    status = g.value(dataset_ref, ADMS.status)
    if status is not None:
        dataset_dict["dataset_status"] = str(status)

    for license_ref in g.objects(dataset_ref, DCT.license):
        code = license_code(str(license_ref))
        if code:
            dataset_dict["license_id"] = code
            break

    for record in g.subjects(FOAF.primaryTopic, dataset_ref):
        if (record, RDF.type, DCAT.CatalogRecord) in g:
            language = g.value(record, DCT.language)
            if language is not None:
                dataset_dict["metadata_language"] = str(language)


def _parse_resource(g: Graph, resource: dict[str, Any]) -> None:
    """Format and licence as codes of our value lists, the media type without the IANA prefix; the
    rights statement dropped (it is derived from the licence)."""
    if resource.get("format"):
        resource["format"] = format_code(resource["format"])
    elif resource.get("distribution_ref"):
        described = g.value(_node(g, resource["distribution_ref"]), DCT["format"])
        label = g.value(described, RDFS.label) if described is not None else None
        if label is not None:
            resource["format"] = str(label)
    if resource.get("mimetype", "").startswith(IANA_MEDIA_TYPES):
        resource["mimetype"] = resource["mimetype"][len(IANA_MEDIA_TYPES):]
    code = license_code(resource.get("license"))
    if code:
        resource["license"] = code
    # Our schema has no rights field on a resource: the statement is written from the licence.
    resource.pop("rights", None)


def _node(g: Graph, reference: str) -> Node:
    """The graph node ckanext-dcat remembered as a string (``distribution_ref``)."""
    for node in g.subjects(RDF.type, DCAT.Distribution):
        if str(node) == reference:
            return node
    return URIRef(reference)


def _parse_woo_statement(g: Graph, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
    """The first rights statement that cites legal grounds: grounds, motivation, closed since, review date."""
    for statement in g.objects(dataset_ref, DCT.rights):
        references = list(g.objects(statement, DCT.references))
        if (statement, RDF.type, DCT.RightsStatement) not in g or not references:
            continue
        grounds = []
        for reference in references:
            notation = g.value(reference, SKOS.notation)
            identifier = g.value(reference, DCT.identifier)
            code = woo_ground_code(
                str(notation) if notation is not None else None,
                str(identifier) if identifier is not None else str(reference),
            )
            if code and code not in grounds:
                grounds.append(code)
        dataset_dict["woo_grounds"] = sorted(grounds)
        motivation = g.value(statement, DCT.description)
        if motivation is not None:
            dataset_dict["woo_motivation"] = str(motivation)
        period = g.value(statement, DCT.valid)
        if period is not None:
            start, end = g.value(period, DCAT.startDate), g.value(period, DCAT.endDate)
            if start is not None:
                dataset_dict["closed_since"] = str(start)[:10]
            if end is not None:
                dataset_dict["review_date"] = str(end)[:10]
        return
