"""The RDF vocabularies of DCAT-AP-DONL: ckanext-dcat's namespaces, ours, and the prefixes our graphs use."""

from __future__ import annotations

from ckanext.dcat.profiles import ADMS, DCAT, DCT, FOAF, RDF, RDFS, SKOS, VCARD, XSD
from rdflib import Namespace, URIRef

__all__ = [
    "ACCESS_RIGHT_SCHEME", "ADMS", "ADMS_UNKNOWN_IPR", "DCAT", "DCATAP", "DCT", "ELI", "EU_LANGUAGE", "FOAF",
    "IANA_MEDIA_TYPES", "LOCALE_TO_EU_LANGUAGE", "NAMESPACES", "RDF", "RDFS", "SKOS", "VCARD", "WETTEN_OVERHEID",
    "XSD",
]

ELI = Namespace("http://data.europa.eu/eli/ontology#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
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
