"""What the MQA counts as "from a vocabulary", "machine-readable" and "non-proprietary".

The MQA accepts a format from the EU file-type authority table or a media type from IANA's register,
a licence from the EU licence authority table (or one of the well-known licence URIs that table maps to),
and access rights from the EU access-right table. The machine-readable and non-proprietary formats are
data (``file_types.yaml``).
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

import yaml

EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_LICENCE = "http://publications.europa.eu/resource/authority/licence/"
EU_ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
IANA_MEDIA_TYPES = ("http://www.iana.org/assignments/media-types/", "https://www.iana.org/assignments/media-types/")

# Licence URIs the EU licence table matches (skos:exactMatch), compared without scheme, "www.",
# a trailing language deed ("deed.nl") or slash.
_KNOWN_LICENCES = re.compile(
    r"(creativecommons\.org/(licenses|publicdomain)/[a-z-]+/\d\.\d"
    r"|opendatacommons\.org/licenses/(odbl|by|pddl)/\d\.\d"
    r"|data\.gov\.be/licence/.*|www\.etalab\.gouv\.fr/licence-ouverte.*)"
)


def _bare(uri: str) -> str:
    bare = re.sub(r"^https?://(www\.)?", "", uri.strip())
    bare = re.sub(r"/(deed|legalcode)(\.[a-zA-Z_-]+)?$", "", bare)
    return bare.rstrip("/")


def file_type_code(uri: str) -> str | None:
    """The EU file-type code of ``uri`` (``CSV``), or None when it is not an EU file type."""
    if not uri.startswith(EU_FILE_TYPE):
        return None
    return uri[len(EU_FILE_TYPE):] or None


def iana_media_type(uri: str) -> str | None:
    """The media type of an IANA media-type URI (``text/csv``), or None."""
    for prefix in IANA_MEDIA_TYPES:
        if uri.startswith(prefix):
            return uri[len(prefix):].lower() or None
    return None


def is_format_from_vocabulary(uri: str) -> bool:
    return file_type_code(uri) is not None or iana_media_type(uri) is not None


def is_licence_from_vocabulary(uri: str) -> bool:
    return uri.startswith(EU_LICENCE) or bool(_KNOWN_LICENCES.fullmatch(_bare(uri)))


def is_access_right_from_vocabulary(uri: str) -> bool:
    return uri.startswith(EU_ACCESS_RIGHT) and len(uri) > len(EU_ACCESS_RIGHT)


@functools.cache
def _file_types() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("file_types.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _listed(kind: str, format_uris: list[str]) -> bool:
    listed = _file_types()[kind]
    for uri in format_uris:
        code = file_type_code(uri)
        media = iana_media_type(uri)
        if (code and code in listed["codes"]) or (media and media in listed["media_types"]):
            return True
    return False


def is_machine_readable(format_uris: list[str]) -> bool:
    """Whether one of a distribution's dct:format / dcat:mediaType URIs is a machine-readable format."""
    return _listed("machine_readable", format_uris)


def is_non_proprietary(format_uris: list[str]) -> bool:
    """Whether one of a distribution's dct:format / dcat:mediaType URIs is a non-proprietary format."""
    return _listed("non_proprietary", format_uris)
