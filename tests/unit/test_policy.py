"""The rules of "open, tenzij" (openheid/policy.py), without CKAN."""

from __future__ import annotations

import datetime

import pytest

from ckanext.openoverheid.openheid import policy

TODAY = datetime.date(2026, 11, 28)
MOTIVATION = (
    "De dataset bevat de adressen van opvanglocaties; openbaarmaking brengt de veiligheid van de bewoners in gevaar."
)
IN_A_YEAR = "2027-11-28"


def check(access_rights="beperkt", grounds=("5.1.2.h",), motivation=MOTIVATION, review=IN_A_YEAR, **kwargs):
    return policy.check_closure(access_rights, grounds, motivation, review, today=TODAY, **kwargs)


# --- access rights -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", "publiek"])
def test_missing_or_publiek_is_open(value):
    assert not policy.is_closed(value)


@pytest.mark.parametrize("value", ["beperkt", "niet-publiek", "geheim", "PUBLIEK"])
def test_anything_else_is_closed_even_unknown_values(value):
    assert policy.is_closed(value)


def test_a_complete_closure_passes_with_cleaned_values():
    result = check(grounds=[" 5.1.2.h ", "5.1.1.d", "5.1.2.h", ""], motivation=f"  {MOTIVATION}\n")
    assert result.ok, result.errors
    assert result.woo_grounds == ["5.1.2.h", "5.1.1.d"]  # stripped, blanks and duplicates gone, order kept
    assert result.woo_motivation == MOTIVATION
    assert result.review_date == datetime.date(2027, 11, 28)
    assert result.warnings == []


def test_niet_publiek_needs_the_same_as_beperkt():
    assert check(access_rights="niet-publiek").ok
    errors = check(access_rights="niet-publiek", grounds=[], motivation="", review=None).errors
    assert set(errors) == {"woo_grounds", "woo_motivation", "review_date"}


def test_unknown_access_rights_is_an_error_on_that_field_only():
    result = check(access_rights="geheim")
    assert set(result.errors) == {"access_rights"}
    assert result.errors["access_rights"][0].startswith("Access rights: 'geheim' does not exist")


# --- grounds -----------------------------------------------------------------------------------------


def test_closed_without_grounds_names_the_field():
    errors = check(grounds=[]).errors
    assert list(errors) == ["woo_grounds"]
    assert errors["woo_grounds"][0].startswith("Ground for refusal: choose at least one ground of the Open Government")


def test_several_grounds_are_allowed():
    assert check(grounds=["5.1.1.c", "5.1.2.f", "5.2"]).ok


def test_a_single_ground_may_be_a_string():
    assert check(grounds="5.1.5").woo_grounds == ["5.1.5"]


@pytest.mark.parametrize("code", ["5.1.1.f", "5.1.2.j", "5.1.3", "art. 5.1.2.e", "5.1.2.E", "10.2.e"])
def test_unknown_ground_codes_are_errors_listing_them(code):
    errors = check(grounds=["5.1.2.e", code]).errors
    assert list(errors) == ["woo_grounds"]
    assert f"unknown code {code}" in errors["woo_grounds"][0]


def test_every_ground_of_woo_5_1_and_5_2_is_known():
    assert len(policy.WOO_GROUNDS) == 5 + 9 + 1 + 1
    for code in policy.WOO_GROUNDS:
        assert check(grounds=[code]).ok


# --- motivation --------------------------------------------------------------------------------------


@pytest.mark.parametrize("motivation", [None, "", "   ", "\n\t  \n"])
def test_missing_or_whitespace_motivation_is_required(motivation):
    errors = check(motivation=motivation).errors
    assert list(errors) == ["woo_motivation"]
    assert errors["woo_motivation"][0].startswith("Motivation: required")


@pytest.mark.parametrize(
    "motivation", ["n.v.t.", "N.V.T", "nvt", "n/a", "geen", "-", "zie boven", "Zie hierboven.", "...", "x", "TBD"]
)
def test_placeholders_are_not_a_motivation(motivation):
    errors = check(motivation=motivation).errors
    assert list(errors) == ["woo_motivation"]
    assert "is not a motivation" in errors["woo_motivation"][0] or "required" in errors["woo_motivation"][0]


@pytest.mark.parametrize("motivation", ["Privacy.", "Bevat persoonsgegevens", "Gegevens zijn vertrouwelijk"])
def test_short_motivations_are_too_short(motivation):
    errors = check(motivation=motivation).errors
    assert errors["woo_motivation"][0].startswith("Motivation: too short")


def test_repeated_filler_words_are_not_a_sentence():
    errors = check(motivation="n.v.t. n.v.t. n.v.t. n.v.t. n.v.t. n.v.t. n.v.t.").errors
    assert errors["woo_motivation"][0].startswith("Motivation: this is not a sentence")
    assert not check(motivation="bla bla bla bla bla bla bla bla bla bla").ok


