"""HTTP API, CLI and web app: thin layers over the library in ``ingest`` and ``search``."""
