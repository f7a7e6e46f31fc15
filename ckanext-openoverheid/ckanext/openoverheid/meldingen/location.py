"""Where a melding is, and which municipality handles it.

A point comes from the map (lat/lon), from coordinates typed in the address field, or from an
address looked up with the geocoder the vergunningen search uses (PDOK Locatieserver, when
``ckanext.openoverheid.geocoder_url`` is set). Responsibility: the category's own organisation when
the categories file names one, otherwise the configured area that contains the point.
"""

from __future__ import annotations

from dataclasses import dataclass

import ckan.model as model

from ckanext.openoverheid.meldingen import areas, categories, settings


def N_(message: str) -> str:
    """Mark an English msgid for extraction; it is translated where it is shown (``tk._``)."""
    return message


NO_LOCATION = N_("Choose the location on the map, or type an address or coordinates.")


def given(lat: object, lon: object, address: object) -> bool:
    """Whether anything was sent to find the location by."""
    return any(value not in (None, "") for value in (lat, lon, address))


class LocationError(ValueError):
    """The location cannot be used; ``field`` is the form field to blame, the message an English msgid."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float
    address: str | None


def resolve(lat: float | None, lon: float | None, address: str | None) -> Point:
    """The point of a melding from what was sent; LocationError when there is none."""
    if (lat is None) != (lon is None):
        raise LocationError("lat" if lat is None else "lon", N_("Give both latitude and longitude, or an address."))
    if lat is not None and lon is not None:
        return Point(lat, lon, address or None)
    if not address:
        raise LocationError("location", NO_LOCATION)
    from ckanext.openoverheid.vergunningen import geocode

    try:
        place = geocode.locate(
            address,
            (),
            run=lambda query: [],
            geocoder_url=settings.geocoder_url(),
            allowed_private_hosts=settings.allowed_private_hosts(),
        )
    except geocode.GeocoderUnavailable:
        raise LocationError(
            "address",
            N_("The address could not be looked up just now. Choose the location on the map or type coordinates "
               "such as 52.0907, 5.1214.")
        ) from None
    if place is None:
        raise LocationError(
            "address",
            N_("This address was not found. Check it, choose the location on the map, or type coordinates such as "
               "52.0907, 5.1214.")
        )
    return Point(place.lat, place.lon, address)


def responsible_organization(service_code: str, point: Point) -> model.Group:
    """The active organisation that handles a melding of this category at this point."""
    category = categories.category(service_code)
    name = category.organization if category and category.organization else None
    if name is None:
        name = areas.responsible(settings.configured_areas(), point.lat, point.lon)
    if name is None:
        raise LocationError(
            "location",
            N_("This location lies outside the municipalities that handle reports on this site. "
            "Check the location on the map.")
        )
    group = model.Group.get(name)
    if group is None or not group.is_organization or group.state != "active":
        raise LocationError(
            "location",
            N_("The municipality for this location is not set up on this site yet; the site administrator must "
            "create its organisation. Please try again later.")
        )
    return group
