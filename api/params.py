"""Path, query and form parameters shared by the routes, bounded to what the catalog can hold.

SQLite stores ids as signed 64-bit integers: an id past that range made the driver raise
OverflowError, which left the app as a plain-text 500. Declared bounds make such a request a 422
with the usual JSON body, and show the range in the OpenAPI page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import Field

from hoptac.errors import InvalidInput

#: The largest id SQLite can store (2**63 - 1).
MAX_ID = 2**63 - 1
#: The longest file name most file systems accept, in bytes of UTF-8.
MAX_NAME_BYTES = 255

DocumentId = Annotated[int, Path(ge=1, le=MAX_ID, description="A document id from the catalog.")]
ChunkId = Annotated[int, Path(ge=1, le=MAX_ID, description="A passage (chunk) id.")]
#: An id inside a query or form field (a filter, a run to join).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def upload_name(name: str | None) -> str:
    """The upload's own file name, stripped of any folder, for the report and the catalog.

    Raises InvalidInput for names no file can have (".", "..", a NUL or other control character,
    more than 255 bytes), which used to fail deep in the file system as a 500.
    """
    raw = name or ""
    base = raw.replace("\\", "/").split("/")[-1].strip()
    if not base:
        base = "upload" if not raw.strip() else ""
    if base in ("", ".", ".."):
        raise InvalidInput(f"the file name {raw!r} names a folder, not a file; rename the file")
    if any(ord(char) < 32 or ord(char) == 127 for char in base):
        raise InvalidInput(f"the file name {raw!r} holds a control character; rename the file")
    if len(base.encode("utf-8", errors="surrogatepass")) > MAX_NAME_BYTES:
        raise InvalidInput(
            f"the file name {base[:40]!r}... is longer than {MAX_NAME_BYTES} bytes; rename the file"
        )
    return base
