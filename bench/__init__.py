"""Benchmarks of the portal against stock CKAN and against the physical limit, side by side.

``make bench`` runs ``python -m bench.run``; see docs/bench.md. Every figure is the ratio of two
things measured in one script, interleaved (ABAB…) so that the noise of a shared machine falls on
both sides alike. Nothing here runs in ``make test``.
"""
