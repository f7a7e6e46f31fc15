"""Open311 GeoReport v2, the parts we serve: field names and order, XML element names, limits.

Kept as data so the serializers, the views and the tests check against one list.
"""

from __future__ import annotations

SPECIFICATION_URL = "http://wiki.open311.org/GeoReport_v2"

SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")
ATTRIBUTE_FIELDS = (
    "variable", "code", "datatype", "required", "datatype_description", "order", "description", "values",
)
VALUE_FIELDS = ("key", "name")
REQUEST_FIELDS = (
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
)
UPDATE_FIELDS = ("update_id", "service_request_id", "status", "updated_datetime", "description", "media_url")
POST_RESPONSE_FIELDS = ("service_request_id", "service_notice", "account_id")
ERROR_FIELDS = ("code", "description")
DISCOVERY_FIELDS = ("changeset", "contact", "key_service", "endpoints")
ENDPOINT_FIELDS = ("specification", "url", "changeset", "type", "formats")

# root element, item element
SERVICES_XML = ("services", "service")
REQUESTS_XML = ("service_requests", "request")
ERRORS_XML = ("errors", "error")
UPDATES_XML = ("service_request_updates", "request_update")
DEFINITION_ROOT = "service_definition"
DISCOVERY_ROOT = "discovery"

# List fields and the element name of their items in XML.
XML_LIST_ITEMS = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}

MAX_DESCRIPTION = 4000
DEFAULT_DAYS = 90
MAX_RESULTS = 1000
FORMATS = {"json": "application/json", "xml": "text/xml"}
