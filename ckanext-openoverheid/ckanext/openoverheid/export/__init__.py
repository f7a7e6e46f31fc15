"""The full-catalogue export: every public dataset in one streamed file, for harvesters and archivists.

``writers`` and ``rdfxml`` turn iterables of dataset dicts or graphs into text, knowing nothing of
CKAN's web layer; ``source`` pages through ``package_search`` as an anonymous visitor; ``views`` is
the Flask blueprint (``/export/datasets.rdf|csv|jsonl``, and the 406 answer to unknown DCAT formats).
"""
