"""A migration imports no live code (ADR 0009): it reads models through `apps.get_model` and
carries its own data. The one exception is what `makemigrations` writes for a field: its
callables (`storage`, `upload_to`, a default, validators) referenced by dotted path."""

import ast
from pathlib import Path

import aptrack

FIELD_CALLABLES = {"storage", "upload_to", "default", "validators", "limit_choices_to"}
APP_ROOT = Path(aptrack.__file__).parent
MIGRATIONS = sorted(APP_ROOT.glob("*/migrations/0*.py"))


def _dotted(node: ast.AST) -> str:
    return (
        f"{_dotted(node.value)}.{node.attr}"
        if isinstance(node, ast.Attribute)
        else getattr(node, "id", "")
    )


def _live_code_uses(tree: ast.Module) -> list[str]:
    allowed: set[int] = set()
    for keyword in (n for n in ast.walk(tree) if isinstance(n, ast.keyword)):
        if keyword.arg in FIELD_CALLABLES:
            allowed.update(id(n) for n in ast.walk(keyword.value))
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "aptrack":
            uses.append(f"line {node.lineno}: from {node.module} import ...")
        elif (
            isinstance(node, ast.Attribute)
            and _dotted(node).startswith("aptrack.")
            and not isinstance(getattr(node, "parent", None), ast.Attribute)
            and id(node) not in allowed
        ):
            uses.append(f"line {node.lineno}: {_dotted(node)}")
    return uses


def test_there_are_migrations_to_check():
    assert len(MIGRATIONS) > 20


def test_no_migration_imports_live_code():
    found = {}
    for path in MIGRATIONS:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                child.parent = node  # type: ignore[attr-defined]
        if uses := _live_code_uses(tree):
            found[str(path.relative_to(APP_ROOT))] = uses
    assert found == {}
