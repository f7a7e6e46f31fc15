"""Data, not code: the portal's ckanext-scheming schemas and value lists.

Installed as ``ckanext.openoverheid.schemas`` so that scheming can load them by module path,
e.g. ``scheming.dataset_schemas = ckanext.openoverheid.schemas:dataset.yaml``.
"""
