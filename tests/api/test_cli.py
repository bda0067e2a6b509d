"""A librarian at the terminal: ingest a folder, list, show, search, delete, restore accents."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from catalog import Catalog
from hoptac.settings import Settings

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    for name in ("kh-137-ubnd-2025-ocr.txt", "news-hanoi-kh137-2025-05-17.txt"):
        shutil.copy(CORPUS / name, folder / name)
    (folder / "nested").mkdir()
    (folder / "nested" / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    return folder


@pytest.fixture(scope="module")
def runner(model_dir: Path) -> CliRunner:
    return CliRunner(env={"HOPTAC_MODEL": str(model_dir), "HOPTAC_DATA_DIR": None})


def test_ingest_list_show_search_delete(runner: CliRunner, inbox: Path, tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    result = runner.invoke(main, ["--data-dir", data, "ingest", str(inbox)])
    assert result.exit_code == 1, "a failed file makes the exit status non-zero"
    assert "broken.pdf" in result.output and "failed" in result.output
    assert "2 ingested" in result.output
    assert "Embedding passages" in result.output, "the progress bar covers the embedding phase"
    assert re.search(r"Search index: \d+ passages added, 0 removed, \d+ in all", result.output)

    listing = runner.invoke(main, ["documents", "--data-dir", data, "--json"])
    assert listing.exit_code == 0
    docs = [json.loads(line) for line in listing.output.splitlines() if line.startswith("{")]
    plan = next(d for d in docs if d["number"] == "137/KH-UBND")
    assert (plan["doc_type"], plan["issuer"], plan["issue_date"]) == (
        "Kế hoạch",
        "UBND thành phố Hà Nội",
        "2025-05-15",
    )

    assert plan["place"] == "Hà Nội" and plan["references"][:2] == ["5369/QĐ-UBND", "43/KH-UBND"]
    table = runner.invoke(main, ["documents", "--data-dir", data])
    assert "place" in table.output and "Hà Nội" in table.output

    shown = runner.invoke(main, ["--data-dir", data, "show", str(plan["id"])])
    assert shown.exit_code == 0 and "Chunks" in shown.output
    assert "why this source" in shown.output and "5369/QĐ-UBND, 43/KH-UBND" in shown.output

    found = runner.invoke(main, ["--data-dir", data, "search", "gene editing CRISPR", "--json"])
    assert found.exit_code == 0, found.output
    body = json.loads(found.output)
    assert body["results"][0]["document_id"] == plan["id"]
    assert {"document_id", "chunk_id", "page", "snippet", "score"} <= body["results"][0].keys()

    again = runner.invoke(
        main, ["--data-dir", data, "ingest", str(inbox / "kh-137-ubnd-2025-ocr.txt")]
    )
    assert again.exit_code == 0 and "1 unchanged" in again.output

    deleted = runner.invoke(main, ["--data-dir", data, "delete", str(plan["id"])])
    assert deleted.exit_code == 0
    gone = runner.invoke(main, ["--data-dir", data, "show", str(plan["id"])])
    assert gone.exit_code == 1 and "does not exist" in gone.output


def test_the_data_dir_comes_from_the_environment(
    model_dir: Path, inbox: Path, tmp_path: Path
) -> None:
    runner = CliRunner(
        env={"HOPTAC_DATA_DIR": str(tmp_path / "env-data"), "HOPTAC_MODEL": str(model_dir)}
    )
    result = runner.invoke(
        main, ["ingest", "--no-index", str(inbox / "news-hanoi-kh137-2025-05-17.txt")]
    )
    assert result.exit_code == 0, result.output
    catalog = Catalog(Settings(data_dir=tmp_path / "env-data").catalog_location)
    assert catalog.counts()[0] == 1


def test_restore_diacritics_reads_stdin_and_writes_stdout() -> None:
    result = CliRunner().invoke(
        main, ["restore-diacritics"], input="Hop tac quoc te ve chuyen giao cong nghe\n"
    )
    assert result.exit_code == 0
    assert result.output == "Hợp tác quốc tế về chuyển giao công nghệ\n"


def test_restore_diacritics_reads_three_lines_of_someone_elses_ocr() -> None:
    """A librarian pastes three lines of another office's OCR: holes where glyphs were missing,
    the national motto garbled, digits and capitals for marked vowels."""
    garbled = (
        "B  O HI  M XÃ H  I VI  T NAM\n"
        "CQNG HOA xX HQI CHiTNGHiA VI:¢TNAM\n"
        "djnh dang dfr li~u dAu ra cua S6 Y t6 vQ viQc ph6i hqp\n"
    )
    result = CliRunner().invoke(main, ["restore-diacritics"], input=garbled)
    assert result.exit_code == 0
    assert result.output == (
        "BẢO HIỂM XÃ HỘI VIỆT NAM\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "định dạng dữ liệu đầu ra của Sở Y tế về việc phối hợp\n"
    )


@pytest.mark.parametrize(
    ("line", "restored"),
    [
        ("djnh dang dfr li~u dAu ra", "định dạng dữ liệu đầu ra"),
        ("B  O HI  M XÃ H  I VI  T NAM", "BẢO HIỂM XÃ HỘI VIỆT NAM"),
        ("CQNG HOA xX HQI CHiTNGHiA VI:¢TNAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("bai bd, huy bé hoac dinh chi thi hanh.", "bãi bỏ, hủy bỏ hoặc đình chỉ thi hành."),
        (
            "Can ctr Nghj dinh 131/2021/ND-CP ngay 30 thang 12 ném 2021 cia Chinh phi:",
            "Căn cứ Nghị định 131/2021/NĐ-CP ngày 30 tháng 12 năm 2021 của Chính phủ:",
        ),
    ],
)
def test_restore_diacritics_reads_one_pasted_line_of_someone_elses_ocr(
    line: str, restored: str
) -> None:
    """One line pasted alone carries little evidence that it is OCR: a j, a tilde or a capital
    for a marked vowel, holes, a few marks left among many lost, words one glyph from a syllable."""
    result = CliRunner().invoke(main, ["restore-diacritics"], input=line + "\n")
    assert result.exit_code == 0
    assert result.output == restored + "\n"


def test_restore_diacritics_reads_the_issues_run_together_line() -> None:
    """Spaces lost, a capital and a tilde for marked vowels: "vav~ttu" is và vật tư."""
    line = "Chitieu chitiStdichvuky thuat vav~ttu y ts\n"
    result = CliRunner().invoke(main, ["restore-diacritics"], input=line)
    assert result.output == "Chỉ tiêu chi tiết dịch vụ kỹ thuật và vật tư y tế\n"


def test_every_command_has_an_example_in_its_help() -> None:
    for name, command in main.commands.items():
        assert "Example" in (command.help or ""), name
