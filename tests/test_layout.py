"""The package layout's rule: a module under one blueprint package never imports another
blueprint package; what two features share lives in a package below both
(app.versions, app.costing, app.reports, ...). Every import is read, including the
ones inside functions."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app import create_app
from config import TestingConfig

APP_DIR = Path(__file__).resolve().parent.parent / "app"


def blueprint_packages() -> set[str]:
    """The packages under app/ that hold a registered blueprint (asked of the factory)."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    names = {blueprint.import_name.split(".")[1] for blueprint in app.blueprints.values()
             if blueprint.import_name.startswith("app.")}
    return {name for name in names if (APP_DIR / name / "__init__.py").exists()}


def module_name(path: Path) -> str:
    parts = path.relative_to(APP_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, dotted name) of everything the source imports, relative imports resolved;
    `from app import plans` counts as importing app.plans."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def crossings(source: str, module: str, is_package: bool, blueprints: set[str]) -> list[str]:
    """The imports by which `module` (under a blueprint package) reaches another one."""
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "app" or parts[1] not in blueprints:
        return []
    own = parts[1]
    problems = []
    for line, name in imported_modules(source, module, is_package):
        target = name.split(".")
        if len(target) >= 2 and target[0] == "app" and target[1] in blueprints \
                and target[1] != own:
            problems.append(f"{module}:{line} imports {'.'.join(target[:2])}")
    return sorted(set(problems))


def test_the_blueprint_packages_are_found():
    assert {"auth", "bids", "plans", "reviews", "portfolio", "admin", "api",
            "main", "network"} <= blueprint_packages()


def test_no_blueprint_package_imports_another():
    blueprints = blueprint_packages()
    problems = []
    for path in sorted(APP_DIR.rglob("*.py")):
        problems += crossings(path.read_text(encoding="utf-8"), module_name(path),
                              path.name == "__init__.py", blueprints)
    assert not problems, ("a blueprint package imports another (move what they share into "
                          "a package below both, such as app.versions):\n" + "\n".join(problems))


@pytest.mark.parametrize(("source", "line"), [
    ("from app.plans import forms", 1),
    ("import app.plans.forms", 1),
    ("from app import plans", 1),
    ("from ..plans.forms import PlanForm", 1),
    ("def late():\n    from app.plans.services import cost\n", 2),
])
def test_the_walk_catches_every_way_of_importing_another_blueprint(source, line):
    assert crossings(source, "app.reviews.compare", False, {"plans", "reviews"}) == [
        f"app.reviews.compare:{line} imports app.plans"]


@pytest.mark.parametrize("source", [
    "from app.reviews import checks", "from . import checks", "from app.versions import store",
    "from app import costing, versions", "import flask",
])
def test_own_package_and_domain_imports_are_allowed(source):
    assert crossings(source, "app.reviews.compare", False, {"plans", "reviews"}) == []


#: Modules reports, charts and the engine use: they must not reach Flask or the database.
PURE_MODULES = ("app.formatting", "app.versions.statuses", "app.costing")
FLASK_SIDE = ("flask", "flask_sqlalchemy", "flask_login", "flask_wtf", "sqlalchemy",
              "app.extensions", "app.models")


def _module_path(name: str) -> Path | None:
    base = APP_DIR.parent.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.exists():
            return path
    return None


def flask_side_imports(start: str) -> list[str]:
    """Flask-side imports reached from `start` through the app's own modules (the app
    package's own __init__, which builds the Flask app, is not followed)."""
    seen, todo, found = set(), [start], []
    while todo:
        name = todo.pop()
        path = _module_path(name)
        if name in seen or path is None:
            continue
        seen.add(name)
        if path.name == "__init__.py" and name.count(".") >= 1:
            todo += [module_name(child) for child in path.parent.glob("*.py")]
        for _line, imported in imported_modules(path.read_text(encoding="utf-8"), name,
                                                path.name == "__init__.py"):
            if any(imported == side or imported.startswith(side + ".") for side in FLASK_SIDE):
                found.append(f"{name} imports {imported}")
            elif imported.startswith("app.") and imported != "app":
                todo.append(imported)
    return sorted(set(found))


@pytest.mark.parametrize("module", PURE_MODULES)
def test_formatting_statuses_and_the_engine_need_no_flask(module):
    assert flask_side_imports(module) == []


def test_the_purity_walk_sees_flask():
    assert flask_side_imports("app.templating")
