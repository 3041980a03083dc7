"""`python -m app.reports`: outputs written; bad input exits 2 with JSON errors, no traceback."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from tests.reports import plans

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.reports", *args], cwd=ROOT,
                          capture_output=True, timeout=120)


@pytest.fixture()
def plan_file(tmp_path) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plans.full_plan()), encoding="utf-8")
    return path


def test_plan_pdf_is_written_and_repeatable(plan_file, tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert run_cli("plan-pdf", str(plan_file), "-o", str(first)).returncode == 0
    assert run_cli("plan-pdf", str(plan_file), "-o", str(second), "--date", "2027-04-01"
                   ).returncode == 0
    assert len(PdfReader(first).pages) > 5
    third = tmp_path / "c.pdf"
    run_cli("plan-pdf", str(plan_file), "-o", str(third), "--date", "2027-04-01")
    assert second.read_bytes() == third.read_bytes()    # same bytes across processes


def test_plan_docx_is_written_and_repeatable(plan_file, tmp_path):
    import docx

    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    for path in (first, second):
        assert run_cli("plan-docx", str(plan_file), "-o", str(path), "--date", "2027-04-01"
                       ).returncode == 0
    assert first.read_bytes() == second.read_bytes()    # same bytes across processes
    assert docx.Document(str(first)).core_properties.created.date().isoformat() == "2027-04-01"


def test_budget_csv_and_xlsx_are_written(plan_file, tmp_path):
    csv_path, xlsx_path = tmp_path / "b.csv", tmp_path / "b.xlsx"
    assert run_cli("budget-csv", str(plan_file), "-o", str(csv_path)).returncode == 0
    assert run_cli("budget-xlsx", str(plan_file), "-o", str(xlsx_path)).returncode == 0
    # header, 30 lines, contingency, budget to request
    assert csv_path.read_text(encoding="utf-8-sig").count("\n") == 33
    assert openpyxl.load_workbook(io.BytesIO(xlsx_path.read_bytes())).sheetnames[0] == "Budget lines"


def _errors(result: subprocess.CompletedProcess) -> list[dict]:
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr
    return json.loads(stderr)["errors"]


def test_invalid_plan_exits_2_with_field_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"bid": {"title": "x", "value_gbp": -5}, "level": "full"}))
    errors = _errors(run_cli("plan-pdf", str(bad), "-o", str(tmp_path / "x.pdf")))
    assert any(e["field"] == "bid.value_gbp" for e in errors)
    assert not (tmp_path / "x.pdf").exists()


def test_none_without_justification_is_an_error(tmp_path):
    plan = plans.none_plan()
    plan["justification"] = "too short"
    path = tmp_path / "none.json"
    path.write_text(json.dumps(plan))
    errors = _errors(run_cli("budget-csv", str(path)))
    assert any(e["field"] == "justification" for e in errors)


@pytest.mark.parametrize("content", [b"not json", b"\xff\xfe\x00", b"[1, 2"])
def test_unreadable_or_non_json_file_exits_2(tmp_path, content):
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    errors = _errors(run_cli("budget-xlsx", str(path), "-o", str(tmp_path / "x.xlsx")))
    assert errors[0]["field"] == "file"


def test_missing_file_and_bad_usage_exit_2(tmp_path):
    assert _errors(run_cli("plan-pdf", str(tmp_path / "missing.json")))[0]["field"] == "file"
    assert _errors(run_cli("no-such-command"))[0]["field"] == "arguments"
    assert _errors(run_cli("plan-pdf", str(tmp_path / "m.json"), "--date", "soon"))
