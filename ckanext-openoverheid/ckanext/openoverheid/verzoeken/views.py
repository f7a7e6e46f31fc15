"""The verzoeken pages. Thin: they call the actions and render."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

verzoeken = Blueprint("verzoeken", __name__)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


@verzoeken.route("/verzoeken/bevestigen/<token>", endpoint="confirm")
def confirm(token: str) -> str:
    """The link in the confirmation mail: opening it confirms (as the mail says)."""
    try:
        result = tk.get_action("verzoek_confirm")(_context(), {"token": token})
    except (tk.ValidationError, tk.ObjectNotFound) as error:
        message = (next(iter(error.error_dict.values()))[0] if isinstance(error, tk.ValidationError)
                   else str(error.message or error))
        return tk.render("openoverheid/verzoeken/confirmed.html", {"result": None, "error": message})
    return tk.render("openoverheid/verzoeken/confirmed.html", {"result": result, "error": None})


def get_blueprints() -> list[Blueprint]:
    return [verzoeken]
