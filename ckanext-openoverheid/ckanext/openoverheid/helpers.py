"""Template helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.openoverheid import bilingual, formatting, valuelists
from ckanext.openoverheid.feeds.links import openoverheid_feed_links
from ckanext.openoverheid.openheid import dataset_form, register, register_dataset, withholding
from ckanext.openoverheid.quality import helpers as quality_helpers
from ckanext.openoverheid.served import served
from ckanext.openoverheid.theme import settings as theme_settings


def openoverheid_site_language() -> str:
    """The language the page is rendered in; the default locale outside a request (API validation, CLI)."""
    from flask import has_request_context

    if has_request_context():
        return tk.h.lang() or tk.config.get("ckan.locale_default") or "nl"
    return tk.config.get("ckan.locale_default") or "nl"


def openoverheid_is_closed(pkg: dict[str, Any]) -> bool:
    return withholding.dataset_is_closed(pkg)


def openoverheid_review_expired(pkg: dict[str, Any]) -> bool:
    return withholding.dataset_is_closed(pkg) and register.review_expired(pkg)


def _label(list_name: str, code: str, language: str) -> str:
    return valuelists.label(list_name, code, language)


def openoverheid_access_rights_label(code: str | None) -> str:
    return _label("access_rights", code or "publiek", openoverheid_site_language())


def openoverheid_woo_ground_labels(codes: Iterable[str] | str | None) -> list[tuple[str, str]]:
    """(code, label) pairs of Woo grounds, in the page's language, for display."""
    if isinstance(codes, str):
        codes = [codes]
    language = openoverheid_site_language()
    return [(code, _label("woo_grounds", code, language)) for code in (codes or [])]


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


# (endpoint, title, text) of the front page's tasks; a task whose plugin is off is left out.
FRONT_TASKS = (
    (
        "dataset.search",
        N_("Find datasets"),
        N_("Open data of municipalities and ministries, as CSV, JSON, XML and API."),
    ),
    ("vergunningen.kaart", N_("Permits near me"), N_("Building, felling and event permits around your address.")),
    ("afvalkalender.zoek", N_("My waste calendar"), N_("Collection dates for your address, in your own agenda.")),
    (
        "meldingen.new",
        N_("Report a problem"),
        N_("A loose paving stone, a broken street light, litter: tell us where."),
    ),
    (
        "verzoeken.index",
        N_("Ask for data or share an idea"),
        N_("Ask for data you would like to have, propose an idea, support those of others."),
    ),
    ("openheid.register", N_("Openness register"), N_("Every dataset and document that is not public, and why.")),
    (
        "openoverheid_developers.index",
        N_("For developers"),
        N_("The API, Open311, DCAT, feeds and calendars: everything here for your own app."),
    ),
)


def openoverheid_front_tasks() -> list[dict[str, str]]:
    return [
        {"url": tk.h.url_for(endpoint), "title": tk._(title), "text": tk._(text)}
        for endpoint, title, text in served(FRONT_TASKS)
    ]


# The main menu's entries for the features of this portal, each shown when its plugin is loaded.
NAV_FEATURES = (
    ("vergunningen.kaart", N_("Permits"), "vergunningen"),
    ("afvalkalender.zoek", N_("Waste calendar"), "afvalkalender"),
    ("meldingen.index", N_("Reports"), "meldingen"),
    ("verzoeken.index", N_("Requests"), "verzoeken"),
    ("attenderingen.new", N_("E-mail alerts"), "attenderingen"),
    ("woo_pages.publicaties", N_("Publications"), "woo_pages"),
)


def openoverheid_nav_features() -> list[tuple[str, str, list[str]]]:
    """(endpoint, label, blueprints that mark it current) for ``h.build_nav_main``."""
    return [(endpoint, tk._(label), [blueprint]) for endpoint, label, blueprint in served(NAV_FEATURES)]


def openoverheid_valuelist_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Scheming choices_helper: the choices of the value list named in the field's ``valuelist``, with
    ``{nl:, en:}`` labels that scheming shows in the page's language (validators need no request)."""
    return valuelists.choices(field["valuelist"])


def openoverheid_woo_ground_links(codes: Iterable[str] | str | None) -> list[tuple[str, str, str | None]]:
    """(code, label, link to the provision on wetten.overheid.nl) of Woo grounds, for display."""
    if isinstance(codes, str):
        codes = [codes]
    grounds = valuelists.get("woo_grounds")
    language = openoverheid_site_language()
    links = []
    for code in codes or []:
        item = grounds.item(code)
        url = f"https://wetten.overheid.nl/{item['juriconnect']}" if item and item.get("juriconnect") else None
        links.append((code, grounds.label(code, language), url))
    return links


def openoverheid_woo_ground_groups() -> list[dataset_form.GroundGroup]:
    """The Woo grounds in their groups (absolute, relative, other), in the page's language, for the form."""
    return dataset_form.woo_ground_groups(valuelists.get("woo_grounds"), openoverheid_site_language())


def openoverheid_closure_errors_inline(errors: dict[str, Any] | None) -> dict[str, Any]:
    """The form's errors with the closure fields' messages shown under the field without its name."""
    errors = dict(errors or {})
    errors.update(dataset_form.field_errors_without_names(errors))
    return errors


def openoverheid_error_summary_message(field_name: str, message: str) -> str:
    """A field's message for the error summary, which names the field itself: a closure message without
    the field's name it starts with, any other as it is."""
    if field_name in dataset_form.CLOSURE_ERROR_FIELDS:
        return dataset_form.without_field_name(message, capitalise=False)
    return message


def openoverheid_register_dataset() -> str | None:
    """The name of the dataset that publishes the openheidsregister, when there is one."""
    return register_dataset.register_dataset_name()


def openoverheid_portal_operator() -> str:
    """Who runs the portal, for the About page: the catalogue's publisher, else the site title."""
    return tk.config.get("ckanext.openoverheid.catalog_publisher") or tk.config.get("ckan.site_title") or ""


def get_helpers() -> dict[str, Callable[..., Any]]:
    return {
        "openoverheid_register_dataset": openoverheid_register_dataset,
        "openoverheid_site_language": openoverheid_site_language,
        "openoverheid_valuelist_choices": openoverheid_valuelist_choices,
        "openoverheid_front_tasks": openoverheid_front_tasks,
        "openoverheid_is_closed": openoverheid_is_closed,
        "openoverheid_review_expired": openoverheid_review_expired,
        "openoverheid_access_rights_label": openoverheid_access_rights_label,
        "openoverheid_woo_ground_labels": openoverheid_woo_ground_labels,
        "openoverheid_woo_ground_links": openoverheid_woo_ground_links,
        "openoverheid_woo_ground_groups": openoverheid_woo_ground_groups,
        "openoverheid_closure_errors_inline": openoverheid_closure_errors_inline,
        "openoverheid_error_summary_message": openoverheid_error_summary_message,
        "openoverheid_feed_links": openoverheid_feed_links,
        "openoverheid_nav_features": openoverheid_nav_features,
        "openoverheid_portal_operator": openoverheid_portal_operator,
        "openoverheid_theme_logo_url": theme_settings.logo_url,
        "openoverheid_theme_tokens_url": theme_settings.tokens_url,
        "openoverheid_theme_colour": theme_settings.theme_colour,
        "get_translated": bilingual.get_translated,
        "dataset_display_name": bilingual.dataset_display_name,
        "openoverheid_dataset_quality": quality_helpers.openoverheid_dataset_quality,
        **formatting.get_helpers(),
    }
