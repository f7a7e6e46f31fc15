"""Waste calendars (afvalkalenders): collection dates per address from the providers municipalities use.

``make_provider(name, endpoint, config, http)`` gives a :class:`Provider` whose ``fetch(adres)``
answers normalised :class:`Ophaalmoment` records; ``build_calendar`` writes them as a subscribable
.ics. Waste types come from ``schemas/afvaltypen.yaml`` (:mod:`.vocabulary`). Nothing here imports CKAN.
"""

from harvesters.afvalkalender.base import HttpLike, Provider, years_wanted
from harvesters.afvalkalender.ical import IcalFeed
from harvesters.afvalkalender.ical_export import build_calendar
from harvesters.afvalkalender.mijnafvalwijzer import MijnAfvalwijzer
from harvesters.afvalkalender.model import Adres, Ophaalmoment, deduplicate, normalise_postcode, parse_adres
from harvesters.afvalkalender.opzet import Opzet
from harvesters.afvalkalender.providers import PROVIDERS, ProviderSpec, make_provider
from harvesters.afvalkalender.vocabulary import OVERIG, Vocabulary, default_vocabulary, load_vocabulary
from harvesters.afvalkalender.ximmio import Ximmio

__all__ = [
    "OVERIG",
    "PROVIDERS",
    "Adres",
    "HttpLike",
    "IcalFeed",
    "MijnAfvalwijzer",
    "Ophaalmoment",
    "Opzet",
    "Provider",
    "ProviderSpec",
    "Vocabulary",
    "Ximmio",
    "build_calendar",
    "deduplicate",
    "default_vocabulary",
    "load_vocabulary",
    "make_provider",
    "normalise_postcode",
    "parse_adres",
    "years_wanted",
]
