"""One settings object for the whole product, read from the environment (prefix ``HOPTAC_``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "hoptac"


class Settings(BaseSettings):
    """Service settings. Index parameters (model, dimension) are saved beside the index instead."""

    model_config = SettingsConfigDict(env_prefix="HOPTAC_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    #: A sentence-transformers folder or cached model name; empty means the bundled
    #: multilingual-e5-small, converted into the data directory on first use.
    model: str = ""
    #: Tesseract languages used for OCR.
    ocr_languages: str = "vie+eng"
    #: Resolution at which scanned PDF pages are rasterised for OCR.
    ocr_dpi: int = 300
    #: Largest image (in pixels) we agree to decode: a guard against decompression bombs.
    max_image_pixels: int = 80_000_000
    #: Chunk size bounds in words; multilingual-e5 reads 512 tokens.
    chunk_words: int = 280
    chunk_overlap_words: int = 40
    #: Restore diacritics on accent-stripped Vietnamese chunks before embedding.
    restore_diacritics: bool = True
    #: Project the model's language-identity directions out of every vector (models/neutral.py),
    #: so a passage in the query's own language is not preferred for its language alone.
    language_neutral: bool = True
    #: Precision of the fp32 model's matrix products on CPU: ``auto`` runs them in bfloat16 where
    #: the processor has native bfloat16 instructions (``models/precision.py``), else in fp32.
    embed_precision: Literal["auto", "fp32", "bf16"] = "auto"
    #: Past this many passages the vector index searches approximately (IVF over half-precision
    #: vectors, its recall against exact search measured by bench/scale.py); at or below it, exactly.
    ann_threshold: int = Field(default=200_000, ge=1)
    #: Bounds on one file's cost, so one odd file cannot hold an ingest for hours: pages read (and
    #: OCR'd) and characters indexed. Past them the file is indexed up to the limit and its report
    #: names the setting; raise them for archives of very long documents.
    max_pages_per_file: int = Field(default=2_000, ge=1)
    max_chars_per_file: int = Field(default=2_000_000, ge=1)
    #: Seconds of OCR one file may use; pages not reached by then keep their text layer, if any.
    max_ocr_seconds_per_file: float = Field(default=1_800.0, gt=0)
    #: Password of the ``admin`` account created on first start; empty: a random one, printed once.
    admin_password: str = ""
    #: Let requests without credentials search and read ``public`` documents (off: 401).
    anonymous_read: bool = False
    #: How long a browser sign-in lasts.
    session_hours: float = 8.0
    #: Sign-in attempts allowed per user name and per client address (``limits`` notation).
    sign_in_rate: str = "5/minute"
    #: Host names the server answers to (DNS rebinding guard); empty: the bound host and localhost.
    allowed_hosts: list[str] = []
    #: Served over HTTPS (directly or behind a proxy): cookies are then marked Secure.
    https: bool = False
    #: Largest upload accepted, in megabytes; bigger ones get 413.
    max_upload_mb: int = 200
    #: A ``postgresql://`` URL: the catalog, jobs, users and knowledge base live in that database,
    #: shared by every server and worker given the same URL; empty: ``catalog.sqlite3`` here.
    database_url: str = ""
    #: Where the search indexes live: ``files`` (FAISS and BM25 segments under ``index/``, each
    #: server its own) or ``database`` (pgvector and folded-term columns in the PostgreSQL catalog,
    #: shared by every server). Empty: ``database`` when the catalog is PostgreSQL, else ``files``.
    index_store: Literal["", "files", "database"] = ""

    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "catalog.sqlite3"

    @property
    def catalog_location(self) -> Path | str:
        """Where the catalog is: the PostgreSQL URL when one is set, else the SQLite file."""
        return self.database_url or self.catalog_path

    @property
    def search_in_database(self) -> bool:
        """Whether the search indexes live in the catalog's database (``index_store``)."""
        if self.index_store:
            return self.index_store == "database"
        location = self.catalog_location
        return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))

    @property
    def jobs_location(self) -> Path | str:
        """Where the ingest jobs are: the PostgreSQL URL when one is set, else ``queue.sqlite3``."""
        return self.database_url or self.data_dir / "queue.sqlite3"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"
