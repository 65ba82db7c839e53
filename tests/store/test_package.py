"""The store's public names, its place at the bottom of the layers, its constants."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import contactable.store
from contactable.checks.outcome import PhoneType, Status
from contactable.store import audit, database, errors, models
from contactable.store.schema_constants import CHECK_STATUSES, PHONE_TYPES

PACKAGE = Path(contactable.store.__file__).parent
# The layers above the store (DESIGN.md, Architecture), and checks, which the
# store must not need.
ABOVE = ("cli", "web", "services", "governance", "checks", "linkage")


def test_every_exported_name_exists() -> None:
    exported = contactable.store.__all__

    assert len(exported) == len(set(exported))
    assert all(hasattr(contactable.store, name) for name in exported)


def test_every_public_class_and_function_is_exported() -> None:
    for module in (audit, database, errors, models):
        for name, value in vars(module).items():
            defined_here = getattr(value, "__module__", None) == module.__name__
            if defined_here and not name.startswith("_") and callable(value):
                assert name in contactable.store.__all__, f"{module.__name__}.{name}"


def test_the_store_imports_nothing_from_the_layers_above() -> None:
    folders = [PACKAGE, PACKAGE.parent / "migrations"]
    for path in [p for folder in folders for p in folder.rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                package, _, rest = name.partition(".")
                layer = rest.split(".")[0]

                assert package != "contactable" or layer not in ABOVE, (
                    f"{path.name} imports {name}"
                )


def test_the_allowed_statuses_and_phone_types_are_those_the_checks_give() -> None:
    assert tuple(status.value for status in Status) == CHECK_STATUSES
    assert tuple(phone_type.value for phone_type in PhoneType) == PHONE_TYPES


def test_every_model_has_a_one_line_docstring() -> None:
    for model in models.Base.__subclasses__():
        docstring = inspect.getdoc(model) or ""

        assert docstring and "\n" not in docstring, model.__name__
