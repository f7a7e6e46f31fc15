"""DCAT-AP-DONL, the open format every dataset is published in: the ckanext-dcat profile
(``profile``), its value-list mapping (``codes``), its reading back (``parse``) and vocabularies
(``namespaces``). Registered as the ``ckan.rdf.profiles`` entry point ``openoverheid_donl``."""
