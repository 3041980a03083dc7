"""Response headers every page, API answer and download gets.

Pages and files here are private (a bid, a plan, a portfolio), so no browser,
proxy or shared computer may keep a copy: ``Cache-Control: no-store`` on every
response but the static files (the design system's CSS, JavaScript and images).
"""
from __future__ import annotations

from flask import Flask, request


def no_store(response):
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def init_app(app: Flask) -> None:
    app.after_request(no_store)
