"""Whoever asked for or supported a request follows it: its answers reach them through the alert system.

Placeholder of the lead's groundwork: the helper building the status mails replaces this with a
confirmed ``verzoek`` subscription of ``openoverheid_attenderingen`` (nothing is mailed until then).
"""

from __future__ import annotations


def follow(email: str, verzoek_id: int, language: str) -> None:
    """Make ``email`` follow request ``verzoek_id`` (its confirmation was the opt-in)."""
