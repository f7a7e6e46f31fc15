"""The benchmark catalogue: N made-up but realistic datasets of ten municipalities, loaded once.

    python -m bench.catalogue --ini var/bench/bench_ours.ini --flavour ours --count 1000

Dataset ``i`` is the same for every run and both flavours. ``ours`` creates it through
``package_create`` with our DCAT-AP-DONL schema (themes, contact, periods, areas, "open, tenzij":
one in ten restricted or closed with Woo grounds); ``stock`` creates the same dataset on stock CKAN,
where the fields its default schema lacks travel as ``extras``. Loading skips the datasets that
exist, so a second run only checks the count.

The big catalogue of the export (10,000) would take most of an hour through ``package_create`` on
a small machine: from ``--clone-from`` on, datasets are SQL copies of those made through the API
(new id, name and title; same fields, resources, tags and organisation), and ``--index`` then
indexes them as CKAN does (``package_show`` of each, into Solr), in parallel parts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

NAME_PREFIX = "bench-"
ORGANIZATIONS = (
    ("gemeente-utrecht", "Gemeente Utrecht"), ("gemeente-amersfoort", "Gemeente Amersfoort"),
    ("gemeente-zeist", "Gemeente Zeist"), ("gemeente-nieuwegein", "Gemeente Nieuwegein"),
    ("gemeente-houten", "Gemeente Houten"), ("gemeente-de-bilt", "Gemeente De Bilt"),
    ("gemeente-woerden", "Gemeente Woerden"), ("gemeente-veenendaal", "Gemeente Veenendaal"),
    ("gemeente-ijsselstein", "Gemeente IJsselstein"), ("gemeente-stichtse-vecht", "Gemeente Stichtse Vecht"),
)
SUBJECTS = (
    ("Afvalinzameling", "afval", "Natuur_en_milieu"), ("Speeltuinen", "spelen", "Cultuur_en_recreatie"),
    ("Parkeerplaatsen", "parkeren", "Verkeer_(thema)"), ("Bomenregister", "bomen", "Natuur_en_milieu"),
    ("Subsidies", "subsidie", "Financien"), ("Begroting", "begroting", "Financien"),
    ("Verkeersongevallen", "verkeer", "Verkeer_(thema)"), ("Woningvoorraad", "wonen", "Huisvesting_(thema)"),
    ("Sportaccommodaties", "sport", "Cultuur_en_recreatie"), ("Luchtkwaliteit", "lucht", "Natuur_en_milieu"),
    ("Bevolking per wijk", "bevolking", "Bestuur"), ("Vergunningen horeca", "horeca", "Economie"),
    ("Cameratoezicht", "veiligheid", "Openbare_orde_en_veiligheid"), ("Schoolgebouwen", "onderwijs",
                                                                       "Onderwijs_en_wetenschap"),
    ("Laadpalen", "energie", "Ruimte_en_infrastructuur"), ("Bijstandsuitkeringen", "bijstand", "Sociale_zekerheid"),
)
FORMATS = ("CSV", "JSON", "GeoJSON", "XLSX", "PDF")
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "ANNUAL", "IRREG")
LICENSES = ("cc-zero", "cc-zero", "cc-by", "cc-by-sa", "publiek-domein")
WOO_GROUNDS = ("5.1.1.c", "5.1.1.d", "5.1.2.e", "5.1.2.i")
THEME = "http://standaarden.overheid.nl/owms/terms/"
NLD = "http://publications.europa.eu/resource/authority/language/NLD"
MOTIVATION = ("De gegevens bevatten persoonsgegevens van bewoners; openbaarmaking zou hun persoonlijke "
              "levenssfeer onevenredig schaden.")
NOTES = (
    "Deze dataset bevat {subject} van de {organization} voor het jaar {year}. De gegevens worden "
    "{frequency} bijgewerkt uit de registraties van de gemeente en zijn bedoeld voor hergebruik door "
    "inwoners, onderzoekers en bedrijven.\n\n**Let op:** de gegevens zijn zo volledig mogelijk, maar "
    "kunnen fouten bevatten. Meld fouten bij het team Open Data."
)


def dataset_name(index: int) -> str:
    return f"{NAME_PREFIX}{index:05d}"


def dataset(index: int) -> dict[str, Any]:
    """Dataset ``index`` in our schema's fields (the same every time)."""
    rng = random.Random(f"bench-dataset-{index}")
    org_name, org_title = ORGANIZATIONS[index % len(ORGANIZATIONS)]
    place = org_title.removeprefix("Gemeente ")
    subject, tag, theme = SUBJECTS[rng.randrange(len(SUBJECTS))]
    year = 2018 + rng.randrange(9)
    frequency = rng.choice(FREQUENCIES)
    data: dict[str, Any] = {
        "name": dataset_name(index),
        "title": f"{subject} {place} {year} ({index})",
        "notes": NOTES.format(subject=subject.lower(), organization=org_title, year=year,
                              frequency=frequency.lower()),
        "owner_org": org_name,
        "license_id": rng.choice(LICENSES),
        "theme": sorted({THEME + theme, THEME + rng.choice(SUBJECTS)[2]}),
        "tags": [{"name": t} for t in sorted({tag, place.lower().replace(" ", "-"), "open-data", str(year)})],
        "language": [NLD],
        "metadata_language": NLD,
        "modified": (dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))).isoformat(),
        "frequency": f"http://publications.europa.eu/resource/authority/frequency/{frequency}",
        "contact": [{"name": "Team Open Data", "email": f"opendata@{org_name.removeprefix('gemeente-')}.nl",
                     "url": f"https://www.{org_name.removeprefix('gemeente-')}.nl/opendata"}],
        "temporal_coverage": [{"start": f"{year}-01-01", "end": f"{year}-12-31"}],
        "spatial_coverage": [{"text": place,
                              "uri": f"https://identifier.overheid.nl/tooi/id/gemeente/gm{index % 999:04d}"}],
        "dataset_status": "http://data.overheid.nl/status/beschikbaar",
        "access_rights": "publiek",
        "resources": [
            {
                "name": f"{subject} {year} ({fmt})",
                "url": f"https://data.{org_name.removeprefix('gemeente-')}.nl/{tag}/{year}/{index}.{fmt.lower()}",
                "format": fmt,
                "description": f"{subject} {year} als {fmt}.",
            }
            for fmt in rng.sample(FORMATS, k=rng.randint(1, 3))
        ],
    }
    draw = rng.random()
    if draw < 0.1:
        data.update(
            access_rights="beperkt" if draw < 0.05 else "niet-publiek",
            woo_grounds=sorted(rng.sample(WOO_GROUNDS, k=rng.randint(1, 2))),
            woo_motivation=MOTIVATION,
            review_date=(dt.date(2027, 1, 1) + dt.timedelta(days=rng.randrange(700))).isoformat(),
        )
    return data


