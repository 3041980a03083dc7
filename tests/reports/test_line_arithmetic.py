"""Every budget line's quantity × unit cost gives its amount, as each document shows them
(docs/costing-model.md: "the arithmetic a reader does must come out"), also when hours
have more than two decimals (20 minutes typed as 0.333 h): the quantity is shown in full."""
from __future__ import annotations

import copy
import csv
import io
import subprocess
from decimal import ROUND_HALF_UP, Decimal

import docx
import pytest

from app.costing import estimate
from app.reports import budget_xlsx, render_plan_docx, render_plan_pdf
from tests.reports import plans
from tests.reports.conftest import pdf_text, require_tool


def _number(text: str) -> Decimal:
    return Decimal(text.replace("£", "").replace(",", ""))


def _comes_out(quantity: str, unit_cost: str, amount: str) -> bool:
    product = _number(quantity) * _number(unit_cost)
    return product.quantize(Decimal("0.01"), ROUND_HALF_UP) == _number(amount)


@pytest.fixture(scope="module")
def odd_hours():
    plan = copy.deepcopy(plans.full_plan())
    for line in plan["activities"]:
        line.update(hours_per_session=2.333, prep_hours_per_session=0.111)
    result = estimate(plan)
    assert any(len(str(line["quantity"]).partition(".")[2]) > 2 for line in result["lines"])
    return plan, result


def test_the_word_plan_shows_quantities_whose_product_is_the_amount(odd_hours):
    opened = docx.Document(io.BytesIO(render_plan_docx(*odd_hours)))
    rows = [[cell.text for cell in row.cells][-4:] for table in opened.tables
            if table.rows[0].cells[-1].text == "Amount" and len(table.columns) >= 5
            for row in table.rows[1:-1]]
    assert len(rows) == len(odd_hours[1]["lines"])
    assert all(_comes_out(quantity, cost, amount) for quantity, _, cost, amount in rows), rows


def test_the_pdf_shows_every_quantity_in_full(odd_hours):
    text = pdf_text(render_plan_pdf(*odd_hours))
    for line in odd_hours[1]["lines"]:
        assert f"{Decimal(repr(line['quantity'])).normalize():,f}" in text, line


def test_the_spreadsheet_as_libreoffice_shows_it_comes_out(odd_hours, tmp_path):
    soffice = require_tool("soffice", "libreoffice-calc-nogui",
                           "it shows the workbook as a reader nobody here wrote")
    (tmp_path / "budget.xlsx").write_bytes(budget_xlsx(*odd_hours))
    as_shown_utf8 = "csv:Text - txt - csv (StarCalc):44,34,76"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", as_shown_utf8, "--outdir", str(tmp_path),
                    str(tmp_path / "budget.xlsx")], check=True, capture_output=True, timeout=120)
    shown = list(csv.reader(io.StringIO((tmp_path / "budget.csv").read_text("utf-8"))))
    rows = shown[1:len(odd_hours[1]["lines"]) + 1]
    assert [row[0] for row in rows] == [str(n) for n in range(1, len(rows) + 1)]
    assert all(_comes_out(row[5], row[7], row[8]) for row in rows), rows
