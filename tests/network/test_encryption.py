"""Needs and lived experience are encrypted at field level; keys rotate; a wrong key says so."""
from __future__ import annotations

from datetime import date

import pytest
from cryptography.fernet import Fernet

from app import create_app
from app.extensions import db
from app.membership import crypto
from app.membership import services as register
from app.membership.models import Member
from app.models import User
from config import TestingConfig

PLAIN = ("personal_assistant", "replacement_care", "bsl", "Schizophrenia-rare-tag",
         "young carer of a parent")


def _file_app(path, keys):
    return create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
                      MEMBER_DATA_KEYS=keys)


def _add(values):
    user = User(email="c@example.org", role="admin", password_hash="unused")
    db.session.add(user)
    db.session.commit()
    member = register.create_member(
        dict(kind="person", display_name="Pat", region="london", roles=[],
             payment_preference="paid", joined_on=date(2025, 4, 1)) | values, user)
    db.session.commit()
    return member.id


def test_the_database_file_holds_no_plaintext_need_or_tag(tmp_path):
    path = tmp_path / "register.db"
    app = _file_app(path, Fernet.generate_key().decode())
    with app.app_context():
        db.create_all()
        _add({"needs": list(PLAIN[:3]), "lived_experience": list(PLAIN[3:])})
        db.engine.dispose()
    raw = b"".join(part.read_bytes() for part in tmp_path.iterdir())  # with -wal / -journal
    assert b"Pat" in raw  # the file is readable: the check below is worth something
    for text in PLAIN:
        assert text.encode() not in raw, text


def test_rotation_re_encrypts_with_the_new_key_and_old_keys_can_go(tmp_path):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    path = tmp_path / "register.db"
    with _file_app(path, old).app_context():
        db.create_all()
        member_id = _add({"needs": ["bsl"], "lived_experience": ["carer"]})
        db.engine.dispose()
    rotating = _file_app(path, f"{new},{old}")
    result = rotating.test_cli_runner().invoke(args=["network", "rotate-keys"])
    assert result.exit_code == 0, result.output
    assert "Re-encrypted 2 values" in result.output
    with _file_app(path, new).app_context():  # the old key is gone: still readable
        member = register.load_member(member_id)
        assert member.needs == ["bsl"] and member.lived_experience == ["carer"]
        db.engine.dispose()


def test_a_wrong_key_gives_a_clear_error_not_garbage(tmp_path):
    path = tmp_path / "register.db"
    with _file_app(path, Fernet.generate_key().decode()).app_context():
        db.create_all()
        member_id = _add({"needs": ["bsl"]})
        db.engine.dispose()
    wrong = _file_app(path, Fernet.generate_key().decode())
    with wrong.app_context():
        member = register.load_member(member_id)
        with pytest.raises(crypto.MemberDataKeyError, match="MEMBER_DATA_KEYS"):
            member.needs  # noqa: B018 - reading the property is the act under test
        db.engine.dispose()
    result = wrong.test_cli_runner().invoke(args=["network", "rotate-keys"])
    assert result.exit_code != 0 and "MEMBER_DATA_KEYS" in result.output
    assert "Traceback" not in result.output


def test_a_malformed_or_missing_key_is_named():
    with pytest.raises(RuntimeError, match="MEMBER_DATA_KEYS: key 2 is not a Fernet key"):
        create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://",
                   MEMBER_DATA_KEYS=Fernet.generate_key().decode() + ",not-a-key")
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://", MEMBER_DATA_KEYS="")
    with app.app_context(), pytest.raises(crypto.MemberDataKeyError, match="is not set"):
        Member(needs=["bsl"])


def test_development_makes_one_key_file_and_reuses_it(tmp_path):
    from flask import Flask

    def make() -> Flask:  # a bare app: only the key set-up under test
        bare = Flask(__name__, instance_path=str(tmp_path))
        bare.config.update(MEMBER_DATA_KEYS=None, MEMBER_DATA_KEY_FILE=True)
        crypto.init_app(bare)
        return bare
    first, second = make(), make()
    key_file = tmp_path / crypto.KEY_FILE_NAME
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    with first.app_context():
        token = crypto.keys().encrypt(["bsl"])
    with second.app_context():
        assert crypto.keys().decrypt(token) == ["bsl"]


# Last in the file: the tests above build apps of their own (the shared limiter follows the
# newest app), which must not come between this test's app and the next file's.
def test_a_wrong_key_on_a_page_is_a_friendly_error(app, client, auth, coordinator, add_member,
                                                    monkeypatch):
    member = add_member(needs=["bsl"])
    monkeypatch.setitem(app.extensions, "member_data_keys", crypto.MemberDataKeys(
        crypto.parse_keys(Fernet.generate_key().decode())))
    auth.sign_in(coordinator.email)
    response = client.get(f"/network/members/{member.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "MEMBER_DATA_KEYS" in page and "Traceback" not in page
