"""The users that bench/load.py sends at the app (run by locust, headless, as a subprocess).

Each simulated user signs in to an account of its own and works on that account's
own bid, so users never conflict: it lists bids, recalculates the estimate (the
htmx preview), saves a line with a changed value, downloads the plan PDF, and now
and then signs out and in again. CSRF is on, so tokens are scraped from the forms,
with tests/html.py's quick reader: the users share the two cores with the server they
measure, and the full HTML parser cost them 4 ms of CPU per editor page.

Every save the server acknowledges (302 back to the activities page) is recorded
with the value it stored, and written to LOAD_RESULTS when locust stops, so that
load.py can check that each acknowledged save is in the database.

Every answer is recorded with its time, and so is the moment the last user had
signed in, so that load.py can measure the run with all users at work apart from
the ramp-up (which it reports separately).

Environment (set by load.py): LOAD_PLAN (JSON: accounts and server URLs), LOAD_MODE
("mixed", or "bare" for /healthz only), LOAD_WAIT_MIN / LOAD_WAIT_MAX (seconds of
think time between tasks), LOAD_USERS (how many users this run starts), LOAD_VALUES
("low,high": the people counts this run's saves cycle through), LOAD_RESULTS (where
to write the client's own counts).
"""
from __future__ import annotations

import itertools
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, between, constant, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.html import quick_form_with

with open(os.environ["LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
MODE = os.environ.get("LOAD_MODE", "mixed")
WAIT_MIN = float(os.environ.get("LOAD_WAIT_MIN", "0"))
WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "0"))
USERS = int(os.environ["LOAD_USERS"])
VALUES = range(*map(int, os.environ.get("LOAD_VALUES", "12,500").split(",")))
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

_accounts = itertools.cycle(PLAN["accounts"])
_servers = itertools.cycle(PLAN["servers"])
_status_counts: Counter = Counter()
_acknowledged: dict[str, dict] = {}  # bid id -> {"saves": n, "last": people}
_problems: Counter = Counter()
# name -> {"ms": [response times], "at": [when answered], "statuses": ["200", ...]}
_endpoints: dict[str, dict] = {}
_window = [float("inf"), 0.0]  # first request sent, last answer received (epoch seconds)
_steady = [0.0]  # when the last user had signed in (epoch seconds): the measured run begins
_ready = [0]


@events.request.add_listener
def count_request(request_type, name, response_time, response_length, response=None,
                  exception=None, **_kwargs):
    """Every answered request: its status and time, kept whole (not in locust's buckets)."""
    now = time.time()
    status = str(getattr(response, "status_code", 0) or 0)
    _status_counts[status] += 1
    endpoint = _endpoints.setdefault(name, {"ms": [], "at": [], "statuses": []})
    endpoint["ms"].append(round(response_time, 2))
    endpoint["at"].append(round(now, 3))
    endpoint["statuses"].append(status)
    _window[0] = min(_window[0], now - response_time / 1000)
    _window[1] = max(_window[1], now)


def user_ready() -> None:
    """One more user has started (and signed in): once all have, the measured run begins."""
    _ready[0] += 1
    if _ready[0] == USERS:
        _steady[0] = time.time()


@events.quitting.add_listener
def write_results(environment, **_kwargs):
    with open(os.environ["LOAD_RESULTS"], "w", encoding="utf-8") as out:
        json.dump({"status_counts": _status_counts, "acknowledged": _acknowledged,
                   "problems": _problems, "endpoints": _endpoints,
                   "window_s": max(0.0, _window[1] - _window[0]),
                   "steady_from": _steady[0], "last_answer": _window[1]}, out)


