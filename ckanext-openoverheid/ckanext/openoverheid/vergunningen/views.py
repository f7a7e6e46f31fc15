"""The map page, the feeds and the JSON/GeoJSON API of permit notices. Thin: every route calls the
``vergunningen_search`` action, so the filters, their validation and who may see which dataset are
decided in one place. Each route also takes the page's one search field ``q`` (a postcode, an address
or coordinates) and turns it into filters the same way, through ``vergunningen_locate``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.openoverheid.api import conventions
from ckanext.openoverheid.api.problem import problem
from ckanext.openoverheid.feeds import stylesheet
from ckanext.openoverheid.feeds.build import FeedKind, build_feed
from ckanext.openoverheid.feeds.http import conditional_response, etag_for, not_modified
from ckanext.openoverheid.vergunningen import labels, serialize
from ckanext.openoverheid.vergunningen.filters import FASEN, MAX_LIMIT, SOORTEN, normalise_postcode
from ckanext.openoverheid.vergunningen.logic.action import AddressSearchUnavailable

vergunningen = Blueprint("vergunningen", __name__)
conventions.apply(vergunningen)  # API-Version and CORS on every answer (NL API Design Rules)

FILTER_KEYS = ("gemeente", "postcode", "soort", "fase", "sinds", "lat", "lon", "straal", "dataset", "sorteer",
               "limit", "offset")
RADII = (250, 500, 1000, 2000, 5000, 10000, 25000)
PAGE_SIZE = 50
FEED_SIZE = 50
FEED_MAX = 200
GEOJSON_MAX = 10_000


class LookupUnavailable(str):
    """The message for ``q`` when the address could not be looked up (the geocoder did not answer):
    not the resident's mistake, so the page says "try again later" rather than "check your search"."""


def _filter_args() -> dict[str, Any]:
    args = tk.request.args.to_dict(flat=False)
    return {key: values for key, values in args.items() if key in FILTER_KEYS}


def _context(**extra: Any) -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else "", **extra}


def _search(data: dict[str, Any], *, max_limit: int = MAX_LIMIT, facets: bool = False) -> dict[str, Any]:
    payload = dict(data, facets=facets) if facets else data
    return tk.get_action("vergunningen_search")(_context(vergunningen_max_limit=max_limit), payload)


def _json(body: Any, mimetype: str = "application/json") -> Response:
    return Response(json.dumps(body, ensure_ascii=False), mimetype=mimetype)


def _bad_filters(error: tk.ValidationError) -> Response:
    """400 as problem+json; ``invalidParams`` names each filter and says what to write instead."""
    return problem(400, tk._("Some filters are not valid."), params=error.error_dict)


def _next_url(endpoint: str, result: dict[str, Any]) -> str | None:
    following = result["offset"] + result["limit"]
    if following >= result["count"]:
        return None
    params = dict(result["filters"], limit=result["limit"], offset=following)
    return tk.h.url_for(endpoint, _external=True, **params)


# --- JSON and GeoJSON --------------------------------------------------------------------------------


class _PlaceNotFound(Exception):
    """``q`` could not be located; ``errors`` says why, per parameter."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _typed_place() -> str:
    return (tk.request.args.get("q") or "").strip()


def _request_filters(**defaults: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The filters of an API or feed request, with ``q`` located as the page does; _PlaceNotFound if not."""
    data = _filter_args()
    for key, value in defaults.items():
        data.setdefault(key, value)
    text = _typed_place()
    if not text:
        return data, None
    errors: dict[str, str] = {}
    place = _apply_place(text, data, errors)
    if errors:
        raise _PlaceNotFound(errors)
    return data, place


def _place_refused(error: _PlaceNotFound) -> Response:
    return problem(400, tk._("Some filters are not valid."),
                   params={key: [message] for key, message in error.errors.items()})


