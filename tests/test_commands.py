"""The CLI commands, through Flask's runner."""
from app import create_app
from app.extensions import db
from app.models import ApiToken, Bid, RateCard, Team, User
from config import ProductionConfig


def test_create_user_reads_password_from_stdin(runner):
    result = runner.invoke(args=["create-user", "New@Example.org", "--role", "reviewer",
                                 "--team", "Research", "--password-stdin"],
                           input="a long enough password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "new@example.org"))
    assert user.role == "reviewer" and [team.name for team in user.teams] == ["Research"]
    assert user.check_password("a long enough password")
    assert "a long enough password" not in user.password_hash


def test_create_user_prompts_for_the_password(runner):
    result = runner.invoke(args=["create-user", "p@example.org", "--role", "viewer",
                                 "--team", "Alpha"],
                           input="prompted password\nprompted password\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(User).where(User.email == "p@example.org"))


def test_create_user_rejects_bad_input_and_stores_nothing(runner):
    cases = [
        (["create-user", "x@example.org", "--role", "emperor", "--team", "A"], "role"),
        (["create-user", "not-an-email", "--role", "writer", "--team", "A"], "EMAIL"),
        (["create-user", "x@example.org", "--role", "writer", "--team", "A"], "at least"),
    ]
    for args, message in cases:
        result = runner.invoke(args=[*args, "--password-stdin"], input="short\n")
        assert result.exit_code != 0 and message in result.output
        assert "Traceback" not in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_create_token_prints_a_token_stored_only_as_a_hash(runner, make_user):
    make_user("api@example.org")
    result = runner.invoke(args=["create-token", "api@example.org"])
    assert result.exit_code == 0
    clear = result.output.strip()
    assert len(clear) >= 40
    stored = db.session.scalar(db.select(ApiToken))
    assert stored.token_hash == ApiToken.hash(clear) and clear not in stored.token_hash


def test_create_token_for_unknown_user_fails_cleanly(runner):
    result = runner.invoke(args=["create-token", "nobody@example.org"])
    assert result.exit_code != 0 and "no user" in result.output


def test_seed_is_idempotent_and_adds_demo_data(runner):
    for _ in range(2):
        result = runner.invoke(args=["seed", "--demo"])
        assert result.exit_code == 0, result.output
    assert db.session.get(RateCard, "uk-2026-12").is_default
    assert not db.session.get(RateCard, "uk-2026").is_default
    assert db.session.scalar(db.select(db.func.count()).select_from(Team)) == 1
    emails = set(db.session.scalars(db.select(User.email)))
    assert emails == {"lead@example.org", "reviewer@example.org", "admin@example.org",
                      "network@example.org"}
    assert db.session.scalar(db.select(db.func.count()).select_from(Bid)) == 2
    planned = db.session.scalar(db.select(Bid).where(Bid.reference == "CC-2027-014"))
    assert [version.level for version in planned.versions] == ["good"]
    lead = db.session.scalar(db.select(User).where(User.email == "lead@example.org"))
    assert lead.check_password("coproduce-demo") and lead.role == "writer"


def test_demo_data_is_never_seeded_in_production(tmp_path):
    production = create_app(ProductionConfig, SECRET_KEY="s" * 32,
                            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'prod.db'}")
    with production.app_context():
        db.create_all()
        result = production.test_cli_runner().invoke(args=["seed", "--demo"])
        assert result.exit_code != 0 and "never seeded in production" in result.output
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0
        assert db.session.get(RateCard, "uk-2026") is not None
        db.engine.dispose()
