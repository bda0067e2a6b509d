"""Build the language reference set (models/reference/) that makes search language-neutral.

A multilingual encoder puts a language-identity component into every vector, so an unrelated
passage in the query's language outscores a relevant one in another language. The directions that
carry it are measured on parallel text: the same sentences in each language, embedded by the model.
Parallel text that any machine can obtain: Debian's translated message catalogs (English ``msgid``
with its ``msgstr`` in each language), read with ``apt-get download`` + ``dpkg -x``, never installed.

Two outputs:

* ``parallel.jsonl``: sentences present in every language of ``LANGUAGES`` (prose-like messages,
  placeholders and accelerators removed), the same seeded sample on every machine. Any model can
  measure its own language directions on it (``models/neutral.py``), cached in the data directory.
* ``centroids-<fingerprint>.npz``: those measurements for the bundled model, so that a fresh
  install needs no minutes of embedding before its first search.

The evaluation sets are never read here.

Usage: ``python scripts/build_reference.py [--work /tmp/hoptac-reference] [--skip-centroids]``
"""

from __future__ import annotations

import argparse
import gettext
import json
import random
import re
import subprocess
from collections import defaultdict
from pathlib import Path

#: Packages whose catalogs are translated into every language below.
DEBIAN_PACKAGES = [
    "coreutils",
    "libc-l10n",
    "gettext",
    "dpkg",
    "apt",
    "bash",
    "libglib2.0-data",
    "git",
    "binutils-common",
    "tar",
    "findutils",
    "grep",
    "sed",
    "diffutils",
    "wget",
]
#: English (the msgids) plus the languages partners and users write in; locale folder names.
LANGUAGES = ["vi", "fr", "de", "es", "ko", "ja", "zh_CN", "ru"]
SENTENCES = 300
SEED = 0
OUT = Path(__file__).resolve().parents[1] / "models" / "reference"

_PLACEHOLDER = re.compile(r"%[-#0-9.*lhzjt]*[a-zA-Z]|\{\w*\}|[~_&]|\\n")


def fetch(work: Path) -> Path:
    """Download and unpack the packages into ``work`` (skipped when done); the unpacked root."""
    root = work / "x"
    if (work / ".done").exists():
        return root
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run(["apt-get", "download", *DEBIAN_PACKAGES], cwd=work, check=True)
    for package in sorted(work.glob("*.deb")):
        subprocess.run(["dpkg", "-x", str(package), str(root)], check=True)
    (work / ".done").touch()
    return root


def clean(message: str) -> str:
    return " ".join(_PLACEHOLDER.sub(" ", message).split())


def prose_like(text: str) -> bool:
    """Sentences of 6-40 words, mostly letters: closer to passages than option names are."""
    words = text.split()
    letters = sum(c.isalpha() for c in text)
    return 6 <= len(words) <= 40 and letters > 0.7 * len(text.replace(" ", ""))


def parallel_sentences(root: Path) -> list[dict[str, str]]:
    """A seeded sample of messages translated into every language, keyed by language code."""
    translations: dict[str, dict[str, str]] = defaultdict(dict)
    for mo in sorted(root.rglob("*.mo")):
        parts = mo.parts
        language = parts[parts.index("locale") + 1] if "locale" in parts else ""
        if language not in LANGUAGES:
            continue
        with mo.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        for msgid, msgstr in catalog.items():
            if isinstance(msgid, str) and isinstance(msgstr, str) and msgstr and msgstr != msgid:
                translations[msgid][language] = msgstr
    complete = sorted(
        msgid
        for msgid, by_language in translations.items()
        if all(language in by_language for language in LANGUAGES) and prose_like(clean(msgid))
    )
    random.Random(SEED).shuffle(complete)
    rows = []
    for msgid in complete[:SENTENCES]:
        row = {"en": clean(msgid)}
        row.update({language[:2]: clean(translations[msgid][language]) for language in LANGUAGES})
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/hoptac-reference"))
    parser.add_argument("--skip-centroids", action="store_true")
    args = parser.parse_args(argv)
    rows = parallel_sentences(fetch(args.work))
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "parallel.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} sentences in {len(rows[0])} languages -> {OUT / 'parallel.jsonl'}")
    if args.skip_centroids:
        return
    from hoptac.settings import Settings
    from models.convert import ensure_bundled_model
    from models.embedder import load_raw_embedder
    from models.neutral import measure_centroids, save_centroids

    folder = ensure_bundled_model(args.work / "models")
    raw = load_raw_embedder(Settings(data_dir=args.work / "data", model=str(folder)))
    centroids = measure_centroids(raw.embed_queries, raw.embed_passages, rows)
    path = save_centroids(OUT, raw.fingerprint, centroids)
    print(f"centroids of the bundled model -> {path}")


if __name__ == "__main__":
    main()
