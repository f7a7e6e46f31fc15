"""The full-catalogue export at /export/datasets.rdf|csv|jsonl: complete, valid, without closed data,
answering conditional requests, and streaming 2,000 datasets completely (memory is measured by `make bench`)."""

from __future__ import annotations

import copy
import csv
import datetime
import io
import json
import time
import tracemalloc
import uuid
import zlib
from pathlib import Path
from typing import Any

import ckan.logic as logic
import ckan.model as model
import ckan.plugins.toolkit as tk
import pyshacl
import pytest
import sqlalchemy as sa
from ckan.lib import search
from dcat_catalogue import Catalogue, create_catalogue, review_date
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ckanext.openoverheid.dcat.namespaces import DCAT, DCT
from ckanext.openoverheid.export import source

pytestmark = pytest.mark.usefixtures("portal")

SHAPES = Path(__file__).resolve().parents[1] / "fixtures" / "shapes"
SITE = "http://test.ckan.net"


@pytest.fixture
def catalogue(api: Any) -> Catalogue:
    return create_catalogue(api)


def read_csv(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def read_jsonl(response: Any) -> list[dict[str, Any]]:
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


def read_rdf(response: Any) -> Graph:
    return Graph().parse(data=response.get_data(as_text=True), format="xml")


def dataset_refs(graph: Graph) -> set[URIRef]:
    return {ref for ref in graph.subjects(RDF.type, DCAT.Dataset) if isinstance(ref, URIRef)}


def test_every_format_lists_every_public_dataset_and_no_closed_data(app, catalogue):
    names = {dataset["name"] for dataset in catalogue.listed}
    for extension in ("csv", "jsonl", "rdf"):
        response = app.get(f"/export/datasets.{extension}")
        assert response.status_code == 200, extension
        text = response.get_data(as_text=True)
        assert catalogue.marker not in text, extension
        assert catalogue.private_marker not in text, extension
        assert (
            f'attachment; filename="openoverheid-test-datasets.{extension}"' == response.headers["Content-Disposition"]
        )

    rows = {row["name"]: row for row in read_csv(app.get("/export/datasets.csv"))}
    assert set(rows) == names
    assert rows[catalogue.public["name"]]["num_resources"] == "1"
    closed = rows[catalogue.closed["name"]]
    assert closed["num_resources"] == "0"
    assert closed["access_rights"] == "niet-publiek"
    assert set(closed["woo_grounds"].split(" ")) == {"5.1.2.e", "5.1.1.d"}
    assert closed["review_date"] == review_date()
    assert closed["organisation"] == "Gemeente Dcatdorp"
    assert closed["url"] == f"{SITE}/dataset/{catalogue.closed['name']}"
    assert rows[catalogue.public["name"]]["themes"] == "http://standaarden.overheid.nl/owms/terms/Cultuur_en_recreatie"

    lines = {line["name"]: line for line in read_jsonl(app.get("/export/datasets.jsonl"))}
    assert set(lines) == names
    shown = app.get("/api/3/action/package_show", query_string={"id": catalogue.closed["id"]}).get_json()["result"]
    assert lines[catalogue.closed["name"]]["resources"] == [] == shown["resources"]
    for key in ("access_rights", "woo_grounds", "woo_motivation", "review_date", "title", "organization"):
        assert lines[catalogue.closed["name"]][key] == shown[key], key
    assert lines[catalogue.public["name"]]["resources"][0]["url"] == "https://data.dcatdorp.nl/speeltuinen.csv"

    graph = read_rdf(app.get("/export/datasets.rdf"))
    assert dataset_refs(graph) == {URIRef(f"{SITE}/dataset/{dataset['id']}") for dataset in catalogue.listed}
    assert set(graph.objects(URIRef(SITE), DCAT.dataset)) == dataset_refs(graph)
    closed_ref = URIRef(f"{SITE}/dataset/{catalogue.closed['id']}")
    assert list(graph.objects(closed_ref, DCAT.distribution)) == []
    assert list(graph.objects(closed_ref, DCT.accessRights)) == [
        URIRef("http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC")
    ]


def test_the_rdf_export_conforms_to_dcat_ap_3(app, catalogue):
    """The export is written with the portal's default profile, DCAT-AP 3 (RDFS inference, as the
    shapes' ``sh:class rdfs:Resource`` constraints need)."""
    graph = read_rdf(app.get("/export/datasets.rdf"))
    shapes = Graph()
    for name in ("dcat-ap-3.0.0/dcat-ap-SHACL.ttl", "dcat-ap-3.0.0/range.ttl"):
        shapes.parse(SHAPES / name)
    conforms, _, report = pyshacl.validate(graph, shacl_graph=shapes, inference="rdfs")
    assert conforms, report


def test_the_rdf_export_declares_its_namespaces_once_on_the_root(app, catalogue):
    text = app.get("/export/datasets.rdf").get_data(as_text=True)
    root_end = text.index(">", text.index("<rdf:RDF"))
    assert text.count("xmlns:") == text[:root_end].count("xmlns:")
    assert text.count("<rdf:RDF") == 1 and text.rstrip().endswith("</rdf:RDF>")


def test_conditional_requests_get_304_until_the_catalogue_changes(app, api, catalogue):
    first = app.get("/export/datasets.csv")
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag and last_modified

    again = app.get("/export/datasets.csv", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    since = app.get("/export/datasets.csv", headers={"If-Modified-Since": last_modified})
    assert since.status_code == 304
    # the formats have their own ETags
    assert app.get("/export/datasets.jsonl", headers={"If-None-Match": etag}).status_code == 200

    time.sleep(1.1)  # Last-Modified has whole seconds
    api("package_patch", id=catalogue.public["id"], title="Speeltuinen Dcatdorp (bijgewerkt)")
    changed = app.get("/export/datasets.csv", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Speeltuinen Dcatdorp (bijgewerkt)" in changed.get_data(as_text=True)

    # a deleted dataset changes the count, so the ETag, although no date moved forward
    etag = changed.headers["ETag"]
    api("package_delete", id=catalogue.restricted["id"])
    after_delete = app.get("/export/datasets.csv", headers={"If-None-Match": etag})
    assert after_delete.status_code == 200
    assert catalogue.restricted["name"] not in after_delete.get_data(as_text=True)


def test_kept_rdf_fragments_follow_every_change_and_a_closure_removes_the_data(app, api, catalogue):
    """The RDF export keeps each dataset's fragment in Redis (export/fragments.py); a changed
    dataset must be rendered again, and a dataset closed after an export must lose its data."""
    from ckan.lib.redis import connect_to_redis

    from ckanext.openoverheid.keys import key_prefix

    dataset = catalogue.public
    first = app.get("/export/datasets.rdf").get_data(as_text=True)
    assert "https://data.dcatdorp.nl/speeltuinen.csv" in first
    kept = connect_to_redis().get(key_prefix("export-rdf") + dataset["id"])
    assert kept, "the dataset's fragment was not kept"
    fragment = zlib.decompress(kept[20:]).decode()  # after the 20-byte digest
    assert "https://data.dcatdorp.nl/speeltuinen.csv" in fragment and fragment in first
    assert fragment in app.get("/export/datasets.rdf").get_data(as_text=True)  # used again as it was

    api("package_patch", id=dataset["id"], title="Speelplekken Dcatdorp")
    renamed = app.get("/export/datasets.rdf").get_data(as_text=True)
    assert "Speelplekken Dcatdorp" in renamed and "Speeltuinen Dcatdorp<" not in renamed

    api("package_patch", id=dataset["id"], access_rights="niet-publiek", woo_grounds=["5.1.2.e"],
        woo_motivation="Openbaarmaking brengt de veiligheid van de kinderen op deze plekken in gevaar.",
        review_date=review_date())
    closed = app.get("/export/datasets.rdf").get_data(as_text=True)
    assert "Speelplekken Dcatdorp" in closed  # its existence stays public
    assert "https://data.dcatdorp.nl/speeltuinen.csv" not in closed


@pytest.mark.parametrize("extension", ["xlsx", "json", "ttl"])
def test_unknown_export_formats_get_406_with_the_supported_ones(app, extension):
    response = app.get(f"/export/datasets.{extension}")
    assert response.status_code == 406
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.get_json(force=True)["supported"] == ["csv", "jsonl", "rdf"]


def test_an_empty_catalogue_exports_valid_empty_files(app):
    assert read_csv(app.get("/export/datasets.csv")) == []
    assert app.get("/export/datasets.jsonl").get_data() == b""
    graph = read_rdf(app.get("/export/datasets.rdf"))
    assert dataset_refs(graph) == set()
    assert (URIRef(SITE), RDF.type, DCAT.Catalog) in graph


# --- 2,000 datasets ---------------------------------------------------------------------------

BULK = 2000
CLOSED_EVERY = 10


def _rows(table: sa.Table, column: sa.Column, value: str) -> list[dict[str, Any]]:
    return [dict(row) for row in model.Session.execute(sa.select(table).where(column == value)).mappings()]


class BulkCatalogue:
    """Thousands of datasets, every tenth closed, in well under two minutes.

    ``package_create`` costs about 0.4 s a dataset here (validation, activity, a Solr commit), so two
    real datasets made through the API serve as templates: their database rows are copied with new
    ids in batched INSERTs, and their dicts (as ``package_show`` gives them to the indexer) go through
    CKAN's own indexing, ``index_update_package_dicts``, with one Solr commit per batch.
    """

    def __init__(self, api: Any) -> None:
        org = api("organization_create", name="gemeente-bulkdorp", title="Gemeente Bulkdorp")
        self.marker = f"GEHEIM{uuid.uuid4().hex[:12]}"
        common = {"owner_org": org["id"], "notes": "Een dataset van de bulktest."}
        templates = {
            False: api("package_create", name="sjabloon-open", title="Sjabloon open", **common,
                       resources=[{"url": "https://data.bulkdorp.nl/open.csv", "format": "CSV", "name": "Open"}]),
            True: api("package_create", name="sjabloon-dicht", title="Sjabloon dicht", **common,
                      access_rights="niet-publiek", woo_grounds=["5.1.2.e"], review_date=review_date(),
                      woo_motivation="Het bestand bevat de namen en adressen van melders, dus persoonsgegevens.",
                      resources=[{"url": f"https://data.bulkdorp.nl/{self.marker}.csv", "format": "CSV",
                                  "name": "Dicht"}]),
        }
        self.rows, self.dicts = {}, {}
        for is_closed, template in templates.items():
            self.rows[is_closed] = (
                _rows(model.package_table, model.package_table.c.id, template["id"])[0],
                _rows(model.resource_table, model.resource_table.c.package_id, template["id"]),
            )
            self.dicts[is_closed] = logic.package_show_default_and_custom_schemas({"ignore_auth": True}, template["id"])
        self.names = {template["name"] for template in templates.values()}
        self.closed_names = {templates[True]["name"]}

    def add(self, count: int) -> None:
        package_rows, resource_rows, index_dicts = [], [], []
        start = datetime.datetime(2025, 1, 1)
        for number in range(len(self.names), len(self.names) + count):
            is_closed = number % CLOSED_EVERY == 0
            package_id, name, title = str(uuid.uuid4()), f"bulk-{number:04d}", f"Bulkdataset {number}"
            moment = start + datetime.timedelta(minutes=number)
            package_row, template_resources = self.rows[is_closed]
            package_rows.append(dict(package_row, id=package_id, name=name, title=title,
                                     metadata_created=moment, metadata_modified=moment))
            resource_ids = [str(uuid.uuid4()) for _ in template_resources]
            resource_rows += [dict(row, id=resource_id, package_id=package_id)
                              for row, resource_id in zip(template_resources, resource_ids, strict=True)]
            both = []
            for shown in self.dicts[is_closed]:
                clone = copy.deepcopy(shown)
                clone.update(id=package_id, name=name, title=title, metadata_created=moment.isoformat(),
                             metadata_modified=moment.isoformat())
                for resource, resource_id in zip(clone.get("resources") or [], resource_ids, strict=True):
                    resource.update(id=resource_id, package_id=package_id)
                both.append(clone)
            index_dicts.append(tuple(both))
            self.names.add(name)
            if is_closed:
                self.closed_names.add(name)

        for offset in range(0, len(package_rows), 500):
            model.Session.execute(model.package_table.insert(), package_rows[offset:offset + 500])
        for offset in range(0, len(resource_rows), 500):
            model.Session.execute(model.resource_table.insert(), resource_rows[offset:offset + 500])
        model.Session.commit()
        for both in index_dicts:
            logic.index_update_package_dicts(both, defer_commit=True)
        search.commit()


def export_with_peak(app: Any, path: str, target: Path) -> tuple[int, int]:
    """Stream an export into ``target`` chunk by chunk, as a harvester would; return the status and
    the peak of Python memory traced while the portal produced it (the file is on disk, not traced)."""
    tracemalloc.start()
    try:
        response = app.get(path, buffered=False)
        with target.open("wb") as file:
            for chunk in response.iter_encoded():
                file.write(chunk)
        response.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return response.status_code, peak


def test_2000_datasets_export_completely_and_validly(app, api, monkeypatch, tmp_path):
    """Completeness and validity are asserted, memory is not: the peaks of traced memory for 600 and
    for 2,000 datasets (both more than one page) are only printed. Whether the export's memory stays
    flat is measured by `make bench` (line "Export memory flat (ours)", information)."""
    monkeypatch.setitem(tk.config, "ckan.search.solr_commit", False)
    bulk = BulkCatalogue(api)
    peaks: dict[int, dict[str, int]] = {}
    for size in (600, BULK):
        began = time.monotonic()
        bulk.add(size - len(bulk.names))
        print(f"\nbulk: {len(bulk.names)} datasets in the catalogue, added in {time.monotonic() - began:.1f} s")
        peaks[size] = {}
        for extension in ("csv", "jsonl", "rdf"):
            target = tmp_path / f"datasets-{size}.{extension}"
            began = time.monotonic()
            status, peaks[size][extension] = export_with_peak(app, f"/export/datasets.{extension}", target)
            assert status == 200
            print(f"export {extension} of {size}: {target.stat().st_size / 1e6:.1f} MB in "
                  f"{time.monotonic() - began:.1f} s (traced), peak {peaks[size][extension] / 1e6:.1f} MB")
    print("export peak traced memory in bytes, by catalogue size, page size "
          f"{source.PAGE_SIZE}: {json.dumps(peaks)}")

    # the large export is complete and valid
    names, closed_names = bulk.names, bulk.closed_names
    assert len(names) == BULK
    text = (tmp_path / f"datasets-{BULK}.csv").read_text(encoding="utf-8")
    assert bulk.marker not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(row["name"] for row in rows) == sorted(names)  # every dataset, each once
    assert {row["name"] for row in rows if row["num_resources"] == "0"} == closed_names

    text = (tmp_path / f"datasets-{BULK}.jsonl").read_text(encoding="utf-8")
    assert bulk.marker not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert sorted(line["name"] for line in lines) == sorted(names)
    assert all(line["resources"] == [] for line in lines if line["name"] in closed_names)

    text = (tmp_path / f"datasets-{BULK}.rdf").read_text(encoding="utf-8")
    assert bulk.marker not in text
    graph = Graph().parse(data=text, format="xml")
    refs = dataset_refs(graph)
    assert len(refs) == len(names)
    assert set(graph.objects(URIRef(SITE), DCAT.dataset)) == refs
    closed_refs = {ref for ref in refs if str(graph.value(ref, DCT.accessRights)).endswith("NON_PUBLIC")}
    assert len(closed_refs) == len(closed_names)
    assert all(not list(graph.objects(ref, DCAT.distribution)) for ref in closed_refs)
