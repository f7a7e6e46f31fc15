"""Two organisations on one portal: nothing organisation Zeist (A) does reaches Utrecht's (B) data.

One portal for the whole module, built once (``world``): B harvests its permits and waste calendars,
owns a plain dataset with a DataStore table, the register dataset and a melding; its state is then
recorded. Only after that does A act: a vergunningen source for B's municipality (a feed with the
same permit identifiers and other contents), a second one configured for Zeist whose feed claims
Utrecht, an afvalkalender source covering B's postcodes, a melding of its own (whose open dataset's
name B squats). Every test ends by comparing B's datasets, DataStore rows, sources and melding with
the recorded state.

``WRITE_PATHS`` is the matrix: one row per way of writing, each tried by an admin and an editor of A
(or, for the paths that run with site rights on A's behalf, by the portal acting for A). A new
feature that writes adds one row.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
import pytest
from afvalkalender_server import route, running_afvalwijzer
from harvest_jobs import consume
from vergunningen_sru_server import records_pages, running_sru_server, sample_records

from ckanext.openoverheid.harvest.run_now import run_source_now
from ckanext.openoverheid.harvest.table_target import target_dataset_name
from ckanext.openoverheid.meldingen import opendata
from ckanext.openoverheid.openheid import register_dataset
from harvesters.afvalkalender.base import amsterdam_today

B_ORG, A_ORG = "gemeente-utrecht", "gemeente-zeist"
B_PUBLICATION = "woo-besluit-utrecht"
WOO_VERZOEKEN = "https://identifier.overheid.nl/tooi/def/thes/kern/c_3baef532"
AREAS = "gemeente-utrecht=4.97,52.02,5.20,52.14 gemeente-zeist=5.21,52.05,5.30,52.12"
PERMITS = 25
B_ADDRESS = "3512AH 13"
B_RESIDENT, A_RESIDENT = "bewoner@utrecht.example", "bewoner@zeist.example"
A_ADDRESSES = {"admin": "3512AH 20", "editor": "3512AH 21"}  # only A's provider knows these
SQUATTED = opendata.dataset_name(A_ORG)  # A's meldingen dataset name, taken by B


def site_context() -> dict[str, Any]:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": user["name"], "ignore_auth": True, "use_cache": False}


def act(action: str, **data: Any) -> Any:
    return tk.get_action(action)(site_context(), data)


def _confirmed_request_to(organization: str) -> int:
    """A data request to ``organization``, confirmed with the token its confirmation mail carries."""
    from ckan import model

    from ckanext.openoverheid.verzoeken import tokens
    from ckanext.openoverheid.verzoeken.model import VerzoekSteun

    created = act("verzoek_create", soort="data", titel="Bomenkaart van de stad", toelichting="Alle bomen.",
                  email="vrager@voorbeeld.nl", organisatie=organization)
    steun = model.Session.query(VerzoekSteun).filter_by(verzoek_id=created["id"]).one()
    act("verzoek_confirm", token=tokens.make(steun.id))
    return int(created["id"])


@dataclass
class World:
    sources: dict[str, dict[str, Any]]  # by key: b_vergunningen, b_afval, a_utrecht, a_zeist, a_afval
    tokens: dict[str, str]  # actor -> API token (admins and editors of A)
    b_melding: dict[str, Any]
    a_melding_id: int
    b_records: list[dict[str, Any]]
    a_records: list[dict[str, Any]]
    a_servers: dict[str, Any]
    b_datasets: list[str] = field(default_factory=list)
    recorded: dict[str, Any] = field(default_factory=dict)
    alerts: dict[str, str] = field(default_factory=dict)  # a resident of B's and of A's: subscription ids, tokens
    b_verzoek_id: int = 0  # a confirmed data request addressed to B

    def b_state(self) -> dict[str, Any]:
        """Everything of B a write could change: dataset dicts, DataStore rows, sources, its melding."""
        state: dict[str, Any] = {}
        for name in self.b_datasets:
            dataset = act("package_show", id=name)
            tables = {
                resource["id"]: act("datastore_search", resource_id=resource["id"], limit=32000, sort="_id")["records"]
                for resource in dataset["resources"]
                if resource.get("datastore_active")
            }
            state[f"dataset:{name}"] = dataset
            state[f"rows:{name}"] = tables
        for key in ("b_vergunningen", "b_afval"):
            source = act("harvest_source_show", id=self.sources[key]["id"])
            source.pop("status", None)  # computed when shown (next run), not stored
            state[f"source:{key}"] = source
        state["melding"] = act("melding_show", id=self.b_melding["id"])
        state["alerts"] = _alerts_of(B_RESIDENT)
        state["verzoek"] = act("verzoek_show", id=self.b_verzoek_id)
        return state


def _with_photo(melding_id: int) -> dict[str, Any]:
    """B's melding with a photo (its file is not needed: hiding it is what A must not do)."""
    from ckan import model

    from ckanext.openoverheid.meldingen.model import Melding

    melding = model.Session.get(Melding, melding_id)
    melding.photo, melding.photo_thumbnail = "meldingen/b.jpg", "meldingen/b-klein.jpg"
    model.Session.commit()
    opendata.sync_melding(melding)
    return act("melding_show", id=melding_id)


