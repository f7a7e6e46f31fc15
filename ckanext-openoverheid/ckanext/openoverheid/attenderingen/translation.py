"""The alerts' mails in the subscriber's language: the shared catalogue reader (``..translation``)."""

from ckanext.openoverheid.translation import LOCALES, N_, Gettext, gettext_for, ngettext_for

__all__ = ["LOCALES", "N_", "Gettext", "gettext_for", "ngettext_for"]
