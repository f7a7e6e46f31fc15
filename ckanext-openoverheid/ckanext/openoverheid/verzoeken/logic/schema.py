"""Schemas of the verzoeken actions (CKAN navl, like ``ckan/logic/schema``)."""

from __future__ import annotations

from typing import Any

from ckan.logic.schema import validator_args

Schema = dict[str, Any]


@validator_args
def verzoek_create(not_empty, ignore_missing, unicode_safe, strip_value, email_validator, default, verzoek_soort,
                   verzoek_titel, verzoek_toelichting, verzoek_latitude, verzoek_longitude) -> Schema:
    return {
        "soort": [default(""), unicode_safe, verzoek_soort],
        "titel": [default(""), unicode_safe, verzoek_titel],
        "toelichting": [default(""), unicode_safe, verzoek_toelichting],
        "email": [not_empty, strip_value, unicode_safe, email_validator],
        "organisatie": [ignore_missing, unicode_safe],
        "lat": [ignore_missing, verzoek_latitude],
        "lon": [ignore_missing, verzoek_longitude],
    }


@validator_args
def verzoek_show(not_empty, natural_number_validator) -> Schema:
    return {"id": [not_empty, natural_number_validator]}


@validator_args
def verzoek_list(ignore_missing, unicode_safe, natural_number_validator, boolean_validator, default,
                 verzoek_limit) -> Schema:
    return {
        "soort": [ignore_missing, unicode_safe],
        "status": [ignore_missing],
        "organisatie": [ignore_missing, unicode_safe],
        "dataset": [ignore_missing, unicode_safe],
        "q": [ignore_missing, unicode_safe],
        "bbox": [ignore_missing, unicode_safe],
        "sort": [default("steun"), unicode_safe],
        "include_hidden": [default(False), boolean_validator],
        "behandelen": [default(False), boolean_validator],
        "limit": [default(50), verzoek_limit],
        "offset": [default(0), natural_number_validator],
    }


@validator_args
def verzoek_steun(not_empty, natural_number_validator, strip_value, unicode_safe, email_validator) -> Schema:
    return {
        "id": [not_empty, natural_number_validator],
        "email": [not_empty, strip_value, unicode_safe, email_validator],
    }


@validator_args
def verzoek_confirm(not_empty, unicode_safe) -> Schema:
    return {"token": [not_empty, unicode_safe]}


@validator_args
def verzoek_update(not_empty, ignore_missing, natural_number_validator, unicode_safe, boolean_validator, default,
                   verzoek_status, verzoek_text) -> Schema:
    return {
        "id": [not_empty, natural_number_validator],
        "status": [ignore_missing, unicode_safe, verzoek_status],
        "antwoord": [ignore_missing, unicode_safe, verzoek_text],
        "dataset": [ignore_missing, unicode_safe],
        "gesloten": [default(False), boolean_validator],
        "woo_grounds": [ignore_missing],
        "review_date": [ignore_missing, unicode_safe],
        "organisatie": [ignore_missing, unicode_safe],
    }


@validator_args
def verzoek_hide(not_empty, natural_number_validator, boolean_validator, default, ignore_missing, unicode_safe,
                 verzoek_reason) -> Schema:
    return {
        "id": [not_empty, natural_number_validator],
        "hidden": [default(True), boolean_validator],
        "reason": [ignore_missing, unicode_safe, verzoek_reason],
    }


@validator_args
def verzoek_similar(ignore_missing, unicode_safe, default) -> Schema:
    return {
        "titel": [default(""), unicode_safe],
        "organisatie": [ignore_missing, unicode_safe],
        "soort": [ignore_missing, unicode_safe],
    }
