"""Metadata accuracy on real documents: number, type, issuer, date and title, beside the baseline.

Why: the header extractor was first written against documents this project wrote itself; the real
dev set (``../shared/realdocs-dev``: 12 published Vietnamese documents with hand-read gold metadata)
says how it does on documents nobody here wrote. Each file goes through the real reading path
(``ingest.readers.read``, then ``normalize`` per page, as the pipeline does), and both extractors
read the same text in the same run: the current ``ingest.metadata`` and the baseline, the module as
it stood at ``--baseline-ref`` (loaded from git into a temporary module).

Fields are compared as a librarian would judge them: folded (accents, case and punctuation aside),
with "UBND"/"Ủy ban nhân dân", "HĐND"/"Hội đồng nhân dân" and "TP."/"thành phố" taken as the same.

Scans are OCR'd, which is slow; the page texts are cached per file (by the hash of its content
and of the readers' source) under ``--cache-dir``, so re-runs take seconds. ``--refresh`` reads
the files again.

``--dev`` takes any folder of the same shape (``files/`` and ``gold_metadata.jsonl``, where a
gold line may give the place itself): saved web pages or text files of other documents, kept
outside the repository when their text may not be copied.

Run it from the repository root, as a module or as a file (``bench/ingest.py`` hands a bench file
run directly the ``ingest`` package its name would shadow)::

    .venv/bin/python -m bench.metadata [--dev ../shared/realdocs-dev] [--cache-dir data/bench-cache]
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from catalog import DocumentMetadata
from hoptac.settings import Settings
from hoptac.vietnamese import fold
from ingest import metadata as current
from ingest.diacritics import confidence_table, correct_ocr
from ingest.normalize import normalize
from ingest.readers import read

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("number", "doc_type", "issuer", "place", "issue_date", "title")
#: Every document, and apart those whose first page has a text layer and those that are scans.
GROUPS = ("all", "text layer", "scanned")
#: The commit before issue 15's header work: the extractor the figures are compared with.
BASELINE_REF = "8523507"
_ABBREVIATIONS = (
    (r"\buy ban nhan dan\b", "ubnd"),
    (r"\bhoi dong nhan dan\b", "hdnd"),
    (r"\btp\b", "thanh pho"),
)

#: Imports the baseline's source names that have since moved.
_MOVED_IMPORTS = (
    ("from ingest.records import DocumentMetadata", "from catalog import DocumentMetadata"),
    ("from ingest.normalize import fold", "from hoptac.vietnamese import fold"),
)

Extractor = Callable[..., DocumentMetadata]


@dataclass(frozen=True)
class CachedDocument:
    """What the reader gave for one file: normalised page texts and the file's own title and date."""

    pages: list[str]
    methods: list[str]
    title: str | None
    date: str | None
    #: What the reader noted: pages re-read from the image, stamped fields read, and why.
    warnings: list[str] = dataclasses.field(default_factory=list)
    #: The words OCR read, with Tesseract's confidence in each, for the title's correction.
    ocr_words: list[tuple[str, float]] = dataclasses.field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.pages)


def read_cached(path: Path, cache_dir: Path, settings: Settings, refresh: bool) -> CachedDocument:
    """The file's pages through the real reader, from the cache when the same bytes were read before."""
    digest = hashlib.sha256(path.read_bytes() + _reader_version()).hexdigest()
    cached = cache_dir / f"{digest}.json"
    if cached.exists() and not refresh:
        return CachedDocument(**json.loads(cached.read_text(encoding="utf-8")))
    extracted = read(path, settings)
    document = CachedDocument(
        pages=[normalize(page.text) for page in extracted.pages],
        methods=[page.method for page in extracted.pages],
        title=extracted.title,
        date=extracted.date,
        warnings=extracted.warnings,
        ocr_words=[word for page in extracted.ocr_words.values() for word in page],
    )
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(document.__dict__, ensure_ascii=False), encoding="utf-8")
    return document


