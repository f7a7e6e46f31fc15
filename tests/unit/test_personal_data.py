"""Addresses out of log lines: the rewrite of messages and tracebacks (the functional proof, with CKAN's
mailer and a real SMTP server, is in tests/functional/test_attenderingen_privacy.py)."""

from __future__ import annotations

import logging
import smtplib

from ckanext.openoverheid.personal_data import HIDDEN, AddressFilter, keep_addresses_out_of, without_addresses


def test_addresses_are_replaced_wherever_a_mail_server_or_python_quotes_them():
    refused = smtplib.SMTPRecipientsRefused({"Jan.de-Vries+alerts@mail.example.nl": (550, b"5.1.1 <x@y.nl> unknown")})
    text = without_addresses(f"{type(refused).__name__}: {refused!r} and 'a@b.org', <c_d@e-f.co.uk>")
    assert "@" not in text and text.count(HIDDEN) == 4
    assert without_addresses("mail 12 at 10:00 @ noon to example.org") == "mail 12 at 10:00 @ noon to example.org"


def test_the_filter_rewrites_message_arguments_and_traceback_and_drops_nothing():
    try:
        raise smtplib.SMTPRecipientsRefused({"geheim@example.org": (550, b"no")})
    except smtplib.SMTPException as error:
        record = logging.LogRecord("ckan.lib.mailer", logging.ERROR, __file__, 1, "Sent email to %s: %r",
                                   ("geheim@example.org", error), exc_info=(type(error), error, error.__traceback__))
    assert AddressFilter().filter(record) is True
    line = logging.Formatter().format(record)
    assert "geheim" not in line and HIDDEN in record.getMessage() and "SMTPRecipientsRefused" in line


def test_installing_twice_adds_one_filter():
    name = "tests.personal_data.once"
    keep_addresses_out_of(name, name)
    keep_addresses_out_of(name)
    assert sum(isinstance(f, AddressFilter) for f in logging.getLogger(name).filters) == 1
