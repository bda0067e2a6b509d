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

from catalog import Catalog
from hoptac.settings import Settings
from kb import KnowledgeBase, rebuild
from models import load_embedder

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
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir)
    catalog = Catalog(settings.catalog_path)
    embedder = None if args.keywords_only else load_embedder(settings)
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


if __name__ == "__main__":
    main()
