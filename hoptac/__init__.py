"""hoptac: knowledge base and cross-lingual search over international cooperation documents."""

__version__ = "0.1.0"
