"""The validators of "open, tenzij", registered with CKAN by the core plugin (``logic/validators``).

They are the CKAN side of ``openheid.policy``: the rules live there, without CKAN. The dataset schema
(schemas/dataset.yaml) uses them as follows:

* ``openoverheid_closure`` is the schema's ``before_validators`` (scheming runs it as navl's
  ``__before``, before any field): it sees access rights, grounds, motivation and review date
  together, fills in what a partial update left out, records errors under each field's own key, and
  writes back the cleaned values and ``closed_since``;
* ``openoverheid_resource_closure`` does the same for one resource (a document of a Woo publication,
  schemas/publicatie.yaml), as the first validator of the resource's ``access_rights``;
* ``openoverheid_skip_on_error`` heads the validators of those fields, so that a field the closure
  check already rejected is not reported twice.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import StopOnError, missing

from ckanext.openoverheid.logic.navl import Key, as_list, empty, get
from ckanext.openoverheid.openheid import policy

log = logging.getLogger(__name__)


def _stored_extras(data: dict[Key, Any], context: dict[str, Any]) -> dict[str, Any] | None:
    """The stored extras of the dataset being updated, or None on create.

    ``package_update`` puts the stored package in ``context["package"]``; a context reused from an
    earlier call may still hold another dataset, hence the id check.
    """
    package = context.get("package")
    if package is None or getattr(package, "id", None) is None:
        return None
    if get(data, ("id",)) != package.id:
        return None
    return dict(getattr(package, "extras", None) or {})


def openoverheid_closure(key: Key, data: dict[Key, Any], errors: dict[Key, Any], context: dict[str, Any]) -> None:
    """Check access rights, Woo grounds, motivation and review date together (``policy.check_closure``).

    * Access rights left out of an update keep their stored value, with the stored grounds,
      motivation and review date: a dataset is only opened by saying so, never by omission.
      Left out of a create, they are ``publiek``.
    * Errors go under the offending field's key (``woo_grounds``, ``woo_motivation``,
      ``review_date``, ``access_rights``), so ``ValidationError`` names it and the form marks it.
    * A public dataset keeps nothing of a closure: grounds, motivation, review date and
      ``closed_since`` are dropped (logged as a warning when they were sent).
    * A closed dataset gets ``closed_since``: kept from the stored dataset while it stays closed,
      today when it is newly closed. What a client sends as ``closed_since`` is ignored.
    """
    _check_closure_of(key[:-1], data, errors, _stored_extras(data, context) or {})  # empty on create


def _stored_resource_extras(data: dict[Key, Any], prefix: Key) -> dict[str, Any]:
    """The stored extras (access rights, grounds, ...) of the resource being updated; empty when new."""
    resource_id = get(data, (*prefix, "id"))
    resource = model.Resource.get(str(resource_id)) if resource_id else None
    return dict(resource.extras or {}) if resource is not None else {}


def openoverheid_resource_closure(key: Key, data: dict[Key, Any], errors: dict[Key, Any], context: dict[str, Any]
                                  ) -> None:
    """``openoverheid_closure`` for one resource: its access rights, Woo grounds, motivation and review
    date checked together, errors under the resource's own keys (``resources.0.woo_motivation``).
    Run as the first validator of the resource's ``access_rights``."""
    prefix = key[:-1]
    _check_closure_of(prefix, data, errors, _stored_resource_extras(data, prefix))


def _check_closure_of(prefix: Key, data: dict[Key, Any], errors: dict[Key, Any], stored: dict[str, Any]) -> None:
    """The closure of the dataset or resource whose fields are under ``prefix``; ``stored`` is its
    stored version (empty when new)."""

    def k(name: str) -> Key:
        return (*prefix, name)

    stored_closed = bool(stored) and policy.is_closed(stored.get("access_rights"))
    _keep_stored_closure_when_left_out(data, k, stored, stored_closed)
    check = policy.check_closure(
        str(data[k("access_rights")]).strip(),
        as_list(data.get(k("woo_grounds"), missing)),
        get(data, k("woo_motivation")),
        get(data, k("review_date")),
        today=datetime.date.today(),
        previous_review_date=stored.get("review_date") if stored_closed else None,
        translate=tk._,
    )
    for field, messages in check.errors.items():
        errors.setdefault(k(field), []).extend(messages)
    for warning in check.warnings:
        log.warning("dataset %s: %s", get(data, k("name")) or get(data, k("id")), warning)
    if "access_rights" in check.errors or not policy.is_closed(check.access_rights):
        for name in (*policy.CLOSURE_FIELDS, "closed_since"):
            data[k(name)] = missing
    else:
        _write_closure(data, k, check, stored)


def _keep_stored_closure_when_left_out(
    data: dict[Key, Any], k: Callable[[str], Key], stored: dict[str, Any], stored_closed: bool
) -> None:
    """Access rights left out: the stored closure on an update of a closed dataset, else ``publiek``."""
    if not empty(data.get(k("access_rights"), missing)):
        return
    if not stored_closed:
        data[k("access_rights")] = policy.PUBLIEK
        return
    data[k("access_rights")] = stored["access_rights"]
    for name in policy.CLOSURE_FIELDS:
        if empty(data.get(k(name), missing)) and stored.get(name):
            data[k(name)] = stored[name]


def _write_closure(
    data: dict[Key, Any], k: Callable[[str], Key], check: policy.ClosureCheck, stored: dict[str, Any]
) -> None:
    """The cleaned closure of a closed dataset, and since when it is closed (kept while it stays closed)."""
    data[k("access_rights")] = check.access_rights
    if "woo_grounds" not in check.errors:
        data[k("woo_grounds")] = check.woo_grounds
    data[k("woo_motivation")] = check.woo_motivation
    if "review_date" not in check.errors and check.review_date is not None:
        data[k("review_date")] = check.review_date.isoformat()
    data[k("closed_since")] = policy.closed_since(
        check.access_rights,
        stored.get("access_rights"),
        stored.get("closed_since"),
        datetime.date.today(),
    )


def openoverheid_skip_on_error(key: Key, data: dict[Key, Any], errors: dict[Key, Any], context: dict[str, Any]
                               ) -> None:
    """Stop a field's validators when an earlier check (``openoverheid_closure``) already rejected it."""
    if errors.get(key):
        raise StopOnError


def get_validators() -> dict[str, Callable[..., Any]]:
    return {
        "openoverheid_closure": openoverheid_closure,
        "openoverheid_resource_closure": openoverheid_resource_closure,
        "openoverheid_skip_on_error": openoverheid_skip_on_error,
    }