def _reader_version() -> bytes:
    """The readers' source and what the cache holds: a change to how pages are read, or to what
    is kept of them, invalidates the cached page texts."""
    readers = sorted((ROOT / "ingest" / "readers").glob("*.py"))
    fields = ",".join(f.name for f in dataclasses.fields(CachedDocument)).encode()
    return b"".join(reader.read_bytes() for reader in readers) + fields


def load_baseline(ref: str) -> ModuleType | None:
    """``ingest/metadata.py`` as it was at ``ref``, as a module; None when git cannot give it."""
    try:
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{ref}:ingest/metadata.py"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    # the record types have since moved to the catalog package, and ``fold`` to hoptac
    for moved, now in _MOVED_IMPORTS:
        source = source.replace(moved, now)
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False, encoding="utf-8") as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location("baseline_metadata", handle.name)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def comparable(field: str, value: str | None) -> str:
    """A value as a librarian compares it: folded, punctuation aside, abbreviations expanded."""
    if not value:
        return ""
    text = fold(value).lower()
    if field == "number":
        return re.sub(r"\s+", "", text)
    text = re.sub(r"[^\w/]+", " ", text)
    for pattern, replacement in _ABBREVIATIONS:
        text = re.sub(pattern, replacement, text)
    return " ".join(text.split())


def gold_place(gold: dict[str, str | None]) -> str | None:
    """The gold's place, or as its evidence quotes the header: "Hà Nội" in "| Hà Nội, ngày 24"."""
    if "place" in gold:
        return gold["place"]
    found = re.search(r"(?:^|\|)\s*([^|]+?),\s*ngày", gold.get("evidence") or "")
    return found[1] if found else None


def score(
    extract: Extractor, document: CachedDocument, gold: dict[str, str | None]
) -> dict[str, str]:
    """How ``extract`` does on each field of one document: "right", "empty" (left for a librarian
    to fill in; an extractor without the field, as the baseline has no place, leaves it empty) or
    "wrong" (a value, not the document's)."""
    meta = extract(document.text, title_hint=document.title, date_hint=document.date)
    if extract is hoptac_extractor and document.ocr_words and meta.title:
        # ingest corrects a scan's title with the OCR post-correction once it is read, with
        # Tesseract's confidence in each word; the previous extractor had no such step
        confidence = confidence_table(tuple(word) for word in document.ocr_words)
        meta = dataclasses.replace(meta, title=correct_ocr(meta.title, confidence))
    expected = {**gold, "place": gold_place(gold)}
    verdicts: dict[str, str] = {}
    for field in FIELDS:
        got = comparable(field, getattr(meta, field, None))
        wanted = comparable(field, expected.get(field))
        verdicts[field] = "right" if got == wanted else "empty" if not got else "wrong"
    return verdicts


