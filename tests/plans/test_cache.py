"""Kept results (app/cache.py): the engine runs and documents render once per content,
a change of content is never answered from the cache, and a failing cache only
costs time."""
from __future__ import annotations

import copy
import io
import logging
import re
import stat
import zipfile

import pytest
from flask import Flask
from pypdf import PdfReader

from app import cache as kept
from app import costing, create_app, reports
from app.extensions import cache, db
from app.models import Comment
from app.versions import engine, store
from config import TestingConfig

# The plan builder's signed-in writer and bid fixtures, and its form helpers.
from tests.plan_forms import activities_form, versions


@pytest.fixture
def draft(bid, writer):
    inputs = engine.with_level(engine.starting_inputs(None), bid, "good", None)
    return store.save_plan(bid, inputs, writer, None)


@pytest.fixture
def calls(monkeypatch):
    """How often the engine ran and the PDF and spreadsheet were rendered."""
    counts = {"estimate": 0, "pdf": 0, "xlsx": 0, "docx": 0}

    def counting(name, function):
        def wrapper(*args, **kwargs):
            counts[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(costing, "estimate", counting("estimate", costing.estimate))
    monkeypatch.setattr(reports, "render_plan_pdf", counting("pdf", reports.render_plan_pdf))
    monkeypatch.setattr(reports, "budget_xlsx", counting("xlsx", reports.budget_xlsx))
    monkeypatch.setattr(reports, "render_plan_docx", counting("docx", reports.render_plan_docx))
    return counts


def svg_blocks(page: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", page, flags=re.S)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_recalculating_the_same_form_twice_runs_the_engine_once(client, bid, draft, calls):
    form = activities_form(draft, **{"activities-0-sessions": "7"})
    first = client.post(f"/bids/{bid.id}/plan/preview", data=form)
    second = client.post(f"/bids/{bid.id}/plan/preview", data=form)
    assert first.status_code == second.status_code == 200
    assert first.get_data() == second.get_data()
    assert calls["estimate"] == 1


def test_saving_what_the_preview_showed_reuses_its_estimate(client, bid, draft, calls):
    form = activities_form(draft, **{"activities-0-sessions": "7"})
    preview = client.post(f"/bids/{bid.id}/plan/preview", data=form).get_data(as_text=True)
    saved = client.post(f"/bids/{bid.id}/plan/activities", data=dict(form, action="save"))
    assert saved.status_code == 302
    assert calls["estimate"] == 1
    stored = versions(bid.id)[-1]
    assert stored.inputs["activities"][0]["sessions"] == 7
    assert costing.format_gbp(stored.estimate["total_gbp"]) in preview


def test_a_changed_line_is_costed_afresh_not_answered_from_the_cache(client, bid, draft, calls):
    totals = set()
    for sessions in ("2", "9"):
        form = activities_form(draft, **{"activities-0-sessions": sessions})
        client.post(f"/bids/{bid.id}/plan/activities", data=dict(form, action="save"))
        draft = versions(bid.id)[-1]
        totals.add(draft.total_pence)
    assert calls["estimate"] == 2
    assert len(totals) == 2


def test_the_pdf_is_rendered_once_per_content_and_again_after_a_change(client, bid, draft,
                                                                         calls):
    url = f"/bids/{bid.id}/plan/versions/{draft.number}/pdf"
    first, second = client.get(url), client.get(url)
    assert first.get_data() == second.get_data()
    assert calls["pdf"] == 1

    form = activities_form(draft, **{"activities-0-people": "37"})
    assert client.post(f"/bids/{bid.id}/plan/activities",
                       data=dict(form, action="save")).status_code == 302
    third = client.get(url).get_data()
    assert calls["pdf"] == 2
    assert third != first.get_data()
    assert "37" in pdf_text(third)


def test_a_renamed_bid_gets_a_new_pdf(client, bid, draft, writer, calls):
    url = f"/bids/{bid.id}/plan/versions/{draft.number}/pdf"
    client.get(url)
    bid.title = "Carers' voice in hospital discharge"
    db.session.commit()
    store.save_plan(bid, dict(draft.inputs), writer, None)  # re-costed with the new bid
    assert "Carers' voice in hospital discharge" in pdf_text(client.get(url).get_data())
    assert calls["pdf"] == 2


def test_the_budget_spreadsheet_is_built_once_per_content(client, bid, draft, calls):
    url = f"/bids/{bid.id}/plan/versions/{draft.number}/xlsx"
    assert client.get(url).get_data() == client.get(url).get_data()
    assert calls["xlsx"] == 1


def test_the_word_plan_is_built_once_per_content_and_linked_from_the_estimate_page(
        client, bid, draft, calls):
    url = f"/bids/{bid.id}/plan/versions/{draft.number}/docx"
    assert client.get(url).get_data() == client.get(url).get_data()
    assert calls["docx"] == 1
    page = client.get(f"/bids/{bid.id}/plan/versions/{draft.number}").get_data(as_text=True)
    assert f'href="{url}"' in page and "Co-production plan (Word)" in page


def test_the_estimate_page_draws_its_charts_once_per_estimate(client, bid, draft, monkeypatch):
    drawn = []
    original = kept.remembered

    def watching(kind, parts, compute):
        return original(kind, parts, lambda: drawn.append(kind) or compute())

    monkeypatch.setattr("app.plans.views.remembered", watching)
    url = f"/bids/{bid.id}/plan/versions/{draft.number}"
    first = client.get(url).get_data(as_text=True)
    second = client.get(url).get_data(as_text=True)
    assert drawn.count("estimate-charts") == 1
    assert first.count("<svg") == second.count("<svg") == 4


def test_a_kept_result_is_a_copy_the_caller_may_change(app):
    estimate = kept.remembered("test", ("a",), lambda: {"total": 1})
    estimate["total"] = 99
    assert kept.remembered("test", ("a",), lambda: {"total": 2}) == {"total": 1}


def test_keys_follow_the_content_and_the_code(monkeypatch):
    key = kept.content_key("estimate", ({"people": 3},))
    assert key == kept.content_key("estimate", ({"people": 3},))
    assert key != kept.content_key("estimate", ({"people": 4},))
    assert key != kept.content_key("plan-pdf", ({"people": 3},))
    monkeypatch.setattr(kept, "code_digest", lambda: "0" * 16)
    assert key != kept.content_key("estimate", ({"people": 3},))


def test_the_code_digest_follows_the_library_versions(monkeypatch):
    before = kept.code_digest()
    kept.code_digest.cache_clear()
    real_version = kept.metadata.version
    monkeypatch.setattr(kept.metadata, "version", lambda name: "99.0" if name == "reportlab"
                        else real_version(name))
    try:
        assert kept.code_digest() != before
    finally:
        kept.code_digest.cache_clear()


def test_a_failing_cache_only_costs_time(client, bid, draft, calls, monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise ConnectionError("cache server gone")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    form = activities_form(draft, **{"activities-0-sessions": "5"})
    with caplog.at_level(logging.WARNING, logger="app.cache"):
        assert client.post(f"/bids/{bid.id}/plan/preview", data=form).status_code == 200
        assert client.get(f"/bids/{bid.id}/plan/versions/{draft.number}/pdf").status_code == 200
    assert calls["estimate"] == 1 and calls["pdf"] == 1
    assert "cache read failed" in caplog.text


def test_workers_sharing_a_cache_folder_share_their_results(tmp_path):
    """Two app instances (two gunicorn workers) with the default folder cache: what one
    kept, the other finds."""
    made = []
    options = dict(CACHE_TYPE="FileSystemCache", CACHE_DIR=str(tmp_path / "cache"),
                   SQLALCHEMY_DATABASE_URI="sqlite://")
    first, second = create_app(TestingConfig, **options), create_app(TestingConfig, **options)
    with first.app_context():
        kept.remembered("test", ("shared",), lambda: made.append(1) or b"%PDF-1.4 bytes")
    with second.app_context():
        assert kept.remembered("test", ("shared",), lambda: made.append(2) or b"other") == \
            b"%PDF-1.4 bytes"
    assert made == [1]


# --- every input of a key changes the result it finds ---------------------------------

def test_a_comment_on_the_draft_gives_a_new_pdf(client, bid, draft, writer, calls):
    url = f"/bids/{bid.id}/plan/versions/{draft.number}/pdf"
    assert re.search(r"Review comments\s+0\b", pdf_text(client.get(url).get_data()))
    db.session.add(Comment(version_id=draft.id, author_id=writer.id, body="Add BSL."))
    db.session.commit()
    text = pdf_text(client.get(url).get_data())
    assert calls["pdf"] == 2
    assert re.search(r"Review comments\s+1\b", text)


def test_a_submitted_draft_gives_a_new_pdf(client, bid, draft, calls):
    url = f"/bids/{bid.id}/plan/versions/{draft.number}/pdf"
    client.get(url)
    draft.status = "in_review"
    db.session.commit()
    assert "In review" in pdf_text(client.get(url).get_data())
    assert calls["pdf"] == 2


def test_the_estimate_charts_follow_the_bid_value(client, bid, draft):
    url = f"/bids/{bid.id}/plan/versions/{draft.number}"
    before = svg_blocks(client.get(url).get_data(as_text=True))
    bid.value_pence = 48_000_000
    db.session.commit()
    after = svg_blocks(client.get(url).get_data(as_text=True))
    assert before[:3] == after[:3]  # category, stage and timeline charts: same estimate
    assert before[3] != after[3]    # the share-of-bid curve marks this bid's value


def test_the_level_comparison_follows_the_bid(client, bid, draft):
    url = f"/bids/{bid.id}/plan/level"
    client.get(url)
    bid.value_pence = 48_000_000
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    expected = costing.compare_levels(engine.bid_document(bid), plan=draft.inputs)
    for row in expected["levels"]:  # the same costs, a smaller share of a larger bid
        assert f"{row['percent_of_bid']:.2f}%" in page


def test_the_estimate_follows_the_rate_card_values_not_only_its_id(client, bid, draft, calls):
    form = activities_form(draft)
    first = client.post(f"/bids/{bid.id}/plan/preview", data=form).get_data(as_text=True)
    card = engine.default_rate_card()
    values = copy.deepcopy(card.values)
    values["rates"]["contributor_hourly"] = values["rates"]["contributor_hourly"] * 2
    card.values = values
    db.session.commit()
    second = client.post(f"/bids/{bid.id}/plan/preview", data=form).get_data(as_text=True)
    assert calls["estimate"] == 2
    assert first != second


def test_the_budget_spreadsheet_follows_the_estimate(client, bid, draft, calls):
    url = f"/bids/{bid.id}/plan/versions/{draft.number}/xlsx"
    first = client.get(url).get_data()
    estimate = copy.deepcopy(draft.estimate)  # the same inputs, costed differently
    estimate["lines"][0]["description"] = "Lived-experience panel, re-costed"
    draft.estimate = estimate
    db.session.commit()
    second = client.get(url).get_data()
    assert second != first and calls["xlsx"] == 2
    assert b"re-costed" in b"".join(zipfile.ZipFile(io.BytesIO(second)).read(name)
                                    for name in zipfile.ZipFile(io.BytesIO(second)).namelist())


# --- where the entries live ---------------------------------------------------------------

def folder_app(tmp_path, **config):
    app = Flask("folder_test", instance_path=str(tmp_path / "instance"))
    app.config.update(config)
    return app


def test_the_default_folder_is_private_and_in_the_instance_path(tmp_path):
    app = folder_app(tmp_path, CACHE_TYPE="app.cache.FolderCache", CACHE_DIR=None)
    kept.configure(app)
    folder = tmp_path / "instance" / "cache"
    assert app.config["CACHE_DIR"] == str(folder)
    assert app.config["CACHE_TYPE"] == "app.cache.FolderCache"
    assert folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_folder_others_can_write_to_is_not_used(tmp_path, caplog):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    app = folder_app(tmp_path, CACHE_TYPE="FileSystemCache", CACHE_DIR=str(folder))
    with caplog.at_level(logging.WARNING, logger="app.cache"):
        kept.configure(app)
    assert app.config["CACHE_TYPE"] == "SimpleCache"
    assert "can be written by other users" in caplog.text


def test_a_folder_that_cannot_be_made_leaves_the_app_running_on_memory(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    with caplog.at_level(logging.WARNING, logger="app.cache"):
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://",
                         CACHE_TYPE="app.cache.FolderCache", CACHE_DIR=str(blocker / "cache"))
    assert app.config["CACHE_TYPE"] == "SimpleCache"
    assert "cannot be used" in caplog.text
    with app.app_context():
        assert kept.remembered("test", ("x",), lambda: 41) == 41


def test_redis_gets_short_timeouts(tmp_path):
    app = folder_app(tmp_path, CACHE_TYPE="RedisCache", CACHE_OPTIONS={"socket_timeout": 2})
    kept.configure(app)
    assert app.config["CACHE_OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 2}


def test_a_full_folder_is_pruned_a_quarter_at_a_time(tmp_path):
    """cachelib prunes before each write once the count is over the threshold; ours
    goes down to three quarters, so the next writes do not read the folder again."""
    def entries() -> int:
        return len(list((tmp_path / "cache").glob("*"))) - 1  # less cachelib's count file

    folder = kept.FolderCache(str(tmp_path / "cache"), threshold=8, default_timeout=60)
    for number in range(9):
        folder.set(f"entry-{number}", number)
    assert entries() == 9
    folder.set("entry-9", 9)  # over the threshold: pruned to 6, then written
    assert entries() == 7
    kept_before = [number for number in range(9) if folder.get(f"entry-{number}") == number]
    assert len(kept_before) == 6 and folder.get("entry-9") == 9
