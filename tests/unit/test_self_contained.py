"""A clone anywhere passes on its own: nothing in the repository reads a path outside it.

Reference files a test reads (the SHACL shapes, provider answers) live in ``tests/fixtures/`` with
their source and licence. This scans the code, tests, configuration and docs for a developer's
absolute paths or the project's sibling ``shared`` folder, and the tests for a
``Path(__file__).parents[n]`` that climbs above the repository.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("tests", "ckanext-openoverheid", "harvesters", "bench", "config", "schemas", "docs")
TOP_FILES = ("setup.py", "pyproject.toml", "Makefile", "README.md", "CONTRIBUTING.md", "test.ini", "babel.cfg")
SKIPPED_DIRS = {"__pycache__", "node_modules", "vendor", "target", "cores"}
# Written by `make run` for this machine (git-ignored): it names this checkout's own paths.
GENERATED = {Path("config/ckan.ini")}
TEXT = {".py", ".md", ".yaml", ".yml", ".json", ".ini", ".template", ".sh", ".toml", ".cfg", ".txt", ".html",
        ".js", ".css", ".xml", ".ttl", ".ics", ".geojson", ".csv", ".dtd", ".mako"}
# Written in pieces so that this file does not match itself.
OUTSIDE = re.compile(
    r"(?<![\w<.~-])/(?:" + "|".join(("wo" + "rk", "ro" + "ot", "ho" + "me", "Us" + "ers")) + r")/"
    + r"|\.\./" + "sha" + "red"
)


def repository_text_files() -> Iterator[Path]:
    for name in TOP_FILES:
        if (ROOT / name).is_file():
            yield ROOT / name
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            relative = path.relative_to(ROOT).parts
            if (path.is_file() and path.suffix in TEXT and not SKIPPED_DIRS.intersection(relative)
                    and Path(*relative) not in GENERATED):
                yield path


def outside_references(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return [f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(0)}"
            for match in OUTSIDE.finditer(text)]


def climbs_out(source: str, relative: Path) -> list[str]:
    """``….parents[n]`` in the file ``relative`` (to the root) that, taken from that file, leaves the
    repository: for ``tests/unit/x.py`` ``parents[2]`` is the root and ``parents[3]`` is outside."""
    root_index = len(relative.parts) - 1
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute)
                and node.value.attr == "parents" and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, int) and node.slice.value > root_index):
            found.append(f"{relative}:{node.lineno}: parents[{node.slice.value}]")
    return found


def test_nothing_names_a_path_outside_the_repository():
    offences = [line for path in repository_text_files() for line in outside_references(path)]
    assert offences == [], "copy the file into the repository (tests/fixtures/, docs/) and read it there"


def test_no_test_climbs_above_the_repository():
    offences = [line for path in sorted((ROOT / "tests").rglob("*.py"))
                for line in climbs_out(path.read_text(encoding="utf-8"), path.relative_to(ROOT))]
    assert offences == []


def test_the_scans_see_the_repository_and_would_see_an_outside_path():
    scanned = {path.relative_to(ROOT).as_posix() for path in repository_text_files()}
    assert {"setup.py", "tests/fixtures/shapes/README.md", "docs/feeds.md",
            "ckanext-openoverheid/ckanext/openoverheid/plugin.py"} <= scanned
    assert OUTSIDE.search("SHAPES = Path('/" + "work/shared/shapes')")
    assert OUTSIDE.search("ROOT / '..' / '../" + "shared/docs'")
    closing_tag = "</" + "root>"  # an XML element, not a path
    assert not OUTSIDE.search(f"``<root><item>…</item>…{closing_tag}`` and file:///etc/passwd in a hostile feed")
    source = "ROOT = Path(__file__).resolve().parents[2]\nOUT = Path(__file__).parents[3] / 'x'\n"
    assert climbs_out(source, Path("tests/unit/x.py")) == ["tests/unit/x.py:2: parents[3]"]
