"""Typed dependencies: the settings, catalog and search engine the app was created with, and the user
a request acts for."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from auth import ANONYMOUS, AuditLog, User, UserStore
from auth.records import Right
from catalog import Catalog, DocumentFilter, DocumentRow
from hoptac.errors import NotFound, Unauthenticated
from hoptac.settings import Settings

if TYPE_CHECKING:
    from jobs import IngestQueue
    from search.engine import SearchEngine

#: The browser session's cookie (HttpOnly); state-changing requests carrying it need a CSRF token.
SESSION_COOKIE = "hoptac_session"


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_catalog(request: Request) -> Catalog:
    catalog: Catalog = request.app.state.catalog
    return catalog


def get_engine(request: Request) -> SearchEngine:
    engine: SearchEngine = request.app.state.engine
    return engine


def get_queue(request: Request) -> IngestQueue:
    queue: IngestQueue = request.app.state.queue
    return queue


def get_users(request: Request) -> UserStore:
    return UserStore(get_catalog(request))


def get_audit(request: Request) -> AuditLog:
    return AuditLog(get_catalog(request))


def current_user(request: Request) -> User:
    """The user of a Bearer token or a browser session; anonymous only where the setting allows.

    Raises Unauthenticated (401) otherwise, and for a token that is wrong or revoked.
    """
    users = get_users(request)
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        user = users.user_for_token(credentials.strip())
        if user is None:
            raise Unauthenticated(
                "this API token is not valid (revoked?); make one with hoptac users token NAME"
            )
        return user
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        user = users.user_for_session(session)
        if user is not None:
            return user
    if get_settings(request).anonymous_read:
        return ANONYMOUS
    raise Unauthenticated(
        "sign in first (/sign-in.html), or send Authorization: Bearer TOKEN "
        "(an admin makes one with: hoptac users token NAME)"
    )


def visible(user: User, filters: DocumentFilter | None = None) -> DocumentFilter:
    """``filters`` narrowed to what ``user`` may see: nothing above their clearance."""
    return dataclasses.replace(filters or DocumentFilter(), max_classification=user.clearance)


def visible_document(catalog: Catalog, user: User, document_id: int) -> DocumentRow:
    """The document, or NotFound (404), the same as for one that does not exist, when it is above
    the user's clearance: they never learn it exists."""
    allowed = catalog.document_ids(visible(user, DocumentFilter(document_ids=(document_id,))))
    if document_id not in allowed:
        raise NotFound(f"document {document_id} does not exist")
    return catalog.get_document(document_id)


SettingsDep = Annotated[Settings, Depends(get_settings)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]
EngineDep = Annotated["SearchEngine", Depends(get_engine)]
QueueDep = Annotated["IngestQueue", Depends(get_queue)]
UsersDep = Annotated[UserStore, Depends(get_users)]
AuditDep = Annotated[AuditLog, Depends(get_audit)]
UserDep = Annotated[User, Depends(current_user)]


def holding(right: Right) -> Callable[[User], User]:
    """A dependency for the signed-in user who holds ``right``. Checked as a dependency, before
    FastAPI validates the body, so a reader's write answers 403 whatever its body holds: nobody
    learns a route's body rules by probing it without the right."""

    def check(user: UserDep) -> User:
        user.require(right)
        return user

    return check


UploaderDep = Annotated[User, Depends(holding(Right.UPLOAD))]
EditorDep = Annotated[User, Depends(holding(Right.EDIT))]
DeleterDep = Annotated[User, Depends(holding(Right.DELETE))]
AuditorDep = Annotated[User, Depends(holding(Right.AUDIT))]
