"""The name of the dataset a harvest source fills: derived from the source's name, so unique."""

from __future__ import annotations

import uuid

from ckanext.openoverheid.harvest.table_target import MAX_NAME_LENGTH, derived_dataset_name


def test_a_source_fills_a_dataset_named_after_it():
    assert derived_dataset_name("bron-vergunningen-utrecht") == "bron-vergunningen-utrecht-data"


def test_two_sources_never_derive_one_name():
    names = ["bron", "bron-data", "bron-vergunningen-utrecht", "bron-vergunningen-utrecht-2"]
    assert len({derived_dataset_name(name) for name in names}) == len(names)


def test_long_source_names_are_cut_to_ckans_limit_and_stay_unique():
    common = "bron-" + "x" * 95  # 100 characters, CKAN's longest name
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    a, b = derived_dataset_name(common, first), derived_dataset_name(common, second)
    assert len(a) <= MAX_NAME_LENGTH and len(b) <= MAX_NAME_LENGTH
    assert a != b and a.endswith("-data") and first.replace("-", "")[:8] in a