def test_a_real_sentence_is_a_motivation_and_its_whitespace_is_kept_inside():
    text = "Bevat namen en adressen van melders.\n\nOpenbaarmaking schaadt hun persoonlijke levenssfeer."
    result = check(motivation=text)
    assert result.ok
    assert result.woo_motivation == text


# --- review date (Woo art. 5.3) ----------------------------------------------------------------------


@pytest.mark.parametrize("review", ["2026-11-28", "2026-11-27", "2020-01-01"])
def test_review_date_today_or_past_is_refused(review):
    errors = check(review=review).errors
    assert list(errors) == ["review_date"]
    assert errors["review_date"][0] == "Review date: must be after today (2026-11-28)."


def test_review_date_tomorrow_and_exactly_five_years_ahead_are_allowed():
    assert check(review="2026-11-29").ok
    assert check(review="2031-11-28").ok
    assert check(review=datetime.date(2031, 11, 28)).ok


def test_review_date_five_years_and_one_day_ahead_is_refused():
    errors = check(review="2031-11-29").errors
    assert errors["review_date"][0].startswith("Review date: at most five years ahead")
    assert "2031-11-28" in errors["review_date"][0]


def test_five_years_from_29_february_ends_on_28_february():
    assert policy.latest_review_date(datetime.date(2028, 2, 29)) == datetime.date(2033, 2, 28)


@pytest.mark.parametrize("review", [None, "", "  "])
def test_review_date_is_required_when_closed(review):
    assert check(review=review).errors["review_date"][0].startswith("Review date: required")


@pytest.mark.parametrize("review", ["28-11-2027", "2027-13-01", "volgend jaar", "2027-11-28x", "20271128"])
def test_review_date_that_is_no_iso_date_is_refused(review):
    assert "is not a date" in check(review=review).errors["review_date"][0]


def test_review_date_may_carry_a_time():
    assert check(review="2027-11-28T00:00:00").review_date == datetime.date(2027, 11, 28)


def test_an_unchanged_stored_review_date_that_has_passed_is_accepted():
    # editing another field of a closure whose review is overdue: the register flags it, the edit passes
    assert check(review="2026-06-30", previous_review_date="2026-06-30").ok
    assert not check(review="2026-07-01", previous_review_date="2026-06-30").ok  # a new date is checked


# --- public datasets keep nothing of a closure -------------------------------------------------------


def test_grounds_on_a_public_dataset_are_dropped_with_a_warning():
    result = check(access_rights="publiek", grounds=["5.1.2.e"], motivation="n.v.t.", review="1999-01-01")
    assert result.ok  # not an error: the values are simply not stored
    assert result.woo_grounds == [] and result.woo_motivation == "" and result.review_date is None
    assert len(result.warnings) == 1
    assert "woo_grounds, woo_motivation, review_date not stored" in result.warnings[0]


def test_public_dataset_without_closure_fields_has_no_warning():
    result = policy.check_closure(None, None, None, None, today=TODAY)
    assert result.ok and result.warnings == [] and result.access_rights == "publiek"


def test_errors_of_all_three_fields_come_together():
    errors = check(grounds=["5.9"], motivation="nvt", review="2040-01-01").errors
    assert set(errors) == {"woo_grounds", "woo_motivation", "review_date"}


# --- closed since ------------------------------------------------------------------------------------


def test_closed_since_is_today_when_newly_closed():
    assert policy.closed_since("beperkt", None, None, TODAY) == "2026-11-28"
    assert policy.closed_since("beperkt", "publiek", "2020-01-01", TODAY) == "2026-11-28"


def test_closed_since_is_kept_while_closed_also_between_kinds():
    assert policy.closed_since("beperkt", "beperkt", "2025-03-01", TODAY) == "2025-03-01"
    assert policy.closed_since("niet-publiek", "beperkt", "2025-03-01", TODAY) == "2025-03-01"


def test_closed_since_is_removed_when_public():
    assert policy.closed_since("publiek", "beperkt", "2025-03-01", TODAY) is None


def test_a_broken_stored_closed_since_is_replaced_by_today():
    assert policy.closed_since("beperkt", "beperkt", "gisteren", TODAY) == "2026-11-28"


def test_errors_go_through_the_translate_function_with_their_values_filled_in():
    catalogue = {
        "Review date: must be after today ({today}).": "Herbeoordelingsdatum: moet na vandaag ({today}) liggen."
    }
    errors = check(review="2020-01-01", translate=lambda msgid: catalogue.get(msgid, msgid)).errors
    assert errors["review_date"] == ["Herbeoordelingsdatum: moet na vandaag (2026-11-28) liggen."]


def test_a_motivation_with_braces_is_quoted_as_typed_not_formatted():
    errors = check(motivation="{x}").errors  # a placeholder ("x"), quoted back in the message
    assert errors["woo_motivation"] == [
        "Motivation: '{x}' is not a motivation; explain in a full sentence why the data of this dataset "
        "cannot be public."
    ]
