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
documented field by field in docs/dcat.md. The value-list mapping is in ``codes``, the reading
back in ``parse``, the vocabularies in ``namespaces``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import EuropeanDCATAP2Profile, EuropeanDCATAPSchemingProfile
from ckanext.dcat.profiles.base import CleanedURIRef
from ckanext.dcat.utils import catalog_uri, publisher_uri_organization_fallback, resource_uri
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.term import Node

from ckanext.openoverheid import bilingual, valuelists
from ckanext.openoverheid.dcat.codes import (
    access_right_uri,
    access_rights_code,
    as_list,
    download_url,
    format_uri,
    labels,
    license_code,
    license_uri,
    media_type,
    woo_ground_url,
)
from ckanext.openoverheid.dcat.namespaces import (
    ACCESS_RIGHT_SCHEME,
    ADMS,
    ADMS_UNKNOWN_IPR,
    DCAT,
    DCT,
    ELI,
    EU_LANGUAGE,
    FOAF,
    IANA_MEDIA_TYPES,
    LOCALE_TO_EU_LANGUAGE,
    NAMESPACES,
    RDF,
    RDFS,
    SKOS,
    VCARD,
    XSD,
)
from ckanext.openoverheid.dcat.parse import parse_donl
from ckanext.openoverheid.export.rdfxml import xml_safe_text
from ckanext.openoverheid.openheid.policy import is_closed
from ckanext.openoverheid.openheid.withholding import access_rights_of


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


# The regulation that makes a dataset in a high-value category one (Implementing Regulation (EU) 2023/138).
HVD_REGULATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
UNKNOWN_LICENCE = "licentie-onbekend"
RIGHTS_PREFIX = {"nl": "Hergebruik: ", "en": "Reuse: "}


