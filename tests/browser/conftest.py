"""Browser fixtures: one live server on a SQLite file, headless Chromium, axe-core.

The live server is the real app (CSRF on, demo data seeded) served by
Werkzeug in a background thread on a free port. Each test gets a fresh
browser context, so cookies never leak between tests. Without Chromium at
/usr/bin/chromium the tests are skipped with a reason, except in CI
(CI=true), where that is a failure.
"""
from __future__ import annotations

import os
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.demo import DEMO_PASSWORD, seed_demo
from app.extensions import db
from app.versions.engine import seed_rate_cards
from config import TestingConfig
from tests.browser.steps import loaded

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DEFAULT_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app on a temporary SQLite file, with real CSRF and the demo data seeded."""
    path = tmp_path_factory.mktemp("browser") / "live.db"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
                     WTF_CSRF_ENABLED=True, LOGIN_RATE_LIMIT="1000 per minute")
    with app.app_context():
        db.create_all()
        seed_rate_cards()
        seed_demo()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_app) -> Iterator[str]:
    """The live server's address, like http://127.0.0.1:54321 (no trailing slash)."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        # make_server has bound and is listening: the first request queues until it is served.
        with urllib.request.urlopen(url + "/healthz", timeout=30) as response:
            assert response.status == 200, f"the live server answered {response.status}"
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not os.path.exists(CHROMIUM):
        message = f"Chromium is not installed at {CHROMIUM}: install Debian's chromium package"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@dataclass
class PageProblems:
    """What went wrong in a page that no assertion looked at.

    JavaScript exceptions and console errors (a Content-Security-Policy block is
    one), 5xx answers, stylesheets/scripts/images that failed to load (run
    `make static`), and dialogs: the page fixture fails the test if any is left.
    """

    script_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    broken_assets: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def note_response(self, response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.url}")
        elif (response.status >= 400 and response.request.resource_type != "document"
              and not response.url.endswith("/favicon.ico")):
            self.broken_assets.append(f"{response.status} {response.url}")

    def note_console(self, message) -> None:
        # A failed load is reported (with its URL) by note_response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.script_errors.append(message.text)

    def note_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def summary(self) -> dict[str, list[str]]:
        found = {kind.name: getattr(self, kind.name) for kind in fields(self)}
        return {name: problems for name, problems in found.items() if problems}


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser, base_url, page_problems):
    """A page in a fresh browser context (own cookies); relative URLs go to the live server.

    Afterwards fails the test if anything in `page_problems` was recorded.
    """
    context = browser.new_context(base_url=base_url)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    page.on("pageerror", lambda error: page_problems.script_errors.append(str(error)))
    page.on("console", page_problems.note_console)
    page.on("response", page_problems.note_response)
    page.on("dialog", page_problems.note_dialog)
    yield page
    context.close()
    assert not page_problems.summary(), f"problems in the page: {page_problems.summary()}"


@pytest.fixture
def sign_in(base_url) -> Callable:
    """sign_in(page, email, password=DEMO_PASSWORD): sign in through the form, land on the bids."""
    from playwright.sync_api import expect

    def sign_in_as(page, email: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base_url}/bids/")
        expect(page.get_by_role("heading", level=1, name="Bids")).to_be_visible()
    return sign_in_as


def _describe(violation: dict) -> str:
    """One violation: rule id, impact, help, then each failing node's target and reason."""
    lines = [f"- {violation['id']} ({violation['impact']}): {violation['help']} "
             f"[{violation['helpUrl']}]"]
    for node in violation["nodes"]:
        target = " ".join(str(part) for part in node["target"])
        reason = " ".join((node.get("failureSummary") or "").split())
        lines.append(f"    {target}: {reason}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


# axe-core no longer reports duplicate ids (WCAG 2.2 dropped 4.1.1 Parsing), but a
# repeated id still sends a label, an error summary link or a skip link to the wrong place.
DUPLICATE_IDS = """() => {
    const seen = new Map();
    for (const element of document.querySelectorAll("[id]")) {
        seen.set(element.id, (seen.get(element.id) || 0) + 1);
    }
    return [...seen].filter(([, count]) => count > 1).map(([id]) => id);
}"""


@pytest.fixture
def assert_accessible(axe) -> Callable:
    """assert_accessible(page): run axe-core (WCAG 2.2 A/AA rules) and fail listing violations.

    Each violation is listed with its rule id, impact, help text and the
    failing nodes' selectors; repeated element ids are reported too.
    """
    def check(page) -> None:
        loaded(page)  # axe had run on unstyled pages: their links seemed too small to tap
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS},
                   "resultTypes": ["violations"]}
        violations = axe.run(page, options=options).response["violations"]
        problems = [_describe(violation) for violation in violations]
        problems += [f"- duplicate id: #{element_id}" for element_id in page.evaluate(DUPLICATE_IDS)]
        report = "\n".join(problems)
        assert not problems, f"accessibility violations on {page.url}:\n{report}"
    return check
