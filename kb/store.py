"""Reading the knowledge base for one reader, and recording librarians' corrections.

Why ``allowed`` on every read: partners, agreements and citations are facts about documents, and a
reader must never learn one that only a document above their clearance states. Every read takes the
ids of the documents the reader may see (None: all, for the machine's administrator at the CLI) and
counts, lists and links only what those documents say.

Why reads never update: the knowledge base is brought current by writers, after their commit
(``kb/build.py``), so a read answers from the last update, at most the time of one update behind
the catalog, and a search never waits for one. Corrections update what they change before they
return, so a librarian sees the result at once.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection
from datetime import UTC, date, datetime
from pathlib import Path

from catalog import Catalog
from catalog.db import Connection
from hoptac.errors import InvalidInput, NotFound
from hoptac.vietnamese import fold
from kb import agreements as agreement_text
from kb import build, schema
from kb.partners import partner_key
from kb.records import (
    AgreementOut,
    Area,
    AreaOfDocument,
    CitationOut,
    CitedBy,
    DocumentRelations,
    Funding,
    MentionOut,
    PartnerDetail,
    PartnerSummary,
    SearchFacets,
    TimelineEvent,
    TwinOut,
    UpdateReport,
)
from models import Embedder
from search.store import Vectors

logger = logging.getLogger("hoptac")

STATUSES = ("active", "expiring", "expired", "unknown")


class KnowledgeBase:
    """The knowledge base over one catalog, as last updated.

    ``vectors`` returns the search index's vectors as the caller's engine holds them (the server,
    the worker); without it they are read from ``index_dir`` when an update needs them.
    """

    def __init__(
        self,
        catalog: Catalog,
        index_dir: Path | None = None,
        embedder: Embedder | None = None,
        vectors: Callable[[], Vectors | None] | None = None,
    ) -> None:
        self.catalog = catalog
        self.index_dir = index_dir
        self.embedder = embedder
        self._vectors = vectors
        schema.install(catalog)

    def update(self) -> UpdateReport:
        """Bring the knowledge base up to the catalog: what writers call after they commit."""
        return build.update(self.catalog, self._index(), self.embedder)

    def _index(self) -> Vectors | None:
        return (
            self._vectors()
            if self._vectors is not None
            else build.open_vectors(self.index_dir, self.catalog)
        )

    # -- areas ------------------------------------------------------------------------------

    def areas(self, allowed: Collection[int] | None = None) -> list[Area]:
        counts: dict[str, int] = defaultdict(int)
        for keys in self._document_areas(allowed).values():
            for key in keys:
                counts[key] += 1
        return [
            Area(
                key=r["key"],
                name_vi=r["name_vi"],
                name_en=r["name_en"],
                phrases=json.loads(r["phrases"]),
                keywords=json.loads(r["keywords"]),
                documents=counts.get(r["key"], 0),
            )
            for r in self.catalog.query("SELECT * FROM kb_areas ORDER BY position")
        ]

    def document_areas(self, document_id: int) -> list[AreaOfDocument]:
        """Areas of one document: derived from its passages, then the librarians' additions and
        removals applied."""
        names = {r["key"]: r for r in self.catalog.query("SELECT * FROM kb_areas")}
        derived = {
            r["area"]: (float(r["score"]), int(r["passages"]))
            for r in self.catalog.query(
                "SELECT area, max(score) AS score, count(*) AS passages FROM kb_chunk_areas "
                "WHERE document_id = ? GROUP BY area",
                (document_id,),
            )
        }
        fixes = self._area_corrections([document_id]).get(document_id, {})
        result = []
        for key, row in names.items():
            action = fixes.get(key)
            if action == "remove" or (key not in derived and action != "add"):
                continue
            score, passages = derived.get(key, (0.0, 0))
            source = "derived" if key in derived else "librarian"
            result.append(
                AreaOfDocument(
                    key=key,
                    name_vi=row["name_vi"],
                    name_en=row["name_en"],
                    score=score,
                    passages=passages,
                    source=source,
                )
            )
        return sorted(result, key=lambda a: (-a.passages, a.key))

    def rename_area(self, key: str, name_vi: str | None, name_en: str | None) -> Area:
        self._area_row(key)
        with self.catalog.transaction(documents_changed=False) as conn:
            if name_vi and name_vi.strip():
                conn.execute(
                    "UPDATE kb_areas SET name_vi = ? WHERE key = ?", (name_vi.strip(), key)
                )
            if name_en and name_en.strip():
                conn.execute(
                    "UPDATE kb_areas SET name_en = ? WHERE key = ?", (name_en.strip(), key)
                )
        return next(a for a in self.areas() if a.key == key)

    def add_area(
        self,
        key: str,
        name_vi: str,
        name_en: str,
        phrases: list[str],
        keywords: list[str],
        retag: bool = True,
    ) -> Area:
        """A librarian's own area. Every passage is tagged again, since a new area can change
        which area stands out for any of them: now, or with ``retag=False`` when the caller runs
        ``retag`` later (a web request, which must not wait minutes in a large archive)."""
        if not re.fullmatch(r"[a-z0-9_]{2,40}", key):
            raise InvalidInput(f"area key {key!r}: use 2-40 lower-case letters, digits or _")
        if self.catalog.query("SELECT 1 FROM kb_areas WHERE key = ?", (key,)):
            raise InvalidInput(f"the area {key!r} exists already; rename it instead")
        with self.catalog.transaction(documents_changed=False) as conn:
            position = conn.execute(
                "SELECT coalesce(max(position), 0) + 1 FROM kb_areas"
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO kb_areas VALUES (?, ?, ?, ?, ?, ?)",
                (
                    key,
                    name_vi,
                    name_en,
                    json.dumps(phrases, ensure_ascii=False),
                    json.dumps([fold(k) for k in keywords]),
                    position,
                ),
            )
        if retag:
            self._rebuild()
        return next(a for a in self.areas() if a.key == key)

    def retag(self) -> None:
        """Tag every passage again after an area was added; a failure is logged, and the next
        ``hoptac kb rebuild`` heals it."""
        try:
            self._rebuild()
        except build.UPDATE_FAILURES as error:
            logger.warning("documents not tagged again after a new area: %s", error)

    def tag_document(self, document_id: int, area: str, present: bool) -> list[AreaOfDocument]:
        """Add (``present``) or remove an area on a document; kept across rebuilds and re-ingest."""
        self._area_row(area)
        self.catalog.get_document(document_id)
        with self.catalog.transaction(documents_changed=False) as conn:
            conn.execute(
                "INSERT INTO kb_area_corrections VALUES (?, ?, ?, ?) ON CONFLICT(document_id, area) "
                "DO UPDATE SET action = excluded.action, corrected_at = excluded.corrected_at",
                (document_id, area, "add" if present else "remove", _now()),
            )
        return self.document_areas(document_id)

    # -- partners ---------------------------------------------------------------------------

    def partners(
        self,
        allowed: Collection[int] | None = None,
        area: str | None = None,
        country: str | None = None,
        q: str | None = None,
    ) -> list[PartnerSummary]:
        """Partners named in the documents ``allowed``, by number of documents."""
        summaries = list(self._summaries(allowed).values())
        if area:
            summaries = [p for p in summaries if area in p.areas]
        if country:
            summaries = [p for p in summaries if p.country and fold(p.country) == fold(country)]
        if q:
            needle = fold(q)
            summaries = [
                p for p in summaries if any(needle in fold(n) for n in [p.name, *p.aliases])
            ]
        return sorted(summaries, key=lambda p: (-p.documents, p.name))

    def partner(self, partner_id: int, allowed: Collection[int] | None = None) -> PartnerDetail:
        summary = self._summaries(allowed).get_by_id(partner_id)
        rows = self.catalog.query(
            "SELECT m.document_id, m.chunk_id, m.surface, c.text, c.page_start, d.title "
            "FROM kb_mentions m JOIN chunks c ON c.id = m.chunk_id JOIN documents d ON d.id = m.document_id "
            "WHERE m.partner_id = ? ORDER BY m.document_id, c.ordinal",
            (partner_id,),
        )
        mentions = [
            MentionOut(
                document_id=r["document_id"],
                document_title=r["title"],
                chunk_id=r["chunk_id"],
                page=r["page_start"],
                surface=r["surface"],
                passage=_around(r["text"], r["surface"]),
            )
            for r in rows
            if _allows(allowed, r["document_id"])
        ]
        agreements = [
            a for a in self.agreements(allowed) if any(p.id == partner_id for p in a.parties)
        ]
        documents = self.catalog.documents_by_ids(sorted({m.document_id for m in mentions}))
        timeline = [
            TimelineEvent(
                date=d.issue_date, kind="document", document_id=d.id, title=d.title, number=d.number
            )
            for d in documents.values()
            if d.issue_date
        ]
        for a in agreements:
            for kind, when in (
                ("signed", a.signed),
                ("effective", a.effective),
                ("expires", a.expires),
            ):
                if when and not (
                    kind == "signed"
                    and any(e.document_id == a.document_id and e.date == when for e in timeline)
                ):
                    timeline.append(
                        TimelineEvent(
                            date=when,
                            kind=kind,
                            document_id=a.document_id,
                            title=a.title,
                            number=a.number,
                        )
                    )
        timeline.sort(key=lambda e: (e.date, e.document_id, e.kind))
        return PartnerDetail(
            **summary.model_dump(), mentions=mentions, agreements=agreements, timeline=timeline
        )

    def correct_partner(
        self,
        partner_id: int,
        name: str | None = None,
        country: str | None = None,
        confirmed: bool | None = None,
    ) -> PartnerSummary:
        """Rename, set the country or confirm a partner; kept across rebuilds and re-ingest."""
        key = self._partner_key(partner_id)
        changes: dict[str, str | None] = {}
        if name is not None:
            if not name.strip():
                raise InvalidInput("a partner's name cannot be empty")
            changes["name"] = name.strip()
        if country is not None:
            changes["country"] = country.strip() or None
        if confirmed is not None:
            changes["confirmed"] = "1" if confirmed else None
        self._record(key, changes)
        return self._summaries(None).get_by_id(partner_id)

    def merge_partners(self, partner_id: int, into_id: int) -> PartnerSummary:
        """Make ``partner_id`` an alias of ``into_id`` (a translation, an acronym)."""
        if partner_id == into_id:
            raise InvalidInput("a partner cannot be merged into itself")
        key, into = self._partner_key(partner_id), self._partner_key(into_id)
        self._record(key, {"merge_into": into})
        return self._summaries(None).get_by_id(into_id)

    def split_partner(self, partner_id: int, surface: str) -> PartnerSummary:
        """Move the mentions written as ``surface`` out of a partner (two organisations wrongly
        taken as one); returns the partner they now belong to. Mentions that came from a merge
        go back to their own partner (the merge is undone); others get a partner of their own."""
        key = self._partner_key(partner_id)
        origins = {
            r["key"]
            for r in self.catalog.query(
                "SELECT DISTINCT key FROM kb_mentions WHERE partner_id = ? AND surface = ?",
                (partner_id, surface),
            )
        }
        if not origins:
            surfaces = {
                r["surface"]
                for r in self.catalog.query(
                    "SELECT DISTINCT surface FROM kb_mentions WHERE partner_id = ?", (partner_id,)
                )
            }
            raise InvalidInput(
                f"partner {partner_id} is never written {surface!r}; its names: {', '.join(sorted(surfaces))}"
            )
        new_key = partner_key(surface)
        with self.catalog.transaction(documents_changed=False) as conn:
            moved = {key}
            for origin in sorted(origins):
                if origin != key:  # merged in: undo the merge
                    conn.execute(
                        "DELETE FROM kb_partner_corrections WHERE key = ? AND field = 'merge_into'",
                        (origin,),
                    )
                    new_key = origin
                else:
                    conn.execute(
                        "INSERT INTO kb_partner_splits VALUES (?, ?, ?) ON CONFLICT(key, surface) "
                        "DO UPDATE SET new_key = excluded.new_key",
                        (key, surface, new_key),
                    )
                    conn.execute(
                        "UPDATE kb_mentions SET key = ?, name = ? WHERE key = ? AND surface = ?",
                        (new_key, surface, key, surface),
                    )
                moved |= {origin, new_key}
            build.refresh_partners(conn, moved | _merged_keys(conn))
        new_id = self.catalog.query("SELECT id FROM kb_partner_ids WHERE key = ?", (new_key,))[0][
            "id"
        ]
        return self._summaries(None).get_by_id(int(new_id))

    # -- agreements -------------------------------------------------------------------------

    def agreements(
        self,
        allowed: Collection[int] | None = None,
        status: str | None = None,
        months: int = 12,
        partner_id: int | None = None,
        country: str | None = None,
        area: str | None = None,
        today: date | None = None,
    ) -> list[AgreementOut]:
        """Agreements, MoUs and approved projects, soonest expiry first; ``status`` "expiring"
        keeps those ending within ``months``."""
        if status is not None and status not in STATUSES:
            raise InvalidInput(f"unknown status {status!r}; choose one of {', '.join(STATUSES)}")
        today = today or date.today()
        summaries = self._summaries(allowed)
        parties = self._parties(allowed)
        doc_areas = self._document_areas(allowed)
        result = []
        for r in self.catalog.query(
            "SELECT a.*, d.title, d.number, d.doc_type FROM kb_agreements a "
            "JOIN documents d ON d.id = a.document_id ORDER BY coalesce(a.expires, '9999'), a.document_id"
        ):
            if not _allows(allowed, r["document_id"]):
                continue
            party_list = [summaries.get_by_id(i) for i in parties.get(r["document_id"], [])]
            funding: list[Funding] = []
            named: set[int] = set()
            for f in json.loads(r["funding"]):
                funders = [
                    p for p in party_list if p.side == "foreign" and _names_in(p, f["sentence"])
                ]
                if f["amount"] is None and (not funders or {p.id for p in funders} <= named):
                    continue  # the same funder again, or a sentence about funds naming no one
                named |= {p.id for p in funders}
                funding.append(
                    Funding(
                        amount=f["amount"],
                        currency=f["currency"],
                        funder_ids=[p.id for p in funders],
                        funders=[p.name for p in funders],
                        sentence=f["sentence"],
                    )
                )
            row_status = agreement_text.status(r["expires"], today, months)
            item = AgreementOut(
                document_id=r["document_id"],
                title=r["title"],
                number=r["number"],
                doc_type=r["doc_type"],
                parties=sorted(party_list, key=lambda p: (p.side != "foreign", p.name)),
                signed=r["signed"],
                effective=r["effective"],
                duration_months=r["duration_months"],
                duration_text=r["duration_text"],
                expires=r["expires"],
                status=row_status,
                funding=funding,
                areas=sorted(doc_areas.get(r["document_id"], set())),
            )
            if status and item.status != status:
                continue
            if partner_id is not None and not any(p.id == partner_id for p in item.parties):
                continue
            if country and not any(
                p.country and fold(p.country) == fold(country) for p in item.parties
            ):
                continue
            if area and area not in item.areas:
                continue
            result.append(item)
        return result

    def correct_agreement(self, document_id: int, signed: str | None) -> AgreementOut:
        """Enter (or clear, with None) the signing date the text does not give ("5 năm kể từ ngày
        ký"); effective date and expiry follow from it. Kept across rebuilds and re-ingest."""
        if not self.catalog.query(
            "SELECT 1 FROM kb_agreements WHERE document_id = ?", (document_id,)
        ):
            raise NotFound(f"document {document_id} is not an agreement the knowledge base knows")
        if signed is not None:
            try:
                signed = date.fromisoformat(signed).isoformat()
            except ValueError as error:
                raise InvalidInput(f"signing date {signed!r}: use YYYY-MM-DD") from error
        with self.catalog.transaction(documents_changed=False) as conn:
            conn.execute(
                "INSERT INTO kb_agreement_corrections VALUES (?, ?, ?) ON CONFLICT(document_id) "
                "DO UPDATE SET signed = excluded.signed, corrected_at = excluded.corrected_at",
                (document_id, signed, _now()),
            )
        build.rederive(self.catalog, [document_id], self._index(), self.embedder)
        return next(a for a in self.agreements() if a.document_id == document_id)

    def documents_matching(
        self,
        allowed: Collection[int] | None = None,
        partner_id: int | None = None,
        country: str | None = None,
        area: str | None = None,
    ) -> set[int]:
        """Documents naming this partner, a partner from this country, or carrying this area (all
        that are given), among those ``allowed``: what search filters by partner, country and area.
        Indexed lookups: the cost follows the documents that match, not the knowledge base."""
        found: list[set[int]] = []
        if partner_id is not None:
            found.append(self._documents_naming([partner_id]))
        if country:
            folded = fold(country)
            found.append(
                self._documents_naming(
                    [
                        int(r["id"])
                        for r in self.catalog.query(
                            "SELECT id, country FROM kb_partners WHERE country IS NOT NULL"
                        )
                        if fold(r["country"]) == folded
                    ]
                )
            )
        if area:
            tagged = {
                int(r[0])
                for r in self.catalog.query(
                    "SELECT DISTINCT document_id FROM kb_chunk_areas WHERE area = ?", (area,)
                )
            }
            for r in self.catalog.query(
                "SELECT document_id, action FROM kb_area_corrections WHERE area = ?", (area,)
            ):
                (tagged.add if r["action"] == "add" else tagged.discard)(int(r["document_id"]))
            found.append(tagged)
        if not found:
            named = {
                int(r[0])
                for r in self.catalog.query("SELECT DISTINCT document_id FROM kb_mentions")
            }
            found.append(named | set(self._document_areas(allowed)))
        ids = set.intersection(*found)
        return {d for d in ids if _allows(allowed, d)}

    def _documents_naming(self, partner_ids: list[int]) -> set[int]:
        return {
            int(r[0])
            for r in build.rows_in(
                self.catalog,
                "SELECT DISTINCT document_id FROM kb_mentions WHERE partner_id IN",
                partner_ids,
            )
        }

    def facets(self, document_ids: Collection[int]) -> SearchFacets:
        """Documents per partner, partner country and area among these (search hits the reader
        may see): the knowledge base's share of the search page's facets. Looked up by document
        id, so it costs what the hits name, not the knowledge base."""
        wanted = sorted(set(document_ids))
        partner: Counter[str] = Counter()
        country: Counter[str] = Counter()
        names: dict[str, str] = {}
        seen_country: set[tuple[int, str]] = set()
        for r in build.rows_in(
            self.catalog,
            "SELECT DISTINCT m.document_id, p.id, p.name, p.country FROM kb_mentions m "
            "JOIN kb_partners p ON p.id = m.partner_id WHERE m.document_id IN",
            wanted,
        ):
            partner[str(r["id"])] += 1
            names[str(r["id"])] = r["name"]
            if r["country"] and (r["document_id"], r["country"]) not in seen_country:
                seen_country.add((r["document_id"], r["country"]))
                country[r["country"]] += 1
        area: Counter[str] = Counter(
            key
            for document_id, keys in self._document_areas(None, among=wanted).items()
            for key in keys
        )
        return SearchFacets(
            counts={
                "partner": dict(partner.most_common()),
                "country": dict(country.most_common()),
                "area": dict(area.most_common()),
            },
            partner_names=names,
        )

    # -- relations ----------------------------------------------------------------------------

    def relations(
        self, document_id: int, allowed: Collection[int] | None = None
    ) -> DocumentRelations:
        """What a document cites (linked where the archive holds it), what cites it, its partners
        and areas. A cited document the reader may not see is shown as not in the archive."""
        if not _allows(allowed, document_id):
            raise NotFound(f"document {document_id} does not exist")
        cites = []
        for r in self.catalog.query(
            "SELECT c.*, d.title FROM kb_citations c LEFT JOIN documents d ON d.id = c.target_document_id "
            "WHERE c.document_id = ? ORDER BY c.rowid",
            (document_id,),
        ):
            target = r["target_document_id"] if _allows(allowed, r["target_document_id"]) else None
            cites.append(
                CitationOut(
                    number=r["number"],
                    doc_type=r["doc_type"],
                    relation=r["relation"],
                    chunk_id=r["chunk_id"],
                    document_id=target,
                    title=r["title"] if target else None,
                )
            )
        cited_by = [
            CitedBy(
                document_id=r["document_id"],
                title=r["title"],
                number=r["number"],
                relation=r["relation"],
            )
            for r in self.catalog.query(
                "SELECT c.document_id, c.relation, d.title, d.number FROM kb_citations c "
                "JOIN documents d ON d.id = c.document_id WHERE c.target_document_id = ? ORDER BY c.document_id",
                (document_id,),
            )
            if _allows(allowed, r["document_id"])
        ]
        summaries = self._summaries(allowed)
        partner_ids = self._parties(allowed).get(document_id, [])
        return DocumentRelations(
            document_id=document_id,
            cites=cites,
            missing=[c.number for c in cites if c.document_id is None],
            cited_by=cited_by,
            partners=[summaries.get_by_id(i) for i in partner_ids],
            areas=self.document_areas(document_id),
            twins=self.twins(document_id, allowed),
        )

    def twins(self, document_id: int, allowed: Collection[int] | None = None) -> list[TwinOut]:
        """Versions, translations and reports of this document that the reader may see."""
        result = []
        for r in self.catalog.query(
            "SELECT t.*, d.id AS other, d.title, d.number, d.languages FROM kb_twins t "
            "JOIN documents d ON d.id = CASE WHEN t.first_id = ? THEN t.second_id ELSE t.first_id END "
            "WHERE ? IN (t.first_id, t.second_id) ORDER BY t.score DESC",
            (document_id, document_id),
        ):
            if not _allows(allowed, r["other"]):
                continue
            direction = "mutual"
            if r["kind"] == "about":
                direction = "reports_on" if r["first_id"] == document_id else "reported_by"
            result.append(
                TwinOut(
                    document_id=r["other"],
                    title=r["title"],
                    number=r["number"],
                    languages=json.loads(r["languages"] or "[]"),
                    kind=r["kind"],
                    direction=direction,
                    score=r["score"],
                    evidence=json.loads(r["evidence"]),
                )
            )
        return result

    # -- helpers ----------------------------------------------------------------------------

    def _summaries(self, allowed: Collection[int] | None) -> _Summaries:
        mentions = [
            r
            for r in self.catalog.query(
                "SELECT m.partner_id, m.document_id, m.surface, d.issue_date FROM kb_mentions m "
                "JOIN documents d ON d.id = m.document_id"
            )
            if _allows(allowed, r["document_id"])
        ]
        doc_areas = self._document_areas(allowed)
        by_partner: dict[int, list[object]] = defaultdict(list)
        for r in mentions:
            by_partner[r["partner_id"]].append(r)
        result = _Summaries()
        for p in self.catalog.query("SELECT * FROM kb_partners ORDER BY id"):
            rows = by_partner.get(p["id"])
            if not rows:
                continue  # named only in documents this reader may not see
            documents = {r["document_id"] for r in rows}  # type: ignore[index]
            dates = [r["issue_date"] for r in rows if r["issue_date"]]  # type: ignore[index]
            aliases = sorted({r["surface"] for r in rows} - {p["name"]})  # type: ignore[index]
            result[p["id"]] = PartnerSummary(
                id=p["id"],
                name=p["name"],
                country=p["country"],
                side=p["side"],
                confirmed=bool(p["confirmed"]),
                aliases=aliases,
                documents=len(documents),
                mention_count=len(rows),
                areas=sorted({a for d in documents for a in doc_areas.get(d, set())}),
                last_activity=max(dates, default=None),
            )
        return result

    def _parties(self, allowed: Collection[int] | None) -> dict[int, list[int]]:
        parties: dict[int, list[int]] = defaultdict(list)
        for r in self.catalog.query(
            "SELECT DISTINCT document_id, partner_id FROM kb_mentions ORDER BY document_id, partner_id"
        ):
            if _allows(allowed, r["document_id"]):
                parties[r["document_id"]].append(r["partner_id"])
        return parties

    def _document_areas(
        self, allowed: Collection[int] | None, among: Collection[int] | None = None
    ) -> dict[int, set[str]]:
        """Areas per document (derived, corrections applied); ``among``: only these documents,
        looked up by id."""
        result: dict[int, set[str]] = defaultdict(set)
        sql = "SELECT DISTINCT document_id, area FROM kb_chunk_areas"
        rows = (
            self.catalog.query(sql)
            if among is None
            else build.rows_in(self.catalog, f"{sql} WHERE document_id IN", among)
        )
        for r in rows:
            if _allows(allowed, r["document_id"]):
                result[r["document_id"]].add(r["area"])
        for document_id, fixes in self._area_corrections(among).items():
            if not _allows(allowed, document_id):
                continue
            for area, action in fixes.items():
                (result[document_id].add if action == "add" else result[document_id].discard)(area)
        return result

    def _area_corrections(self, among: Collection[int] | None = None) -> dict[int, dict[str, str]]:
        fixes: dict[int, dict[str, str]] = defaultdict(dict)
        sql = "SELECT document_id, area, action FROM kb_area_corrections"
        rows = (
            self.catalog.query(sql)
            if among is None
            else build.rows_in(self.catalog, f"{sql} WHERE document_id IN", among)
        )
        for r in rows:
            fixes[r["document_id"]][r["area"]] = r["action"]
        return fixes

    def _area_row(self, key: str) -> None:
        if not self.catalog.query("SELECT 1 FROM kb_areas WHERE key = ?", (key,)):
            known = ", ".join(
                r["key"] for r in self.catalog.query("SELECT key FROM kb_areas ORDER BY position")
            )
            raise NotFound(f"no technology area {key!r}; the areas are: {known}")

    def _partner_key(self, partner_id: int) -> str:
        rows = self.catalog.query("SELECT key FROM kb_partners WHERE id = ?", (partner_id,))
        if not rows:
            raise NotFound(f"partner {partner_id} does not exist")
        return str(rows[0]["key"])

    def _record(self, key: str, changes: dict[str, str | None]) -> None:
        """Record corrections of a partner and write what they change (its row; for a merge, the
        mentions that now belong elsewhere)."""
        with self.catalog.transaction(documents_changed=False) as conn:
            for field, value in changes.items():
                conn.execute(
                    "INSERT INTO kb_partner_corrections VALUES (?, ?, ?, ?) ON CONFLICT(key, field) "
                    "DO UPDATE SET value = excluded.value, corrected_at = excluded.corrected_at",
                    (key, field, value, _now()),
                )
            if "merge_into" in changes:
                build.refresh_partners(conn, {key} | _merged_keys(conn))
            else:
                partner_id = conn.execute(
                    "SELECT id FROM kb_partner_ids WHERE key = ?", (key,)
                ).fetchone()
                if partner_id is not None:
                    build.rewrite_partner(conn, int(partner_id[0]))

    def _rebuild(self) -> None:
        build.rebuild(self.catalog, self.index_dir, self.embedder, vectors=self._index())


class _Summaries(dict[int, PartnerSummary]):
    def get_by_id(self, partner_id: int) -> PartnerSummary:
        """The partner, or NotFound, the same for one that does not exist and one named only in
        documents the reader may not see."""
        if partner_id not in self:
            raise NotFound(f"partner {partner_id} does not exist")
        return self[partner_id]


def _merged_keys(conn: Connection) -> set[str]:
    """Keys a librarian merged into another (few: each is a correction)."""
    return {
        r[0]
        for r in conn.execute("SELECT key FROM kb_partner_corrections WHERE field = 'merge_into'")
    }


def _allows(allowed: Collection[int] | None, document_id: int | None) -> bool:
    return document_id is not None and (allowed is None or document_id in allowed)


def _names_in(partner: PartnerSummary, sentence: str) -> bool:
    folded = fold(sentence)
    return any(fold(name) in folded for name in [partner.name, *partner.aliases])


def _around(text: str, surface: str, width: int = 160) -> str:
    """The passage around the first place the partner is named (the whole passage if short)."""
    at = fold(text).find(fold(surface))
    if at < 0 or len(text) <= 2 * width:
        return text[: 2 * width]
    start = max(0, at - width // 2)
    return ("…" if start else "") + text[start : start + 2 * width] + "…"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
