"""The categories and statuses files are data: they parse, are complete in Dutch and English, and
mistakes in them are refused with a message that names the entry."""

from __future__ import annotations

import pytest

from ckanext.openoverheid.meldingen import categories
from ckanext.openoverheid.meldingen.categories import CategoryFileError, parse_categories, parse_workflow


def test_the_shipped_categories_cover_the_issue_and_have_both_languages():
    found = categories.categories()
    codes = [c.code for c in found]
    for wanted in ("losse-stoeptegel", "straatverlichting", "zwerfafval", "volle-afvalbak", "fietsenrek", "groen",
                   "overig"):
        assert wanted in codes
    assert len(set(codes)) == len(codes)
    for category in found:
        assert category.name["nl"] and category.name["en"]
        assert category.description["nl"] and category.group["nl"]
        assert category.keywords


def test_extra_questions_are_open311_attributes():
    stoeptegel = categories.category("losse-stoeptegel")
    question = stoeptegel.attribute("gevaarlijk")
    assert question.datatype == "singlevaluelist"
    assert question.value_keys() == ["ja", "nee"]
    assert categories.label(question.question, "en") == "Could someone trip over it?"


def test_workflow_allows_only_the_listed_changes():
    workflow = categories.workflow()
    assert workflow.initial == "nieuw"
    assert workflow.allowed("nieuw", "in_behandeling")
    assert workflow.allowed("in_behandeling", "opgelost")
    assert workflow.allowed("opgelost", "in_behandeling")  # reopen
    assert not workflow.allowed("opgelost", "afgewezen")
    assert not workflow.allowed("nieuw", "nieuw")
    assert set(workflow.with_open311("open")) == {"nieuw", "in_behandeling"}
    assert set(workflow.with_open311("closed")) == {"opgelost", "afgewezen", "doorgestuurd"}


def test_label_falls_back_to_dutch():
    assert categories.label({"nl": "Groen"}, "en") == "Groen"
    assert categories.label({"nl": "Groen", "en": "Greenery"}, "en") == "Greenery"
    assert categories.label(None) == ""


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        ({"categorieen": [{"code": "Losse Tegel", "naam": {"nl": "x"}}]}, "lower-case"),
        ({"categorieen": [{"code": "a", "naam": {"en": "only English"}}]}, "Dutch"),
        ({"categorieen": [{"code": "a", "naam": {"nl": "A"}}, {"code": "a", "naam": {"nl": "B"}}]}, "twice"),
        ({"categorieen": [{"code": "a", "naam": {"nl": "A"},
                           "attributen": [{"code": "x", "datatype": "singlevaluelist", "vraag": {"nl": "?"}}]}]},
         "waarden"),
        ({"categorieen": [{"code": "a", "naam": {"nl": "A"},
                           "attributen": [{"code": "x", "datatype": "colour", "vraag": {"nl": "?"}}]}]}, "datatype"),
        ({"categorieen": []}, "no categories"),
        ({"categories": []}, "categorieen"),
    ],
)
def test_mistakes_in_the_categories_file_name_the_entry(document, complaint):
    with pytest.raises(CategoryFileError, match=complaint):
        parse_categories(document)


def test_mistakes_in_the_statuses_file_are_refused():
    good = {"code": "nieuw", "naam": {"nl": "Nieuw"}, "open311": "open", "naar": []}
    with pytest.raises(CategoryFileError, match="must be .open. or .closed."):
        parse_workflow({"begin": "nieuw", "statussen": [dict(good, open311="half")]})
    with pytest.raises(CategoryFileError, match="unknown statuses"):
        parse_workflow({"begin": "nieuw", "statussen": [dict(good, naar=["weg"])]})
    with pytest.raises(CategoryFileError, match="begin"):
        parse_workflow({"begin": "later", "statussen": [good]})
