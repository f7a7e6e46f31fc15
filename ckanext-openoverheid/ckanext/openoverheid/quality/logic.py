"""The action ``dataset_quality`` and its auth: a dataset's MQA report for whoever may see the dataset."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz

from ckanext.openoverheid.quality import report


@tk.side_effect_free
def dataset_quality(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The metadata quality score of a dataset, after data.europa.eu's Metadata Quality Assessment (MQA):
    405 points over findability, accessibility, interoperability, reusability and contextuality, each
    indicator with the points it earned and, when short, what is missing and how to earn it.

    :param id: the id or name of the dataset
    :type id: string
    :returns: ``total``, ``possible`` (405), ``band`` (excellent, good, sufficient or bad), ``band_label``
        and ``dimensions``, each with its ``indicators`` (``key``, ``label``, ``earned``, ``possible``,
        ``missing``)
    :rtype: dictionary
    """
    tk.check_access("dataset_quality", context, data_dict)
    dataset_id = data_dict.get("id")
    if not dataset_id or not isinstance(dataset_id, str):
        raise tk.ValidationError({"id": [tk._("Missing value")]})
    dataset = tk.get_action("package_show")(
        {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")}, {"id": dataset_id})
    return {"id": dataset["id"], "name": dataset["name"], **report.as_dict(report.dataset_report(dataset), tk._)}


@tk.auth_allow_anonymous_access
def dataset_quality_auth(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Like package_show: anyone for a public dataset, its organisation's members for a private one."""
    return authz.is_authorized("package_show", context, data_dict)


def get_actions() -> dict[str, Callable[..., Any]]:
    return {"dataset_quality": dataset_quality}


def get_auth_functions() -> dict[str, Callable[..., Any]]:
    return {"dataset_quality": dataset_quality_auth}
