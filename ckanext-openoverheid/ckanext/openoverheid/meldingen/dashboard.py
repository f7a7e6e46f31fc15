"""The dashboard's answer as plain dicts (``melding_statistics``) and its two CSV files.

Names of categories and statuses are given in the page's language; the CSV column names are stable
English keys, so a spreadsheet built on them keeps working whatever language the export was made in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from ckanext.openoverheid.meldingen import categories, statistics
from ckanext.openoverheid.meldingen.period import Period

CELL_METRES = 250.0

FIGURE_COLUMNS = ("service_code", "category", "reported", "closed", "median_days_to_solve", "p90_days_to_solve",
                  "closed_with_target", "closed_within_target", "share_within_target", "solved_yes", "solved_no")
REPORT_COLUMNS = ("id", "service_code", "category", "status", "requested", "closed", "due", "within_target",
                  "days_to_solve", "lat", "lon", "address", "hidden")


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _category_name(code: str | None, lang: str) -> str:
    if code is None:
        return ""
    category = categories.category(code)
    return categories.label(category.name, lang) if category else code


def _figures(row: statistics.CategoryFigures, lang: str) -> dict[str, Any]:
    return {
        "service_code": row.service_code,
        "category": _category_name(row.service_code, lang),
        "reported": row.reported,
        "statuses": dict(row.statuses),
        "closed": row.closed,
        "median_days_to_solve": _round(row.median_days),
        "p90_days_to_solve": _round(row.p90_days),
        "closed_with_target": row.closed_with_target,
        "closed_within_target": row.within_target,
        "share_within_target": _round(row.share_within_target, 4),
        "solved_yes": row.solved_yes,
        "solved_no": row.solved_no,
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _report(report: statistics.Report, lang: str) -> dict[str, Any]:
    return {
        "id": report.id,
        "service_code": report.service_code,
        "category": _category_name(report.service_code, lang),
        "status": report.status,
        "requested": _iso(report.requested),
        "closed": _iso(report.closed),
        "due": _iso(report.due),
        "within_target": report.within_target,
        "days_to_solve": _round(report.days_to_solve),
        "lat": report.lat,
        "lon": report.lon,
        "address": report.address,
        "hidden": report.hidden,
    }


def answer(session: Session, organization: Mapping[str, Any], period: Period, lang: str, *,
           with_reports: bool = False, latitude: float = 52.1) -> dict[str, Any]:
    """Everything the page and the exports show, for ``organization`` (``id``, ``name``, ``title``)."""
    rows, overall = statistics.figures(session, organization["id"], period)
    result: dict[str, Any] = {
        "organization": {"name": organization["name"], "title": organization["title"]},
        "start_date": period.start.isoformat(),
        "end_date": period.end.isoformat(),
        "statuses": [{"code": s.code, "name": categories.label(s.name, lang), "open311": s.open311}
                     for s in categories.workflow().statuses],
        "categories": [_figures(row, lang) for row in rows],
        "overall": _figures(overall, lang),
        "cell_m": CELL_METRES,
        "cells": [{"south": c.south, "west": c.west, "north": c.north, "east": c.east, "count": c.count}
                  for c in statistics.cells(session, organization["id"], period, cell_m=CELL_METRES,
                                            latitude=latitude)],
    }
    if with_reports:
        result["reports"] = [_report(r, lang) for r in statistics.reports(session, organization["id"], period)]
    return result


def _csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow("" if value is None else _cell(value) for value in row)
    return out.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    # A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def figures_csv(result: Mapping[str, Any]) -> str:
    """One row per category and a last row ``service_code`` empty for all; then a column per status."""
    statuses = [s["code"] for s in result["statuses"]]
    header = [*FIGURE_COLUMNS, *(f"status_{code}" for code in statuses)]
    rows = [
        [*(row[column] for column in FIGURE_COLUMNS), *(row["statuses"].get(code, 0) for code in statuses)]
        for row in [*result["categories"], result["overall"]]
    ]
    return _csv(header, rows)


def reports_csv(result: Mapping[str, Any]) -> str:
    """One row per melding of the period: what the export may hold (``REPORT_COLUMNS``)."""
    return _csv(REPORT_COLUMNS, ([report[column] for column in REPORT_COLUMNS] for report in result["reports"]))