def hoptac_extractor(text: str, **hints: str | None) -> DocumentMetadata:
    """What ingest does: the first page restored where the text is stripped or garbled OCR."""
    return current.extract_metadata(current.readable_head(text), **hints)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "realdocs-dev")
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "data" / "bench-cache")
    parser.add_argument("--baseline-ref", default=BASELINE_REF)
    parser.add_argument("--refresh", action="store_true", help="read the files again (no cache)")
    parser.add_argument("--verbose", action="store_true", help="print each wrong field")
    args = parser.parse_args(argv)

    golds = [
        json.loads(line)
        for line in (args.dev / "gold_metadata.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    baseline = load_baseline(args.baseline_ref)
    extractors: dict[str, Extractor] = {"hoptac": hoptac_extractor}
    if baseline is not None:
        extractors["baseline"] = baseline.extract_metadata
    else:
        print(
            f"baseline {args.baseline_ref} not found in git; showing hoptac only", file=sys.stderr
        )
    settings = Settings(data_dir=args.cache_dir / "data")
    #: right[extractor][group][field]: how many documents of the group got the field right.
    right: dict[str, dict[str, dict[str, int]]] = {
        name: {group: dict.fromkeys(FIELDS, 0) for group in GROUPS} for name in extractors
    }
    #: empty[extractor][field]: documents whose field was left empty where the gold has a value.
    empty: dict[str, dict[str, int]] = {name: dict.fromkeys(FIELDS, 0) for name in extractors}
    sizes = dict.fromkeys(GROUPS, 0)
    text_layers: dict[str, CachedDocument] = {}
    for gold in golds:
        document = read_cached(
            args.dev / "files" / gold["file"], args.cache_dir, settings, args.refresh
        )
        if document.methods[0] != "ocr":
            text_layers[gold["file"]] = document
        groups = ("all", "scanned" if document.methods[0] == "ocr" else "text layer")
        for group in groups:
            sizes[group] += 1
        if args.verbose:
            for warning in document.warnings:
                print(f"{gold['file']}: reader: {warning}", file=sys.stderr)
        for name, extract in extractors.items():
            for field, verdict in score(extract, document, gold).items():
                ok = verdict == "right"
                empty[name][field] += verdict == "empty"
                for group in groups:
                    right[name][group][field] += ok
                if args.verbose and not ok and name == "hoptac":
                    got = getattr(
                        extract(document.text, title_hint=document.title, date_hint=document.date),
                        field,
                    )
                    wanted = gold_place(gold) if field == "place" else gold.get(field)
                    print(f"{gold['file']}: {field} {got!r} != {wanted!r}", file=sys.stderr)

    print(
        f"Metadata accuracy on {len(golds)} real documents ({args.dev.name}); baseline: "
        f"ingest/metadata.py at {args.baseline_ref}, reading the same page texts\n"
    )
    columns = [(name, group) for group in GROUPS for name in extractors if sizes[group]]
    print(
        "| field | "
        + " | ".join(f"{name}, {group} ({sizes[group]})" for name, group in columns)
        + " |"
    )
    print("|---|" + "---|" * len(columns))
    for field in FIELDS:
        cells = [
            f"{right[name][group][field]}/{sizes[group]} "
            f"({right[name][group][field] / sizes[group]:.0%})"
            for name, group in columns
        ]
        print(f"| {field} | " + " | ".join(cells) + " |")
    print(
        "\nAll documents, right / empty / wrong: a field left empty is for a librarian to fill "
        "in, a wrong one names another document's value\n"
    )
    print("| field | " + " | ".join(extractors) + " |")
    print("|---|" + "---|" * len(extractors))
    for field in FIELDS:
        cells = [
            f"{right[name]['all'][field]} / {empty[name][field]} / "
            f"{sizes['all'] - right[name]['all'][field] - empty[name][field]}"
            for name in extractors
        ]
        print(f"| {field} | " + " | ".join(cells) + " |")
    by_file = {gold["file"]: gold for gold in golds}
    if GARBLED_HEADERS.keys() <= by_file.keys():  # realdocs-dev: their garbled first pages
        print_garbled_headers(by_file)
    if text_layers:
        print_lost_space_headers(text_layers, by_file)
    return 0


#: First pages of dev documents as someone else's OCR saved as text, with no image to OCR again:
#: Tesseract's English model on 110-dpi renders (``bench/data/garbled-eng``) and the letter whose
#: embedded OCR lost its accents (``bench/data/garbled``, a body page: its header is not in it).
GARBLED_HEADERS = {
    "vi_UBND-NgaiGiao_QD-phan-cong-cong-chuc-VP-TK.pdf": "garbled-eng/"
    "vi_UBND-NgaiGiao_QD-phan-cong-cong-chuc-VP-TK-p1",
    "vi_UBND-BimSon_KH-khac-phuc-bao-ve-bi-mat-nha-nuoc_2024.pdf": "garbled-eng/"
    "vi_UBND-BimSon_KH-khac-phuc-bao-ve-bi-mat-nha-nuoc_2024-p1",
    "vi_HDND-CaoBang_NQ-33-2022_le-phi-giay-phep-lao-dong-nguoi-nuoc-ngoai.pdf": "garbled-eng/"
    "vi_HDND-CaoBang_NQ-33-2022_le-phi-giay-phep-lao-dong-nguoi-nuoc-ngoai-p1",
    "vi_UBND-HaNoi_QD-2858_quy-hoach-Co-Nhue_2025.pdf": "garbled-eng/"
    "vi_UBND-HaNoi_QD-2858_quy-hoach-Co-Nhue_2025-p1",
    "vi_BYT_QD-2093_TTHC-phong-benh_2025.pdf": "garbled-eng/vi_BYT_QD-2093_TTHC-phong-benh_2025-p1",
    "vi_TTg_QD-1380-2025_bang-to-quoc-ghi-cong_scan.pdf": "garbled-eng/scan-ttg-qd-1380-2025-p1",
    "vi_TTg_QD-1360-2025_nong-thon-moi-DongThap_scan.pdf": "garbled-eng/scan-ttg-qd-1360-2025-p1",
    "vi_STP-HCM_CV-ho-tro-phap-ly-doanh-nghiep_2021_scan-noaccent-ocr.pdf": "garbled/"
    "stp-hcm-cv-2021-p1",
}


def print_garbled_headers(golds: dict[str, dict[str, str | None]]) -> None:
    """The same fields read from first pages of garbled OCR text: the text as it came (as ingest
    read it before) against its first page restored first (``readable_head``, what ingest does)."""
    documents = {
        file: CachedDocument(
            pages=[normalize((ROOT / "bench" / "data" / f"{stem}.layer.txt").read_text("utf-8"))],
            methods=["text"],
            title=None,
            date=None,
        )
        for file, stem in GARBLED_HEADERS.items()
    }
    print_readings(
        f"The same fields on {len(documents)} of these documents' first pages as someone else's "
        "OCR saved as text, no image",
        {"as it came": lambda text: text, "first page restored": current.readable_head},
        documents,
        golds,
    )


def print_lost_space_headers(
    documents: dict[str, CachedDocument], golds: dict[str, dict[str, str | None]]
) -> None:
    """The same fields where the text-layer documents lost spaces between words, as a PDF drawn
    without space glyphs does (every other space that leaves a run longer than a syllable, as
    ``bench.diacritics.drop_spaces`` drops them): the text as it came against the first page
    with its spaces put back (``space_accented``, as ingest reads each page, then
    ``readable_head``)."""
    from bench.diacritics import drop_spaces
    from ingest.diacritics import space_accented

    lost = {
        file: dataclasses.replace(
            document,
            pages=["\n".join(drop_spaces(line, every=2) for line in document.text.split("\n"))],
        )
        for file, document in documents.items()
    }
    print_readings(
        f"The same fields on the {len(lost)} text-layer documents with spaces lost between words",
        {
            "as it came": lambda text: text,
            "spaces put back": lambda text: current.readable_head(space_accented(text)),
        },
        lost,
        golds,
    )


def print_readings(
    heading: str,
    readings: dict[str, Callable[[str], str]],
    documents: dict[str, CachedDocument],
    golds: dict[str, dict[str, str | None]],
) -> None:
    """A right / empty / wrong table per field, one column for each way of reading the texts."""
    counts = {name: {field: [0, 0, 0] for field in FIELDS} for name in readings}
    for file, document in documents.items():
        for name, reading in readings.items():
            read = dataclasses.replace(document, pages=[reading(document.text)], methods=["text"])
            for field, verdict in score(current.extract_metadata, read, golds[file]).items():
                counts[name][field][("right", "empty", "wrong").index(verdict)] += 1
    print(f"\n{heading} (right / empty / wrong), in the same run\n")
    print("| field | " + " | ".join(readings) + " |")
    print("|---|" + "---|" * len(readings))
    for field in FIELDS:
        cells = [" / ".join(str(n) for n in counts[name][field]) for name in readings]
        print(f"| {field} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    raise SystemExit(main())