def _alerts_of(email: str) -> dict[str, Any]:
    """An address's subscriptions and queued mail, as stored (alerts belong to an address, not to an
    organisation: the residents of B's municipality are what A must not reach)."""
    from ckan import model

    from ckanext.openoverheid.attenderingen.model import OutgoingMail, Subscriber, Subscription

    subscriber = model.Session.query(Subscriber).filter_by(email=email).one_or_none()
    if subscriber is None:
        return {}
    rows = model.Session.query(Subscription).filter_by(subscriber_id=subscriber.id).order_by(Subscription.id)
    mails = model.Session.query(OutgoingMail).filter_by(subscriber_id=subscriber.id).order_by(OutgoingMail.id)
    return {"subscriptions": [(s.id, s.criteria, s.confirmed) for s in rows],
            "mails": [(m.id, m.status, m.attempts) for m in mails]}


def _resident_subscribed(email: str, prefix: str) -> dict[str, str]:
    """A confirmed alert for permits in Utrecht; its id and the tokens its mails would carry."""
    from ckanext.openoverheid.attenderingen import subscriptions, tokens
    from ckanext.openoverheid.attenderingen.sources import source_for

    errors: dict[str, list[str]] = {}
    criteria = source_for("vergunningen").criteria({"lat": 52.0907, "lon": 5.1214, "straal": 500}, errors)
    assert not errors, errors
    subscription, _ = subscriptions.subscribe(email, "vergunningen", criteria, "nl")
    confirm = tokens.make(tokens.Purpose.CONFIRM, subscription.id)
    assert subscriptions.confirm(confirm).outcome == "confirmed"
    return {f"{prefix}_id": subscription.id, f"{prefix}_confirm": confirm,
            f"{prefix}_unsubscribe": tokens.make(tokens.Purpose.UNSUBSCRIBE, subscription.id),
            f"{prefix}_manage": tokens.make(tokens.Purpose.MANAGE, subscription.subscriber_id)}


def _dataset_name(source: dict[str, Any]) -> str:
    """The dataset the source fills, as the harvester decides it."""
    return target_dataset_name(SimpleNamespace(id=source["id"]))


def _source(name: str, org: str, source_type: str, url: str, config: dict[str, Any]) -> dict[str, Any]:
    return act(
        "harvest_source_create",
        name=name,
        title=name,
        url=url,
        source_type=source_type,
        frequency="MANUAL",
        owner_org=org,
        config=json.dumps(config),
    )


def _harvest(source: dict[str, Any]) -> None:
    summary = run_source_now(source["id"])
    assert summary.status == "Finished" and not summary.gather_errors and not summary.object_errors, summary


