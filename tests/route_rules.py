"""Who may reach every route: the expected-status table of the route matrix.

Every endpoint in ``app.url_map`` (except ``static``) has a rule here: a *kind*
for all its methods, or a ``{method: kind}`` mapping when reading and writing
differ. A kind says, for each identity (anonymous, then each role of team
Alpha) and each side (the identity's own team, another team), what the app
answers. ``tests/test_route_matrix.py`` fails when a route has no rule, so a new
route cannot ship without someone deciding who may use it.

Outcomes:

``ALLOWED``
    The access check let the request through. What happens next depends on the
    data sent (the matrix sends empty forms on purpose), so it is any of:
    GET -> 200 or a redirect that is not to sign-in; POST -> 200 (the form shown
    again with its messages), a redirect that is not to sign-in, 400 (a form the
    app refuses as a whole) or 409 (a review action refused by the version's
    state). Never 401/403/404, never a redirect to sign-in, never a 5xx.
``SIGN_IN``
    302 to ``/sign-in`` (pages need a signed-in user).
``401``, ``403``, ``404``
    Exactly that status: no API token; signed in but the role may not; the bid
    (or notification) belongs to someone the user may not see, so it is "not
    found" and its existence does not leak.

The "other team" side uses another team's bid, its version, comment and
notification, and a user of that team (for the admin user pages); routes that
take none of these have the same URL on both sides and the same outcome.
"""
from __future__ import annotations

from collections.abc import Mapping

ALLOWED = "allowed"
SIGN_IN = "sign-in"
IDENTITIES = ("anonymous", "viewer", "writer", "reviewer", "admin")
ROLES = IDENTITIES[1:]


def _kind(anonymous, viewer, writer, reviewer, admin) -> dict[str, tuple]:
    """A kind's outcomes: each argument is one outcome for both sides, or (own, other)."""
    given = dict(anonymous=anonymous, viewer=viewer, writer=writer, reviewer=reviewer,
                 admin=admin)
    return {who: outcome if isinstance(outcome, tuple) else (outcome, outcome)
            for who, outcome in given.items()}


A, S = ALLOWED, SIGN_IN
KINDS: dict[str, dict[str, tuple]] = {
    # Anyone, signed in or not (health check, sign-in page, the OpenAPI document).
    "public": _kind(A, A, A, A, A),
    # "/": sends anonymous users to sign in and everyone else to their bids.
    "front-door": _kind(S, A, A, A, A),
    # Signing out ends at the sign-in page for everyone (anonymous: login_required).
    "sign-out": _kind(S, S, S, S, S),
    # Any signed-in user; what is shown is filtered to their teams (checked for leaks).
    "signed-in": _kind(S, A, A, A, A),
    # Starting a bid: every role but viewer.
    "bid-create": _kind(S, 403, A, A, A),
    # Reading a bid, its plan or review: the bid's team, or an admin of any team.
    "bid-read": _kind(S, (A, 404), (A, 404), (A, 404), A),
    # Changing a bid, its plan or its comments: visibility first (404), then role (403).
    "bid-write": _kind(S, (403, 404), (A, 404), (A, 404), A),
    # Requesting changes: a reviewer or admin who is a member of the bid's team;
    # an admin sees another team's bid but may not decide on it.
    "review": _kind(S, (403, 404), (403, 404), (A, 404), (A, 403)),
    # Approving: as "review", plus four eyes (never the version's author). The matrix's
    # versions are written by another user, so four eyes does not decide here.
    "approve": _kind(S, (403, 404), (403, 404), (A, 404), (A, 403)),
    # A notification: only the user it was sent to (anyone else's is "not found").
    "own-notification": _kind(S, (A, 404), (A, 404), (A, 404), (A, 404)),
    # An API token on the user's own token page: only its owner (anyone else's: not found).
    "own-token": _kind(S, (A, 404), (A, 404), (A, 404), (A, 404)),
    # Admin pages (rate cards, users, portfolio targets): admins of any team.
    "admin": _kind(S, 403, 403, 403, A),
    # The JSON API: a bearer token (sessions never count), else 401.
    "api-token": _kind(401, A, A, A, A),
    # The network register's front page: counts for writers and reviewers, the list for
    # coordinators (admins here; flagged reviewers are tested in tests/network), not viewers.
    "network-counts": _kind(S, 403, A, A, A),
    # Members, their needs and consent, meetings: network coordinators only (admins, and
    # reviewers with the coordinator flag, whom tests/network checks).
    "coordinator": _kind(S, 403, 403, 403, A),
    # A plan line's network members: a count for the bid's writers and reviewers (and
    # admins); viewers see nothing of the register, another team's bid is not found.
    "network-line": _kind(S, 403, (A, 404), (A, 404), A),
    # Assigning members to a plan line: coordinators (admins here) of a bid they may see.
    "network-assign": _kind(S, 403, (403, 404), (403, 404), A),
    # The API's bid and version: as "bid-read", with 401 instead of sign-in.
    "api-bid-read": _kind(401, (A, 404), (A, 404), (A, 404), A),
}

