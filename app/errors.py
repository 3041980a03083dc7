"""Friendly error pages (JSON for the API); unexpected errors are logged, never shown."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

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


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    if wants_json():
        return jsonify({"errors": [{"field": None, "message": detail or title}]}), code
    return render_template("errors/error.html", code=code, title=title,
                           message=detail or message), code


def handle_http_exception(error: HTTPException):
    code = error.code or 500
    return render_error(code if code in MESSAGES else 500)


def handle_csrf_error(error: CSRFError):
    return render_error(400, "The form had expired or was sent from another site. "
                             "Go back, reload the page and try again.")


def handle_unexpected(error: Exception):
    db.session.rollback()
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    return render_error(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, _log_and_handle)


def _log_and_handle(error: Exception):
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return handle_unexpected(error)