@pytest.fixture(scope="module")
def world(reset_db, reset_index, migrate_db_for) -> Iterator[World]:
    """The module's one portal; see the module docstring."""
    from ckan.lib.redis import connect_to_redis
    from ckan.tests import factories
    from ckanext.datastore.tests import helpers as datastore_helpers

    saved_config = {
        key: tk.config.get(key)
        for key in ("ckanext.openoverheid.meldingen.areas", "ckanext.openoverheid.meldingen.datastore_sync")
    }
    tk.config["ckanext.openoverheid.meldingen.areas"] = AREAS
    tk.config["ckanext.openoverheid.meldingen.datastore_sync"] = True
    plugins.load_all()
    reset_db()
    reset_index()
    for plugin in ("activity", "harvest", "openoverheid_participatie", "openoverheid_attenderingen"):
        migrate_db_for(plugin)
    engine = datastore_helpers.db.get_write_engine()
    datastore_helpers.rebuild_all_dbs(
        datastore_helpers.orm.scoped_session(datastore_helpers.orm.sessionmaker(bind=engine))
    )
    redis = connect_to_redis()
    for key in redis.scan_iter(match="*afvalkalender*"):
        redis.delete(key)

    with contextlib.ExitStack() as servers:
        sru = {key: servers.enter_context(running_sru_server()) for key in ("b", "a_utrecht", "a_zeist")}
        afval = {key: servers.enter_context(running_afvalwijzer()) for key in ("b", "a")}
        year = amsterdam_today().year
        b_records = sample_records(PERMITS, "Utrecht")
        a_records = sample_records(PERMITS, "Utrecht", seed=13)  # the same identifiers, other contents
        sru["b"].pages = records_pages(b_records)
        sru["a_utrecht"].pages = records_pages(a_records)
        # notices of Zeist (their creator) whose address data says Utrecht
        sru["a_zeist"].pages = records_pages(
            [dict(record, gemeente="Utrecht") for record in sample_records(PERMITS, "Zeist", seed=26)]
        )
        afval["b"].answer(B_ADDRESS, route(year))
        for address in A_ADDRESSES.values():
            afval["a"].answer(address, route(year, weeks=3))

        users = {role: factories.UserWithToken() for role in ("admin", "editor", "b_admin")}
        act(
            "organization_create",
            name=B_ORG,
            title="Gemeente Utrecht",
            users=[{"name": users["b_admin"]["name"], "capacity": "admin"}],
        )
        act(
            "organization_create",
            name=A_ORG,
            title="Gemeente Zeist",
            users=[
                {"name": users["admin"]["name"], "capacity": "admin"},
                {"name": users["editor"]["name"], "capacity": "editor"},
            ],
        )
        fast = {"pause": 0, "timeout": 3}

        # --- B, alone ---------------------------------------------------------------------------
        sources = {
            "b_vergunningen": _source(
                "bron-vergunningen-utrecht", B_ORG, "vergunningen", sru["b"].url, {"gemeente": "Utrecht", **fast}
            ),
            "b_afval": _source(
                "bron-afvalkalender-utrecht",
                B_ORG,
                "afvalkalender",
                afval["b"].url,
                {
                    "gemeente": "Utrecht",
                    "provider": "mijnafvalwijzer",
                    "apikey": "b-geheim",
                    "adressen": [B_ADDRESS],
                    "postcodes": ["3500-3585"],
                    **fast,
                },
            ),
        }
        _harvest(sources["b_vergunningen"])
        _harvest(sources["b_afval"])
        act("package_create", name="bomen-data", title="Bomen", notes="Bomen van Utrecht", owner_org=B_ORG)
        act(
            "datastore_create",
            resource={"package_id": "bomen-data", "name": "Bomen", "format": "DataStore"},
            fields=[{"id": "boom", "type": "text"}],
            primary_key=["boom"],
            records=[{"boom": "eik"}],
            force=True,
        )
        act("package_create", name=SQUATTED, title="Niet van Zeist", notes="Van Utrecht", owner_org=B_ORG)
        act("package_create", type="publicatie", name=B_PUBLICATION, title="Besluit op Woo-verzoek", owner_org=B_ORG,
            informatiecategorie=WOO_VERZOEKEN, handeling_datum="2026-11-28", resources=[
                {"name": "Besluit", "url": "https://documenten.utrecht.nl/besluit.pdf"},
                {"name": "Bijlage", "url": "https://documenten.utrecht.nl/bijlage.pdf", "access_rights": "niet-publiek",
                 "woo_grounds": ["5.1.2.e"], "review_date": f"{amsterdam_today().year + 2}-01-01",
                 "woo_motivation": "De bijlage noemt namen en adressen van omwonenden die bezwaar maakten."},
            ])
        register_dataset.ensure_register_dataset(B_ORG)
        b_melding = act(
            "melding_create", service_code="losse-stoeptegel", description="Losse tegel", lat=52.0907, lon=5.1214
        )
        b_melding = _with_photo(b_melding["id"])
        b_datasets = [
            _dataset_name(sources["b_vergunningen"]),
            _dataset_name(sources["b_afval"]),
            "bomen-data",
            SQUATTED,
            B_PUBLICATION,
            register_dataset.DATASET_NAME,
            opendata.dataset_name(B_ORG),
        ]
        alerts = _resident_subscribed(B_RESIDENT, "b")
        b_verzoek_id = _confirmed_request_to(B_ORG)
        world = World(
            b_verzoek_id=b_verzoek_id,
            alerts=alerts,
            sources=sources,
            tokens={role: users[role]["token"] for role in ("admin", "editor")},
            b_melding=b_melding,
            a_melding_id=0,
            b_records=b_records,
            a_records=a_records,
            a_servers={"sru": sru, "afval": afval},
            b_datasets=b_datasets,
        )
        world.recorded = world.b_state()

        # --- then A -------------------------------------------------------------------------------
        sources["a_utrecht"] = _source(
            "bron-vergunningen-zeist-voor-utrecht",
            A_ORG,
            "vergunningen",
            sru["a_utrecht"].url,
            {"gemeente": "Utrecht", **fast},
        )
        sources["a_zeist"] = _source(
            "bron-vergunningen-zeist", A_ORG, "vergunningen", sru["a_zeist"].url, {"gemeente": "Zeist", **fast}
        )
        sources["a_afval"] = _source(
            "bron-afvalkalender-zeist",
            A_ORG,
            "afvalkalender",
            afval["a"].url,
            {
                "gemeente": "Utrecht",
                "provider": "mijnafvalwijzer",
                "apikey": "a-geheim",
                "postcodes": ["3500-3585"],
                **fast,
            },
        )
        _harvest(sources["a_utrecht"])
        _harvest(sources["a_zeist"])
        world.alerts.update(_resident_subscribed(A_RESIDENT, "a"))
        world.a_melding_id = act(
            "melding_create", service_code="losse-stoeptegel", description="Tegel in Zeist", lat=52.09, lon=5.25
        )["id"]
        yield world
    plugins.unload_all()
    for key, value in saved_config.items():
        if value is None:
            tk.config.pop(key, None)
        else:
            tk.config[key] = value


