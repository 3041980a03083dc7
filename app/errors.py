"""Friendly error pages (JSON for the API); unexpected errors are logged, never shown."""
from __future__ import annotations

import sqlite3

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, SecurityError

from app.extensions import db

MESSAGES = {
    401: ("Sign in required", "Send a valid API token in the Authorization header."),
    400: ("The request could not be understood",
          "Something in what was sent was not valid. Go back, check the page and try again."),
    403: ("You do not have permission to do that",
          "Your role does not allow this action. Ask an admin of your team if you need it."),
    404: ("Page not found",
          "If you typed the web address, check it is correct. The page may also have moved."),
    405: ("That action is not available here", "Go back and use the buttons on the page."),
    409: ("Someone else changed this first",
          "Nothing you sent was saved. Go back, reload the page and try again."),
    413: ("What you sent is too large",
          "The upload or form was larger than this service accepts. Send something smaller."),
    429: ("Too many attempts",
          "You have tried this too many times in a short while. Wait a minute and try again."),
    500: ("Sorry, something went wrong",
          "Nothing you entered was lost: the change was not saved. Try again in a moment."),
    503: ("The service is busy",
          "The database is busy or unavailable. Nothing was half-saved. Try again in a moment."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(code: int, detail: str | None = None, field: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    if wants_json():
        return jsonify({"errors": [{"field": field, "message": detail or title}]}), code
    return render_template("errors/error.html", code=code, title=title,
                           message=detail or message), code


def handle_http_exception(error: HTTPException):
    if isinstance(error, SecurityError):  # a Host not in TRUSTED_HOSTS: no URL can be built
        return "The host name of this request is not one this service answers to.", 400, \
            {"Content-Type": "text/plain; charset=utf-8"}
    code = error.code or 500
    if code >= 500:
        rollback()
    body, status = render_error(code if code in MESSAGES else 500)
    # A 405 says which methods the URL takes (Allow); a 429 when to retry (Retry-After).
    kept = {name: value for name, value in error.get_headers()
            if name.lower() in ("allow", "retry-after")}
    return body, status, kept


def handle_csrf_error(error: CSRFError):
    return render_error(400, "The form had expired or was sent from another site. "
                             "Go back, reload the page and try again.")


def rollback() -> None:
    """Undo the request's unfinished transaction; a dead connection is discarded at teardown."""
    try:
        db.session.rollback()
    except Exception:
        current_app.logger.warning("rollback after an error failed", exc_info=True)


# Seconds a client is asked to wait before trying again after a 503.
RETRY_AFTER_SECONDS = 5
# SQLite's messages for a lock held too long or a file it cannot reach (not for bad SQL).
SQLITE_TRANSIENT = ("locked", "busy", "unable to open", "disk i/o", "readonly")
# PostgreSQL's codes for a server that refuses writes for now (a read-only replica or
# transaction, a server shutting down or starting, too many connections).
POSTGRES_TRANSIENT = frozenset({"25006", "57P01", "57P02", "57P03", "53300"})


def is_database_unavailable(error: Exception) -> bool:
    """True for a database that is down, restarting, unreachable or locked, or a
    connection pool with no free connection: failures that retrying may cure.
    Other database errors (a broken constraint, bad SQL) are bugs: they stay 500s."""
    if isinstance(error, PoolTimeoutError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if isinstance(error.orig, sqlite3.Error):  # SQLite also says "no such table" this way
        return any(words in str(error.orig).lower() for words in SQLITE_TRANSIENT)
    if getattr(error.orig, "sqlstate", None) in POSTGRES_TRANSIENT:
        return True
    return isinstance(error, (OperationalError, InterfaceError))


def handle_database_error(error: Exception):
    """Roll back, log one line, and answer 503 with Retry-After: nothing was half-saved
    because every write commits once, at its end, or not at all."""
    if not is_database_unavailable(error):
        return handle_unexpected(error)
    rollback()
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    current_app.logger.warning("database unavailable on %s %s: %s: %s", request.method,
                               request.path, type(error).__name__, reason[0] if reason else "")
    # The page must not reach for the database again (the header shows the signed-in
    # user and their unread notifications), so it is drawn as for a signed-out visitor.
    g._login_user = current_app.login_manager.anonymous_user()
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    title, message = MESSAGES[503]
    if wants_json():
        return jsonify({"errors": [{"field": None, "message": f"{title}. {message}"}]}), \
            503, headers
    try:
        return (*render_error(503), headers)
    except Exception:
        current_app.logger.exception("the 503 page could not be drawn")
        return f"<h1>{title}</h1><p>{message}</p>", 503, headers


def handle_unexpected(error: Exception):
    """Anything else: log it with its traceback, roll back, show the friendly 500 page."""
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    rollback()
    return render_error(500)


def handle_member_data_key_error(error: Exception):
    """The network's encrypted fields cannot be opened: say which setting to check."""
    rollback()
    current_app.logger.error("member data keys: %s", error)
    if wants_json():
        return jsonify({"errors": [{"field": None, "message": str(error)}]}), 503
    return render_template("errors/error.html", code=503,
                           title="Member data cannot be opened", message=str(error)), 503


def handle_concurrent_write(error: Exception):
    """Two people saved the same thing at the same moment and this request lost: the other
    save stands, nothing of this one was written. (Forms that can keep the input catch
    this themselves and show their conflict page; this is the last line.)"""
    rollback()
    current_app.logger.info("concurrent write refused on %s %s", request.method, request.path)
    return render_error(409, "Someone else saved this at the same moment. Nothing you sent "
                             "was saved: go back, reload the page and try again.")


def init_app(app: Flask) -> None:
    app.register_error_handler(StaleDataError, handle_concurrent_write)
    from app.membership.crypto import MemberDataKeyError

    app.register_error_handler(MemberDataKeyError, handle_member_data_key_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(PoolTimeoutError, handle_database_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
