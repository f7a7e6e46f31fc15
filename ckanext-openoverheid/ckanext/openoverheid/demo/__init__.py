"""Demo content and sample servers: what ``ckan openoverheid demo`` loads, and what tests reuse.

Nothing the portal serves imports this package (``tests/unit/test_demo_apart.py`` checks it): only
the ``demo`` command, the tests and the benchmarks do. ``load.everything`` is the command's one call.

- ``catalogue``: municipalities and datasets from ``data/demo.yaml``;
- ``vergunningen``, ``afvalkalender``: a real harvest of sample answers served on 127.0.0.1
  (``sru_sample`` makes up KOOP SRU pages, ``data/afvalkalender-demo.json`` holds waste dates),
  through ``harvest_source`` and ``local_server``;
- ``publicaties``, ``documents``: Woo publications from ``data/publicaties.yaml`` with small generated
  PDFs, uploaded so that their author metadata is removed;
- ``meldingen``: a handful of reports in public space per demo municipality.
"""

from __future__ import annotations

from importlib import resources


def data_text(name: str) -> str:
    """The text of the demo data file ``data/<name>`` (installed with the package)."""
    return (resources.files(__name__) / "data" / name).read_text(encoding="utf-8")