@pytest.fixture
def portal_world(world: World, with_plugins: Any) -> World:
    return world


# --- calling the API as a member of A ------------------------------------------------------------------


def call(app: Any, token: str | None, action: str, **data: Any) -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": token} if token else {}
    response = app.post(f"/api/3/action/{action}", json=data, headers=headers)
    return response.status_code, response.get_json(silent=True) or {}


def refused(app: Any, token: str | None, action: str, **data: Any) -> dict[str, Any]:
    status, body = call(app, token, action, **data)
    assert status in (403, 409) and body.get("success") is False, (action, status, body)
    return body


def refused_for_ownership(app: Any, token: str | None, action: str, **data: Any) -> None:
    """A field error on ``name`` that names B, in Dutch."""
    body = refused(app, token, action, **data)
    message = " ".join(body["error"].get("name", []))
    assert "hoort bij de organisatie Gemeente Utrecht" in message and "andere naam" in message, body


# --- the write paths ------------------------------------------------------------------------------------

Attempt = Callable[[World, Any, str], None]  # (world, app, actor)


def create_source_at_bs_dataset(world: World, app: Any, actor: str) -> None:
    token = world.tokens[actor]
    # the source "bomen" would fill "bomen-data", a dataset of B
    refused_for_ownership(
        app,
        token,
        "harvest_source_create",
        name="bomen",
        title="Bomen",
        url="https://example.org/sru",
        source_type="vergunningen",
        frequency="MANUAL",
        owner_org=A_ORG,
        config=json.dumps({"gemeente": "Utrecht"}),
    )


