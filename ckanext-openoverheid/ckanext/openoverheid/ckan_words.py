"""CKAN's own strings whose Dutch we supply or correct.

CKAN's Dutch catalogue leaves many interface strings untranslated ("Skip to main content", "Submit") or
translates them awkwardly ("Creëer Dataset", "Bijwerk"). CKAN merges every plugin's catalogue after its
own, so a msgid of CKAN's in our catalogue replaces CKAN's translation. This module only lists those
msgids, exactly as CKAN's templates spell them, so that `make i18n-extract` keeps them in our catalogue;
nothing imports it at run time.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark for extraction only"
    return message


def ngettext(singular: str, plural: str, count: int = 1) -> str:
    """Marks a plural pair for extraction (Babel knows the name); the words are CKAN's."""
    return singular if count == 1 else plural


CKAN_MESSAGES = (
    # header and page layout (page.html, header.html, footer.html)
    N_("Skip to main content"),
    # a resource's page without a description of its own (package/resource_read.html)
    N_("Dataset description:"),
    N_("Toggle navigation"),
    N_("Search Datasets..."),
    N_("Search datasets..."),
    N_("Search datasets"),
    N_("Submit"),
    N_("Register"),
    N_("Profile settings"),
    N_("Sysadmin settings"),
    N_("News feed"),
    N_("Breadcrumb"),
    N_("Navigate to Home - {site_title}"),
    N_("About {0}"),
    N_('<strong>Powered by</strong> <a class="hide-text ckan-footer-logo" href="http://ckan.org">CKAN</a>'),
    # dataset search, dataset and organisation pages
    N_("You can also access this registry using the %(api_link)s (see %(api_doc_link)s)."),
    N_("Navigate to dataset: {title}"),
    N_("Filter Results"),
    N_("Formats"),
    N_("Tags"),
    N_("close"),
    N_("Activity Stream"),
    N_("Additional Information"),
    N_("There is no description for this organization."),
    N_("Open details page for {name}"),
    ngettext("{num} Member", "{num} Members"),
    ngettext("{num} Dataset", "{num} Datasets"),
    N_("There are currently no groups for this site."),
    N_("There are no groups associated with this dataset."),
    N_("Activity occurred on: {time}"),
    N_("View this version"),
    N_("0 Members"),
    # forms for civil servants
    N_("Create Dataset"),
    N_("Edit"),
    N_("Update"),
    N_("Update Dataset"),
    N_("Unpublish"),
    N_("Publish"),
    N_("Reorder resources"),
    N_("Upload"),
    N_("Image URL"),
    N_(
        'You can use <a href="#markdown" title="Markdown quick reference" data-bs-toggle="popover" '
        'data-bs-content="%(markdown_tooltip)s" data-bs-html="true">Markdown formatting</a> here'
    ),
    N_("These fields have been removed."),
    N_("These fields have been removed, click update below to save your changes."),
    # accounts
    N_("Username or Email"),
    N_("Email"),
    N_("API Tokens"),
    N_("This information is visible to you and admins"),
    N_("Click here to login"),
    N_("You might need to login to access this page."),
    N_("Profile picture"),
    N_("Profile picture URL"),
    N_("Create API Token"),
    N_("Token"),
    N_("Revoke tokens"),
    # the sysadmin page
    N_("Activities"),
    N_("Current Sysadmins"),
    N_("Promote"),
    N_("Promote user to Sysadmin"),
    N_("Revoke Sysadmin permission"),
    # the search of Woo publications (snippets/search_result_text.html builds these from the type's name)
    ngettext("{number} publicatie found", "{number} publicaties found"),
    ngettext('{number} publicatie found for "{query}"', '{number} publicaties found for "{query}"'),
    N_("No publicaties found"),
    N_('No publicaties found for "{query}"'),
)
