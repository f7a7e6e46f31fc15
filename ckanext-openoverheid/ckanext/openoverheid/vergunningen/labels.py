"""Names of permit kinds and phases for people, as English msgids translated where they are shown.

The codes themselves (``kap``, ``verleend``) are the harvester's (``harvesters.vergunningen.record``)
and are what the API, the feeds and the table use.
"""

from __future__ import annotations

from ckanext.openoverheid.vergunningen.filters import N_
from harvesters.vergunningen.record import Fase, Soort

SOORT_LABELS: dict[str, str] = {
    Soort.BOUW: N_("Building permit"),
    Soort.KAP: N_("Tree felling permit"),
    Soort.SLOOP: N_("Demolition permit"),
    Soort.OMGEVINGS: N_("Environmental permit"),
    Soort.RECLAME: N_("Advertising permit"),
    Soort.MILIEU: N_("Environmental management permit"),
    Soort.EVENEMENTEN: N_("Event permit"),
    Soort.VERKEERSBESLUIT: N_("Traffic decision"),
    Soort.OVERIG: N_("Other"),
}

FASE_LABELS: dict[str, str] = {
    Fase.AANVRAAG: N_("Applied for"),
    Fase.VERLEEND: N_("Granted"),
    Fase.GEWEIGERD: N_("Refused"),
    Fase.INGETROKKEN: N_("Withdrawn"),
    Fase.ONBEKEND: N_("Phase unknown"),
}
