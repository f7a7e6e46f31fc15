"""Reading the configuration through its declarations (``config_declaration.yaml`` files).

``tk.config.get(key)`` already answers with the declared default, normalised to the declared type; this
module is for the one other case: a configured value that cannot be used, where the code falls back on
the declared default instead of repeating it.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.common import config_declaration


def declared_default(key: str) -> Any:
    """The default declared for ``key``; KeyError when no loaded plugin declares it."""
    option = config_declaration.get(key)
    if option is None:
        raise KeyError(f"{key} is not declared by any loaded plugin")
    return option.default


def configured_int(key: str) -> int:
    """``key`` as a whole number; its declared default when the configured text is none."""
    try:
        return tk.asint(tk.config.get(key))
    except (TypeError, ValueError):
        return int(declared_default(key))
