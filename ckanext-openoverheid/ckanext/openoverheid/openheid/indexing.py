"""What our datasets add to (and take away from) their Solr document."""

from __future__ import annotations

import json
from typing import Any

from ckanext.openoverheid.openheid.withholding import strip_index_document

# Scheming list fields indexed as multi-valued strings (CKAN's schema: dynamic field vocab_*),
# so that feeds and search can filter with fq=vocab_theme:"<uri>".
LIST_FIELDS = ("theme", "woo_grounds", "language")


def _validated(doc: dict[str, Any]) -> dict[str, Any]:
    try:
        return json.loads(doc.get("validated_data_dict") or "{}")
    except ValueError:
        return {}


def index_fields(doc: dict[str, Any]) -> dict[str, Any]:
    """Add multi-valued list fields and the access rights; strip closed data."""
    validated = _validated(doc)
    for field in LIST_FIELDS:
        values = validated.get(field)
        if isinstance(values, str):
            values = [values]
        if values:
            doc[f"vocab_{field}"] = [str(v) for v in values]
        doc.pop(field, None)
    doc["access_rights"] = validated.get("access_rights") or doc.get("access_rights") or "publiek"
    document_rights = [r.get("access_rights") for r in validated.get("resources") or []
                       if isinstance(r, dict) and r.get("access_rights")]
    if document_rights:
        # resources with their own access rights (documents of a publication): the register finds
        # publications with closed documents by this field
        doc["vocab_document_access_rights"] = document_rights
    if validated.get("review_date"):
        doc["review_date"] = f"{validated['review_date']}T00:00:00Z"
    return strip_index_document(doc)
