"""Template helper: the metadata quality report of a dataset, for those who may edit it."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def openoverheid_dataset_quality(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """The ``dataset_quality`` report of ``pkg`` when the viewer may edit it, otherwise None."""
    if pkg.get("type", "dataset") != "dataset" or not tk.h.check_access("package_update", {"id": pkg["id"]}):
        return None
    try:
        return tk.get_action("dataset_quality")({"user": tk.current_user.name}, {"id": pkg["id"]})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
