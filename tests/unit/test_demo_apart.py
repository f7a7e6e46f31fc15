"""The demo and its samples stay out of the shipped code path: only the ``demo`` command imports them.

Walks every module of ``ckanext.openoverheid`` outside ``demo/`` and of ``harvesters`` with ``ast``
(nothing is imported, so no CKAN is needed) and looks for an import of ``ckanext.openoverheid.demo``
or a string naming it (``importlib``, ``resources.files``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ROOT / "ckanext-openoverheid" / "ckanext" / "openoverheid"
HARVESTERS = ROOT / "harvesters"
DEMO = "ckanext.openoverheid.demo"
# The one shipped module allowed to import the demo, and the function it may do it in (at run time,
# so that loading the CLI never loads the demo).
COMMAND_MODULE, COMMAND_FUNCTION = "ckanext.openoverheid.cli", "load_demo"


def module_name(path: Path) -> str:
    base = ROOT / "ckanext-openoverheid" if path.is_relative_to(PLUGINS) else ROOT
    parts = list(path.relative_to(base).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def shipped_modules() -> Iterator[Path]:
    for package in (PLUGINS, HARVESTERS):
        for path in sorted(package.rglob("*.py")):
            if not path.is_relative_to(PLUGINS / "demo") and "migration" not in path.parts:
                yield path


def imported_modules(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The full names an ``import``/``from ... import`` node reaches (relative imports resolved)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            package = module.split(".") if is_package else module.split(".")[:-1]
            anchor = package[: len(package) - node.level + 1]
            base = ".".join(anchor + ([base] if base else []))
        return [base] + [f"{base}.{alias.name}" for alias in node.names]
    return []


def names_demo(name: str) -> bool:
    return name == DEMO or name.startswith(DEMO + ".")


def demo_references(path: Path) -> list[tuple[int, str, str | None]]:
    """``(line, what, enclosing function)`` for every import of, or string naming, the demo package."""
    module = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            for name in imported_modules(child, module, path.name == "__init__.py"):
                if names_demo(name):
                    found.append((child.lineno, f"import {name}", function))
            if isinstance(child, ast.Constant) and isinstance(child.value, str) and names_demo(child.value):
                found.append((child.lineno, repr(child.value), function))
            visit(child, inner)

    visit(tree, None)
    return found


def test_no_shipped_module_imports_the_demo_except_the_demo_command_when_it_runs():
    offences = []
    for path in shipped_modules():
        module = module_name(path)
        for line, what, function in demo_references(path):
            if not (module == COMMAND_MODULE and function == COMMAND_FUNCTION):
                offences.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert offences == [], "the demo and its samples are for the demo command and the tests only"


def test_the_demo_command_is_what_loads_the_demo():
    """The walk above sees imports (a walk that saw nothing would pass the test above for nothing)."""
    cli = PLUGINS / "cli.py"
    assert module_name(cli) == COMMAND_MODULE
    assert {function for _, _, function in demo_references(cli)} == {COMMAND_FUNCTION}


def test_relative_and_from_imports_of_the_demo_are_recognised():
    sample = PLUGINS / "feeds" / "__init__.py"
    module = module_name(sample)
    for source in ("from ckanext.openoverheid import demo", "from .. import demo", "from ..demo import load",
                   "import ckanext.openoverheid.demo.sru_sample"):
        (node,) = ast.parse(source).body
        assert any(names_demo(name) for name in imported_modules(node, module, is_package=True)), source
    (node,) = ast.parse("from .. import dcat_profile").body
    assert not any(names_demo(name) for name in imported_modules(node, module, is_package=True))


def test_the_demo_data_files_are_installed_with_the_package():
    from ckanext.openoverheid.demo import data_text

    assert "organisaties:" in data_text("demo.yaml")
    assert '"basisjaar"' in data_text("afvalkalender-demo.json")
