"""Ingestion: files become normalised, chunked, catalogued documents."""
