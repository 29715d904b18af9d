"""Architecture rule: the engine imports no web, database or schema library, nor app.*."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[3] / "app" / "matching" / "engine"
FORBIDDEN_ROOTS = {"fastapi", "sqlalchemy", "pydantic", "pydantic_settings", "starlette"}


def forbidden_imports(source: str) -> list[str]:
    """Names of the forbidden modules imported by ``source``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level > 0:
                continue
            names = [node.module or ""]
        else:
            continue
        for name in names:
            root = name.split(".")[0]
            outside_engine = name.startswith("app") and not name.startswith("app.matching.engine")
            if root in FORBIDDEN_ROOTS or (root == "app" and outside_engine):
                found.append(name)
    return found


def engine_modules() -> list[Path]:
    return sorted(ENGINE.rglob("*.py"))


def test_engine_package_exists() -> None:
    assert len(engine_modules()) >= 5


@pytest.mark.parametrize("module", engine_modules(), ids=lambda p: p.name)
def test_module_imports_nothing_forbidden(module: Path) -> None:
    assert forbidden_imports(module.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "import fastapi",
        "from sqlalchemy.orm import Session",
        "import pydantic as p",
        "from app.db import Base",
        "from app import config",
        "import app.matching.service",
    ],
)
def test_checker_catches_forbidden_imports(source: str) -> None:
    assert forbidden_imports(source)


def test_checker_allows_engine_and_relative_imports() -> None:
    assert forbidden_imports("from .text import tokenize\nimport numpy\n") == []
    assert forbidden_imports("from app.matching.engine import Matcher") == []
