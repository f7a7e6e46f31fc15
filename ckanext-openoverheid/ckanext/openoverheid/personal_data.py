"""E-mail addresses kept out of log output: CKAN's mailer logs every recipient ("Sent email to …")
and SMTP errors quote the refused address, and a log file is read by more people, and kept longer,
than the tables that hold the addresses. Used by the features that mail residents (meldingen,
attenderingen)."""

from __future__ import annotations

import logging
import re

# Wider than what the forms accept: whatever a mail server or a traceback may quote.
_ADDRESS = re.compile(r"[^\s@<>\"'(),;:\[\]{}]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")
HIDDEN = "[adres]"


def without_addresses(text: str) -> str:
    return _ADDRESS.sub(HIDDEN, text)


class AddressFilter(logging.Filter):
    """Rewrites a record's message and traceback with the addresses replaced; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = without_addresses(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = without_addresses(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = without_addresses(record.exc_text)
        return True


def keep_addresses_out_of(*logger_names: str) -> None:
    """Install the filter on these loggers (once each). A logger's filters see only its own records,
    not its children's, so name the logger that writes the line."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, AddressFilter) for existing in logger.filters):
            logger.addFilter(AddressFilter())
