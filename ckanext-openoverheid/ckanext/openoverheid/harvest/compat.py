"""A work-around for ckanext-harvest 1.6.3 on CKAN 2.12, until ckanext-harvest fixes it.

``harvest_source_reindex`` (run when a job finishes) indexes the source from a dict read with
``validate=False``, so the copy Solr keeps lacks what the harvest schema adds on show: ``source_type``,
``config``, ``frequency``. CKAN 2.12's ``package_show`` answers from that copy, so after the first job
``harvest_source_show`` has no ``source_type`` and ``ckan harvester run-test`` fails with KeyError.
Harvest sources are therefore always read from the database (they are few, and read rarely).
"""

from __future__ import annotations

import ckan.model as model

HARVEST_SOURCE_TYPE = "harvest"


def must_read_from_database(package: model.Package) -> bool:
    """Harvest sources come from the database, not from Solr's incomplete copy.

    Called by the portal's one ``package_show`` wrapper (``openheid/logic/action.py``), which looks the
    dataset up once for every reason to bypass Solr.
    """
    return package.type == HARVEST_SOURCE_TYPE
