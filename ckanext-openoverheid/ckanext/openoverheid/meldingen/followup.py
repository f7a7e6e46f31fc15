"""After the report, with the reporter: the confirmation mail with their personal link, what they add
to their own report through it, the question "is it solved?" some days after closing, and their answer
(a "no" reopens the melding). The links are signed tokens (``followup_tokens``); the reporter's address
and name stay in ``MeldingContact`` and never reach the public history, which says only "the reporter".
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.model as model
from sqlalchemy import or_

from ckanext.openoverheid.meldingen import followup_tokens, mail, opendata, photos, records, settings
from ckanext.openoverheid.meldingen.followup_tokens import Purpose
from ckanext.openoverheid.meldingen.model import Melding, MeldingContact, MeldingFeedback, MeldingUpdate, utcnow

log = logging.getLogger(__name__)

# The workflow's codes the question is about (schemas/meldingen_statussen.yaml): "solved" may go back to
# "in progress", which is where the reporter's "no" puts it.
SOLVED = "opgelost"
REOPENED = "in_behandeling"
# How long after its delay the question may still be asked (a missed maintenance run catches up).
ASKING_WINDOW = dt.timedelta(days=14)


class LinkRefused(Exception):
    """The personal link is forged, for another melding or purpose, too old, or its contact data is gone."""


class AlreadyAnswered(Exception):
    """This "is it solved?" question was answered before."""


class NotAsked(Exception):
    """The melding is not (or no longer) waiting for an answer to "is it solved?"."""


def _site(language: str | None) -> str:
    """The site's URL in the reporter's language (the default language has no prefix)."""
    return settings.site_url() + ("/en" if language == "en" else "")


def add_url(melding_id: int, language: str | None) -> str:
    token = followup_tokens.for_melding(Purpose.ADD, melding_id)
    return f"{_site(language)}/meldingen/{melding_id}/aanvullen/{token}"


def solved_url(melding_id: int, language: str | None) -> str:
    token = followup_tokens.for_melding(Purpose.SOLVED, melding_id)
    return f"{_site(language)}/meldingen/{melding_id}/opgelost/{token}"


def reporter_view(melding: Melding, language: str | None) -> dict[str, Any]:
    """The public melding as the mails to its reporter show it, in their language."""
    group = model.Group.get(melding.organization_id)
    return records.public_melding(
        melding, organization={"name": group.name if group else None, "title": group.title if group else None},
        site_url=settings.site_url(), lang=language or "nl",
    )


def contact_of(melding_id: int) -> MeldingContact | None:
    """The contact data of a melding while it is kept and has an address."""
    contact = model.Session.get(MeldingContact, melding_id)
    if contact is None or not contact.email or contact.erased is not None:
        return None
    return contact


def confirm(melding: Melding) -> bool:
    """Mail the receipt of a new melding to its reporter, if they gave an address."""
    contact = contact_of(melding.id)
    if contact is None or contact.email is None:
        return False
    return mail.send_confirmation(contact.email, contact.language, reporter_view(melding, contact.language),
                                  add_url(melding.id, contact.language))


def check_link(purpose: Purpose, melding: Melding, token: str) -> None:
    """LinkRefused unless ``token`` is a working ``purpose`` link of ``melding`` whose reporter is known."""
    try:
        followup_tokens.melding_of(purpose, token, melding.id, dt.timedelta(days=settings.followup_link_days()))
    except followup_tokens.TokenRefused:
        raise LinkRefused(purpose) from None
    if contact_of(melding.id) is None:
        raise LinkRefused(purpose)


def add_reporter_update(melding: Melding, text: str | None, photo: photos.CleanPhoto | None) -> MeldingUpdate:
    """Store what the reporter adds (text and/or a cleaned photo) as a public update of kind ``reporter``."""
    stored = photos.store(photo) if photo is not None else None
    update = MeldingUpdate(
        melding_id=melding.id, kind="reporter", text=text or None, created=utcnow(),
        photo=stored.location if stored else None, photo_thumbnail=stored.thumbnail_location if stored else None,
    )
    try:
        model.Session.add(update)
        melding.updated = update.created
        model.Session.commit()
    except Exception:
        model.Session.rollback()
        if stored is not None:
            photos.remove(stored.location, stored.thumbnail_location)
        raise
    opendata.sync_melding(melding)
    return update


def ask_if_solved(now: dt.datetime) -> int:
    """Mail "is it solved?" once per closing to the reporters of meldingen solved at least
    ``solved_question_days`` ago; how many were asked. Each melding is marked before its mail goes out,
    under a lock that a second worker skips, so nobody is asked twice."""
    session = model.Session
    before = now - dt.timedelta(days=settings.solved_question_days())
    # A question weeks late would puzzle the reporter (and a first run would ask about every old report).
    not_before = before - ASKING_WINDOW
    due = (
        session.query(Melding)
        .join(MeldingContact, MeldingContact.melding_id == Melding.id)
        .filter(
            Melding.status == SOLVED, Melding.hidden.is_(False), Melding.closed.isnot(None),
            Melding.closed <= before, Melding.closed > not_before,
            MeldingContact.email.isnot(None), MeldingContact.erased.is_(None),
            or_(Melding.solved_question_sent.is_(None), Melding.solved_question_sent < Melding.closed),
        )
        .order_by(Melding.id)
        .with_for_update(of=Melding, skip_locked=True)
        .all()
    )
    asked = []
    for melding in due:
        melding.solved_question_sent = now
        asked.append(melding)
    session.commit()
    for melding in asked:
        contact = contact_of(melding.id)
        if contact is not None and contact.email is not None:
            mail.ask_if_solved(contact.email, contact.language, reporter_view(melding, contact.language),
                               solved_url(melding.id, contact.language))
    return len(asked)


def awaiting_answer(melding: Melding) -> None:
    """AlreadyAnswered or NotAsked unless the reporter may answer "is it solved?" now."""
    if melding.solved_question_sent is None:
        raise NotAsked(melding.id)
    answered = (
        model.Session.query(MeldingFeedback.id)
        .filter(MeldingFeedback.melding_id == melding.id, MeldingFeedback.created >= melding.solved_question_sent)
        .first()
    )
    if answered is not None:
        raise AlreadyAnswered(melding.id)
    if melding.status != SOLVED:
        raise NotAsked(melding.id)


def answer_solved(melding: Melding, solved: bool, comment: str | None) -> None:
    """Record the answer (a ``MeldingFeedback`` row); "no" reopens the melding with a public update
    holding the comment. AlreadyAnswered or NotAsked when the question is not open."""
    session = model.Session
    session.refresh(melding, with_for_update=True)  # two answers at once: the second waits, then is refused
    awaiting_answer(melding)
    now = utcnow()
    session.add(MeldingFeedback(melding_id=melding.id, service_code=melding.service_code, solved=solved, created=now))
    if solved:
        if comment:
            session.add(MeldingUpdate(melding_id=melding.id, kind="reporter", text=comment, created=now))
            melding.updated = now
    else:
        session.add(MeldingUpdate(melding_id=melding.id, kind="reporter", status_from=melding.status,
                                  status_to=REOPENED, text=comment or None, created=now))
        melding.status = REOPENED
        melding.closed = None
        melding.updated = now
    session.commit()
    opendata.sync_melding(melding)
