"""The reporter's e-mail address, name and IP address are removed a year after the melding was closed,
by the hourly maintenance; the melding and its public history stay."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import meldingen_support
from click.testing import CliRunner
from meldingen_support import create_melding, unique_email

from ckanext.openoverheid.meldingen import jobs
from ckanext.openoverheid.meldingen.cli import meldingen as meldingen_cli
from ckanext.openoverheid.meldingen.model import Melding, MeldingContact

municipalities = meldingen_support.municipalities


def _closed(municipalities, days_ago: int | None) -> int:
    """A melding with a reporter's address, closed ``days_ago`` days ago (None: still open)."""
    melding = create_melding(email=unique_email())
    if days_ago is not None:
        tk.get_action("melding_update_create")({"user": municipalities.editor["name"]},
                                               {"id": melding["id"], "status": "opgelost", "text": "Hersteld."})
        from ckan import model

        stored = model.Session.get(Melding, melding["id"])
        stored.closed = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days_ago)
        model.Session.commit()
    return melding["id"]


def _contact(melding_id: int) -> MeldingContact:
    from ckan import model

    model.Session.expire_all()
    return model.Session.get(MeldingContact, melding_id)


def test_contact_data_goes_a_year_after_closing_and_the_report_stays_public(app, municipalities):
    expired, recent, still_open = (_closed(municipalities, days) for days in (366, 300, None))
    kept = {melding_id: _contact(melding_id).email for melding_id in (recent, still_open)}

    result = CliRunner().invoke(meldingen_cli, ["maintenance"])
    assert result.exit_code == 0, result.output
    assert "contacts_erased: 1" in result.output

    gone = _contact(expired)
    erased_at = gone.erased
    assert (gone.email, gone.name, gone.ip_address) == (None, None, None) and erased_at is not None
    for melding_id, email in kept.items():
        contact = _contact(melding_id)
        assert contact.email == email and contact.ip_address and contact.erased is None
    page = app.get(f"/meldingen/{expired}")
    assert page.status_code == 200 and "Hersteld." in page.get_data(as_text=True)

    # repeating it changes nothing; a shorter retention reaches the melding closed 300 days ago
    assert jobs.run_maintenance()["contacts_erased"] == 0
    assert _contact(expired).erased == erased_at
    from ckanext.openoverheid.meldingen import retention

    assert retention.erase_expired_contacts(datetime.datetime.now(datetime.UTC), retention_days=200) == 1
    assert _contact(recent).email is None and _contact(still_open).email == kept[still_open]


def test_a_run_erases_in_batches_until_nothing_is_due(municipalities):
    from ckanext.openoverheid.meldingen import retention

    ids = [_closed(municipalities, 400) for _ in range(5)]
    assert retention.erase_expired_contacts(datetime.datetime.now(datetime.UTC), batch_size=2) == 5
    assert all(_contact(melding_id).email is None for melding_id in ids)
