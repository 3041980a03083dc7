"""Scale-out: two gunicorn processes on different ports share one PostgreSQL database
and one Redis for rate limits, as two machines behind a load balancer would.

A session started on one process carries on on the other (signed cookies and the
same SECRET_KEY); an edit saved through one is read back through the other; failed
sign-ins on one count towards the limit on the other. The servers are real
processes, migrated and seeded through the CLI as the README says.
"""
from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.html import form_with
from tests.postgres import find_bindir, throwaway_cluster
from tests.processes import free_port, stop

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO_EMAIL, DEMO_PASSWORD = "lead@example.org", "coproduce-demo"
LOGIN_RATE_LIMIT = "3 per minute"
STARTUP_SECONDS = 60


def missing(message: str) -> None:
    """Fail in CI, skip with the reason elsewhere: never skipped silently."""
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (required in CI)")
    pytest.skip(message)


def listening_socket() -> socket.socket:
    """A socket on a free localhost port, already listening: a server handed it
    (gunicorn's --bind fd://N) is reachable the moment it starts, since connections
    queue here until it accepts them; nothing has to poll for it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


def read_until_ready(process: subprocess.Popen, marker: str, log: Path,
                     what: str) -> threading.Thread:
    """Read the process's output until it prints `marker`, then keep copying it to `log`
    in a thread (returned; it ends with the output), so the pipe never fills. Fails with
    the output if the process ends first."""
    seen = []
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            break
    else:
        raise AssertionError(f"{what} exited with code {process.wait()}:\n{''.join(seen)}")

    def copy_rest() -> None:
        with open(log, "w") as output:
            output.writelines(seen)
            for line in process.stdout:
                output.write(line)
    copying = threading.Thread(target=copy_rest, name=f"{what} log", daemon=True)
    copying.start()
    return copying


# --- a browser: cookies, CSRF tokens scraped from forms, no redirects followed ---------

@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    text: str


class Browser:
    """One visitor: keeps its cookies across both servers, as a browser behind a load
    balancer keeps them across machines (cookies belong to the host, not the port)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str,
                form: dict[str, str] | None = None) -> Reply:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["expires"] and "1970" in morsel["expires"] or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Reply(response.status, response.headers, text)

    def get(self, port: int, path: str) -> Reply:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, form: dict[str, str]) -> Reply:
        return self.request(port, "POST", path, form)

    def sign_in(self, port: int, password: str = DEMO_PASSWORD) -> Reply:
        fields = form_with(self.get(port, "/sign-in").text, "csrf_token")
        fields.update(email=DEMO_EMAIL, password=password)
        return self.post(port, "/sign-in", fields)


# --- the services: PostgreSQL, Redis, two gunicorn processes ----------------------------

@dataclass
class Deployment:
    ports: tuple[int, int]
    redis_port: int
    logs: Path

    def log_tail(self, lines: int = 30) -> str:
        """The end of each server's log, for an assertion message."""
        return "\n".join(f"--- gunicorn on port {port}:\n" + "\n".join(
            (self.logs / f"{port}.log").read_text(errors="replace").splitlines()[-lines:])
            for port in self.ports)

    def flush_rate_limits(self) -> None:
        import redis

        with redis.Redis(host="127.0.0.1", port=self.redis_port) as client:
            client.flushall()


@pytest.fixture(scope="module")
def postgres_database() -> Iterator[str]:
    bindir = find_bindir()
    if bindir is None:
        missing("PostgreSQL server binaries (pg_ctl) are not installed: "
                "install Debian's postgresql package")
    with throwaway_cluster(bindir) as url:
        yield url


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory) -> Iterator[int]:
    server = shutil.which("redis-server")
    if server is None:
        missing("redis-server is not installed: install Debian's redis-server package")
    try:
        import redis  # noqa: F401  (what the limiter's storage needs)
    except ImportError:
        missing("the redis Python package is not installed: pip install -r requirements-dev.txt")
    port = free_port()
    log = tmp_path_factory.mktemp("redis") / "redis.log"
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--protected-mode", "yes"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    copying = None
    try:
        copying = read_until_ready(process, "Ready to accept connections", log, "redis-server")
        assert answers_ping(port), "redis-server said it was ready but does not answer PING"
        yield port
    finally:
        stop(process)
        if copying is not None:
            copying.join()  # the output ends with the process
        process.stdout.close()


def answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def healthy(port: int, timeout: float = 2) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            connection.request("GET", "/healthz")
            return connection.getresponse().status == 200
        finally:
            connection.close()
    except OSError:
        return False


@pytest.fixture(scope="module")
def deployment(postgres_database, redis_port, tmp_path_factory) -> Iterator[Deployment]:
    gunicorn = BIN / "gunicorn"
    if not gunicorn.exists():
        missing("gunicorn is not installed in this environment: pip install -r requirements.txt")
    env = dict(os.environ, DATABASE_URL=postgres_database, APP_ENV="development",
               SECRET_KEY=secrets.token_hex(32), LOGIN_RATE_LIMIT=LOGIN_RATE_LIMIT,
               RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{redis_port}", LOG_LEVEL="WARNING")
    for command in (["db", "upgrade"], ["seed", "--demo"]):
        done = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *command], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stdout + done.stderr
    logs = tmp_path_factory.mktemp("gunicorn")
    ports, processes = [], []
    try:
        for _ in range(2):
            with listening_socket() as sock:
                ports.append(sock.getsockname()[1])
                with open(logs / f"{ports[-1]}.log", "w") as output:
                    processes.append(subprocess.Popen(
                        [str(gunicorn), "--workers", "1", "--bind", f"fd://{sock.fileno()}",
                         "--graceful-timeout", "5", "wsgi:app"], pass_fds=(sock.fileno(),),
                        cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT))
        # Each answers once its worker has started (the request waits in the socket's
        # queue); one that died has closed its socket, and the request fails at once.
        for port, process in zip(ports, processes, strict=True):
            assert healthy(port, timeout=STARTUP_SECONDS), \
                f"gunicorn on port {port} did not answer (exit code {process.poll()}): see {logs}"
        yield Deployment(tuple(ports), redis_port, logs)
    finally:
        for process in processes:
            stop(process)


# --- the tests --------------------------------------------------------------------------

def first_bid_id(page: str) -> int:
    match = re.search(r'href="/bids/(\d+)"', page)
    assert match, "no bid link on the bid list"
    return int(match.group(1))


def test_a_session_started_on_one_process_works_on_the_other(deployment):
    deployment.flush_rate_limits()
    first, second = deployment.ports
    browser = Browser()
    signed_in = browser.sign_in(first)
    assert signed_in.status == 302 and signed_in.headers["Location"].endswith("/bids/")

    bids = browser.get(second, "/bids/")
    assert bids.status == 200, deployment.log_tail()
    assert "Lee Lead" in bids.text  # signed in, on the other process
    bid_id = first_bid_id(bids.text)

    fields = form_with(browser.get(second, f"/bids/{bid_id}/edit").text, "title")
    title = f"Edited through the second process {secrets.token_hex(4)}"
    fields["title"] = title
    saved = browser.post(second, f"/bids/{bid_id}/edit", fields)  # CSRF token from the form
    assert saved.status == 302, deployment.log_tail()

    shown = browser.get(first, f"/bids/{bid_id}")
    assert shown.status == 200, deployment.log_tail()
    assert title in shown.text


def test_failed_sign_ins_on_one_process_count_on_the_other(deployment):
    deployment.flush_rate_limits()
    first, second = deployment.ports
    browser = Browser()
    limit = int(LOGIN_RATE_LIMIT.split()[0])
    for _ in range(limit):
        failed = browser.sign_in(first, password="not the password")
        assert failed.status == 200 and "The email address or password is not right" in failed.text
    refused = browser.sign_in(second, password="not the password")
    assert refused.status == 429 and "Too many attempts" in refused.text
    assert browser.sign_in(second).status == 429  # even the right password, until it expires
    assert browser.sign_in(first).status == 429
    deployment.flush_rate_limits()
    assert browser.sign_in(second).status == 302
