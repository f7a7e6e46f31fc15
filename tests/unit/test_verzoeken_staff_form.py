"""The answer form's fields as ``verzoek_update`` takes them: the dataset named by its name or its page's
address, the closure only with a refusal of data that is not public."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from ckanext.openoverheid.verzoeken.staff_views import answer_data, dataset_reference


@pytest.mark.parametrize(("typed", "name"), [
    ("speeltuinen", "speeltuinen"),
    ("  speeltuinen  ", "speeltuinen"),
    ("https://data.example.nl/dataset/speeltuinen", "speeltuinen"),
    ("https://data.example.nl/en/publicatie/besluit-12/", "besluit-12"),
    ("/dataset/speeltuinen?tab=resources", "speeltuinen"),
    ("https://data.example.nl/dataset/speeltuinen/resource/4f1c", "speeltuinen"),
    ("", None),
])
def test_a_dataset_is_named_by_its_name_or_its_page(typed, name):
    assert dataset_reference(typed) == name


def test_the_closure_is_sent_only_with_a_refusal_of_closed_data():
    form = MultiDict([("status", "afgewezen"), ("antwoord", "Privacy."), ("gesloten", "true"),
                      ("woo_grounds", "5.1.2.e"), ("woo_grounds", "5.1.2.d"), ("review_date", "2027-01-01"),
                      ("dataset", "bomen")])
    assert answer_data(form, 7) == {"id": 7, "status": "afgewezen", "antwoord": "Privacy.", "gesloten": True,
                                    "woo_grounds": ["5.1.2.e", "5.1.2.d"], "review_date": "2027-01-01"}
    form.setlist("status", ["gepubliceerd"])
    assert answer_data(form, 7) == {"id": 7, "status": "gepubliceerd", "antwoord": "Privacy.", "dataset": "bomen"}
    unticked = MultiDict([("status", "afgewezen"), ("antwoord", "Bestaat niet."), ("woo_grounds", "5.1.2.e")])
    assert answer_data(unticked, 7) == {"id": 7, "status": "afgewezen", "antwoord": "Bestaat niet."}
