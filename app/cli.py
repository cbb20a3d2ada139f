"""The `holdspace` command group: serve, db, users, demo."""

from __future__ import annotations

import secrets

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext


def _create_app(*args, **kwargs) -> Flask:
    from app import create_app

    return create_app()


def main() -> None:
    """Entry point of the `holdspace` console script."""
    cli = FlaskGroup(
        create_app=_create_app,
        add_default_commands=True,
        add_version_option=False,
        load_dotenv=False,
        help="Holdspace: facilitated support circles.",
    )
    cli.main(prog_name="holdspace")


def init_app(app: Flask) -> None:
    """Attach the Holdspace commands to the app's CLI."""
    app.cli.add_command(serve)
    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(resources)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int, envvar="HOLDSPACE_PORT")
@click.option("--no-migrate", is_flag=True, help="Do not apply pending migrations first.")
@with_appcontext
def serve(host: str, port: int, no_migrate: bool) -> None:
    """Apply pending migrations, then serve with the green server (no debug, no reloader)."""
    from flask_migrate import upgrade

    from app.auth import sockets as socket_logins
    from app.core.serving import serve as serve_green
    from app.extensions import socketio

    if not no_migrate:
        upgrade()
    app = current_app._get_current_object()
    socket_logins.sweep_journal_keys(app)  # keys of logins that expired while we were down
    socket_logins.ensure_sweeper(app)
    mode = socketio.server.eio.async_mode
    click.echo(f"Holdspace serving on http://{host}:{port} ({mode})")
    serve_green(app, host, port, mode)


@click.group()
def users() -> None:
    """Manage user accounts."""


@users.command("create")
@click.argument("name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option(
    "--role",
    type=click.Choice(["member", "facilitator", "moderator", "admin"]),
    default="member",
    show_default=True,
)
@click.option("--display-name", default=None, help="Defaults to the username.")
@with_appcontext
def users_create(name: str, password: str, role: str, display_name: str | None) -> None:
    """Create a user."""
    from app.auth import services
    from app.auth.forms import PASSWORD_MIN
    from app.auth.strength import password_problem

    name = _valid_username(name)
    if len(password) < PASSWORD_MIN:
        raise click.ClickException(f"Passwords need at least {PASSWORD_MIN} characters.")
    problem = password_problem(password, name, display_name or "")
    if problem:
        raise click.ClickException(problem)
    try:
        user = services.register_user(name, display_name or name, password, role)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.username} ({user.role}).")


@users.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(["member", "facilitator", "moderator", "admin"]))
@with_appcontext
def users_set_role(name: str, role: str) -> None:
    """Change a user's site role."""
    from app.admin.services import assign_role
    from app.auth import services

    user = services.find_user_by_username(_valid_username(name))
    if user is None:
        raise click.ClickException(f"No user called {name!r}.")
    try:
        assign_role(user, role)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{user.username} is now {role}.")


def _valid_username(name: str) -> str:
    """The trimmed name if it follows the registration form's rule; a clear refusal otherwise.

    Accounts stored before the rule existed are managed from the admin people page instead.
    """
    from app.auth.usernames import username_problem

    name = name.strip()
    problem = username_problem(name)
    if problem:
        raise click.ClickException(f"{name!r} is not a username Holdspace accepts. {problem}")
    return name


@click.group()
def demo() -> None:
    """Demo data for trying Holdspace locally."""


@demo.command("seed")
@click.option("--if-empty", is_flag=True, help="Only seed when there are no users yet.")
@with_appcontext
def demo_seed(if_empty: bool) -> None:
    """Create demo users (passwords printed once), a circle, a session and resources."""
    from app.demo import seed

    report = seed(if_empty=if_empty, password_factory=lambda: secrets.token_urlsafe(9))
    if report is None:
        click.echo("The database already has people in it; demo data left alone.")
        return
    click.echo("Demo accounts (these passwords are shown only now):")
    for username, role, password in report.accounts:
        click.echo(f"  {username:<12} {role:<12} {password}")
    for line in report.notes:
        click.echo(line)


@click.group()
def resources() -> None:
    """The resource library."""


@resources.command("load")
@with_appcontext
def resources_load() -> None:
    """Insert or update the library's own articles (safe to run any number of times)."""
    from app.resources.library import LibraryError, load_library

    try:
        report = load_library()
    except LibraryError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Library: {len(report.created)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged."
    )
