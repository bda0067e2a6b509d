"""``hoptac users ...`` and ``hoptac audit``: accounts and the audit log, from the terminal.

The CLI works on the local data directory as the machine's administrator: whoever can read the
files owns the data, so these commands ask for no password.
"""

from __future__ import annotations

import sys

import click
from rich.table import Table

from api.cli import console, data_dir_option, open_catalog, out, record_change
from auth import AuditLog, Role, UserStore
from catalog import CLASSIFICATIONS


@click.group()
def users() -> None:
    """Manage accounts: readers, librarians and admins, each with a clearance.

    \b
    Example:
      echo 's3cret-pass' | hoptac users add lan --role reader --clearance internal --password-stdin
      hoptac users token lan
    """


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--clearance", type=click.Choice(CLASSIFICATIONS), required=True)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@data_dir_option
def add_user(name: str, role: str, clearance: str, password_stdin: bool) -> None:
    """Add an account. Without a password (piped or typed) it can use API tokens only.

    \b
    Example:
      echo 's3cret-pass' | hoptac users add lan --role reader --clearance internal --password-stdin
    """
    password: str | None = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise click.UsageError("--password-stdin: stdin held no password")
    elif sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    catalog = open_catalog()
    user = UserStore(catalog).add(name, role, clearance, password)
    record_change(catalog, "user added", None, f"{user.name}: {user.role.value}, {user.clearance}")
    console.print(f"Added {user.name}: {user.role.value}, clearance {user.clearance}.")


@users.command("password")
@click.argument("name")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@data_dir_option
def set_password(name: str, password_stdin: bool) -> None:
    """Set a new password for NAME (the first admin's one-time password, say); sessions end.

    \b
    Example:
      echo 'a-long-new-password' | hoptac users password admin --password-stdin
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    catalog = open_catalog()
    UserStore(catalog).set_password(name, password)
    record_change(catalog, "password changed", None, name)
    console.print(f"Password of {name} changed.")


@users.command("list")
@data_dir_option
def list_users() -> None:
    """List accounts with their role and clearance.

    \b
    Example:
      hoptac users list
    """
    table = Table(title="Users")
    for column in ("name", "role", "clearance", "created"):
        table.add_column(column)
    for user in UserStore(open_catalog()).list():
        table.add_row(user.name, user.role.value, user.clearance, user.created_at)
    out.print(table)


@users.command("remove")
@click.argument("name")
@data_dir_option
def remove_user(name: str) -> None:
    """Remove an account; its API tokens and sessions stop working at once.

    \b
    Example:
      hoptac users remove lan
    """
    catalog = open_catalog()
    UserStore(catalog).remove(name)
    record_change(catalog, "user removed", None, name)
    console.print(f"Removed {name}.")


@users.command("token")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Revoke every token of NAME instead.")
@data_dir_option
def token(name: str, revoke: bool) -> None:
    """Print a new API token for NAME (alone on its line), for `Authorization: Bearer TOKEN`.

    \b
    Example:
      curl -H "Authorization: Bearer $(hoptac users token lan)" http://127.0.0.1:8000/api/documents
      hoptac users token lan --revoke
    """
    catalog = open_catalog()
    store = UserStore(catalog)
    if revoke:
        console.print(f"Revoked {store.revoke_tokens(name)} token(s) of {name}.")
        record_change(catalog, "tokens revoked", None, name)
        return
    click.echo(store.new_token(name))
    record_change(catalog, "token issued", None, name)


@click.command()
@click.option("--limit", default=50, show_default=True, help="How many recent entries.")
@data_dir_option
def audit(limit: int) -> None:
    """Show the audit log: sign-ins, uploads, edits, reclassifications, deletes, downloads.

    \b
    Example:
      hoptac audit --limit 20
    """
    table = Table(title="Audit log, latest first")
    for column in ("at", "who", "action", "document", "detail"):
        table.add_column(column, overflow="fold")
    for e in AuditLog(open_catalog()).entries(limit):
        table.add_row(e.at, e.actor, e.action, str(e.document_id or ""), e.detail or "")
    out.print(table)
