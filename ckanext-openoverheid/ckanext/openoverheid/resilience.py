"""Service faults: what the portal does when Solr or the harvest queue (Redis) is down.

* **Solr down, a dataset is saved.** CKAN's ``package_create``/``package_update`` index the dataset
  before they commit, so an unreachable Solr rolls the write back and the editor loses it. We chain
  both actions: on a search-index error the action runs again with ``defer_commit`` and
  ``return_id_only`` (CKAN then returns before the index call), we commit, and the saved dataset
  comes back (read from the database) with ``search_index_warning``.
* **Which datasets need re-indexing**: the union of two sources, so that losing one loses nothing.
  (1) The database against Solr: a dataset whose Solr copy is missing or carries another
  ``metadata_modified`` (CKAN's own staleness test in ``package_show``) is stale; this needs no
  state of its own and also catches writes made by any other path. (2) A Redis set of the ids saved
  without index, for the one case (1) misses: a client that sends ``metadata_modified`` back
  unchanged (ckanapi round-trips do), which CKAN then keeps. A table would need a migration for a
  list that is only ever a hint; if Redis is down as well, (1) still finds new datasets.
  ``ckan openoverheid reindex`` re-indexes them all.
* **Redis down, a harvest job is started.** ckanext-harvest marks the job ``Running`` and then fails
  to queue it: the job would hang for ever and block its source. We put it back to ``New`` with a
  gather error saying why, raise :class:`HarvestQueueUnavailable`, and ``harvest_jobs_run`` (the
  scheduler) sends such jobs again once Redis answers.

Closed datasets stay closed throughout: a dataset saved without index is read from the database by
our ``package_show`` and filtered by ``withholding`` like any other.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import redis
from ckan.lib import search
from ckan.lib.search.common import SearchIndexError, SolrConnectionError, make_connection

from ckanext.openoverheid import cli_text
from ckanext.openoverheid.keys import redis_key

log = logging.getLogger(__name__)

# The gather error that marks a job whose start the queue refused; harvest_jobs_run resends these. It is
# stored in the database and found again with LIKE, so it is data, not a message: never translated.
QUEUE_REFUSED_MARK = "Wachtrij (Redis) onbereikbaar"


def search_index_warning() -> str:
    """The ``search_index_warning`` of a dataset saved while Solr was down, in the user's language."""
    return tk._("The dataset was saved, but the search index (Solr) could not be reached: it will appear in "
                "search results only after `ckan openoverheid reindex`.")


class HarvestQueueUnavailable(tk.ValidationError):
    """The harvest queue (Redis) did not answer; the job stays ``New`` and is sent again by
    ``harvest_jobs_run`` when it does. A ValidationError, so the API answers it as JSON (409)."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__({"queue": [tk._(
            "The harvest queue (Redis) cannot be reached: {detail}. The harvest job stays 'New' and is sent "
            "again as soon as the queue is back (harvest_jobs_run)."
        ).format(detail=detail)]})


# --- Solr down: a clear answer instead of a 500 ------------------------------------------------------

# Our machine-readable routes answer problem+json; everything else an HTML error page.
MACHINE_PATHS = ("/api/", "/feeds/", "/export/", "/catalog.")
RETRY_AFTER_SECONDS = "120"


def search_unavailable(error: Exception) -> Any:
    """Flask error handler for SolrConnectionError that escapes a view (CKAN's Action API handles
    its own): 503 with Retry-After, as problem+json on our API routes, else CKAN's error page."""
    from flask import request

    from ckanext.openoverheid.api.problem import problem

    log.error("search index unreachable while serving %s: %s", request.path, error)
    detail = tk._("The search index is temporarily unavailable; please try again in a few minutes.")
    headers = {"Retry-After": RETRY_AFTER_SECONDS}
    if request.path.startswith(MACHINE_PATHS):
        return problem(503, detail, headers=headers)
    page = tk.render("error_document_template.html",
                     {"code": 503, "content": detail, "name": tk._("Service Unavailable")})
    return page, 503, headers


