"""A new melding, between the schema and the database: what was sent checked as a whole (the
answers to the category's questions, the location and its municipality, the photo), then stored
with the reporter's contact data in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.openoverheid.meldingen import answers, categories, location, photos, settings, targets
from ckanext.openoverheid.meldingen.model import Melding, MeldingContact, utcnow
from harvesters.errors import FeedError
from harvesters.http import HttpClient


@dataclass(frozen=True)
class Checked:
    """A new melding that passed every check: what is stored of it."""

    attributes: dict[str, Any]
    point: location.Point
    organization: model.Group
    photo: photos.CleanPhoto | None


def check(data: dict[str, Any], data_dict: dict[str, Any], lang: str) -> Checked:
    """``data`` (validated by the schema) checked as a whole, the photo taken from ``data_dict``;
    ``tk.ValidationError`` naming every field that is wrong."""
    errors: dict[str, list[str]] = {}
    attributes, problems = answers.check(data["service_code"], data.get("attributes") or {}, lang)
    if problems:
        errors["attributes"] = problems
    point = None
    organization = None
    try:
        point = location.resolve(data.get("lat"), data.get("lon"), data.get("address"))
        organization = location.responsible_organization(data["service_code"], point)
    except location.LocationError as error:
        errors.setdefault(error.field, []).append(tk._(str(error)))
    photo = clean_photo(data_dict, errors)
    if errors:
        raise tk.ValidationError(errors)
    assert point is not None and organization is not None
    return Checked(attributes=attributes, point=point, organization=organization, photo=photo)


def _photo_bytes(photo: Any, limit: int) -> bytes | None:
    """Bytes of an upload (werkzeug FileStorage, file object or bytes), at most ``limit`` + 1."""
    if photo in (None, "", b""):
        return None
    if isinstance(photo, bytes | bytearray):
        return bytes(photo[: limit + 1])
    stream = getattr(photo, "stream", photo)
    if hasattr(stream, "read"):
        data = stream.read(limit + 1)
        return data or None
    return None


def _fetch_media(url: str, limit: int) -> bytes:
    """The image at ``url`` (Open311 ``media_url``), fetched under the harvesters' SSRF rules."""
    with HttpClient(
        timeout=10.0, max_bytes=limit, max_retries=0, allowed_private_hosts=settings.allowed_private_hosts()
    ) as client:
        return client.get(url, accept=("image/",)).content


def clean_photo(data_dict: dict[str, Any], errors: dict[str, list[str]]) -> photos.CleanPhoto | None:
    """The uploaded ``photo``, or else the one at ``media_url``, cleaned; None if neither was sent
    or if it was refused (the reason is then added to ``errors``)."""
    limit = settings.photo_max_bytes()
    field, data = "photo", _photo_bytes(data_dict.get("photo"), limit)
    if data is None and data_dict.get("media_url"):
        field = "media_url"
        try:
            data = _fetch_media(data_dict["media_url"], limit)
        except FeedError as error:
            errors.setdefault(field, []).append(
                tk._("The photo at media_url could not be fetched: %(reason)s") % {"reason": str(error)}
            )
            return None
    if data is None:
        return None
    try:
        return photos.clean_photo(data, max_bytes=limit, max_pixels=settings.photo_max_pixels())
    except photos.PhotoError as error:
        errors.setdefault(field, []).append(tk._(error.msgid) % error.params if error.params else tk._(error.msgid))
        return None


def new_melding(data: dict[str, Any], checked: Checked, *, source: str, api_key_id: str | None) -> Melding:
    """The melding to store, at the first status of the workflow (not yet added to the session), due
    by its category's response target, if it has one."""
    now = utcnow()
    category = categories.category(data["service_code"])
    target = category.target if category else None
    return Melding(
        organization_id=checked.organization.id,
        service_code=data["service_code"],
        status=categories.workflow().initial,
        description=data["description"],
        lat=checked.point.lat,
        lon=checked.point.lon,
        address=checked.point.address,
        attributes=checked.attributes,
        hidden=False,
        source=source,
        api_key_id=api_key_id,
        requested=now,
        updated=now,
        due=targets.due(now, target) if target else None,
    )


def store(melding: Melding, photo: photos.CleanPhoto | None, *, email: str | None, ip: str | None,
          name: str | None = None, language: str | None = None) -> None:
    """Store the photo, the melding and (if there is any) the contact data, and commit; if any of it
    fails, nothing is kept, the photo files neither."""
    stored: photos.StoredPhoto | None = None
    session = model.Session
    try:
        if photo is not None:
            stored = photos.store(photo)
            melding.photo, melding.photo_thumbnail = stored.location, stored.thumbnail_location
        session.add(melding)
        session.flush()
        if email or ip:
            session.add(MeldingContact(melding_id=melding.id, email=email or None, ip_address=ip,
                                       name=(name or None) if email else None, language=language))
        session.commit()
    except Exception:
        session.rollback()
        if stored is not None:
            photos.remove(stored.location, stored.thumbnail_location)
        raise