def update_source_to_bs_dataset(world: World, app: Any, actor: str) -> None:
    token = world.tokens[actor]
    source = world.sources["a_afval"]  # never filled a dataset: its target follows its name
    refused_for_ownership(
        app,
        token,
        "harvest_source_update",
        id=source["id"],
        name="bomen",
        title="Bomen",
        url=source["url"],
        source_type="afvalkalender",
        frequency="MANUAL",
        owner_org=A_ORG,
        config=source["config"],
    )


def harvest_job_for_bs_municipality(world: World, app: Any, actor: str) -> None:
    token = world.tokens[actor]
    source = world.sources["a_utrecht"]
    status, body = call(app, token, "harvest_job_create", source_id=source["id"], run=True)
    assert status == 200, body
    consume(source["id"])
    dataset = act("package_show", id=_dataset_name(source))
    assert dataset["organization"]["name"] == A_ORG


def new_source_for_bs_municipality(world: World, app: Any, actor: str) -> None:
    token = world.tokens[actor]
    name = f"bron-vergunningen-utrecht-door-zeist-{actor}"
    status, body = call(
        app,
        token,
        "harvest_source_create",
        name=name,
        title=name,
        # A's feed, asked in pages of another size: ckanext-harvest refuses a second source of one URL and config
        url=world.a_servers["sru"]["a_utrecht"].url,
        source_type="vergunningen",
        frequency="MANUAL",
        owner_org=A_ORG,
        config=json.dumps({"gemeente": "Utrecht", "pause": 0, "timeout": 3, "page_size": len(name)}),
    )
    assert status == 200, body
    _harvest(body["result"])
    dataset = act("package_show", id=_dataset_name(body["result"]))
    assert dataset["organization"]["name"] == A_ORG


def afvalkalender_on_demand(world: World, app: Any, actor: str) -> None:
    postcode, number = A_ADDRESSES[actor].split()
    response = app.get(f"/afvalkalender/{postcode}/{number}.json", headers={"Authorization": world.tokens[actor]})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.get_json()["dataset"]["name"] == _dataset_name(world.sources["a_afval"])


def register_dataset_for_a(world: World, app: Any, actor: str) -> None:
    with pytest.raises(register_dataset.RegisterDatasetError, match="Gemeente Utrecht"):
        register_dataset.ensure_register_dataset(A_ORG)


def meldingen_sync_for_a(world: World, app: Any, actor: str) -> None:
    from ckan import model

    from ckanext.openoverheid.meldingen.model import Melding

    opendata.sync_melding(model.Session.get(Melding, world.a_melding_id))
    opendata.sync_all()


def ckan_package_update(world: World, app: Any, actor: str) -> None:
    token = world.tokens[actor]
    refused(app, token, "package_update", id="bomen-data", name="bomen-data", title="Van Zeist", owner_org=B_ORG)


def ckan_resource_create(world: World, app: Any, actor: str) -> None:
    token = world.tokens[actor]
    refused(app, token, "resource_create", package_id="bomen-data", url="https://phishing.example/", name="Hier")


def woo_publication_update(world: World, app: Any, actor: str) -> None:
    refused(app, world.tokens[actor], "package_patch", id=B_PUBLICATION, title="Besluit van Zeist")


def woo_document_create(world: World, app: Any, actor: str) -> None:
    refused(app, world.tokens[actor], "resource_create", package_id=B_PUBLICATION, url="https://phishing.example/b.pdf")


def woo_document_opened(world: World, app: Any, actor: str) -> None:
    closed = act("package_show", id=B_PUBLICATION)["resources"][1]
    refused(app, world.tokens[actor], "resource_patch", id=closed["id"], access_rights="publiek")


def woo_publication_in_b(world: World, app: Any, actor: str) -> None:
    refused(app, world.tokens[actor], "package_create", type="publicatie", name="woo-van-zeist", title="Van Zeist",
            owner_org=B_ORG, informatiecategorie=WOO_VERZOEKEN, handeling_datum="2026-11-28")
    assert not act("package_search", fq="name:woo-van-zeist", include_private=True)["count"]


