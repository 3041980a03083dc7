"""Co-production Planner: the Flask application factory."""
from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Flask is imported inside the factory, so `python -m app.costing`
    from flask import Flask  # and `python -m app.reports` start without it.


def create_app(config: type | Mapping[str, Any] | None = None, **overrides: Any) -> Flask:
    """Build the app from a config class (default: APP_ENV) plus optional overrides."""
    from flask import Flask

    from config import config_from_env

    app = Flask(__name__, instance_relative_config=True)
    config = config or config_from_env()
    if isinstance(config, Mapping):
        app.config.from_object(config_from_env())
        app.config.from_mapping(config)
    else:
        app.config.from_object(config)
    app.config.from_mapping(overrides)
    _check_config(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"))
    return app


def _check_config(app: Flask) -> None:
    """A secret key that is nobody else's; default the database to the instance folder."""
    from app.secret_key import check_secret_key, instance_secret_key

    if not app.config.get("SECRET_KEY"):
        if app.config.get("SECRET_KEY_FROM_INSTANCE"):
            app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
        else:
            raise RuntimeError("SECRET_KEY must be set in the environment for this "
                               "configuration.")
    if not app.testing:
        check_secret_key(app.config["SECRET_KEY"])
    if app.config.get("NOTIFY_EMAIL") and not (app.config.get("BASE_URL")
                                               or app.config.get("SERVER_NAME")):
        raise RuntimeError("NOTIFY_EMAIL needs BASE_URL (like https://planner.example.org) "
                           "for the links in its emails.")
    if app.config.get("DOCUMENT_RENDERER", "process") not in ("process", "inline"):
        raise RuntimeError("DOCUMENT_RENDERER must be process (documents rendered in a "
                           "low-priority process beside each gunicorn worker) or inline.")
    niceness = app.config.get("DOCUMENT_RENDERER_NICENESS")
    if niceness is not None and not 0 <= int(niceness) <= 19:
        raise RuntimeError("DOCUMENT_RENDERER_NICENESS must be a niceness from 0 to 19.")
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "coproduction.db")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        from app.ratelimit_storage import storage_uri

        app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["pool_pre_ping"] = False  # a file on this machine: nothing to ping
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def register_extensions(app: Flask) -> None:
    from app import cache as kept
    from app import database
    from app.extensions import (
        CONTENT_SECURITY_POLICY,
        cache,
        csrf,
        db,
        limiter,
        login_manager,
        migrate,
        talisman,
    )
    from app.membership import crypto as member_data_keys

    db.init_app(app)
    kept.configure(app)
    cache.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    database.init_app(app)
    member_data_keys.init_app(app)
    talisman.init_app(
        app, content_security_policy=CONTENT_SECURITY_POLICY, force_https=False,
        frame_options="DENY", referrer_policy="strict-origin-when-cross-origin",
        session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
        strict_transport_security=app.config.get("HSTS", False))
    if app.config.get("PROXY_FIX_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_blueprints(app: Flask) -> None:
    from app.database import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter  # before any route uses <int:...>
    from app.admin.routes import bp as admin_bp
    from app.api.routes import bp as api_bp
    from app.auth.routes import bp as auth_bp
    from app.bids.routes import bp as bids_bp
    from app.main.routes import bp as main_bp
    from app.network.routes import bp as network_bp
    from app.plans.routes import bp as plans_bp
    from app.portfolio.routes import bp as portfolio_bp
    from app.reviews.routes import bp as reviews_bp
    from app.reviews.routes import notifications_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(bids_bp, url_prefix="/bids")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(plans_bp, url_prefix="/bids/<int:bid_id>/plan")
    app.register_blueprint(reviews_bp, url_prefix="/bids/<int:bid_id>/review")
    app.register_blueprint(notifications_bp, url_prefix="/notifications")
    app.register_blueprint(portfolio_bp, url_prefix="/portfolio")
    app.register_blueprint(network_bp, url_prefix="/network")
    app.register_blueprint(api_bp, url_prefix="/api/v1")


def register_errorhandlers(app: Flask) -> None:
    from app import errors, http_headers, input_guard

    errors.init_app(app)
    input_guard.init_app(app)
    http_headers.init_app(app)


def register_template_helpers(app: Flask) -> None:
    from app import templating

    templating.init_app(app)


def register_commands(app: Flask) -> None:
    from app.commands import init_app

    init_app(app)
