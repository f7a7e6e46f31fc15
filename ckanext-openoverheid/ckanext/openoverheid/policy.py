"""The rules of "open, tenzij" (open unless), as plain functions without CKAN.

A dataset is public (``publiek``) unless a civil servant records why not. These rules decide what a
closure needs; ``withholding`` applies them to what leaves CKAN.
"""

from __future__ import annotations

PUBLIEK = "publiek"
BEPERKT = "beperkt"
NIET_PUBLIEK = "niet-publiek"
ACCESS_RIGHTS = (PUBLIEK, BEPERKT, NIET_PUBLIEK)


def is_closed(access_rights: str | None) -> bool:
    """Anything but ``publiek`` is closed; a missing value is ``publiek`` (open is the default).

    An unknown value counts as closed: when in doubt, the data stays in.
    """
    return (access_rights or PUBLIEK) != PUBLIEK
