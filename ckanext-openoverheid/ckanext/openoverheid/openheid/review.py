"""Closures past their review date (Woo art. 5.3): flag them or reopen them, and tell the admins.

``ckanext.openoverheid.expired_closure`` decides what happens to an expired closure:
``flag`` (default) keeps it closed, shows "herbeoordeling verlopen" in the register and e-mails the
organisation's admins once per review date; ``open`` makes the dataset public again ("open, tenzij":
without a renewed decision there is no ground to keep it closed) and e-mails the admins.
"""

from __future__ import annotations

import datetime
import enum
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import mailer
from ckan.lib.redis import connect_to_redis

from ckanext.openoverheid import cli_text
from ckanext.openoverheid.keys import redis_key

log = logging.getLogger(__name__)


class ExpiredClosure(enum.Enum):
    FLAG = "flag"
    OPEN = "open"

    @classmethod
    def from_config(cls) -> ExpiredClosure:
        value = tk.config.get("ckanext.openoverheid.expired_closure")
        try:
            return cls(value)
        except ValueError:
            raise tk.ValidationError(
                {"ckanext.openoverheid.expired_closure": [f"'{value}' is not 'flag' or 'open': fix ckan.ini"]}
            ) from None


@dataclass
class ReviewSummary:
    expired: int = 0
    reopened: int = 0
    flagged: int = 0
    mails_sent: int = 0
    errors: list[str] = field(default_factory=list)


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def expired_closures(today: datetime.date) -> Iterator[dict[str, Any]]:
    """Closed datasets whose review date lies before ``today``."""
    fq = f"-access_rights:publiek +review_date:[* TO {today.isoformat()}T00:00:00Z}}"
    start = 0
    while True:
        page = tk.get_action("package_search")(
            _site_context(), {"q": "*:*", "fq": fq, "rows": 200, "start": start, "sort": "name asc"}
        )
        yield from page["results"]
        start += 200
        if start >= page["count"]:
            return


def _admins(organization_id: str) -> list[model.User]:
    members = tk.get_action("member_list")(
        _site_context(), {"id": organization_id, "object_type": "user", "capacity": "admin"}
    )
    users = [model.User.get(member_id) for member_id, _type, _capacity in members]
    return [user for user in users if user is not None and user.email and user.state == "active"]


def _notified_key(pkg: dict[str, Any]) -> str:
    return redis_key("review", "notified", pkg["id"], pkg.get("review_date"))


def _mail_admins(pkg: dict[str, Any], subject: str, body: str, summary: ReviewSummary) -> None:
    for admin in _admins(pkg["owner_org"]):
        try:
            mailer.mail_user(admin, subject, body)
            summary.mails_sent += 1
        except mailer.MailerException as error:
            summary.errors.append(f"{pkg['name']}: e-mail to {admin.name} failed ({error}); check smtp.* in ckan.ini")


def review_closures(
    today: datetime.date | None = None,
    mode: ExpiredClosure | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> ReviewSummary:
    today = today or datetime.date.today()
    mode = mode or ExpiredClosure.from_config()
    summary = ReviewSummary()
    redis = connect_to_redis()
    site_url = tk.config.get("ckan.site_url")
    for pkg in list(expired_closures(today)):
        summary.expired += 1
        link = f"{site_url}/dataset/{pkg['name']}"
        if mode is ExpiredClosure.OPEN:
            try:
                tk.get_action("package_patch")(
                    _site_context(),
                    {"id": pkg["id"], "access_rights": "publiek", "woo_grounds": [], "woo_motivation": "",
                     "review_date": ""},
                )
            except tk.ValidationError as error:
                summary.errors.append(f"{pkg['name']}: not reopened: {error.error_summary}")
                continue
            summary.reopened += 1
            progress(cli_text._("reopened: {name}").format(name=pkg["name"]))
            _mail_admins(
                pkg,
                cli_text._("Dataset reopened after its review date passed: {title}").format(title=pkg["title"]),
                cli_text._("The review date ({date}) of '{title}' has passed.\nWithout a new decision the dataset "
                           "is now public (open, tenzij).\n\n{link}\n").format(
                    date=pkg.get("review_date"), title=pkg["title"], link=link),
                summary,
            )
        else:
            summary.flagged += 1
            progress(cli_text._("review date passed: {name}").format(name=pkg["name"]))
            if redis.set(_notified_key(pkg), today.isoformat(), nx=True):
                _mail_admins(
                    pkg,
                    cli_text._("Review date passed: {title}").format(title=pkg["title"]),
                    cli_text._("The review date ({date}) of '{title}' has passed.\nReview whether the grounds "
                               "still apply, and record a new date or make the\ndataset public.\n\n{link}\n").format(
                        date=pkg.get("review_date"), title=pkg["title"], link=link),
                    summary,
                )
    return summary
