"""Knowledge-base extraction quality: precision and recall of partners, citations and areas per
document, and the agreements' terms, on the sample corpus against hand labels.

Why: the issue asks what share of what the documents state the extraction finds, and what share of
what it finds is right. The labels below were read by hand from corpus/ (and its sources in
tests/data and scripts/make_samples.py), never from the evaluation sets. Partners are compared by
key (one per organisation), citations by normalised number, areas by key.

Run it from the repository root on a data directory holding the ingested sample corpus::

    .venv/bin/hoptac --data-dir /tmp/sample ingest corpus/
    .venv/bin/python -m bench.kb --data-dir /tmp/sample
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catalog import Catalog
from hoptac.settings import Settings
from ingest.pipeline import ingest_paths
from kb import KnowledgeBase, build, rebuild, twins
from models import load_embedder
from search.engine import SearchEngine

#: source name -> what a careful reader finds in it.
LABELS: dict[str, dict[str, set[str]]] = {
    "kh-137-ubnd-2025-ocr.txt": {
        "partners": {"ubnd-ha-noi", "so-y-te-ha-noi"},
        "citations": {
            "5369/QD-UBND",
            "08-CTR/TU",
            "07-CTR/TU",
            "43/KH-UBND",
            "03/NQ-CP",
            "57-NQ/TW",
            "19/KH-UBND",
        },
        "areas": {
            "ai",
            "devices",
            "regenerative",
            "telemedicine",
            "genetics",
            "nano",
            "blockchain",
            "vr_ar",
            "clinical",
            "training",
        },
    },
    "news-hanoi-kh137-2025-05-17.txt": {
        "partners": {"ubnd-ha-noi", "org:benh-vien-k"},
        "citations": {"137/KH-UBND"},
        "areas": {
            "ai",
            "devices",
            "regenerative",
            "telemedicine",
            "genetics",
            "nano",
            "clinical",
            "training",
        },
    },
    "news-hanoi-phap-sot-xuat-huyet-2025-04-08.html": {
        "partners": {"cdc-ha-noi", "pasteur", "so-y-te-ha-noi"},
        "citations": set(),
        "areas": {"infection_control", "training"},
    },
    "paper-amr-surveillance-hanoi.pdf": {
        "partners": {
            "so-y-te-ha-noi",
            "thanh-nhan",
            "xanh-pon",
            "duc-giang",
            "org:dong-da-hospital",
        },
        "citations": set(),
        "areas": {"infection_control", "training"},
    },
    "qd-2417-syt-2025-scan.pdf": {
        "partners": {"so-y-te-ha-noi", "snuh", "koica", "xanh-pon", "thanh-nhan", "duc-giang"},
        "citations": set(),
        "areas": {"infection_control", "training"},
    },
    "thoa-thuan-bach-mai-lyon.docx": {
        "partners": {"bach-mai", "hcl"},
        "citations": set(),
        "areas": {"clinical", "training"},
    },
    "thong-bao-kham-sang-loc-photo.jpg": {
        "partners": {"thanh-nhan"},
        "citations": set(),
        "areas": set(),
    },
}

#: Twins: (source, source, kind). The sample corpus has one; the texts written for the twins test
#: (tests/data/kb: a Vietnamese MoU and its English translation, the digital copy of decision
#: 2417/QĐ-SYT, two unrelated texts) add two when ingested too (``--with-written``).
TWINS = {
    ("kh-137-ubnd-2025-ocr.txt", "news-hanoi-kh137-2025-05-17.txt", "about"),
    ("qd-2417-syt-2025-scan.pdf", "qd-2417-syt-2025-digital.txt", "version"),
    ("bbgn-chiba-vi.txt", "mou-chiba-en.txt", "translation"),
}
WRITTEN = Path(__file__).resolve().parents[1] / "tests" / "data" / "kb"
#: The baseline pairs documents whose content similarity reaches this cosine.
BASELINE_COSINE = 0.9

#: source name -> (duration in months, expiry) the text states (expiry None: needs a signing date).
TERMS = {
    "qd-2417-syt-2025-scan.pdf": (24, "2027-06-30"),
    "thoa-thuan-bach-mai-lyon.docx": (60, None),
}


@dataclass
class Score:
    found: int = 0
    right: int = 0
    gold: int = 0

    def add(self, predicted: set[str], gold: set[str]) -> None:
        self.found += len(predicted)
        self.right += len(predicted & gold)
        self.gold += len(gold)

    def line(self, name: str) -> str:
        precision = self.right / self.found if self.found else 1.0
        recall = self.right / self.gold if self.gold else 1.0
        return f"| {name} | {precision:.2f} ({self.right}/{self.found}) | {recall:.2f} ({self.right}/{self.gold}) |"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--keywords-only", action="store_true", help="Areas without the model.")
    parser.add_argument(
        "--with-written",
        action="store_true",
        help="Ingest tests/data/kb (twins test texts) into the data directory first.",
    )
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir)
    catalog = Catalog(settings.catalog_location)
    embedder = None if args.keywords_only else load_embedder(settings)
    if args.with_written:
        ingest_paths(catalog, settings, sorted(WRITTEN.iterdir()))
        SearchEngine(settings, catalog, embedder=embedder).sync()
    rebuild(catalog, settings.index_dir, embedder)
    kb = KnowledgeBase(catalog, settings.index_dir, embedder)
    documents = {d.source_name: d.id for d in catalog.list_documents()}
    scores = {task: Score() for task in ("partners", "citations", "areas")}
    for source, gold in LABELS.items():
        document_id = documents.get(source)
        if document_id is None:
            raise SystemExit(f"{source} is not in {args.data_dir}; ingest corpus/ first")
        keys = {
            r["key"]
            for r in catalog.query(
                "SELECT DISTINCT p.key FROM kb_mentions m JOIN kb_partners p ON p.id = m.partner_id "
                "WHERE m.document_id = ?",
                (document_id,),
            )
        }
        relations = kb.relations(document_id)
        predicted = {
            "partners": keys,
            "citations": {c.number for c in relations.cites},
            "areas": {a.key for a in relations.areas},
        }
        for task, score in scores.items():
            score.add(predicted[task], gold[task])
            missed, wrong = gold[task] - predicted[task], predicted[task] - gold[task]
            if missed or wrong:
                print(f"  {source} {task}: missed {sorted(missed)}, extra {sorted(wrong)}")
    print("\n| task | precision | recall |\n|---|---|---|")
    for task, score in scores.items():
        print(score.line(task))
    agreements = {a.document_id: a for a in kb.agreements()}
    right = sum(
        1
        for source, (months, expires) in TERMS.items()
        if (a := agreements.get(documents[source]))
        and (a.duration_months, a.expires) == (months, expires)
    )
    print(f"| agreement terms (duration, expiry) | {right}/{len(TERMS)} exact | |")
    twin_scores(catalog, settings, documents)


def twin_scores(catalog: Catalog, settings: Settings, documents: dict[str, int]) -> None:
    """Twins found against the labels, beside a fixed-cosine baseline on the same similarities."""
    names = {i: n for n, i in documents.items()}
    gold = {(frozenset((a, b)), kind) for a, b, kind in TWINS if a in documents and b in documents}
    found = {
        (frozenset((names[r["first_id"]], names[r["second_id"]])), r["kind"])
        for r in catalog.query("SELECT first_id, second_id, kind FROM kb_twins")
    }
    chunks = [c for batch in catalog.iter_chunks() for c in batch]
    index = build.open_vectors(settings.index_dir, catalog)
    baseline: set[tuple[frozenset[str], str]] = set()
    if index is not None and len(index):
        ids = np.asarray([c.id for c in chunks])
        present = [int(i) for i in ids[index.contains(ids)]]
        vectors = index.vectors(present)
        owner = {c.id: c.document_id for c in chunks}
        indexed = sorted({owner[i] for i in present})
        position = {d: i for i, d in enumerate(indexed)}
        similarity = twins.content_similarity(
            vectors, [position[owner[i]] for i in present], indexed
        )
        for i, a in enumerate(indexed):
            for j in range(i + 1, len(indexed)):
                if similarity[i, j] >= BASELINE_COSINE:
                    pair = frozenset((names[a], names[indexed[j]]))
                    baseline.add((pair, "twin"))  # the baseline cannot tell kinds
    pairs = {p for p, _ in gold}
    print(f"\ntwins over {len(documents)} documents ({len(gold)} labelled pairs)\n")
    print("| twins | precision | recall | kind right |\n|---|---|---|---|")
    for name, predicted in (
        (f"baseline: content cosine >= {BASELINE_COSINE}", baseline),
        ("kb twins (rank in language + number/figures cues)", found),
    ):
        hit = {p for p, _ in predicted} & pairs
        precision = len(hit) / len(predicted) if predicted else 1.0
        recall = len(hit) / len(pairs) if pairs else 1.0
        kind_right = len(predicted & gold)
        print(
            f"| {name} | {precision:.2f} ({len(hit)}/{len(predicted)}) | "
            f"{recall:.2f} ({len(hit)}/{len(pairs)}) | {kind_right}/{len(pairs)} |"
        )
    for pair, kind in sorted(found - gold, key=str):
        print(f"  extra twin: {sorted(pair)} ({kind})")


if __name__ == "__main__":
    main()
