"""The copy a CKAN harvest source makes of a remote package dict (``harvest/ckan_remote.py``): its own id,
the source's organisation, no trace of where it lived on the remote."""

from __future__ import annotations

from ckanext.openoverheid.harvest.ckan_remote import local_id, local_package_dict, refused_options

REMOTE = {
    "id": "3aa41685-7b7e-4e63-b0c0-6f6eca1c0f7c", "name": "speeltuinen", "title": "Speeltuinen",
    "owner_org": "remote-org-id", "organization": {"id": "remote-org-id", "name": "gemeente-elders"},
    "groups": [{"name": "thema"}], "creator_user_id": "remote-user", "state": "active",
    "metadata_modified": "2026-01-01T00:00:00", "tags": [
        {"id": "local-tag-id", "name": "spelen"}, {"id": "t2", "name": "NL", "vocabulary_id": "remote-vocab"}],
    "access_rights": "niet-publiek", "woo_grounds": ["5.1.2.e"],
    "resources": [{"id": "remote-resource", "package_id": "3aa41685", "url": "https://x.nl/a.csv",
                   "url_type": "upload", "format": "CSV"}],
}


def test_a_copy_has_its_own_id_per_source_and_the_sources_organisation() -> None:
    first, second = local_package_dict(REMOTE, "source-a", "org-a"), local_package_dict(REMOTE, "source-b", "org-b")
    assert first["id"] == local_id("source-a", REMOTE["id"]) != REMOTE["id"]
    assert first["id"] != second["id"]
    assert (first["owner_org"], second["owner_org"]) == ("org-a", "org-b")


def test_a_copy_keeps_what_the_dataset_says_and_drops_where_it_lived() -> None:
    copy = local_package_dict(REMOTE, "source-a", "org-a")
    assert (copy["access_rights"], copy["woo_grounds"], copy["name"]) == ("niet-publiek", ["5.1.2.e"], "speeltuinen")
    for remote_only in ("organization", "groups", "creator_user_id", "metadata_modified"):
        assert remote_only not in copy
    assert copy["state"] == "active"
    assert copy["resources"] == [{"url": "https://x.nl/a.csv", "format": "CSV"}]
    assert copy["tags"] == [{"name": "spelen"}], "free tags by name only; the remote's vocabularies are not ours"


def test_options_that_assign_organisations_groups_or_credentials_are_named() -> None:
    config = {"remote_orgs": "create", "default_groups": ["x"], "api_key": "k", "organizations_filter_include": ["a"]}
    assert refused_options(config) == ["remote_orgs", "default_groups", "api_key"]
