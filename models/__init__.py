"""The embedding model: the bundled multilingual-e5-small converted once, loaded offline."""

from models.convert import ensure_bundled_model
from models.embedder import Embedder, Prompts, load_embedder, load_raw_embedder

__all__ = ["Embedder", "Prompts", "ensure_bundled_model", "load_embedder", "load_raw_embedder"]
