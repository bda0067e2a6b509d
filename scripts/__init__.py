"""Build scripts (sample corpus, diacritics model, reference set): run as files, imported by the
tests and benchmarks that reuse their pieces."""