class Planner(FastHttpUser):
    """A bid writer working on their own bid."""

    wait_time = between(WAIT_MIN, WAIT_MAX) if WAIT_MAX > 0 else constant(0)
    host = PLAN["servers"][0]
    connection_timeout = 30.0
    network_timeout = 60.0

    def on_start(self) -> None:
        try:
            self.start_work()
        finally:  # a failed sign-in shows as a failure, not as a run that never starts
            user_ready()

    def start_work(self) -> None:
        if MODE != "bare":
            self.account = next(_accounts)
            self.bid = self.account["bid_id"]
            # Each save stores a value other than the one before it (each run has its
            # own range), so every acknowledged save must leave an audit entry.
            self.people = itertools.cycle(
                [value for value in VALUES if value != self.account["seeded"]])
            # Locust starts each second's users at the same instant; people arriving
            # in the same second do not all press "Sign in" in the same millisecond.
            gevent.sleep(random.random())
            self.sign_in()

    def url(self, path: str) -> str:
        """Spread requests over the servers (several processes behind one 'balancer'):
        a user's session has to work on whichever one answers."""
        return next(_servers) + path

    # --- the tasks ------------------------------------------------------------------

    @task(6)
    def bid_list(self) -> None:
        if MODE == "bare":
            self.client.get(self.url("/healthz"), name="GET /healthz (bare)")
            return
        self.page("/bids/", "GET /bids/ (bid list)")

    @task(6)
    def recalculate(self) -> None:
        if MODE == "bare":
            return self.bid_list()
        form = self.activities_form()
        if form is None:
            return
        form["activities-0-sessions"] = str(int(form.get("activities-0-sessions") or 1) % 9 + 1)
        with self.client.post(self.url(f"/bids/{self.bid}/plan/preview"), data=urlencode(form),
                              headers=FORM, name="POST plan/preview (recalculate)",
                              catch_response=True) as response:
            if response.status_code != 200 or "£" not in (response.text or ""):
                response.failure(f"preview answered {response.status_code}")

    @task(4)
    def save_line(self) -> None:
        if MODE == "bare":
            return self.bid_list()
        form = self.activities_form()
        if form is None:
            return
        value = next(self.people)
        form["activities-0-people"] = str(value)
        form["action"] = "save"
        with self.client.post(self.url(f"/bids/{self.bid}/plan/activities"),
                              data=urlencode(form), headers=FORM, allow_redirects=False,
                              name="POST plan/activities (save a line)",
                              catch_response=True) as response:
            location = response.headers.get("Location", "") if response.headers else ""
            if response.status_code == 302 and location.endswith(
                    f"/bids/{self.bid}/plan/activities"):
                saved = _acknowledged.setdefault(str(self.bid), {"saves": 0, "last": None})
                saved["saves"] += 1
                saved["last"] = value
            else:
                _problems[f"save answered {response.status_code}"] += 1
                response.failure(f"save answered {response.status_code} {location}")

    @task(2)
    def pdf(self) -> None:
        if MODE == "bare":
            return self.bid_list()
        number = self.account["version"]
        with self.client.get(self.url(f"/bids/{self.bid}/plan/versions/{number}/pdf"),
                             name="GET plan/versions/n/pdf (PDF download)",
                             catch_response=True) as response:
            if response.status_code != 200 or not (response.content or b"").startswith(b"%PDF"):
                response.failure(f"PDF answered {response.status_code}")

    @task(1)
    def sign_out_and_in(self) -> None:
        if MODE == "bare":
            return self.bid_list()
        page = self.page("/bids/", "GET /bids/ (bid list)")
        if page is None:
            return
        token = quick_form_with(page, "csrf_token")["csrf_token"]
        self.client.post(self.url("/sign-out"), data=urlencode({"csrf_token": token}),
                         headers=FORM, allow_redirects=False, name="POST /sign-out")
        self.sign_in()

    # --- helpers ----------------------------------------------------------------------

    def page(self, path: str, name: str) -> str | None:
        with self.client.get(self.url(path), name=name, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")
                return None
            return response.text

    def activities_form(self) -> dict[str, str] | None:
        page = self.page(f"/bids/{self.bid}/plan/activities", "GET plan/activities (the form)")
        if page is None:
            return None
        try:
            return quick_form_with(page, "activities-0-people")
        except LookupError:
            _problems["activities page without a form"] += 1
            return None

    def sign_in(self) -> None:
        page = self.page("/sign-in", "GET /sign-in")
        if page is None:
            return
        form = quick_form_with(page, "csrf_token")
        form.update(email=self.account["email"], password=self.account["password"])
        with self.client.post(self.url("/sign-in"), data=urlencode(form), headers=FORM,
                              allow_redirects=False, name="POST /sign-in",
                              catch_response=True) as response:
            if response.status_code != 302:
                _problems[f"sign-in answered {response.status_code}"] += 1
                response.failure(f"sign-in answered {response.status_code}")
