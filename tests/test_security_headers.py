"""Security headers on every response, and HSTS in production over HTTPS."""
from app import create_app
from config import ProductionConfig


def csp_directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def test_every_kind_of_response_carries_the_headers(client, make_user, auth):
    make_user("writer@example.org")
    responses = [client.get("/sign-in"), client.get("/no-such-page"),
                 client.get("/static/js/init.js")]
    auth.sign_in("writer@example.org")
    responses += [client.get("/bids/"), client.get("/api/v1/openapi.json")]
    for response in responses:
        directives = csp_directives(response)
        assert directives["script-src"] == "script-src 'self'"
        assert directives["frame-ancestors"] == "frame-ancestors 'none'"
        assert directives["default-src"] == "default-src 'self'"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        response.close()


def test_pages_have_no_inline_scripts_or_third_party_origins(client, make_user, auth):
    make_user("writer@example.org")
    auth.sign_in("writer@example.org")
    for url in ("/sign-in", "/bids/", "/bids/new"):
        page = client.get(url).get_data(as_text=True)
        for tag in page.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening, f"inline script on {url}"
        assert "http://" not in page.replace("http://www.w3.org", "")
        assert "https://" not in page.replace("https://www.w3.org", "")


def test_hsts_in_production_over_https():
    app = create_app(ProductionConfig, SECRET_KEY="k" * 32, SQLALCHEMY_DATABASE_URI="sqlite://")
    response = app.test_client().get("/healthz", base_url="https://planner.example")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    session_app = create_app(ProductionConfig, SECRET_KEY="k" * 32,
                             SQLALCHEMY_DATABASE_URI="sqlite://")
    assert session_app.config["SESSION_COOKIE_SECURE"] is True
