"""Attenderingen: e-mail alerts for permits near an address, waste-collection reminders, meldingen in
an area (or about one's own report) and new or changed datasets. Double opt-in, no account."""