@vergunningen.route("/api/openoverheid/vergunningen", endpoint="api")
def api() -> Response:
    try:
        data, _place = _request_filters()
        result = _search(data)
    except _PlaceNotFound as error:
        return _place_refused(error)
    except tk.ValidationError as error:
        return _bad_filters(error)
    return _json(dict(result, next=_next_url("vergunningen.api", result)))


@vergunningen.route("/api/openoverheid/vergunningen.geojson", endpoint="geojson")
def geojson() -> Response:
    try:
        data, _place = _request_filters(limit=str(MAX_LIMIT))
        result = _search(data, max_limit=GEOJSON_MAX)
    except _PlaceNotFound as error:
        return _place_refused(error)
    except tk.ValidationError as error:
        return _bad_filters(error)
    body = serialize.feature_collection(result)
    body["next"] = _next_url("vergunningen.geojson", result)
    return _json(body, "application/geo+json")


# --- feeds ---------------------------------------------------------------------------------------------


def _describe(row: Mapping[str, Any]) -> str:
    parts = [
        tk._(labels.SOORT_LABELS.get(row.get("soort") or "", "Other")),
        tk._(labels.FASE_LABELS.get(row.get("fase") or "", "Phase unknown")),
    ]
    where = serialize.address(row)
    if where:
        parts.append(where)
    if row.get("afstand") is not None:
        parts.append(tk._("{metres} m away").format(metres=row["afstand"]))
    if row.get("einde_bezwaartermijn"):
        parts.append(tk._("objections until {date}").format(date=row["einde_bezwaartermijn"]))
    return " · ".join(parts)


def _feed_subtitle(filters: dict[str, Any]) -> str:
    parts = []
    if filters.get("lat"):
        parts.append(tk._("within {metres} m of {lat}, {lon}").format(
            metres=filters.get("straal"), lat=filters["lat"], lon=filters["lon"]))
    if filters.get("postcode"):
        parts.append(tk._("in postcode area {postcode}").format(postcode=filters["postcode"]))
    if filters.get("gemeente"):
        parts.append(tk._("in {municipality}").format(municipality=filters["gemeente"]))
    if filters.get("soort"):
        parts.append(", ".join(tk._(labels.SOORT_LABELS[s]) for s in filters["soort"]))
    if filters.get("fase"):
        parts.append(", ".join(tk._(labels.FASE_LABELS[f]) for f in filters["fase"]))
    if not parts:
        return tk._("Permit notices of all municipalities on this portal, newest first.")
    return tk._("Permit notices {filters}, newest first.").format(filters="; ".join(parts))


def _feed_title(filters: dict[str, Any], place: dict[str, Any] | None) -> str:
    """What the feed follows, in its title: "Permits around 3512AH (500 m) — <site>"."""
    site = str(tk.config.get("ckan.site_title") or "Open Overheid")
    return f"{_followed(filters, place)} — {site}"


def _followed(filters: dict[str, Any], place: dict[str, Any] | None) -> str:
    """The permits a search follows, as a person says it: "Permits around 3512AH (500 m)"."""
    if filters.get("lat") and place:
        where = tk._("Permits around {place} ({metres} m)").format(place=place["label"], metres=filters["straal"])
    elif filters.get("lat"):
        where = tk._("Permits around {lat}, {lon} ({metres} m)").format(
            lat=filters["lat"], lon=filters["lon"], metres=filters["straal"])
    elif filters.get("postcode"):
        where = tk._("Permits in postcode area {postcode}").format(postcode=filters["postcode"])
    elif filters.get("gemeente"):
        where = tk._("Permits in {municipality}").format(municipality=filters["gemeente"])
    else:
        where = tk._("Permits")
    return where


