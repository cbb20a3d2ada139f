"""Holdspace: facilitated support circles with a private journal."""

# isort: off
from app import green  # noqa: F401  (first: monkey-patches before anything imports socket)

# isort: on
from flask import Flask

from app.config import Config, config_for_environment, instance_dir


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Application factory: build and wire a Holdspace app."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=str(instance_dir()),
    )
    configure(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_socket_events(app)
    register_errorhandlers(app)
    register_commands(app)
    warm_up_detector()
    return app


def warm_up_detector() -> None:
    """Load the risk model now (its version is logged once per process), not on a first message."""
    from app.safety.services import load_detector

    load_detector()


def configure(app: Flask, config: type[Config] | dict | None) -> None:
    """Load the config class for HOLDSPACE_ENV, then any overrides."""
    overrides = config if isinstance(config, dict) else {}
    config_class = config if isinstance(config, type) else None
    if config_class is None:
        config_class = config_for_environment(overrides.get("ENV_NAME"))
    app.config.from_object(config_class)
    app.config.update(config_class.from_environment())
    app.config.update(overrides)


def register_extensions(app: Flask) -> None:
    """Bind extensions to the app."""
    from app import models  # noqa: F401  (every table registered before migrate binds)
    from app.auth.services import load_login
    from app.core import database, errors, logs, security, sockets
    from app.extensions import csrf, db, limiter, login_manager, migrate

    logs.init_app(app)
    database.init_app(app)
    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(_migrations_dir()), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    # The cookie carries a login token, not a user id.
    login_manager.user_loader(errors.visitor_when_down(load_login))
    security.init_app(app)
    sockets.init_app(app)
    security.trust_proxies(app)


def _migrations_dir():
    """migrations/ at the project root."""
    from app.config import PROJECT_ROOT

    return PROJECT_ROOT / "migrations"


def register_blueprints(app: Flask) -> None:
    """Attach every area's views."""
    from app.account.views import blueprint as account
    from app.admin.views import blueprint as admin
    from app.aftercare.views import blueprint as aftercare
    from app.auth.views import blueprint as auth
    from app.circles.session_views import blueprint as sessions
    from app.circles.views import blueprint as circles
    from app.core.static_urls import blueprint as static_files
    from app.journal.views import blueprint as journal
    from app.live.views import blueprint as live
    from app.moderation.views import blueprint as moderation
    from app.practice.views import blueprint as practice
    from app.resources.views import blueprint as resources
    from app.safety.admin import blueprint as crisis_admin
    from app.safety.views import blueprint as safety
    from app.site.views import blueprint as site
    from app.week.views import blueprint as week

    app.register_blueprint(site)
    app.register_blueprint(static_files)
    app.register_blueprint(auth)
    app.register_blueprint(circles)
    app.register_blueprint(sessions)
    app.register_blueprint(live)
    app.register_blueprint(journal)
    app.register_blueprint(resources)
    app.register_blueprint(safety)
    app.register_blueprint(crisis_admin)
    app.register_blueprint(admin)
    app.register_blueprint(practice)
    app.register_blueprint(week)
    app.register_blueprint(account)
    app.register_blueprint(moderation)
    app.register_blueprint(aftercare)


def register_socket_events(app: Flask) -> None:
    """Attach socket handlers to this app's Socket.IO server."""
    from app.live import connection

    connection.register(app)


def register_errorhandlers(app: Flask) -> None:
    """Calm error pages that reveal nothing."""
    from app.core.errors import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    """Attach the holdspace CLI commands."""
    from app.cli import init_app

    init_app(app)