Rule = str | Mapping[str, str]

ROUTE_RULES: dict[str, Rule] = {
    "main.index": "front-door",
    "main.healthz": "public",
    "auth.sign_in": "public",
    "auth.sign_out": "sign-out",
    "auth.tokens_page": "signed-in",
    "auth.change_password": "signed-in",
    "auth.revoke_token": "own-token",

    "bids.index": "signed-in",
    "bids.create": "bid-create",
    "bids.show": "bid-read",
    "bids.edit": "bid-write",  # the edit page itself needs write access, GET too
    "bids.archive": "bid-write",

    "plans.start": "bid-read",
    "plans.level": {"GET": "bid-read", "POST": "bid-write"},
    "plans.activities": {"GET": "bid-read", "POST": "bid-write"},
    "plans.preview": "bid-write",
    "plans.estimate": "bid-read",
    "plans.download": "bid-read",

    "reviews.version": "bid-read",
    "reviews.compare": "bid-read",
    "reviews.history": "bid-read",
    "reviews.submit": "bid-write",
    "reviews.approve": "approve",
    "reviews.request_changes": "review",
    "reviews.mark_submitted": "bid-write",
    "reviews.record_outcome": "bid-write",
    "reviews.add_comment": "bid-write",
    "reviews.reply": "bid-write",
    "reviews.resolve": "bid-write",

    "notifications.index": "signed-in",
    "notifications.mark_all_read": "signed-in",
    "notifications.mark_read": "own-notification",

    "portfolio.index": "signed-in",
    "portfolio.export_csv": "signed-in",
    "portfolio.summary": "signed-in",
    "portfolio.summary_pdf": "signed-in",
    "portfolio.targets": "admin",

    "network.index": "network-counts",
    "network.member_new": "coordinator",
    "network.member": "coordinator",
    "network.member_edit": "coordinator",
    "network.consent_add": "coordinator",
    "network.consent_withdraw": "coordinator",
    "network.status": "coordinator",
    "network.export_json": "coordinator",
    "network.export_pdf": "coordinator",
    "network.erase": "coordinator",
    "network.import_csv": "coordinator",
    "network.meetings": "coordinator",
    "network.meeting": "coordinator",
    "network.involvement": "coordinator",
    "network.retention": {"GET": "coordinator", "POST": "admin"},
    "network.line": {"GET": "network-line", "POST": "network-assign"},

    "admin.index": "admin",
    "admin.rate_cards": "admin",
    "admin.rate_card": "admin",
    "admin.copy_rate_card": "admin",
    "admin.choose_default": "admin",
    "admin.users": "admin",
    "admin.create_user": "admin",
    "admin.edit_user": "admin",
    "admin.set_active": "admin",
    "admin.tokens_page": "admin",
    "admin.revoke_token": "admin",

    "api.openapi": "public",
    "api.list_bids": "api-token",
    "api.get_bid": "api-bid-read",
    "api.get_version": "api-bid-read",
    "api.get_plan_docx": "api-bid-read",
    "api.post_estimate": "api-token",
    "api.post_fit": "api-token",
}

IGNORED_ENDPOINTS = frozenset({"static"})  # files, no access rule
IGNORED_METHODS = frozenset({"HEAD", "OPTIONS"})  # answered by Flask for every route


def kind_for(endpoint: str, method: str) -> str:
    """The kind of one endpoint and method (KeyError if the table has none)."""
    rule = ROUTE_RULES[endpoint]
    return rule if isinstance(rule, str) else rule[method]


def expected(kind: str, identity: str, own_team: bool) -> str | int:
    """The outcome for an identity on its own team's objects or another team's."""
    own, other = KINDS[kind][identity]
    return own if own_team else other


def table_problems(app) -> list[str]:
    """Why the table does not match the app's URL map (empty when it does)."""
    problems = []
    routed: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in IGNORED_ENDPOINTS:
            routed.setdefault(rule.endpoint, set()).update(rule.methods - IGNORED_METHODS)
    for endpoint in sorted(routed.keys() - ROUTE_RULES.keys()):
        problems.append(f"{endpoint} ({', '.join(sorted(routed[endpoint]))}) has no access "
                        "rule: add it to ROUTE_RULES in tests/route_rules.py with the kind "
                        "of access it needs (and a new kind in KINDS if none fits)")
    for endpoint in sorted(ROUTE_RULES.keys() - routed.keys()):
        problems.append(f"{endpoint} is in tests/route_rules.py but no longer routed: "
                        "remove its rule")
    for endpoint in sorted(routed.keys() & ROUTE_RULES.keys()):
        rule = ROUTE_RULES[endpoint]
        kinds = [rule] if isinstance(rule, str) else list(rule.values())
        problems += [f"{endpoint}: unknown kind {kind!r} (known: {', '.join(KINDS)})"
                     for kind in kinds if kind not in KINDS]
        if not isinstance(rule, str) and set(rule) != routed[endpoint]:
            problems.append(f"{endpoint}: the rule names methods {sorted(rule)} but the "
                            f"route accepts {sorted(routed[endpoint])}")
    return problems