def _feed(kind: str) -> Response:
    try:
        data, place = _request_filters(sorteer="datum", limit=str(FEED_SIZE))
        result = _search(data, max_limit=FEED_MAX)
    except _PlaceNotFound as error:
        return _place_refused(error)
    except tk.ValidationError as error:
        return _bad_filters(error)
    rows = result["results"]
    filters = result["filters"]
    text = _typed_place()
    language = tk.h.lang() or "nl"
    modified = serialize.last_modified(rows)
    etag = etag_for([kind, language, text, json.dumps(filters, sort_keys=True),
                     *(f"{row['identifier']}@{row.get('modified')}" for row in rows)])
    unchanged = not_modified(etag, modified)
    if unchanged is not None:
        return unchanged
    page = tk.h.url_for("vergunningen.kaart", _external=True, **filters)
    items = [
        serialize.feed_item(
            row,
            describe=_describe,
            soort_label=tk._(labels.SOORT_LABELS.get(row.get("soort") or "", "Other")),
            fase_label=tk._(labels.FASE_LABELS.get(row.get("fase") or "", "Phase unknown")),
            page_link=page,
        )
        for row in rows
    ]
    feed_url = tk.h.url_for(f"vergunningen.{kind}", _external=True, **_feed_params(filters, text))
    body = build_feed(
        kind,
        title=_feed_title(filters, place),
        link=page,
        self_url=feed_url,
        feed_id=feed_url,
        description=_feed_subtitle(filters),
        items=items,
        language=language,
        stylesheet=stylesheet.url(),
    )
    return conditional_response(body, etag, modified, FeedKind(kind).mimetype)


@vergunningen.route("/feeds/vergunningen.rss", endpoint="rss")
def rss() -> Response:
    return _feed("rss")


@vergunningen.route("/feeds/vergunningen.atom", endpoint="atom")
def atom() -> Response:
    return _feed("atom")


# --- the map page -----------------------------------------------------------------------------------------


def _apply_place(text: str, data: dict[str, Any], errors: dict[str, str]) -> dict[str, Any] | None:
    """The typed place ``q`` as filters (page, API and feeds alike): it wins over ``lat``/``lon`` given
    as well; a radius only counts around a point, so it is dropped when ``q`` was an area."""
    data.pop("lat", None)
    data.pop("lon", None)
    place = _locate(text, data, errors)
    if not data.get("lat"):
        data.pop("straal", None)
    return place


def _feed_params(filters: dict[str, Any], text: str) -> dict[str, Any]:
    """The parameters of a feed's URL: the place as typed (readable, and named in the feed's title)
    instead of the point it was located at."""
    params = {key: value for key, value in filters.items() if key not in ("limit", "offset")}
    if text:
        params.pop("lat", None)
        params.pop("lon", None)
        if "postcode" in params and params["postcode"] == normalise_postcode(text):
            params.pop("postcode", None)
        params = {"q": text, **params}
    return params


def _locate(text: str, data: dict[str, Any], errors: dict[str, str]) -> dict[str, Any] | None:
    """Turn the form's one search field into filters: a PC4 is an area, anything else a point."""
    postcode = normalise_postcode(text)
    if postcode and len(postcode) == 4:
        data["postcode"] = postcode
        return None
    try:
        place = tk.get_action("vergunningen_locate")(_context(), {"q": text})
    except AddressSearchUnavailable as error:
        errors["q"] = LookupUnavailable("; ".join(error.error_dict.get("q", [])))
        return None
    except tk.ObjectNotFound as error:
        errors["q"] = str(error.message or error)
        return None
    except tk.ValidationError as error:
        errors["q"] = "; ".join(error.error_dict.get("q", [])) or tk._("Enter a postcode, an address or coordinates.")
        return None
    data.update(lat=str(place["lat"]), lon=str(place["lon"]))
    data.setdefault("straal", "500")
    return place


def _chosen_radius() -> int:
    """The radius picked in the form even when there was no point yet, so the select keeps it."""
    text = tk.request.args.get("straal", "")
    return int(text) if text.isdigit() and int(text) in RADII else 500


def _options(codes: tuple[str, ...], names: dict[str, str], chosen: list[str],
             counts: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {"value": code, "label": tk._(names[code]), "count": counts.get(code, 0), "selected": code in chosen}
        for code in codes
    ]