def register_error_handlers(app: Any) -> Any:
    app.register_error_handler(SolrConnectionError, search_unavailable)
    return app


# --- Solr down: save without index ------------------------------------------------------------------


def _save_without_index(name: str) -> Callable[..., Any]:
    @tk.chained_action
    def chained(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
        first_context = dict(context)
        try:
            first_data = copy.deepcopy(data_dict)
        except Exception:  # an upload (file object) cannot be copied; the action does not change it
            first_data = dict(data_dict)
        try:
            return next_action(context, data_dict)
        except (SearchIndexError, SolrConnectionError) as error:
            if context.get("defer_commit"):
                raise  # the caller owns the transaction and did not ask us to commit
            log.warning("%s: search index unreachable (%s); saving without index", name, error)
            model.Session.rollback()
        # defer_commit + return_id_only: CKAN returns right after saving, before the index call (and
        # before package_update's rollback of its savepoint under defer_commit alone); we commit.
        package_id = next_action(dict(first_context, defer_commit=True, return_id_only=True), first_data)
        model.repo.commit()
        _mark_pending(package_id)
        if first_context.get("return_id_only"):
            return package_id
        shown = tk.get_action("package_show")(
            {"user": first_context.get("user"), "auth_user_obj": first_context.get("auth_user_obj"),
             "ignore_auth": first_context.get("ignore_auth", False), "use_cache": False},
            {"id": package_id},
        )
        return dict(shown, search_index_warning=search_index_warning())

    chained.__name__ = name
    chained.__doc__ = f"{name}, saved without the search index when Solr is unreachable."
    return chained


@dataclass
class ReindexSummary:
    stale: int = 0
    indexed: int = 0
    errors: list[str] = field(default_factory=list)


def _pending_key() -> str:
    return redis_key("herindexeer", "pending")


def _mark_pending(package_id: str) -> None:
    from ckan.lib.redis import connect_to_redis

    try:
        connect_to_redis().sadd(_pending_key(), package_id)
    except redis.exceptions.RedisError as error:  # the database comparison still finds most of them
        log.error("could not note dataset %s for re-indexing in Redis: %s", package_id, error)


def _pending_ids() -> set[str]:
    from ckan.lib.redis import connect_to_redis

    try:
        return {str(pid, "utf-8") if isinstance(pid, bytes) else str(pid)
                for pid in connect_to_redis().smembers(_pending_key())}
    except redis.exceptions.RedisError as error:
        log.error("could not read the datasets noted for re-indexing from Redis: %s", error)
        return set()


def _unmark_pending(package_id: str) -> None:
    from ckan.lib.redis import connect_to_redis

    try:
        connect_to_redis().srem(_pending_key(), package_id)
    except redis.exceptions.RedisError:
        pass


def stale_dataset_ids() -> list[str]:
    """Datasets saved without index, or whose Solr copy is missing or older than the database.
    Raises SolrConnectionError (with a message that says so) when Solr does not answer."""
    in_db = {
        package_id: modified.isoformat()[:22] if modified else ""
        for package_id, modified in model.Session.query(model.Package.id, model.Package.metadata_modified).filter(
            model.Package.state != "deleted"
        )
    }
    fq = f'+site_id:"{tk.config.get("ckan.site_id")}" +entity_type:package'
    try:
        conn = make_connection(decode_dates=False)
        total = conn.search(q="*:*", fq=fq, rows=0).hits
        docs = conn.search(q="*:*", fq=fq, fl="id,metadata_modified", rows=max(total, 1)).docs
    except Exception as error:
        raise SolrConnectionError(
            tk._("Solr ({url}) cannot be reached: {error}").format(url=tk.config.get("solr_url"), error=error)
        ) from error
    in_index = {doc["id"]: str(doc.get("metadata_modified") or "")[:22] for doc in docs}
    stale = {pid for pid, modified in in_db.items() if in_index.get(pid) != modified}
    for pid in _pending_ids():
        if pid in in_db:
            stale.add(pid)
        else:  # deleted or purged since: nothing to index
            _unmark_pending(pid)
    return sorted(stale)


def reindex_stale(progress: Callable[[str], None] = lambda message: None) -> ReindexSummary:
    """Re-index every stale dataset, one at a time, so one bad dataset does not stop the others."""
    ids = stale_dataset_ids()
    summary = ReindexSummary(stale=len(ids))
    for number, package_id in enumerate(ids, start=1):
        try:
            search.rebuild(package_id=package_id, defer_commit=True)
        except Exception as error:
            summary.errors.append(f"{package_id}: {error}")
            progress(cli_text._("{number}/{total} {id}: error: {error}").format(
                number=number, total=len(ids), id=package_id, error=error))
            continue
        summary.indexed += 1
        _unmark_pending(package_id)
        progress(f"{number}/{len(ids)} {package_id}")
    if summary.indexed:
        search.commit()
    return summary


# --- Redis down: harvest jobs wait instead of hanging ------------------------------------------------


@tk.chained_action
def harvest_send_job_to_gather_queue(
    next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]
) -> Any:
    """harvest_send_job_to_gather_queue; when Redis does not answer, the job goes back to ``New`` with
    a gather error saying so (once), and :class:`HarvestQueueUnavailable` is raised."""
    from ckanext.harvest.model import HarvestGatherError, HarvestJob

    try:
        result = next_action(context, data_dict)
    except redis.exceptions.RedisError as error:
        model.Session.rollback()
        job = HarvestJob.get(data_dict.get("id"))
        if job is not None:
            job.status = "New"
            job.save()
            if not _queue_refusals(job.id):
                HarvestGatherError(message=f"{QUEUE_REFUSED_MARK}: {error}", job=job).save()
        log.error("harvest job %s not queued: Redis unreachable (%s)", data_dict.get("id"), error)
        raise HarvestQueueUnavailable(str(error)) from None
    for refusal in _queue_refusals(result["id"]):  # queued now: the job's report need not show the outage
        refusal.delete()
    model.Session.commit()
    return result