def _table(name: str) -> str:
    return next(r["id"] for r in act("package_show", id=name)["resources"] if r.get("datastore_active"))


def ckan_datastore_upsert(world: World, app: Any, actor: str) -> None:
    token = world.tokens[actor]
    refused(
        app,
        token,
        "datastore_upsert",
        resource_id=_table("bomen-data"),
        records=[{"boom": "den"}],
        method="upsert",
        force=True,
    )
    refused(
        app,
        token,
        "datastore_upsert",
        resource_id=_table(world.b_datasets[0]),
        force=True,
        method="upsert",
        records=[{"identifier": "gmb-phishing", "title": "Klik hier", "gemeente": "Utrecht"}],
    )


def ckan_datastore_delete(world: World, app: Any, actor: str) -> None:
    token = world.tokens[actor]
    refused(app, token, "datastore_delete", resource_id=_table(world.b_datasets[0]), filters={}, force=True)


def harvest_source_update_of_b(world: World, app: Any, actor: str) -> None:
    token = world.tokens[actor]
    source = world.sources["b_vergunningen"]
    refused(
        app,
        token,
        "harvest_source_update",
        id=source["id"],
        name=source["name"],
        title="Overgenomen",
        url="https://phishing.example/sru",
        source_type="vergunningen",
        frequency="MANUAL",
        owner_org=B_ORG,
        config=source["config"],
    )


def harvest_source_delete_of_b(world: World, app: Any, actor: str) -> None:
    token = world.tokens[actor]
    refused(app, token, "harvest_source_delete", id=world.sources["b_vergunningen"]["id"])


def harvest_job_create_of_b(world: World, app: Any, actor: str) -> None:
    token = world.tokens[actor]
    refused(app, token, "harvest_job_create", source_id=world.sources["b_afval"]["id"], run=True)


def melding_status_of_b(world: World, app: Any, actor: str) -> None:
    token = world.tokens[actor]
    refused(
        app,
        token,
        "melding_update_create",
        id=world.b_melding["id"],
        status="in_behandeling",
        text="Door Zeist afgehandeld",
    )


def melding_photo_of_b_hidden(world: World, app: Any, actor: str) -> None:
    refused(app, world.tokens[actor], "melding_photo_hide", id=world.b_melding["id"], reason="Gezicht zichtbaar")


def verzoek_of_b_answered(world: World, app: Any, actor: str) -> None:
    refused(app, world.tokens[actor], "verzoek_update", id=world.b_verzoek_id, status="afgewezen",
            antwoord="Door Zeist afgewezen")


def verzoek_of_b_hidden(world: World, app: Any, actor: str) -> None:
    refused(app, world.tokens[actor], "verzoek_hide", id=world.b_verzoek_id, reason="Door Zeist verborgen")


def verzoek_of_b_taken(world: World, app: Any, actor: str) -> None:
    refused(app, world.tokens[actor], "verzoek_update", id=world.b_verzoek_id, organisatie=A_ORG)


def with_link(app: Any, api_token: str, action: str, link_token: str, **data: Any) -> tuple[int, dict[str, Any]]:
    """An alert action with the token of a mail's link (``call``'s own ``token`` is the API token)."""
    response = app.post(f"/api/3/action/{action}", json={"token": link_token, **data},
                        headers={"Authorization": api_token})
    return response.status_code, response.get_json(silent=True) or {}


def not_found(app: Any, api_token: str, action: str, link_token: str, **data: Any) -> None:
    status, body = with_link(app, api_token, action, link_token, **data)
    assert status == 404 and body.get("success") is False, (action, status, body)


def alerts_sent_at_once(world: World, app: Any, actor: str) -> None:
    body = refused(app, world.tokens[actor], "attendering_send_due")
    assert body["error"]["__type"] == "Authorization Error", body


def alerts_of_b_with_as_manage_token(world: World, app: Any, actor: str) -> None:
    """A's resident's "my alerts" token (which its holder may use) on B's resident's alert."""
    alerts, token = world.alerts, world.tokens[actor]
    status, body = with_link(app, token, "attendering_list", alerts["a_manage"])
    assert status == 200 and [s["id"] for s in body["result"]["subscriptions"]] == [alerts["a_id"]], body
    not_found(app, token, "attendering_update", alerts["a_manage"], id=alerts["b_id"], straal=2000)
    not_found(app, token, "attendering_delete", alerts["a_manage"], id=alerts["b_id"])


