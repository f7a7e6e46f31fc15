"""Permit notices (vergunningen) from KOOP's officiële bekendmakingen, over SRU 2.0.

``SruClient.iter_records`` yields normalised :class:`Vergunning` records (and a RecordError for
each notice that could not be read); ``parse_response`` reads one SRU page. Realistic sample pages for the demo,
the tests and the benchmarks are made by ``ckanext.openoverheid.demo.sru_sample``.
"""

from harvesters.vergunningen.client import DEFAULT_ENDPOINT, SruClient, build_query
from harvesters.vergunningen.parser import SruPage, parse_record, parse_response
from harvesters.vergunningen.record import Fase, Soort, Vergunning, fase_from_title, soort_from

__all__ = [
    "DEFAULT_ENDPOINT",
    "Fase",
    "Soort",
    "SruClient",
    "SruPage",
    "Vergunning",
    "build_query",
    "fase_from_title",
    "parse_record",
    "parse_response",
    "soort_from",
]
