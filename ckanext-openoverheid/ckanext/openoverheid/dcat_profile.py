"""DCAT-AP-DONL as a ckanext-dcat RDF profile: our schema's fields in DCAT and back again.

Like ckanext-dcat's ``euro_dcat_ap_3`` profile, which extends ``euro_dcat_ap_2``, this profile runs
ckanext-dcat's DCAT-AP 2 mapping and its scheming mapping (contact, temporal and spatial coverage)
and adds only what is ours:

* ``access_rights`` as ``dct:accessRights`` with the EU access-right URI (PUBLIC, RESTRICTED,
  NON_PUBLIC), the value DCAT-AP-NL requires;
* for a closed dataset a ``dct:rights`` statement (``dct:RightsStatement``) with the Woo grounds
  (label, Juriconnect reference, link to wetten.overheid.nl), the motivation, and the period from
  ``closed_since`` to the review date (``dct:valid``) — and NO distributions at all, whatever the
  dict holds: DCAT is a public channel, and "open, tenzij" withholds the data of a closed dataset;
* status (``adms:status``), themes and access rights as labelled ``skos:Concept``s, the licence on
  the dataset and its distributions, EU file types and IANA media types for distributions;
* the organisation as publisher and creator (``foaf:Agent``), and as contact point when the dataset
  names none;
* a ``dcat:CatalogRecord`` per dataset carrying the metadata language;
* for the catalog: a publisher, a contact point, a description and the language as an EU URI.

``parse_dataset`` reads all of this back into our field names, so that the harvester can read
other DCAT portals (and our own output) into our schema.

Configure it alone, ``ckanext.dcat.rdf.profiles = openoverheid_donl``: it includes the DCAT-AP 2
and scheming mappings, and listing those as well would add their triples twice. The mapping is
documented field by field in docs/dcat.md.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import (
    ADMS,
    DCAT,
    DCT,
    FOAF,
    RDF,
    RDFS,
    SKOS,
    VCARD,
    XSD,
    EuropeanDCATAP2Profile,
    EuropeanDCATAPSchemingProfile,
)
from ckanext.dcat.profiles.base import CleanedURIRef
from ckanext.dcat.utils import catalog_uri, publisher_uri_organization_fallback, resource_uri
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.term import Node

from ckanext.openoverheid import valuelists
from ckanext.openoverheid.export.rdfxml import xml_safe_text
from ckanext.openoverheid.openheid.policy import PUBLIEK, is_closed
from ckanext.openoverheid.openheid.withholding import access_rights_of

ELI = Namespace("http://data.europa.eu/eli/ontology#")
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
ACCESS_RIGHT_SCHEME = URIRef("http://publications.europa.eu/resource/authority/access-right")
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
WETTEN_OVERHEID = "https://wetten.overheid.nl/"
ADMS_UNKNOWN_IPR = URIRef("http://purl.org/adms/licencetype/UnknownIPR")

# CKAN locales (ISO 639-1) to the EU language authority (ISO 639-3), for the catalog's language.
LOCALE_TO_EU_LANGUAGE = {"nl": "NLD", "en": "ENG", "fy": "FRY", "de": "DEU", "fr": "FRA", "pap": "PAP"}

# Prefixes our graphs use; the streaming RDF/XML export declares all of them on its root element.
NAMESPACES: dict[str, str] = {
    "adms": str(ADMS),
    "dcat": str(DCAT),
    "dcatap": "http://data.europa.eu/r5r/",
    "dct": str(DCT),
    "eli": str(ELI),
    "foaf": str(FOAF),
    "gsp": "http://www.opengis.net/ont/geosparql#",
    "locn": "http://www.w3.org/ns/locn#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": "http://schema.org/",
    "skos": str(SKOS),
    "spdx": "http://spdx.org/rdf/terms#",
    "time": "http://www.w3.org/2006/time#",
    "vcard": str(VCARD),
    "xsd": str(XSD),
}

_JCI_PARTS = re.compile(r"artikel=(?P<artikel>[^&]+)(?:&lid=(?P<lid>[^&]+))?(?:&onderdeel=(?P<onderdeel>[^&]+))?")


# --- value lists: our codes <-> the URIs DCAT uses -------------------------------------------------


def access_right_uri(access_rights: str | None) -> URIRef:
    """The EU access-right URI of one of our codes. Missing means ``publiek`` (open is the default);
    a value we do not know means NON_PUBLIC, because an unknown value counts as closed."""
    item = valuelists.get("access_rights").item(access_rights or PUBLIEK)
    if item is None:
        item = valuelists.get("access_rights").item("niet-publiek")
    assert item is not None, "schemas/valuelists/access_rights.yaml must list niet-publiek"
    return URIRef(item["uri"])


def access_rights_code(uri_or_code: str | None) -> str | None:
    """Our code for an EU access-right URI (or for one of our codes); None when unknown."""
    if not uri_or_code:
        return None
    for item in valuelists.get("access_rights").items:
        if uri_or_code in (item["uri"], item["code"]):
            return str(item["code"])
    return None


def license_uri(code_or_uri: str | None) -> str | None:
    """The URI of a licence code of our value list; a URI passes through; anything else is None."""
    if not code_or_uri:
        return None
    item = valuelists.get("licenses").item(code_or_uri)
    if item is not None:
        return str(item["uri"])
    return code_or_uri if code_or_uri.startswith(("http://", "https://")) else None


def license_code(uri: str | None) -> str | None:
    if not uri:
        return None
    for item in valuelists.get("licenses").items:
        if uri in (item["uri"], item["code"]):
            return str(item["code"])
    return None


def format_uri(code: str | None) -> str | None:
    """The EU file-type URI of a CKAN format (case-insensitive), or None when it is not in our list."""
    if not code:
        return None
    if code.startswith(("http://", "https://")):
        return code
    for item in valuelists.get("formats").items:
        if str(item["code"]).lower() == code.lower():
            return str(item["uri"])
    return None


def format_code(uri_or_label: str | None) -> str | None:
    if not uri_or_label:
        return None
    for item in valuelists.get("formats").items:
        if uri_or_label == item["uri"] or uri_or_label.lower() == str(item["code"]).lower():
            return str(item["code"])
    return uri_or_label


def media_type(resource: dict[str, Any]) -> str | None:
    """The IANA media type of a resource: its own, else the one its format implies."""
    mimetype = (resource.get("mimetype") or "").strip()
    if mimetype:
        return mimetype
    code = format_code(resource.get("format"))
    for item in valuelists.get("formats").items:
        if item["code"] == code and item.get("mimetype"):
            return str(item["mimetype"])
    return None


def woo_ground_url(juriconnect: str) -> str:
    """wetten.overheid.nl resolves a Juriconnect reference to the provision itself."""
    return WETTEN_OVERHEID + juriconnect


def woo_ground_code(notation: str | None, reference: str | None) -> str | None:
    """Our code for a Woo ground, from its notation or from its Juriconnect reference or URL."""
    grounds = valuelists.get("woo_grounds")
    if notation and grounds.item(notation) is not None:
        return notation
    if reference:
        reference = reference.removeprefix(WETTEN_OVERHEID)
        for item in grounds.items:
            if item.get("juriconnect") == reference:
                return str(item["code"])
        match = _JCI_PARTS.search(reference)
        if match and "BWBR0045754" in reference:
            code = ".".join(part for part in (match["artikel"], match["lid"], match["onderdeel"]) if part)
            if grounds.item(code) is not None:
                return code
    return None


def _labels(value_list: str, value: str) -> list[Literal]:
    item = valuelists.get(value_list).item(value)
    if item is None:
        return []
    return [Literal(text, lang=lang) for lang, text in (item.get("label") or {}).items() if text]


def _as_list(value: Any) -> list[Any]:
    if value in (None, "", [], {}):
        return []
    if isinstance(value, list):
        return value
    return [value]


def xml_safe(value: Any) -> Any:
    """A copy of a dataset dict whose strings XML can carry: a control character pasted into a
    description would otherwise make the whole RDF/XML catalogue unreadable."""
    if isinstance(value, str):
        return xml_safe_text(value)
    if isinstance(value, dict):
        return {key: xml_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [xml_safe(item) for item in value]
    return value


def _site_url() -> str:
    return str(tk.config.get("ckan.site_url") or catalog_uri()).rstrip("/")


# --- the profile -----------------------------------------------------------------------------------


class OpenOverheidDONLProfile(EuropeanDCATAP2Profile, EuropeanDCATAPSchemingProfile):
    """DCAT-AP-DONL: ckanext-dcat's DCAT-AP 2 and scheming mappings plus our fields."""

    # CKAN dict -> graph

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        dataset_dict = xml_safe(dataset_dict)
        prepared = self._publishable(dataset_dict)

        self._graph_from_dataset_base(prepared, dataset_ref)
        self._graph_from_dataset_v2(prepared, dataset_ref)
        self._graph_from_dataset_v2_only(prepared, dataset_ref)
        self._graph_from_dataset_v2_scheming(prepared, dataset_ref)

        self._graph_from_dataset_donl(dataset_dict, prepared, dataset_ref)

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: URIRef) -> None:
        self._graph_from_catalog_base(catalog_dict, catalog_ref)
        self._graph_from_catalog_donl(catalog_dict or {}, catalog_ref)

    def _publishable(self, dataset_dict: dict[str, Any]) -> dict[str, Any]:
        """The dict ckanext-dcat's mappings may see: for a closed dataset without any resource, and
        with our fields in the shape those mappings expect (URIs instead of codes)."""
        prepared = dict(dataset_dict)
        prepared.pop("access_rights", None)  # ours: an EU URI, not a literal statement
        prepared.pop("extras", None)  # our schema has no free extras; never let one shadow a field

        if is_closed(access_rights_of(dataset_dict)):
            prepared["resources"] = []
        else:
            dataset_license = dataset_dict.get("license_id")
            prepared["resources"] = [
                self._publishable_resource(resource, dataset_dict, dataset_license)
                for resource in dataset_dict.get("resources") or []
            ]

        organization = dataset_dict.get("organization") or None
        if organization:
            agent = {
                "uri": publisher_uri_organization_fallback(dataset_dict),
                "name": organization.get("title") or organization.get("name"),
                "url": f"{_site_url()}/organization/{organization.get('name')}",
            }
            prepared.setdefault("publisher", [agent])
            prepared.setdefault("creator", [agent])
            contacts = [c for c in _as_list(dataset_dict.get("contact")) if isinstance(c, dict) and any(c.values())]
            prepared["contact"] = contacts or [{"name": agent["name"], "url": agent["url"]}]

        if dataset_dict.get("name"):
            prepared["url"] = f"{_site_url()}/dataset/{dataset_dict['name']}"
        return prepared

    @staticmethod
    def _publishable_resource(
        resource: dict[str, Any], dataset_dict: dict[str, Any], dataset_license: str | None
    ) -> dict[str, Any]:
        prepared = dict(resource)
        prepared.setdefault("package_id", dataset_dict.get("id"))
        uri = license_uri(resource.get("license")) or license_uri(dataset_license)
        if uri:
            prepared["license"] = uri
        else:
            prepared.pop("license", None)
        # written by _add_distribution_format, from our value list
        prepared.pop("format", None)
        prepared.pop("mimetype", None)
        if not prepared.get("hash_algorithm"):
            prepared.pop("hash", None)  # a checksum without its algorithm is invalid DCAT-AP
        return prepared

    def _graph_from_dataset_donl(
        self, dataset_dict: dict[str, Any], prepared: dict[str, Any], dataset_ref: URIRef
    ) -> None:
        g = self.g
        g.bind("eli", ELI)  # ckanext-dcat's mapping binds the other prefixes

        access = access_rights_of(dataset_dict)
        closed = is_closed(access)
        # dcat:Dataset is a dcat:Resource; DCAT-AP 3 checks the class of a catalog record's topic.
        g.add((dataset_ref, RDF.type, DCAT.Resource))

        # Access rights: exactly one value, from the EU list
        g.remove((dataset_ref, DCT.accessRights, None))
        access_uri = access_right_uri(access)
        g.add((dataset_ref, DCT.accessRights, access_uri))
        self._add_concept(access_uri, "access_rights", access_rights_code(str(access_uri)) or "", DCT.RightsStatement)
        g.add((access_uri, SKOS.inScheme, ACCESS_RIGHT_SCHEME))

        if closed:
            self._add_woo_statement(dataset_dict, access, dataset_ref)
            # Defensive: whatever another mapping added, a closed dataset has no distribution.
            for distribution in list(g.objects(dataset_ref, DCAT.distribution)):
                g.remove((dataset_ref, DCAT.distribution, distribution))
                g.remove((distribution, None, None))

        # Identifier: one literal; the dataset's URI when the publisher gave none
        g.remove((dataset_ref, DCT.identifier, None))
        g.add((dataset_ref, DCT.identifier, Literal(dataset_dict.get("identifier") or str(dataset_ref))))

        status = dataset_dict.get("dataset_status")
        if status:
            status_ref = CleanedURIRef(status)
            g.add((dataset_ref, ADMS.status, status_ref))
            self._add_concept(status_ref, "dataset_statuses", status)

        for theme in _as_list(dataset_dict.get("theme")):
            self._add_concept(CleanedURIRef(theme), "themes", theme)

        frequency = dataset_dict.get("frequency")
        if frequency and frequency.startswith("http"):
            self._add_concept(CleanedURIRef(frequency), "frequencies", frequency, DCT.Frequency)

        for language in _as_list(dataset_dict.get("language")):
            if language.startswith("http"):
                g.add((CleanedURIRef(language), RDF.type, DCT.LinguisticSystem))

        dataset_license = license_uri(dataset_dict.get("license_id"))
        if dataset_license:
            license_ref = CleanedURIRef(dataset_license)
            g.add((dataset_ref, DCT.license, license_ref))
            g.add((license_ref, RDF.type, DCT.LicenseDocument))

        self._add_catalog_record(dataset_dict, dataset_ref)

        if not closed:
            for original, published in zip(dataset_dict.get("resources") or [], prepared["resources"], strict=True):
                self._add_distribution_format(original, CleanedURIRef(resource_uri(published)))

        # ckanext-dcat types every licence as adms:UnknownIPR, an untyped concept: drop that guess.
        g.remove((None, DCT.type, ADMS_UNKNOWN_IPR))

    def _add_concept(self, ref: URIRef, value_list: str, value: str, extra_class: URIRef | None = None) -> None:
        """Type a value-list URI as skos:Concept with its Dutch and English labels (DCAT-AP requires a
        prefLabel on every concept); a URI outside our lists gets its own text as label."""
        g = self.g
        g.add((ref, RDF.type, SKOS.Concept))
        if extra_class is not None:
            g.add((ref, RDF.type, extra_class))
        labels = _labels(value_list, value) or [Literal(value)]
        for label in labels:
            g.add((ref, SKOS.prefLabel, label))

    def _add_woo_statement(self, dataset_dict: dict[str, Any], access: str, dataset_ref: URIRef) -> None:
        """Why a dataset is closed: the legal grounds, the motivation and until when (review date)."""
        g = self.g
        statement = BNode()
        g.add((dataset_ref, DCT.rights, statement))
        g.add((statement, RDF.type, DCT.RightsStatement))

        access = access_rights_code(access) or "niet-publiek"
        grounds = [str(code) for code in _as_list(dataset_dict.get("woo_grounds"))]
        ground_labels = [f"art. {code} ({valuelists.label('woo_grounds', code)})" for code in grounds]
        summary = f"{valuelists.label('access_rights', access)} op grond van de Wet open overheid"
        if ground_labels:
            summary += ": " + "; ".join(ground_labels)
        g.add((statement, RDFS.label, Literal(summary, lang="nl")))

        motivation = dataset_dict.get("woo_motivation")
        if motivation:
            g.add((statement, DCT.description, Literal(motivation, lang="nl")))

        for code in grounds:
            item = valuelists.get("woo_grounds").item(code)
            juriconnect = (item or {}).get("juriconnect")
            ground_ref: Node = CleanedURIRef(woo_ground_url(juriconnect)) if juriconnect else BNode()
            g.add((statement, DCT.references, ground_ref))
            g.add((ground_ref, RDF.type, ELI.LegalResource))
            g.add((ground_ref, SKOS.notation, Literal(code)))
            if juriconnect:
                g.add((ground_ref, DCT.identifier, Literal(juriconnect)))
            for label in _labels("woo_grounds", code):
                g.add((ground_ref, RDFS.label, label))
            for lang, text in ((item or {}).get("summary") or {}).items():
                g.add((ground_ref, DCT.description, Literal(text, lang=lang)))

        closed_since, review_date = dataset_dict.get("closed_since"), dataset_dict.get("review_date")
        if closed_since or review_date:
            period = BNode()
            g.add((statement, DCT.valid, period))
            g.add((period, RDF.type, DCT.PeriodOfTime))
            if closed_since:
                self._add_date_triple(period, DCAT.startDate, str(closed_since)[:10])
            if review_date:
                self._add_date_triple(period, DCAT.endDate, str(review_date)[:10])

    def _add_catalog_record(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        """The record of the dataset in our catalog: when its metadata changed, in which language.
        DCAT-AP requires a record's dct:modified, so a dict without timestamps gets no record."""
        modified = dataset_dict.get("metadata_modified") or dataset_dict.get("metadata_created")
        if not modified:
            return
        g = self.g
        record = BNode()
        g.add((record, RDF.type, DCAT.CatalogRecord))
        g.add((record, FOAF.primaryTopic, dataset_ref))
        if dataset_dict.get("metadata_created"):
            self._add_timestamp(record, DCT.issued, dataset_dict["metadata_created"])
        self._add_timestamp(record, DCT.modified, modified)
        language = dataset_dict.get("metadata_language")
        if language and str(language).startswith("http"):
            language_ref = CleanedURIRef(language)
            g.add((record, DCT.language, language_ref))
            g.add((language_ref, RDF.type, DCT.LinguisticSystem))
        catalog_ref = URIRef(catalog_uri())
        if (catalog_ref, RDF.type, DCAT.Catalog) in g:
            g.add((catalog_ref, DCAT.record, record))

    def _add_timestamp(self, subject: Node, predicate: URIRef, value: str) -> None:
        """CKAN's own ISO timestamps, without dateutil's guessing (a third of the time of a dataset)."""
        try:
            moment = datetime.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            self._add_date_triple(subject, predicate, value)
            return
        self.g.add((subject, predicate, Literal(moment.isoformat(), datatype=XSD.dateTime)))

    def _add_distribution_format(self, resource: dict[str, Any], distribution: URIRef) -> None:
        """dct:format as an EU file type and dcat:mediaType as an IANA URI, both typed as DCAT-AP asks."""
        g = self.g
        declared = (resource.get("format") or "").strip()
        file_type = format_uri(declared)
        if file_type:
            file_type_ref = CleanedURIRef(file_type)
            g.add((distribution, DCT["format"], file_type_ref))
            g.add((file_type_ref, RDF.type, DCT.MediaTypeOrExtent))
        elif declared:
            # A format outside our value list (harvested, or from before the list): described, not lost.
            node = BNode()
            g.add((distribution, DCT["format"], node))
            g.add((node, RDF.type, DCT.MediaTypeOrExtent))
            g.add((node, RDFS.label, Literal(declared)))
        mimetype = (media_type(resource) or "").split(";")[0].strip()
        if mimetype and re.fullmatch(r"[\w.+-]+/[\w.+-]+", mimetype):
            media_ref = URIRef(IANA_MEDIA_TYPES + mimetype)
            g.add((distribution, DCAT.mediaType, media_ref))
            g.add((media_ref, RDF.type, DCT.MediaType))

    # graph -> CKAN dict

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> dict[str, Any]:
        dataset_dict = self._parse_dataset_base(dataset_dict, dataset_ref)
        dataset_dict = self._parse_dataset_v2(dataset_dict, dataset_ref)
        dataset_dict = self._parse_dataset_v2_scheming(dataset_dict, dataset_ref)
        return self._parse_dataset_donl(dataset_dict, dataset_ref)

    def _parse_dataset_donl(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> dict[str, Any]:
        g = self.g
        extras = dataset_dict.get("extras") or []
        consumed: set[str] = set()

        def extra(key: str) -> Any:
            for item in extras:
                if item["key"] == key:
                    consumed.add(key)
                    return item["value"]
            return None

        access = None
        for value in g.objects(dataset_ref, DCT.accessRights):
            access = access_rights_code(str(value)) or access
        if access is None:
            raw = dataset_dict.get("access_rights") or extra("access_rights")
            access = access_rights_code(raw) or raw
        if access:
            dataset_dict["access_rights"] = access
            extra("access_rights")

        for key, predicate in (("theme", DCAT.theme), ("language", DCT.language)):
            values = sorted(str(value) for value in g.objects(dataset_ref, predicate))
            if values:
                dataset_dict[key] = values
                extra(key)

        for key in ("identifier", "modified", "frequency"):
            if not dataset_dict.get(key):
                value = extra(key)
                if value:
                    dataset_dict[key] = value
            else:
                extra(key)

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

        self._parse_woo_statement(dataset_dict, dataset_ref)

        if isinstance(dataset_dict.get("contact"), list):
            dataset_dict["contact"] = [
                {key: contact.get(key) or "" for key in ("name", "email", "url")} for contact in dataset_dict["contact"]
            ]

        for resource in dataset_dict.get("resources") or []:
            if resource.get("format"):
                resource["format"] = format_code(resource["format"])
            elif resource.get("distribution_ref"):
                described = g.value(self._node(resource["distribution_ref"]), DCT["format"])
                label = g.value(described, RDFS.label) if described is not None else None
                if label is not None:
                    resource["format"] = str(label)
            if resource.get("mimetype", "").startswith(IANA_MEDIA_TYPES):
                resource["mimetype"] = resource["mimetype"][len(IANA_MEDIA_TYPES):]
            code = license_code(resource.get("license"))
            if code:
                resource["license"] = code

        dataset_dict["extras"] = [item for item in extras if item["key"] not in consumed]
        return dataset_dict

    def _node(self, reference: str) -> Node:
        """The graph node ckanext-dcat remembered as a string (``distribution_ref``)."""
        for node in self.g.subjects(RDF.type, DCAT.Distribution):
            if str(node) == reference:
                return node
        return URIRef(reference)

    def _parse_woo_statement(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        g = self.g
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

    # catalog

    def _graph_from_catalog_donl(self, catalog_dict: dict[str, Any], catalog_ref: URIRef) -> None:
        g = self.g
        for prefix, namespace in NAMESPACES.items():
            g.bind(prefix, Namespace(namespace))
        site_title = str(tk.config.get("ckan.site_title") or "Open Overheid")
        site_url = _site_url()

        if (catalog_ref, DCT.description, None) not in g:
            g.add((catalog_ref, DCT.description, Literal(f"Datasets van overheden op {site_title}", lang="nl")))

        # The catalog's language as an EU URI instead of CKAN's locale code
        for language in list(g.objects(catalog_ref, DCT.language)):
            if isinstance(language, Literal):
                g.remove((catalog_ref, DCT.language, language))
                code = LOCALE_TO_EU_LANGUAGE.get(str(language).split("_")[0].lower())
                if code:
                    language_ref = URIRef(EU_LANGUAGE + code)
                    g.add((catalog_ref, DCT.language, language_ref))
                    g.add((language_ref, RDF.type, DCT.LinguisticSystem))

        for homepage in g.objects(catalog_ref, FOAF.homepage):
            g.add((homepage, RDF.type, FOAF.Document))

        publisher_uri = tk.config.get("ckanext.openoverheid.catalog_publisher_uri") or f"{site_url}/#publisher"
        publisher = CleanedURIRef(publisher_uri)
        g.add((catalog_ref, DCT.publisher, publisher))
        g.add((publisher, RDF.type, FOAF.Agent))
        g.add((publisher, FOAF.name, Literal(tk.config.get("ckanext.openoverheid.catalog_publisher") or site_title)))

        contact = BNode()
        g.add((catalog_ref, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, VCARD.Kind))
        g.add((contact, VCARD.fn, Literal(tk.config.get("ckanext.openoverheid.catalog_publisher") or site_title)))
        g.add((contact, VCARD.hasURL, URIRef(site_url)))
        email = tk.config.get("ckanext.openoverheid.catalog_contact_email")
        if email:
            g.add((contact, VCARD.hasEmail, URIRef(self._add_mailto(email))))