def alert_tokens_of_another_purpose(world: World, app: Any, actor: str) -> None:
    """B's resident's confirmation and unsubscribe tokens (both travel in mails) as manage tokens, and
    the other way round: no purpose's token serves another."""
    alerts, token = world.alerts, world.tokens[actor]
    for wrong in (alerts["b_confirm"], alerts["b_unsubscribe"]):
        not_found(app, token, "attendering_list", wrong)
        not_found(app, token, "attendering_update", wrong, id=alerts["b_id"], straal=2000)
        not_found(app, token, "attendering_delete", wrong, id=alerts["b_id"])
        not_found(app, token, "attendering_delete", wrong, all=True)
    for action, wrong in (("attendering_unsubscribe", alerts["b_confirm"]),
                          ("attendering_unsubscribe", alerts["b_manage"]),
                          ("attendering_confirm", alerts["b_unsubscribe"])):
        status, body = with_link(app, token, action, wrong)
        assert status == 200 and body["result"]["outcome"] == "invalid", (action, body)


MEMBERS = ("admin", "editor")
SITE = ("site",)  # the portal, acting for A (harvest machinery, CLI, sync)

# (write path, who tries it, the attempt): one line per way of writing
WRITE_PATHS: list[tuple[str, tuple[str, ...], Attempt]] = [
    ("harvest_source_create at B's dataset", MEMBERS, create_source_at_bs_dataset),
    ("harvest_source_update to B's dataset", MEMBERS, update_source_to_bs_dataset),
    ("harvest job of A's source for B's municipality", MEMBERS, harvest_job_for_bs_municipality),
    ("new vergunningen source of A for B's gemeente", MEMBERS, new_source_for_bs_municipality),
    ("afvalkalender on-demand store", MEMBERS, afvalkalender_on_demand),
    ("register dataset for A", SITE, register_dataset_for_a),
    ("meldingen open-data sync of A", SITE, meldingen_sync_for_a),
    ("package_update of B's dataset", MEMBERS, ckan_package_update),
    ("resource_create in B's dataset", MEMBERS, ckan_resource_create),
    ("datastore_upsert into B's tables", MEMBERS, ckan_datastore_upsert),
    ("datastore_delete of B's table", MEMBERS, ckan_datastore_delete),
    ("harvest_source_update of B's source", MEMBERS, harvest_source_update_of_b),
    ("harvest_source_delete of B's source", MEMBERS, harvest_source_delete_of_b),
    ("harvest_job_create of B's source", MEMBERS, harvest_job_create_of_b),
    ("melding status update of B's melding", MEMBERS, melding_status_of_b),
    ("melding_photo_hide of B's melding's photo", MEMBERS, melding_photo_of_b_hidden),
    ("verzoek_update (status, response) of B's request", MEMBERS, verzoek_of_b_answered),
    ("verzoek_hide of B's request", MEMBERS, verzoek_of_b_hidden),
    ("verzoek_update moving B's request to A", MEMBERS, verzoek_of_b_taken),
    ("package_patch of B's Woo publication", MEMBERS, woo_publication_update),
    ("resource_create in B's Woo publication", MEMBERS, woo_document_create),
    ("resource_patch opening B's closed document", MEMBERS, woo_document_opened),
    ("package_create of a Woo publication in B's organisation", MEMBERS, woo_publication_in_b),
    ("attendering_send_due (sysadmins only)", MEMBERS, alerts_sent_at_once),
    ("attendering_list/update/delete of B's resident's alert with A's resident's token", MEMBERS,
     alerts_of_b_with_as_manage_token),
    ("attendering tokens of B's resident used for another purpose", MEMBERS, alert_tokens_of_another_purpose),
]
CASES = [
    pytest.param(attempt, actor, id=f"{path} [{actor}]") for path, actors, attempt in WRITE_PATHS for actor in actors
]


