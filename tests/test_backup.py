"""Backup and restore round-trip every table without loss."""
import json

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
