"""Backup and restore round-trip every table without loss."""
import json
import re

from app.backup import BackupError, export_data, import_data
from app.extensions import db
from app.models import (
    AuditEvent,
    Bid,
    Comment,
    Notification,
    PlanDocument,
    PlanVersion,
    RateCard,
    User,
)
from tests.factories import make_bid


def fill_database(client, auth, make_user):
    writer = make_user("writer@example.org", team="Alpha")
    make_user("reviewer@example.org", role="reviewer", team="Alpha")
    bid = make_bid("Alpha", title="Round trip “quotes” & <tags> 😀", work_type="research")
    auth.sign_in(writer.email)
    client.post(f"/bids/{bid.id}/plan/level", data={"level": "full"})
    version = db.session.scalar(db.select(PlanVersion))
    db.session.add_all([
        Comment(version=version, author_id=writer.id, section="plan", body="Looks right"),
        Notification(user_id=writer.id, bid_id=bid.id, version_number=1, kind="comment",
                     message="A comment"),
        PlanDocument(version=version, pdf=bytes(range(256)) * 4, sha256="0" * 64),
    ])
    db.session.commit()


def empty_database():
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def test_export_then_import_gives_back_every_row(client, auth, make_user, runner, tmp_path):
    fill_database(client, auth, make_user)
    before = export_data()
    for model in (User, Bid, PlanVersion, Comment, Notification, PlanDocument, RateCard,
                  AuditEvent):
        assert before["tables"][model.__tablename__], model.__tablename__
    path = tmp_path / "backup.json"
    result = runner.invoke(args=["export", "--out", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(before))
    empty_database()
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert export_data() == before
    # New rows still get fresh ids after restoring explicit ones.
    make_bid("Alpha", title="After restore")
    ids = db.session.scalars(db.select(Bid.id)).all()
    assert len(set(ids)) == len(ids) == 2


def test_import_refuses_a_non_empty_database_and_changes_nothing(client, auth, make_user):
    fill_database(client, auth, make_user)
    document = export_data()
    try:
        import_data(document)
    except BackupError as error:
        assert "not empty" in str(error)
    else:
        raise AssertionError("import into a non-empty database must be refused")
    assert export_data() == document


def test_bad_backup_files_give_clear_messages(runner, tmp_path):
    cases = {"not-json.json": "{oops", "wrong.json": json.dumps({"format": "other"}),
             "tables.json": json.dumps({"format": "coproduction-planner-backup", "version": 1,
                                        "tables": {"nonsense": []}})}
    for name, content in cases.items():
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        result = runner.invoke(args=["import", str(path)])
        assert result.exit_code != 0 and "BACKUP" in result.output
        assert "Traceback" not in result.output


# --- a hostile or damaged backup (issue 16, finding 8) ---------------------------------

def _damaged(document: dict) -> dict:
    """The backup with type-valid nonsense and plain damage in several tables."""
    tables = json.loads(json.dumps(document["tables"]))
    tables["users"][0]["role"] = "superuser"
    tables["users"][1]["password_hash"] = "plain-text-password"
    tables["bids"][0]["value_pence"] = "a lot"
    tables["bids"][0]["start_date"] = "next spring"
    tables["plan_versions"][0]["bid_id"] = 999
    tables["plan_versions"][0]["status"] = "published"
    tables["comments"][0]["surprise"] = 1
    tables["plan_documents"][0]["pdf"] = "not base64!"
    tables["users"].append(dict(tables["users"][0], role="writer"))  # a duplicate id
    return dict(document, tables=tables)


def test_a_damaged_backup_is_refused_whole_with_every_problem_named(client, auth, make_user,
                                                                    runner, tmp_path):
    fill_database(client, auth, make_user)
    document = _damaged(export_data())
    empty_database()
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    for expected in (r"table users, row 1 \(id \d+\), field role: must be one of admin",
                     r"table users, row 2 \(id \d+\), field password_hash: is not a password",
                     r"table bids, row 1 \(id \d+\), field value_pence: must be a whole number",
                     r"table bids, row 1 \(id \d+\), field start_date: must be a date",
                     r"table plan_versions, row 1 \(id \d+\), field bid_id: refers to bids 999",
                     r"table plan_versions, row 1 \(id \d+\), field status: must be one of",
                     r"table comments, row 1 \(id \d+\), field surprise: is not a column",
                     r"table plan_documents, row 1 \(id \d+\), field pdf: must be base64",
                     r"table users, row 3 \(id \d+\): the same key as an earlier row",
                     r"nothing was written"):
        assert re.search(expected, result.output), expected
    assert all(not db.session.scalar(db.select(db.func.count()).select_from(table))
               for table in db.metadata.sorted_tables)


def test_an_export_is_readable_by_its_owner_only(client, auth, make_user, runner, tmp_path):
    import os
    import stat

    fill_database(client, auth, make_user)
    path = tmp_path / "backup.json"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o644)
    assert runner.invoke(args=["export", "--out", str(path)]).exit_code == 0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
