"""Schemas of the meldingen actions (CKAN navl, like ``ckan/logic/schema``)."""

from __future__ import annotations

from typing import Any

from ckan.logic.schema import validator_args

Schema = dict[str, Any]


@validator_args
def melding_create(
    not_empty, ignore_missing, unicode_safe, email_validator, melding_service_code, melding_description,
    melding_address, melding_latitude, melding_longitude, melding_attributes, strip_value, default,
    melding_reporter_name,
) -> Schema:
    return {
        "service_code": [default(""), unicode_safe, melding_service_code],
        "description": [default(""), unicode_safe, melding_description],
        "lat": [ignore_missing, melding_latitude],
        "lon": [ignore_missing, melding_longitude],
        "address": [ignore_missing, unicode_safe, melding_address],
        "email": [ignore_missing, strip_value, unicode_safe, email_validator],
        "name": [ignore_missing, strip_value, unicode_safe, melding_reporter_name],
        "attributes": [ignore_missing, melding_attributes],
        "media_url": [ignore_missing, strip_value, unicode_safe],
        "photo": [ignore_missing],
    }


@validator_args
def melding_show(not_empty, natural_number_validator) -> Schema:
    return {"id": [not_empty, natural_number_validator]}


@validator_args
def melding_search(
    ignore_missing, unicode_safe, melding_limit, natural_number_validator, boolean_validator, default,
) -> Schema:
    return {
        "service_code": [ignore_missing],
        "status": [ignore_missing],
        "organization": [ignore_missing, unicode_safe],
        "ids": [ignore_missing],
        "bbox": [ignore_missing, unicode_safe],
        "lat": [ignore_missing],
        "lon": [ignore_missing],
        "radius": [ignore_missing],
        "start_date": [ignore_missing, unicode_safe],
        "end_date": [ignore_missing, unicode_safe],
        "include_hidden": [default(False), boolean_validator],
        "only_hidden": [default(False), boolean_validator],
        "sort": [ignore_missing, unicode_safe],
        "limit": [default(50), melding_limit],
        "offset": [default(0), natural_number_validator],
        "count": [default(True), boolean_validator],
        "updates": [default(True), boolean_validator],
    }


@validator_args
def melding_update_create(
    not_empty, ignore_missing, natural_number_validator, melding_status, unicode_safe, melding_response_text,
) -> Schema:
    return {
        "id": [not_empty, natural_number_validator],
        "status": [ignore_missing, unicode_safe, melding_status],
        "text": [ignore_missing, unicode_safe, melding_response_text],
    }


@validator_args
def melding_hide(not_empty, natural_number_validator, boolean_validator, ignore_missing, unicode_safe,
                 melding_response_text, default) -> Schema:
    return {
        "id": [not_empty, natural_number_validator],
        "hidden": [default(True), boolean_validator],
        "reason": [ignore_missing, unicode_safe, melding_response_text],
    }


@validator_args
def melding_photo_hide(not_empty, natural_number_validator, ignore_missing, unicode_safe,
                       melding_response_text) -> Schema:
    return {
        "id": [not_empty, natural_number_validator],
        "update_id": [ignore_missing, natural_number_validator],
        "reason": [not_empty, unicode_safe, melding_response_text],
    }


@validator_args
def melding_nearby(not_empty, melding_latitude, melding_longitude, melding_service_code, ignore_missing,
                   natural_number_validator, unicode_safe) -> Schema:
    return {
        "lat": [not_empty, melding_latitude],
        "lon": [not_empty, melding_longitude],
        "service_code": [not_empty, unicode_safe, melding_service_code],
        "radius": [ignore_missing, natural_number_validator],
    }


@validator_args
def melding_statistics(ignore_missing, unicode_safe, boolean_validator, default) -> Schema:
    return {
        "organization": [ignore_missing, unicode_safe],
        "start_date": [ignore_missing, unicode_safe],
        "end_date": [ignore_missing, unicode_safe],
        "reports": [default(False), boolean_validator],
    }


@validator_args
def melding_reporter_update_create(not_empty, natural_number_validator, unicode_safe, ignore_missing,
                                   melding_response_text) -> Schema:
    return {
        "id": [not_empty, natural_number_validator],
        "token": [not_empty, unicode_safe],
        "text": [ignore_missing, unicode_safe, melding_response_text],
        "photo": [ignore_missing],
    }


@validator_args
def melding_solved_answer(not_empty, not_missing, natural_number_validator, unicode_safe, ignore_missing,
                          boolean_validator, melding_response_text) -> Schema:
    return {
        "id": [not_empty, natural_number_validator],
        "token": [not_empty, unicode_safe],
        "solved": [not_missing, boolean_validator],
        "comment": [ignore_missing, unicode_safe, melding_response_text],
    }


@validator_args
def melding_followup_link_show(not_empty, natural_number_validator, unicode_safe, one_of) -> Schema:
    return {
        "id": [not_empty, natural_number_validator],
        "token": [not_empty, unicode_safe],
        "purpose": [not_empty, unicode_safe, one_of(["add", "solved"])],
    }


@validator_args
def melding_my_reports_request(not_empty, strip_value, unicode_safe, email_validator) -> Schema:
    return {"email": [not_empty, strip_value, unicode_safe, email_validator]}


@validator_args
def melding_my_reports_list(not_empty, unicode_safe) -> Schema:
    return {"token": [not_empty, unicode_safe]}
