"""Whoever asked for or supported a request follows it: its answers reach them through the alert system
(``openoverheid_attenderingen``, kind ``verzoek``), each mail with its own unsubscribe link. Without that
plugin nobody is mailed the answers; they are on the request's page."""

from __future__ import annotations

import ckan.plugins as p


def follow(email: str, verzoek_id: int, language: str) -> None:
    """Make ``email`` follow request ``verzoek_id`` (its confirmation was the opt-in), in the caller's
    transaction. Following twice keeps one subscription."""
    if not p.plugin_loaded("openoverheid_attenderingen"):
        return
    from ckanext.openoverheid.attenderingen import subscriptions

    subscriptions.subscribe_confirmed(email, "verzoek", {"verzoek": verzoek_id}, language)
