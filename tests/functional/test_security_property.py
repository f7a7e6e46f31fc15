""""Open, tenzij" under generation: hypothesis makes catalogues of datasets with random access rights
(closed ones with valid grounds, motivation and review date; some closed only after they were public
and indexed), random resources and DataStore tables, every one carrying a unique marker. An anonymous
visitor then walks every channel: no marker of a closed dataset may appear anywhere, while the open
datasets' data does appear, and a closed dataset's existence stays public (the register lists it).

test_withholding.py checks each channel in depth for one closed dataset; this test checks that the rule
holds for any mix of datasets, including the transition from open to closed."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckanext.openoverheid import valuelists

GROUNDS = valuelists.get("woo_grounds").values()
MOTIVATION = (
    "De gegevens bevatten adressen van opvanglocaties; openbaarmaking brengt de veiligheid van bewoners in "
    "gevaar en weegt zwaarder dan het belang van openbaarheid."
)
ORG = "gemeente-proefstad"

resource_plan = st.fixed_dictionaries({"datastore": st.booleans(), "format": st.sampled_from(["CSV", "JSON", "XLSX"])})
dataset_plan = st.fixed_dictionaries({
    "access_rights": st.sampled_from(["publiek", "beperkt", "niet-publiek"]),
    "closed_later": st.booleans(),  # created public (and indexed with its resources), closed afterwards
    "woo_grounds": st.lists(st.sampled_from(GROUNDS), min_size=1, max_size=3, unique=True),
    "review_in_days": st.integers(min_value=1, max_value=4 * 365),
    "resources": st.lists(resource_plan, max_size=2),
})


def marker(kind: str) -> str:
    """Letters only: Solr's tokenizer would split a mixed marker into parts found elsewhere."""
    return kind + uuid.uuid4().hex[:14].translate(str.maketrans("0123456789", "ghijklmnop"))


@dataclass
class Made:
    name: str
    title: str
    closed: bool
    marker: str
    resource_ids: list[str] = field(default_factory=list)
    table_ids: list[str] = field(default_factory=list)


def make_dataset(api, plan: dict[str, Any]) -> Made:
    closed = plan["access_rights"] != "publiek"
    mark = marker("geheim" if closed else "openbaar")
    name = f"proef-{uuid.uuid4().hex[:10]}"
    made = Made(name=name, title=f"Proefdataset {name[-10:]}", closed=closed, marker=mark)
    closure = {
        "access_rights": plan["access_rights"],
        "woo_grounds": plan["woo_grounds"],
        "woo_motivation": MOTIVATION,
        "review_date": (dt.date.today() + dt.timedelta(days=plan["review_in_days"])).isoformat(),
    }
    resources = [
        {"name": f"Bestand {n} {mark}", "url": f"https://data.proefstad.nl/{mark}/bestand{n}.{r['format'].lower()}",
         "description": f"Inhoud {mark}", "format": r["format"]}
        for n, r in enumerate(plan["resources"])
    ]
    dataset = api("package_create", name=name, title=made.title, notes="Een dataset van de proef.", owner_org=ORG,
                  resources=resources, **(closure if closed and not plan["closed_later"] else {}))
    for resource, wanted in zip(dataset["resources"], plan["resources"], strict=True):
        made.resource_ids.append(resource["id"])
        if wanted["datastore"]:
            api("datastore_create", resource_id=resource["id"], force=True,
                fields=[{"id": "adres", "type": "text"}], records=[{"adres": f"Dorpsstraat 1 {mark}"}])
            made.table_ids.append(resource["id"])
    if closed and plan["closed_later"]:
        api("package_patch", id=name, **closure)
    return made


def walk(app, made: list[Made]) -> dict[str, tuple[int, str]]:
    """Every channel, as an anonymous visitor: URL → (status, body)."""
    urls = [
        "/api/3/action/package_search?q=*:*&rows=1000",
        "/api/3/action/package_search?q=*:*&rows=1000&fl=id,name,res_url,res_name,res_description,urls,"
        "data_dict,validated_data_dict",
        "/api/3/action/current_package_list_with_resources?limit=1000",
        "/api/3/action/resource_search?query=name:Bestand",
        "/catalog.xml", "/catalog.jsonld",
        "/export/datasets.rdf", "/export/datasets.csv", "/export/datasets.jsonl",
        "/openheid", "/openheid.csv", "/api/3/action/openheid_register",
        "/feeds/dataset.rss", "/feeds/dataset.atom", f"/feeds/organization/{ORG}.rss", "/feeds/openheid.atom",
        "/dataset/",
    ]
    for dataset in made:
        urls += [
            f"/api/3/action/package_show?id={dataset.name}",
            f"/dataset/{dataset.name}", f"/dataset/{dataset.name}.rdf", f"/dataset/{dataset.name}.ttl",
            f"/dataset/{dataset.name}.jsonld",
            f"/api/3/action/package_search?q=res_url:*{dataset.marker}*",
            f"/api/3/action/package_search?q={dataset.marker}",
            f"/api/3/action/package_search?fq=res_name:{dataset.marker}",
        ]
        for resource_id in dataset.resource_ids:
            urls += [
                f"/api/3/action/resource_show?id={resource_id}",
                f"/dataset/{dataset.name}/resource/{resource_id}",
            ]
        for table_id in dataset.table_ids:
            urls += [
                f"/api/3/action/datastore_search?resource_id={table_id}",
                f'/api/3/action/datastore_search_sql?sql=SELECT * FROM "{table_id}"',
                f"/datastore/dump/{table_id}",
            ]
    seen = {}
    for url in urls:
        response = app.get(url)
        seen[url] = (response.status_code, response.get_data(as_text=True))
    return seen


@pytest.fixture
def organization(api) -> dict[str, Any]:
    return api("organization_create", name=ORG, title="Gemeente Proefstad")


@settings(max_examples=8, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plans=st.lists(dataset_plan, min_size=1, max_size=3))
def test_no_closed_data_is_reachable_anonymously_through_any_channel(app, api, organization, plans):
    made: list[Made] = []
    try:
        made = [make_dataset(api, plan) for plan in plans]
        seen = walk(app, made)

        for url, (status, text) in seen.items():
            assert status in (200, 403, 404), (url, status, text[:300])
            for dataset in made:
                if dataset.closed:
                    assert dataset.marker not in text, f"{url} leaks the data of the closed {dataset.name}"
        for dataset in made:
            shown = seen[f"/api/3/action/package_show?id={dataset.name}"][1]
            assert dataset.title in shown  # every dataset's existence is public
            if dataset.closed:
                assert dataset.name in seen["/api/3/action/openheid_register"][1]  # and listed with its grounds
                for resource_id in dataset.resource_ids:
                    assert seen[f"/api/3/action/resource_show?id={resource_id}"][0] == 403
                for table_id in dataset.table_ids:
                    assert seen[f"/api/3/action/datastore_search?resource_id={table_id}"][0] == 403
            else:
                if dataset.resource_ids:
                    assert dataset.marker in shown, f"the open {dataset.name} lost its resources"
                for table_id in dataset.table_ids:
                    status, rows = seen[f"/api/3/action/datastore_search?resource_id={table_id}"]
                    assert status == 200 and dataset.marker in rows
    finally:
        for dataset in made:
            api("dataset_purge", id=dataset.name)
