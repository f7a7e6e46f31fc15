""""My reports": a resident asks, by e-mail address, for the reports they made; a short-lived signed
link mailed to that address lists them. The answer to the request is the same whether or not the
address is known, so the form tells no one who reported."""

from __future__ import annotations

import datetime as dt

import ckan.model as model
from sqlalchemy import func

from ckanext.openoverheid.meldingen import followup_tokens, mail, settings
from ckanext.openoverheid.meldingen.followup_tokens import Purpose
from ckanext.openoverheid.meldingen.model import Melding, MeldingContact

PERIOD = dt.timedelta(days=365)


def _normal(email: str) -> str:
    return email.strip().lower()


def _query(email: str, now: dt.datetime):  # -> Query[Melding]
    return (
        model.Session.query(Melding)
        .join(MeldingContact, MeldingContact.melding_id == Melding.id)
        .filter(
            func.lower(MeldingContact.email) == _normal(email), MeldingContact.erased.is_(None),
            Melding.requested >= now - PERIOD,
        )
    )


def send_link(email: str, language: str | None, now: dt.datetime) -> bool:
    """Mail the link to ``email`` if it made reports in the last 12 months; whether a mail went out."""
    if _query(email, now).first() is None:
        return False
    token = followup_tokens.make(Purpose.MY_REPORTS, _normal(email))
    site = settings.site_url() + ("/en" if language == "en" else "")
    return mail.send_my_reports_link(email, language, f"{site}/meldingen/mijn-meldingen/{token}",
                                     settings.my_reports_link_hours())


def address_of(token: str) -> str:
    """The address a "my reports" link was made for; followup_tokens.TokenRefused otherwise."""
    return followup_tokens.read(Purpose.MY_REPORTS, token, dt.timedelta(hours=settings.my_reports_link_hours()))


def reports_of(email: str, now: dt.datetime) -> list[Melding]:
    """The reports made with ``email`` in the last 12 months, newest first."""
    return _query(email, now).order_by(Melding.requested.desc(), Melding.id.desc()).all()
