"""The product's errors: a small hierarchy, mapped to HTTP codes and CLI messages in one place each."""

from __future__ import annotations


class HoptacError(Exception):
    """Base of every error a user may see; its message must say what went wrong and what to do.

    ``details`` is optional structured context (the per-file statuses of a failed upload).
    """

    http_status = 500

    def __init__(self, *args: object, details: object = None) -> None:
        super().__init__(*args)
        self.details = details


class InvalidInput(HoptacError):
    """A request or parameter that can never succeed as given."""

    http_status = 422


class NotFound(HoptacError):
    """A document, chunk or file that does not exist."""

    http_status = 404


class Unauthenticated(HoptacError):
    """No valid credentials: sign in, or send ``Authorization: Bearer TOKEN``."""

    http_status = 401


class Forbidden(HoptacError):
    """Signed in, but the user's role lacks the right; names the role that has it."""

    http_status = 403


class TooManyRequests(HoptacError):
    """Too many attempts in a short time (sign-in); says when to try again."""

    http_status = 429


class TooLarge(HoptacError):
    """An upload over the size limit (``HOPTAC_MAX_UPLOAD_MB``)."""

    http_status = 413


class IngestError(HoptacError):
    """A file that cannot be ingested; names the file and the reason."""

    http_status = 422

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class NothingIngested(HoptacError):
    """Every file of an upload failed; ``details`` holds each file's status and reason."""

    http_status = 422


class UnsupportedFile(IngestError):
    """A file whose type no reader handles."""


class EmptyDocument(IngestError):
    """A file that was read but yielded no text: never stored as a silent empty document."""


class IndexMismatch(HoptacError):
    """The vector index was built with another model; ``hoptac reindex`` rebuilds it."""

    http_status = 409


class ModelUnavailable(HoptacError):
    """The embedding model cannot be loaded offline."""

    http_status = 503


class CatalogDamaged(HoptacError):
    """The catalog file cannot be read as SQLite: the one thing that cannot be rebuilt from others."""

    http_status = 503

    def __init__(self, path: object, cause: object) -> None:
        super().__init__(
            f"the catalog {path} is damaged and cannot be opened ({cause}); stop hoptac, move the "
            "file aside and restore the latest backup of the data directory (`hoptac backup DEST` "
            "makes one), then run `hoptac check`"
        )


class CatalogUnreachable(HoptacError):
    """The PostgreSQL database named by ``HOPTAC_DATABASE_URL`` does not answer."""

    http_status = 503

    def __init__(self, where: str, cause: object) -> None:
        super().__init__(
            f"the catalog's database {where} cannot be reached ({cause}); check "
            "HOPTAC_DATABASE_URL and that the PostgreSQL server runs"
        )