STOCK_FIELDS = ("name", "title", "notes", "owner_org", "license_id", "tags", "resources")


def stock_dataset(index: int) -> dict[str, Any]:
    """Dataset ``index`` for stock CKAN: the same content, our fields as ``extras``."""
    ours = dataset(index)
    data = {key: ours[key] for key in STOCK_FIELDS}
    extras = []
    for key, value in ours.items():
        if key in STOCK_FIELDS:
            continue
        extras.append({"key": key, "value": value if isinstance(value, str) else json.dumps(value)})
    data["extras"] = extras
    return data


def _bench_packages() -> dict[str, str]:
    """name → id of the active bench datasets."""
    import ckan.model as model

    return dict(
        model.Session.query(model.Package.name, model.Package.id)
        .filter(model.Package.name.like(f"{NAME_PREFIX}%"), model.Package.state == "active")
    )


def load(flavour: str, count: int, clone_from: int | None = None, progress: bool = True) -> dict[str, Any]:
    """Create the organisations and every missing dataset ``0 .. count-1``; purge bench datasets
    beyond ``count`` (left by a run of another size: both sides of a comparison must be equal).

    With ``clone_from`` only datasets below it go through ``package_create``; the others are copies
    of dataset ``index % clone_from`` made in SQL (``clone``), and still need indexing (``index``)."""
    import ckan.model as model
    import ckan.plugins.toolkit as tk

    from bench.site import site_context

    for name, title in ORGANIZATIONS:
        if model.Group.by_name(name) is None:
            tk.get_action("organization_create")(site_context(), {"name": name, "title": title})
    existing = _bench_packages()
    wanted = {dataset_name(i) for i in range(count)}
    for name in sorted(set(existing) - wanted):
        tk.get_action("dataset_purge")(site_context(), {"id": name})
    created_up_to = count if clone_from is None else min(count, clone_from)
    missing = [i for i in range(created_up_to) if dataset_name(i) not in existing]
    started = time.perf_counter()
    make = dataset if flavour == "ours" else stock_dataset
    for number, index in enumerate(missing, start=1):
        tk.get_action("package_create")(site_context(), make(index))
        if progress and (number % 250 == 0 or number == len(missing)):
            rate = number / (time.perf_counter() - started)
            print(f"    {number}/{len(missing)} datasets created ({rate:.0f}/s)", file=sys.stderr, flush=True)
    copies = [i for i in range(created_up_to, count) if dataset_name(i) not in existing]
    if copies:
        clone(copies, created_up_to)
    return {"created": len(missing), "copied": len(copies), "datasets": len(_bench_packages())}


