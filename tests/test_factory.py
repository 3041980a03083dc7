import pytest

from app import create_app
from config import DevelopmentConfig, ProductionConfig, TestingConfig


def test_testing_config_is_applied(app):
    assert app.testing
    assert app.config["SECRET_KEY"] == "testing-only"


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig, SECRET_KEY=None)


def test_production_cookies_are_secure():
    app = create_app(ProductionConfig, SECRET_KEY="x" * 32,
                     SQLALCHEMY_DATABASE_URI="sqlite://")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_default_database_is_sqlite_in_the_instance_folder():
    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=None)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri.startswith("sqlite:///") and uri.endswith("coproduction.db")
    assert app.instance_path in uri


def test_postgres_urls_use_psycopg3():
    from config import normalise_database_url

    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_request_size_is_limited(client):
    assert client.application.config["MAX_CONTENT_LENGTH"] > 0
    response = client.post("/sign-in", data={"email": "a" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert b"too large" in response.data


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Page not found" in response.data


def test_unexpected_error_shows_friendly_page_and_is_logged(caplog):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")  # its own: a new route

    @app.get("/boom-for-test")
    def boom():
        raise ValueError("kaboom")

    client = app.test_client()

    response = client.get("/boom-for-test")
    assert response.status_code == 500
    assert b"Sorry, something went wrong" in response.data
    assert b"Traceback" not in response.data and b"kaboom" not in response.data
    assert "kaboom" in caplog.text


def test_testing_config_class_is_not_mutated_by_overrides():
    create_app(TestingConfig, BIDS_PER_PAGE=3, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert TestingConfig.BIDS_PER_PAGE == 20