class OpenOverheidDONLProfile(EuropeanDCATAP2Profile, EuropeanDCATAPSchemingProfile):
    """DCAT-AP-NL 3.0 / DCAT-AP 3.0 (the default output): ckanext-dcat's DCAT-AP 2 and scheming mappings,
    our fields, and what DCAT-AP 3 changed (byte sizes as non-negative integers, High Value Datasets)."""

    #: The datatype of ``dcat:byteSize``: xsd:nonNegativeInteger in DCAT-AP 3, xsd:decimal in 2.1.1.
    byte_size_type: URIRef = XSD.nonNegativeInteger

    # CKAN dict -> graph

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        dataset_dict = xml_safe(dataset_dict)
        prepared = self._publishable(dataset_dict)

        self._graph_from_dataset_base(prepared, dataset_ref)
        self._graph_from_dataset_v2(prepared, dataset_ref)
        self._graph_from_dataset_v2_only(prepared, dataset_ref)
        self._graph_from_dataset_v2_scheming(prepared, dataset_ref)

        self._graph_from_dataset_donl(dataset_dict, prepared, dataset_ref)
        self._type_byte_sizes()

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: URIRef) -> None:
        self._graph_from_catalog_base(catalog_dict, catalog_ref)
        self._graph_from_catalog_donl(catalog_dict or {}, catalog_ref)

    def _publishable(self, dataset_dict: dict[str, Any]) -> dict[str, Any]:
        """The dict ckanext-dcat's mappings may see: for a closed dataset without any resource, and
        with our fields in the shape those mappings expect (URIs instead of codes)."""
        prepared = dict(dataset_dict)
        prepared.pop("access_rights", None)  # ours: an EU URI, not a literal statement
        if as_list(prepared.get("hvd_category")) and not as_list(prepared.get("applicable_legislation")):
            prepared["applicable_legislation"] = [HVD_REGULATION]  # a High Value Dataset names its regulation
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
            contacts = [c for c in as_list(dataset_dict.get("contact")) if isinstance(c, dict) and any(c.values())]
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
        url = resource.get("url")
        download = download_url(resource)
        if url and download and not resource.get("download_url"):
            # ckanext-dcat writes no accessURL when the url equals the downloadURL; DCAT-AP requires one
            prepared.setdefault("access_url", url)
            prepared["download_url"] = download
        prepared.pop("rights", None)  # written by _add_distribution_rights, from the licence
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
        self._add_access_rights(access, dataset_ref)
        if closed:
            self._add_woo_statement(dataset_dict, access, dataset_ref)
            self._remove_distributions(dataset_ref)

        # Identifier: one literal; the dataset's URI when the publisher gave none
        g.remove((dataset_ref, DCT.identifier, None))
        g.add((dataset_ref, DCT.identifier, Literal(dataset_dict.get("identifier") or str(dataset_ref))))

        self._add_languages_of_text(dataset_dict, dataset_ref)
        self._add_labelled_concepts(dataset_dict, dataset_ref)
        dataset_license = license_uri(dataset_dict.get("license_id"))
        if dataset_license:
            license_ref = CleanedURIRef(dataset_license)
            g.add((dataset_ref, DCT.license, license_ref))
            g.add((license_ref, RDF.type, DCT.LicenseDocument))
        self._add_catalog_record(dataset_dict, dataset_ref)
        if not closed:
            for original, published in zip(dataset_dict.get("resources") or [], prepared["resources"], strict=True):
                distribution = CleanedURIRef(resource_uri(published))
                self._add_distribution_format(original, distribution)
                self._add_distribution_rights(original.get("license") or dataset_dict.get("license_id"),
                                              distribution)

        # ckanext-dcat types every licence as adms:UnknownIPR, an untyped concept: drop that guess.
        g.remove((None, DCT.type, ADMS_UNKNOWN_IPR))

    def _add_languages_of_text(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        """Title and description tagged with their language: Dutch, and English where the publisher gave it."""
        g = self.g
        for field, predicate in (("title", DCT.title), ("notes", DCT.description)):
            main = dataset_dict.get(field)
            english = dataset_dict.get(f"{field}_en")
            if not main and not english:
                continue
            g.remove((dataset_ref, predicate, None))
            if main:
                g.add((dataset_ref, predicate, Literal(xml_safe(main), lang=bilingual.MAIN_LANGUAGE)))
            if english:
                g.add((dataset_ref, predicate, Literal(xml_safe(english), lang=bilingual.SECOND_LANGUAGE)))

    def _type_byte_sizes(self) -> None:
        """ckanext-dcat writes dcat:byteSize as xsd:decimal; DCAT-AP 3 wants a non-negative integer."""
        g = self.g
        for subject, size in list(g.subject_objects(DCAT.byteSize)):
            if isinstance(size, Literal) and size.datatype != self.byte_size_type:
                g.remove((subject, DCAT.byteSize, size))
                g.add((subject, DCAT.byteSize, Literal(int(size.toPython()), datatype=self.byte_size_type)))

    def _add_access_rights(self, access: str, dataset_ref: URIRef) -> None:
        """Exactly one dct:accessRights, from the EU list, as a labelled concept."""
        g = self.g
        g.remove((dataset_ref, DCT.accessRights, None))
        access_uri = access_right_uri(access)
        g.add((dataset_ref, DCT.accessRights, access_uri))
        self._add_concept(access_uri, "access_rights", access_rights_code(str(access_uri)) or "", DCT.RightsStatement)
        g.add((access_uri, SKOS.inScheme, ACCESS_RIGHT_SCHEME))

    def _remove_distributions(self, dataset_ref: URIRef) -> None:
        """Defensive: whatever another mapping added, a closed dataset has no distribution."""
        g = self.g
        for distribution in list(g.objects(dataset_ref, DCAT.distribution)):
            g.remove((dataset_ref, DCAT.distribution, distribution))
            g.remove((distribution, None, None))

    def _add_labelled_concepts(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        """Status, themes, frequency and languages: typed, and labelled from our value lists."""
        g = self.g
        status = dataset_dict.get("dataset_status")
        if status:
            status_ref = CleanedURIRef(status)
            g.add((dataset_ref, ADMS.status, status_ref))
            self._add_concept(status_ref, "dataset_statuses", status)

        for theme in as_list(dataset_dict.get("theme")):
            self._add_concept(CleanedURIRef(theme), "themes", theme)

        for category in as_list(dataset_dict.get("hvd_category")):
            self._add_concept(CleanedURIRef(category), "hvd_categories", category)

        frequency = dataset_dict.get("frequency")
        if frequency and frequency.startswith("http"):
            self._add_concept(CleanedURIRef(frequency), "frequencies", frequency, DCT.Frequency)

        for language in as_list(dataset_dict.get("language")):
            if language.startswith("http"):
                g.add((CleanedURIRef(language), RDF.type, DCT.LinguisticSystem))

    def _add_concept(self, ref: URIRef, value_list: str, value: str, extra_class: URIRef | None = None) -> None:
        """Type a value-list URI as skos:Concept with its Dutch and English labels (DCAT-AP requires a
        prefLabel on every concept); a URI outside our lists gets its own text as label."""
        g = self.g
        g.add((ref, RDF.type, SKOS.Concept))
        if extra_class is not None:
            g.add((ref, RDF.type, extra_class))
        for label in labels(value_list, value) or [Literal(value)]:
            g.add((ref, SKOS.prefLabel, label))

    def _add_woo_statement(self, dataset_dict: dict[str, Any], access: str, dataset_ref: URIRef) -> None:
        """Why a dataset is closed: the legal grounds, the motivation and until when (review date)."""
        g = self.g
        statement = BNode()
        g.add((dataset_ref, DCT.rights, statement))
        g.add((statement, RDF.type, DCT.RightsStatement))

        access = access_rights_code(access) or "niet-publiek"
        grounds = [str(code) for code in as_list(dataset_dict.get("woo_grounds"))]
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
            for label in labels("woo_grounds", code):
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

    def _add_distribution_rights(self, licence: str | None, distribution: URIRef) -> None:
        """A dct:RightsStatement saying under which licence the distribution may be reused, when the
        licence is one of our list and says something (not "licence unknown")."""
        code = license_code(licence) if licence else None
        if not code or code == UNKNOWN_LICENCE:
            return
        g = self.g
        statement = BNode()
        g.add((distribution, DCT.rights, statement))
        g.add((statement, RDF.type, DCT.RightsStatement))
        for label in labels("licenses", code):
            prefix = RIGHTS_PREFIX.get(str(label.language), "")
            g.add((statement, RDFS.label, Literal(prefix + str(label), lang=label.language)))

    # graph -> CKAN dict

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> dict[str, Any]:
        dataset_dict = self._parse_dataset_base(dataset_dict, dataset_ref)
        dataset_dict = self._parse_dataset_v2(dataset_dict, dataset_ref)
        dataset_dict = self._parse_dataset_v2_scheming(dataset_dict, dataset_ref)
        return parse_donl(self.g, dataset_dict, dataset_ref)

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


class OpenOverheidDONLAP2Profile(OpenOverheidDONLProfile):
    """The same catalogue as DCAT-AP 2.1.1 expects it (``?profiles=openoverheid_donl_ap2``): byte sizes
    as xsd:decimal, for harvesters that still read DCAT-AP 2."""

    byte_size_type = XSD.decimal