def clone(indexes: list[int], templates: int) -> None:
    """Datasets ``indexes`` as SQL copies of dataset ``index % templates`` (made by package_create):
    the same rows in package, resource, package_tag and member, with new ids, name and title."""
    import ckan.model as model
    import sqlalchemy as sa

    ids = _bench_packages()
    statements = [
        "INSERT INTO package (id, name, title, version, url, notes, author, author_email, maintainer, "
        "maintainer_email, state, license_id, type, owner_org, private, metadata_modified, creator_user_id, "
        "metadata_created, plugin_data, extras) SELECT :new, :name, replace(title, :old_title, :new_title), "
        "version, url, notes, author, author_email, maintainer, maintainer_email, state, license_id, type, "
        "owner_org, private, now() at time zone 'utc', creator_user_id, now() at time zone 'utc', plugin_data, "
        "extras FROM package WHERE id = :template",
        "INSERT INTO resource (id, url, format, description, position, hash, state, extras, name, resource_type, "
        "mimetype, mimetype_inner, size, last_modified, cache_url, cache_last_updated, created, url_type, "
        "package_id, metadata_modified) SELECT gen_random_uuid()::text, replace(url, :old_file, :new_file), "
        "format, description, position, hash, state, extras, name, resource_type, mimetype, mimetype_inner, size, "
        "last_modified, cache_url, cache_last_updated, now() at time zone 'utc', url_type, :new, "
        "now() at time zone 'utc' FROM resource WHERE package_id = :template",
        "INSERT INTO package_tag (id, state, package_id, tag_id) SELECT gen_random_uuid()::text, state, :new, tag_id "
        "FROM package_tag WHERE package_id = :template",
        "INSERT INTO member (id, group_id, table_id, state, table_name, capacity) SELECT gen_random_uuid()::text, "
        "group_id, :new, state, table_name, capacity FROM member WHERE table_id = :template "
        "AND table_name = 'package'",
    ]
    started = time.perf_counter()
    for number, index in enumerate(indexes, start=1):
        source = index % templates
        params = {"new": str(uuid.uuid4()), "name": dataset_name(index), "template": ids[dataset_name(source)],
                  "old_title": f"({source})", "new_title": f"({index})", "old_file": f"/{source}.",
                  "new_file": f"/{index}."}
        for statement in statements:
            model.Session.execute(sa.text(statement), params)
        if number % 1000 == 0 or number == len(indexes):
            model.Session.commit()
            print(f"    {number}/{len(indexes)} datasets copied ({time.perf_counter() - started:.0f} s)",
                  file=sys.stderr, flush=True)


def index(part: int = 0, parts: int = 1) -> int:
    """Index the bench datasets Solr does not have (this loader's share of them); how many."""
    from ckan.lib import search

    ids = sorted(_bench_packages().values())
    indexed = set(search.query_for("package").get_all_entity_ids(max_results=len(ids) + 1000))
    mine = [package_id for package_id in ids if package_id not in indexed][part::parts]
    started = time.perf_counter()
    for start in range(0, len(mine), 250):
        search.rebuild(package_ids=mine[start : start + 250], defer_commit=True, quiet=True)
        print(f"    {start + len(mine[start:start + 250])}/{len(mine)} datasets indexed "
              f"({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    search.commit()
    return len(mine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", type=Path, required=True)
    parser.add_argument("--flavour", choices=("ours", "stock"), default="ours")
    parser.add_argument("--count", type=int, help="load (or check) datasets 0 .. count-1")
    parser.add_argument("--clone-from", type=int, help="copy datasets from this index on in SQL (see clone)")
    parser.add_argument("--index", action="store_true", help="index what Solr is missing")
    parser.add_argument("--part", type=int, default=0, help="with --index: this indexer's share")
    parser.add_argument("--parts", type=int, default=1, help="with --index: indexers running at once")
    args = parser.parse_args()
    from bench.site import open_site

    open_site(args.ini)
    if args.index:
        print(json.dumps({"indexed": index(args.part, args.parts)}))
    elif args.count is not None:
        print(json.dumps(load(args.flavour, args.count, args.clone_from)))
    else:
        parser.error("give --count N or --index")


if __name__ == "__main__":
    main()
