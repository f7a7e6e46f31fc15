"""An existing Open311 client library from PyPI talks to the portal over real HTTP.

Of the GeoReport v2 clients on PyPI, ``open311`` (1.1, 2011) and ``three`` (0.8, 2013) are
Python 2 only (implicit relative imports, ``itertools.ifilter``) and do not import on Python 3.11;
``georeport`` (0.3.1) works and reads services, service definitions and requests in JSON and XML
(it does not POST, so creating is tested in test_open311.py).
"""

from __future__ import annotations

import live_server as live
import meldingen_support
from georeport import GeoReport
from meldingen_support import IN_TESTDAM, create_melding

from ckanext.openoverheid.meldingen.open311 import spec

municipalities = meldingen_support.municipalities
live_server = live.live_server


def test_the_georeport_client_reads_services_definitions_and_requests(live_server, municipalities):
    melding = create_melding(description="Tegel los bij de bakker", address="Domplein 9")
    for fmt in ("json", "xml"):
        _read_with_client(live_server, melding, fmt)


def _read_with_client(live_server, melding, fmt):
    client = GeoReport(f"{live_server}/open311/v2", output_format=fmt)

    services = client.get_service_list()
    codes = [s["service_code"] for s in services]
    assert "losse-stoeptegel" in codes and "zwerfafval" in codes
    assert set(services[0]) == set(spec.SERVICE_FIELDS)

    definition = client.get_service_definition("losse-stoeptegel")
    attributes = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
    attribute = attributes[0] if isinstance(attributes, list) else attributes
    assert attribute["code"] == "gevaarlijk"

    requests = client.get_service_requests(service_code="losse-stoeptegel", status="open")
    requests = requests if isinstance(requests, list) else [requests]  # xmltodict: one element is a dict
    assert [r["service_request_id"] for r in requests] == [str(melding["id"])]
    assert set(requests[0]) == set(spec.REQUEST_FIELDS)

    one = client.get_service_request(str(melding["id"]))
    assert one["description"] == "Tegel los bij de bakker"
    assert float(one["lat"]) == IN_TESTDAM[0] and float(one["long"]) == IN_TESTDAM[1]
    assert one["status"] == "open" and one["agency_responsible"] == "Gemeente Testdam"
