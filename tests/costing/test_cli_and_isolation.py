"""The command line (run as a subprocess) and the engine's import isolation."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.costing.conftest import worked_example

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "app" / "costing"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.costing", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def write(tmp_path: Path, document, name="plan.json") -> str:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document),
                    encoding="utf-8")
    return str(path)


def assert_invalid(result: subprocess.CompletedProcess) -> list[dict]:
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    errors = json.loads(result.stderr)["errors"]
    assert errors and all("field" in e and "message" in e for e in errors)
    return errors


def test_estimate_prints_the_estimate(tmp_path):
    result = run("estimate", write(tmp_path, worked_example()), "--draws", "500", "--seed", "3")
    assert result.returncode == 0, result.stderr
    estimate = json.loads(result.stdout)
    assert estimate["total_gbp"] == 7419.00
    assert (estimate["uncertainty"]["draws"], estimate["uncertainty"]["seed"]) == (500, 3)


def test_compare_prints_four_levels(tmp_path):
    plan = worked_example()
    plan["options"]["draws"] = 200
    result = run("compare", write(tmp_path, plan))
    assert result.returncode == 0, result.stderr
    comparison = json.loads(result.stdout)
    assert [row["level"] for row in comparison["levels"]] == ["none", "limited", "good", "full"]


def test_invalid_plan_exits_2_with_errors(tmp_path):
    plan = worked_example()
    plan["activities"][0]["people"] = 0
    plan["bid"]["scope"] = "moon"
    errors = assert_invalid(run("estimate", write(tmp_path, plan)))
    assert [e["field"] for e in errors] == ["bid.scope", "activities[0].people"]


def test_justification_required_on_the_command_line(tmp_path):
    plan = worked_example()
    plan.update(level="none", justification="too short", activities=[])
    (error,) = assert_invalid(run("estimate", write(tmp_path, plan)))
    assert error["code"] == "justification_required"


@pytest.mark.parametrize("draws, seed, fields", [
    ("99", None, ["--draws"]), ("200001", None, ["--draws"]), ("ten", None, ["--draws"]),
    ("1.5", "-1", ["--draws", "--seed"]), (None, "x", ["--seed"]),
])
def test_draws_and_seed_are_checked_like_the_plan(tmp_path, draws, seed, fields):
    args = ["estimate", write(tmp_path, worked_example())]
    args += ["--draws", draws] if draws is not None else []
    args += ["--seed", seed] if seed is not None else []
    assert [e["field"] for e in assert_invalid(run(*args))] == fields


@pytest.mark.parametrize("content", ["{not json", "", "[1, 2", "\u00ff\u00fe"])
def test_a_file_that_is_not_json(tmp_path, content):
    (error,) = assert_invalid(run("estimate", write(tmp_path, content)))
    assert error["field"] == "file"


def test_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"bid": "\xa3"}')
    (error,) = assert_invalid(run("estimate", str(path)))
    assert error["field"] == "file"


def test_a_missing_file_or_a_directory(tmp_path):
    for path in (str(tmp_path / "nowhere.json"), str(tmp_path)):
        (error,) = assert_invalid(run("estimate", path))
        assert (error["field"], error["code"]) == ("file", "unreadable")


def test_json_that_is_not_a_plan(tmp_path):
    for command in ("estimate", "compare"):
        (error,) = assert_invalid(run(command, write(tmp_path, [1, 2, 3])))
        assert error["field"] == "plan"


def test_nan_in_the_file_is_an_error(tmp_path):
    text = json.dumps(worked_example()).replace('"people": 6', '"people": NaN')
    (error,) = assert_invalid(run("estimate", write(tmp_path, text)))
    assert (error["field"], error["code"]) == ("activities[0].people", "not_finite")


def test_usage_mistakes_are_json_too():
    for args in ([], ["estimate"], ["forecast", "plan.json"]):
        assert_invalid(run(*args))


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_engine_modules_import_only_the_standard_library_and_numpy():
    allowed = set(sys.stdlib_module_names) | {"numpy"}
    for path in ENGINE.glob("*.py"):
        assert _imports(path) <= allowed, path.name


def test_only_the_command_line_opens_files():
    for path in ENGINE.glob("*.py"):
        if path.name not in ("__main__.py", "cli.py"):
            assert "open(" not in path.read_text(encoding="utf-8"), path.name


def test_importing_the_engine_loads_no_web_or_database_package():
    # app/__init__.py is the Flask factory, so load app.costing under a bare
    # "app" package: this checks what the engine itself imports.
    script = f"""
import sys, types, json
package = types.ModuleType("app")
package.__path__ = [{str(ROOT / "app")!r}]
sys.modules["app"] = package
import app.costing
plan = json.loads({json.dumps(json.dumps(worked_example()))})
assert app.costing.estimate(plan)["total_gbp"] == 7419.0
loaded = sorted(m for m in sys.modules
                if m.split(".")[0] in ("flask", "sqlalchemy", "werkzeug", "flask_sqlalchemy"))
print(json.dumps(loaded))
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_fit_prints_the_trimmed_plan(tmp_path):
    plan = worked_example()
    plan["options"]["draws"] = 200
    path = write(tmp_path, plan)
    for budget in (["--budget-gbp", "6,000"], ["--budget-percent", "5"]):
        result = run("fit", path, *budget)
        assert result.returncode == 0, result.stderr
        fitted = json.loads(result.stdout)
        assert fitted["budget_gbp"] == 6000.0 and fitted["estimate"]["total_gbp"] <= 6000.0
        assert {"plan", "estimate", "bound", "budget_gbp", "changes"} <= set(fitted)


@pytest.mark.parametrize("budget, field", [
    (["--budget-gbp", "lots"], "budget_gbp"), (["--budget-percent", "101"], "budget_percent"),
    (["--budget-gbp", "-1"], "budget_gbp"), ([], "arguments"),
    (["--budget-gbp", "5", "--budget-percent", "5"], "arguments"),
])
def test_fit_budget_mistakes_exit_2(tmp_path, budget, field):
    errors = assert_invalid(run("fit", write(tmp_path, worked_example()), *budget))
    assert [e["field"] for e in errors] == [field]