@tk.chained_action
def harvest_jobs_run(next_action: Callable[..., Any], context: dict[str, Any], data_dict: dict[str, Any]) -> Any:
    """harvest_jobs_run, which first sends again the jobs the queue refused; while Redis is down it
    raises :class:`HarvestQueueUnavailable` instead of a bare connection error."""
    from ckanext.harvest.model import HarvestGatherError, HarvestJob

    try:
        waiting = (
            model.Session.query(HarvestJob.id)
            .filter(HarvestJob.status == "New")
            .filter(HarvestJob.id.in_(
                model.Session.query(HarvestGatherError.harvest_job_id).filter(
                    HarvestGatherError.message.like(f"{QUEUE_REFUSED_MARK}%")
                )
            ))
        )
        if (data_dict or {}).get("source_id"):
            waiting = waiting.filter(HarvestJob.source_id == data_dict["source_id"])
        for (job_id,) in waiting.all():
            tk.get_action("harvest_send_job_to_gather_queue")(
                {"user": context.get("user"), "ignore_auth": True}, {"id": job_id}
            )
            log.info("harvest job %s sent to the gather queue after a queue outage", job_id)
        return next_action(context, data_dict)
    except redis.exceptions.RedisError as error:
        model.Session.rollback()
        raise HarvestQueueUnavailable(str(error)) from None


def _queue_refusals(job_id: str) -> list[Any]:
    from ckanext.harvest.model import HarvestGatherError

    return (
        model.Session.query(HarvestGatherError)
        .filter(HarvestGatherError.harvest_job_id == job_id)
        .filter(HarvestGatherError.message.like(f"{QUEUE_REFUSED_MARK}%"))
        .all()
    )


def get_actions() -> dict[str, Callable[..., Any]]:
    return {name: _save_without_index(name) for name in ("package_create", "package_update")}


def get_harvest_actions() -> dict[str, Callable[..., Any]]:
    """Registered by the ``openoverheid_harvest`` plugin: they chain ckanext-harvest's actions."""
    return {"harvest_send_job_to_gather_queue": harvest_send_job_to_gather_queue, "harvest_jobs_run": harvest_jobs_run}