def _page_request(text: str, errors: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The search the page asks for (one page of ``PAGE_SIZE``), and the place typed in ``q`` if found."""
    data = _filter_args()
    data["limit"] = str(PAGE_SIZE)
    place = None
    if text:  # the typed place wins over a point from an earlier search
        place = _apply_place(text, data, errors)
    if not data.get("lat"):
        data.pop("straal", None)  # the form always sends a radius; it only counts around a point
    return data, place


def _page_result(data: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """The search's result. A search that cannot be done as asked (a place not found or not looked up,
    a filter refused) lists no permits: every permit, unfiltered, would look like the answer."""
    result: dict[str, Any] = {"count": 0, "limit": PAGE_SIZE, "offset": 0, "filters": {}, "results": [],
                              "facets": {"soort": {}, "fase": {}}}
    if errors:  # the place was not found: its permits will not be listed, only the kinds and phases counted
        data = dict(data, limit="1", offset="0")
    try:
        result = _search(data, facets=True)
    except tk.ValidationError as error:
        errors.update({key: "; ".join(messages) for key, messages in error.error_dict.items()})
        try:
            result = _search({}, facets=True)  # for the counts beside the kinds and phases
        except tk.ValidationError:
            pass
    if errors:
        result = dict(result, count=0, offset=0, results=[])
    return result


def _page_links(result: dict[str, Any], text: str, errors: dict[str, str]) -> dict[str, str | None]:
    """The same search as feeds and API, and the previous and next page."""
    feed_params = {key: value for key, value in result["filters"].items() if key not in ("limit", "offset")}
    page_params = dict(feed_params, q=text) if text else dict(feed_params)
    subscribe = _feed_params(result["filters"], "" if "q" in errors else text)
    offset, count = result["offset"], result["count"]
    return {
        "rss": tk.h.url_for("vergunningen.rss", **subscribe),
        "atom": tk.h.url_for("vergunningen.atom", **subscribe),
        "json": tk.h.url_for("vergunningen.api", **feed_params),
        "geojson": tk.h.url_for("vergunningen.geojson", **feed_params),
        "previous": tk.h.url_for("vergunningen.kaart", offset=max(0, offset - PAGE_SIZE), **page_params)
        if offset > 0 else None,
        "next": tk.h.url_for("vergunningen.kaart", offset=offset + PAGE_SIZE, **page_params)
        if offset + PAGE_SIZE < count else None,
    }


@vergunningen.route("/vergunningen", endpoint="kaart")
def kaart() -> str:
    """Permits around a postcode, an address or a point, as a list and a map; works without JavaScript."""
    text = (tk.request.args.get("q") or "").strip()
    errors: dict[str, str] = {}
    data, place = _page_request(text, errors)
    result = _page_result(data, errors)
    filters = result["filters"]
    return tk.render(
        "openoverheid/vergunningen/kaart.html",
        {
            "q": text,
            "place": place,
            "errors": errors,
            "lookup_unavailable": isinstance(errors.get("q"), LookupUnavailable),
            "followed": _followed(filters, place),
            "result": result,
            "filters": filters,
            "radii": RADII,
            "straal": int(filters.get("straal") or _chosen_radius()),
            "soorten": _options(SOORTEN, labels.SOORT_LABELS, filters.get("soort", []),
                                result["facets"]["soort"]),
            "fasen": _options(FASEN, labels.FASE_LABELS, filters.get("fase", []), result["facets"]["fase"]),
            "soort_labels": {code: tk._(name) for code, name in labels.SOORT_LABELS.items()},
            "fase_labels": {code: tk._(name) for code, name in labels.FASE_LABELS.items()},
            "links": _page_links(result, text, errors),
            "map": {
                "tile_url": tk.config.get("ckanext.openoverheid.map.tile_url"),
                "attribution": tk.config.get("ckanext.openoverheid.map.attribution"),
            },
            "features": serialize.feature_collection(result),
        },
    )


def get_blueprints() -> list[Blueprint]:
    return [vergunningen]