@pytest.mark.parametrize(("attempt", "actor"), CASES)
def test_a_cannot_change_bs_data(portal_world, app, attempt, actor):
    world = portal_world
    assert world.b_state() == world.recorded, "B changed before this attempt (while A was set up, or earlier)"
    attempt(world, app, actor)
    assert world.b_state() == world.recorded


# --- the first check, and where a permit belongs ---------------------------------------------


def _rows(dataset_name: str) -> dict[str, dict[str, Any]]:
    return {
        row["identifier"]: row
        for row in act("datastore_search", resource_id=_table(dataset_name), limit=32000)["records"]
    }


def test_two_organisations_harvest_one_municipality_into_their_own_datasets(portal_world):
    world = portal_world
    b_name, a_name = _dataset_name(world.sources["b_vergunningen"]), _dataset_name(world.sources["a_utrecht"])
    assert a_name != b_name and _table(a_name) != _table(b_name)
    a_dataset = act("package_show", id=a_name)
    assert a_dataset["organization"]["name"] == A_ORG and a_dataset["title"] == "Vergunningen Utrecht"
    a_rows, b_rows = _rows(a_name), _rows(b_name)
    assert set(a_rows) == {r["identifier"] for r in world.a_records} == set(b_rows)  # same permits, two tables
    for record in world.a_records:
        assert a_rows[record["identifier"]]["straat"] == record["straat"]
    for record in world.b_records:
        assert b_rows[record["identifier"]]["straat"] == record["straat"]
    assert {r["straat"] for r in a_rows.values()} != {r["straat"] for r in b_rows.values()}
    assert world.b_state() == world.recorded  # B's rows and metadata as before A harvested


def test_the_municipality_of_a_permit_comes_from_its_source_not_its_feed(portal_world):
    world = portal_world
    zeist = _dataset_name(world.sources["a_zeist"])
    rows = _rows(zeist)
    assert len(rows) == PERMITS and {row["gemeente"] for row in rows.values()} == {"Zeist"}  # the feed: Utrecht
    found = act("vergunningen_search", gemeente="Utrecht", limit=1000)
    assert zeist not in {row["dataset"] for row in found["results"]}
    assert act("vergunningen_search", gemeente="Zeist", limit=1000)["count"] == PERMITS


def test_a_renamed_source_keeps_its_dataset_and_no_new_source_takes_it_over(portal_world, app):
    world = portal_world
    source = act("harvest_source_show", id=world.sources["a_utrecht"]["id"])
    filled = _dataset_name(source)
    fields = {key: source[key] for key in ("url", "source_type", "frequency", "owner_org", "config")}
    token = world.tokens["admin"]
    status, body = call(app, token, "harvest_source_update", id=source["id"], name="bron-hernoemd", title="Hernoemd",
                        **fields)
    assert status == 200, body
    try:
        assert _dataset_name(source) == filled  # the dataset it filled, not bron-hernoemd-data
        _harvest(source)
        with pytest.raises(tk.ObjectNotFound):
            act("package_show", id="bron-hernoemd-data")
        # a new source under the old name would derive the dataset the renamed one fills: refused
        body = refused(app, token, "harvest_source_create", name=source["name"], title="Nieuw",
                       **dict(fields, config=json.dumps({"gemeente": "Utrecht", "page_size": 7})))
        message = " ".join(body["error"]["name"])
        assert filled in message and "bron-hernoemd" in message and "andere naam" in message, body
    finally:
        call(app, token, "harvest_source_update", id=source["id"], name=source["name"], title=source["title"],
             **fields)


def test_a_source_whose_dataset_moved_to_another_organisation_writes_nothing(portal_world):
    """Last in the module: it moves A's dataset into B (as a sysadmin may) and back."""
    world = portal_world
    source = world.sources["a_zeist"]
    name = _dataset_name(source)
    before = _rows(name)
    act("package_patch", id=name, owner_org=B_ORG)
    try:
        world.a_servers["sru"]["a_zeist"].pages = records_pages(sample_records(PERMITS + 5, "Zeist", seed=39))
        summary = run_source_now(source["id"])
        assert any("Gemeente Utrecht" in message for message in summary.object_errors), summary
        assert _rows(name) == before
    finally:
        act("package_patch", id=name, owner_org=A_ORG)
