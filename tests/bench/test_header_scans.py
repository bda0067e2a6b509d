"""A header typeset from a document's gold and scanned reads back, through OCR, as that gold: the
check ``bench.header_scans`` runs on many documents, on one."""

from __future__ import annotations

import json
from pathlib import Path

from bench.header_scans import letter_title, main
from hoptac.settings import Settings
from ingest.metadata import extract_metadata, readable_head
from ingest.readers import read

GOLD = {
    "file": "sở-y-tế.txt",
    "number": "4410/KH-SYT",
    "doc_type": "Kế hoạch",
    "issuer": "Sở Y tế tỉnh Quảng Ninh",
    "place": "Quảng Ninh",
    "issue_date": "2024-10-02",
    "title": "Hợp tác đào tạo ghép gan với Bệnh viện Đại học Kyoto",
}


def test_a_scanned_header_typeset_from_its_gold_reads_back_as_the_gold(tmp_path: Path) -> None:
    (tmp_path / "gold_metadata.jsonl").write_text(json.dumps(GOLD, ensure_ascii=False) + "\n")
    out = tmp_path / "scans"
    assert main(["--dev", str(tmp_path), "--out", str(out)]) == 0
    [gold] = [json.loads(line) for line in (out / "gold_metadata.jsonl").read_text().splitlines()]
    document = read(out / "files" / gold["file"], Settings(data_dir=tmp_path / "data"))
    meta = extract_metadata(readable_head(document.text))
    assert (meta.number, meta.doc_type, meta.issuer, meta.place, meta.issue_date) == (
        "4410/KH-SYT",
        "Kế hoạch",
        "Sở Y tế tỉnh Quảng Ninh",
        "Quảng Ninh",
        "2024-10-02",
    )


def test_a_letters_summary_is_set_after_one_v_v_whether_the_gold_gives_it_or_not() -> None:
    assert letter_title("góp ý dự thảo") == "V/v góp ý dự thảo"
    assert letter_title("V/v góp ý dự thảo") == "V/v góp ý dự thảo"
    assert letter_title("V/V: góp ý dự thảo") == "V/V: góp ý dự thảo"
