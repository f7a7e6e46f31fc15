"""The Woo grounds' groups in the dataset form and the error messages shown under a field."""

from __future__ import annotations

from ckanext.openoverheid import valuelists
from ckanext.openoverheid.openheid import dataset_form, policy


def test_every_ground_is_in_exactly_one_group_in_law_order():
    groups = dataset_form.woo_ground_groups(valuelists.get("woo_grounds"), "nl")
    codes = [choice.code for group in groups for choice in group.choices]
    assert codes == list(policy.WOO_GROUNDS)
    assert [group.key for group in groups] == ["absolute", "relative", "other"]
    assert all(code.startswith("5.1.1.") for code in (c.code for c in groups[0].choices))


def test_the_groups_speak_the_language_asked():
    english = dataset_form.woo_ground_groups(valuelists.get("woo_grounds"), "en")
    privacy = next(c for group in english for c in group.choices if c.code == "5.1.2.e")
    assert privacy.label == "Privacy" and privacy.summary == "Respect for personal privacy."


def test_a_closure_message_loses_the_field_name_under_the_field():
    message = "Motivering: verplicht; leg in een zin uit waarom."
    assert dataset_form.without_field_name(message) == "Verplicht; leg in een zin uit waarom."
    assert dataset_form.without_field_name(message, capitalise=False) == "verplicht; leg in een zin uit waarom."
    assert dataset_form.without_field_name("Ontbrekende waarde") == "Ontbrekende waarde"


def test_only_the_closure_fields_are_cleaned():
    errors = {"woo_motivation": ["Motivering: te kort."], "notes": ["Ontbrekende waarde"],
              "contact": [{"email": ["Ongeldig"]}]}
    assert dataset_form.field_errors_without_names(errors) == {"woo_motivation": ["Te kort."]}
