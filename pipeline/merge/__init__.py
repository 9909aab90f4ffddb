"""Merge stage: one catalog record per listed paper, every field with its provenance.

DBLP is the source of bibliographic fields, Semantic Scholar of metrics and abstracts, the list
of the code link and categories. A value this run could not fetch keeps its previous value from
the last catalog, marked stale. A resolved paper's BibTeX key never changes; an unresolved
paper's key is provisional and, once the paper resolves, gives way to the proper key and
stays citable as an alias.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from pipeline.config import ABSTRACT_SOURCES
from pipeline.merge.abstracts import (
    LABELS,
    abstract_failure,
    choose_abstract,
    found_on_arxiv,
    wrong_arxiv_ids,
)
from pipeline.models import (
    NOT_IN_DBLP,
    AbstractFinding,
    Catalog,
    CatalogPaper,
    DblpRecord,
    DblpResolution,
    FetchStatus,
    ListedPaper,
    ResolvedPaper,
    S2Paper,
    S2Resolution,
    StaleMark,
    Status,
)
from pipeline.resolve.matching import (
    STOPWORDS,
    listed_as_preprint,
    title_similarity,
    venue_agrees,
)
from pipeline.text import (
    arxiv_id_of,
    ascii_fold,
    clean_text,
    normalize_title,
    split_subtitle,
    strip_homonym,
    surname,
    venue_key,
)
from pipeline.venues import Venue, VenueTable

# Fields each source owns; when that source failed this run they keep their previous value.
DBLP_FIELDS = (
    "dblp_key", "title", "authors", "year", "venue", "booktitle", "journal", "publisher",
    "pages", "volume", "number", "doi", "url", "dblp_url", "entry_type",
)  # fmt: skip
PROCEEDINGS_FIELDS = ("booktitle", "publisher")
S2_FIELDS = (
    "s2_paper_id", "citation_count", "influential_citation_count", "reference_count",
    "abstract", "abstract_source", "tldr", "open_access_pdf", "s2_url", "publication_date",
    "arxiv_id",
)  # fmt: skip


# A paper on its way: the resolution, its previous record, fields, provenance, stale, warnings.
_Draft = tuple[
    ResolvedPaper,
    CatalogPaper | None,
    dict[str, Any],
    dict[str, str],
    dict[str, StaleMark],
    list[str],
]


def merge(
    resolved: list[ResolvedPaper],
    previous: Catalog | None,
    today: str,
    venues: VenueTable | None = None,
    *,
    abstract_sources: tuple[str, ...] = ABSTRACT_SOURCES,
) -> list[CatalogPaper]:
    """Build the catalog records, keeping published keys and previous values where needed.

    `today` (YYYY-MM-DD) dates the first run a field could not be refreshed in. `venues`
    names the venues (short label, full name) and says which are journals;
    `abstract_sources` is the order in which an abstract's sources are preferred.
    """
    earlier = _PreviousIndex(previous)
    places = _Places(venues or VenueTable(), resolved)
    drafts: list[_Draft] = []
    for item in resolved:
        before = earlier.find(item)
        if before is not None and item.dblp.status is FetchStatus.NOT_ASKED:
            drafts.append((item, before, *_as_before(before)))  # outside --only: kept as it was
            continue
        fields, provenance, warnings = merge_fields(item, abstract_sources)
        places.type_s2_alone(item, fields, provenance, warnings)
        stale = expired_marks(item, provenance, before, today)
        if before is not None:
            lost = abstract_failure(item, abstract_sources, provenance.get("abstract"))
            more = [(("abstract", "abstract_source"), lost)] if lost else []
            for names, reason in [*_failures(item), *more]:
                _keep_previous(
                    names, before, fields, provenance, stale, StaleMark(since=today, reason=reason)
                )
            if item.s2.status is FetchStatus.FAILED and item.dblp.status is not FetchStatus.FAILED:
                names = _from_s2_alone(before) if item.dblp.record is None else ()
                reason = f"S2 failed ({item.s2.error or 'no answer'})"
                _keep_previous(
                    names, before, fields, provenance, stale, StaleMark(since=today, reason=reason)
                )
        fields["status"] = _status(fields)
        places.name_venue(item, fields, provenance)
        drafts.append((item, before, fields, provenance, stale, warnings))

    keys = assign_keys(
        [
            (item.paper.id, earlier_key(before, fields), fields)
            for item, before, fields, *_ in drafts
        ],
        reserved=earlier.keys_and_aliases,
    )
    now_used = set(keys.values())
    continued: set[str] = set()  # previous records already continued by a paper of this run
    papers = []
    for item, before, fields, provenance, stale, warnings in drafts:
        match = {"dblp": item.dblp.decision(), "s2": item.s2.decision()}
        if before is not None and item.dblp.status is FetchStatus.NOT_ASKED:
            match = before.match
        key = keys[item.paper.id]
        aliases: list[str] = []
        # A paper continues its previous record (and its aliases) when it kept that key, or
        # when nobody holds the key any more (a provisional key that gave way: still citable).
        # A second entry matched to the same record (a duplicate) continues nothing.
        if (
            before is not None
            and before.key not in continued
            and (key == before.key or before.key not in now_used)
        ):
            continued.add(before.key)
            aliases = [*before.key_aliases, before.key]
        papers.append(
            CatalogPaper(
                key=key,
                key_aliases=list(dict.fromkeys(a for a in aliases if a != key)),
                id=item.paper.id,
                listed=item.paper,
                match=match,
                provenance=dict(sorted(provenance.items())),
                stale=dict(sorted(stale.items())),
                warnings=warnings,
                **fields,
            )
        )
    return papers


_RECORD_ONLY = {"key", "key_aliases", "id", "listed", "match", "provenance", "stale", "warnings"}


def _as_before(
    before: CatalogPaper,
) -> tuple[dict[str, Any], dict[str, str], dict[str, StaleMark], list[str]]:
    """A previous record's fields, provenance, stale marks and warnings, unchanged."""
    fields = {
        name: getattr(before, name)
        for name in CatalogPaper.model_fields
        if name not in _RECORD_ONLY
    }
    return fields, dict(before.provenance), dict(before.stale), list(before.warnings)


def merge_fields(
    item: ResolvedPaper, abstract_sources: tuple[str, ...] = ABSTRACT_SOURCES
) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """The fields of one paper from its sources, where each came from, and the conflicts."""
    paper, record, s2 = item.paper, item.dblp.record, item.s2.record
    fields: dict[str, Any] = {"code_url": paper.code_url, "categories": list(paper.categories)}
    provenance: dict[str, str] = {"code_url": "list", "categories": "list"}
    warnings = list(item.warnings)

    wrong_arxiv = wrong_arxiv_ids(item)

    def put(name: str, value: Any, source: str) -> None:
        """First writer wins: callers go from the best-sourced value to the weakest. An arXiv
        id that arXiv showed to be another paper's is never written, whoever gave it."""
        if name == "arxiv_id" and value in wrong_arxiv:
            return
        if name == "open_access_pdf" and any(f"/pdf/{w}" in str(value) for w in wrong_arxiv):
            return  # arXiv's PDF of another paper
        if name not in fields and value is not None and value != [] and value != "":
            fields[name] = value
            provenance[name] = source

    put("doi", item.pinned_doi, "override")
    if record is not None:
        proceedings = item.dblp.proceedings
        put("dblp_key", record.key, "dblp")
        put("title", published_title(record.title, [paper.title, s2.title if s2 else None]), "dblp")
        put("authors", [strip_homonym(a) for a in record.authors], "dblp")
        put("year", record.year, "dblp")
        put("venue", record.venue, "dblp")
        put("pages", record.pages, "dblp")
        put("volume", record.volume, "dblp")
        put("number", record.number, "dblp")
        put("doi", record.doi, "dblp")
        put("url", record.ee[0] if record.ee else None, "dblp")
        put("dblp_url", record.url or f"https://dblp.org/rec/{record.key}", "dblp")
        put("entry_type", _entry_type(record), "dblp")
        if record.type == "Journal Articles":
            put("journal", record.venue, "dblp")
        elif proceedings is not None:
            put("booktitle", _strip_period(clean_text(proceedings.title)), "dblp proceedings")
        else:
            put("booktitle", record.venue, "dblp")
        put("publisher", proceedings.publisher if proceedings else record.publisher, "dblp")
        warnings += _list_conflicts(item, record)
    if s2 is not None:
        put("s2_paper_id", s2.paperId, "s2")
        put("citation_count", s2.citationCount, "s2")
        put("influential_citation_count", s2.influentialCitationCount, "s2")
        put("reference_count", s2.referenceCount, "s2")
        put("tldr", clean_text(s2.tldr.text) if s2.tldr and s2.tldr.text else None, "s2")
        put("open_access_pdf", s2.openAccessPdf.url if s2.openAccessPdf else None, "s2")
        put("s2_url", s2.url, "s2")
        put("publication_date", s2.publicationDate, "s2")
        put("arxiv_id", s2.external_id("ArXiv"), "s2")
        if record is None:  # S2 alone: its verified match gives the bibliographic basics
            put("title", clean_text(s2.title or "") or None, "s2")
            put("authors", [a.name for a in s2.authors or [] if a.name], "s2")
            put("year", s2.year, "s2")
            put("doi", s2.external_id("DOI"), "s2")
            put("url", s2.url, "s2")
        warnings += _source_conflicts(record, s2)
    chosen = choose_abstract(item, abstract_sources)  # S2, arXiv, Crossref: the first that has one
    if chosen is not None:
        put("abstract", chosen.text, chosen.source)
        put("abstract_source", LABELS[chosen.source], chosen.source)
    arxiv = found_on_arxiv(item)  # arXiv's id and PDF when S2 lacks them; never DBLP's fields
    if arxiv is not None:
        put("arxiv_id", arxiv.arxiv_id, "arxiv")
        put("open_access_pdf", arxiv.pdf_url, "arxiv")
    if record is not None:
        put("arxiv_id", arxiv_id_of(record.ee, None, record), "dblp")
        if item.dblp.preprint is not None:  # the CoRR version DBLP has beside it
            put("arxiv_id", arxiv_id_of(item.dblp.preprint.ee, None, item.dblp.preprint), "dblp")
    put("arxiv_id", arxiv_id_of([], paper.paper_url, None), "list")
    put("title", paper.title, "list")
    put("authors", list(paper.authors), "list")
    put("year", paper.year, "list")
    put("venue", paper.venue, "list")
    put("url", paper.paper_url, "list")
    no_authors = fields.get("entry_type") == "inproceedings" and not fields.get("authors")
    if "entry_type" not in fields or no_authors:  # BibTeX styles require authors there
        fields["entry_type"] = "misc"
        provenance["entry_type"] = "list" if record is None else "dblp"
    return fields, provenance, warnings


def published_title(dblp_title: str, others: Iterable[str | None]) -> str:
    """DBLP's title cleaned: entities decoded, trailing period gone, ' - ' back to ':' when the
    paper writes a colon there (old DBLP records replaced it)."""
    title = _strip_period(clean_text(dblp_title))
    if " - " not in title:
        return title
    parts = split_subtitle(title)
    for other in others:
        if not other or ":" not in other:
            continue
        other_parts = split_subtitle(other.replace(" - ", " \u2013 "))
        if parts and other_parts and normalize_title(parts[0]) == normalize_title(other_parts[0]):
            return title.replace(" - ", ": ", 1)
    return title


def _strip_period(title: str) -> str:
    return title[:-1].rstrip() if title.endswith(".") and not title.endswith("..") else title


def _entry_type(record: DblpRecord) -> str:
    if record.is_preprint:
        return "misc"
    if record.type == "Journal Articles":
        return "article"
    return "inproceedings"


def _status(fields: dict[str, Any]) -> Status:
    in_dblp, in_s2 = bool(fields.get("dblp_key")), bool(fields.get("s2_paper_id"))
    if in_dblp and in_s2:
        return Status.RESOLVED
    return Status.PARTIAL if in_dblp or in_s2 else Status.UNRESOLVED


def _list_conflicts(item: ResolvedPaper, record: DblpRecord) -> list[str]:
    paper = item.paper
    warnings = []
    if paper.year is not None and record.year is not None and paper.year != record.year:
        warnings.append(f"the list says {paper.year}, DBLP {record.year}")
    searched = item.dblp.method is not None and item.dblp.method.value == "search"
    if record.is_preprint and listed_as_preprint(paper):
        searched = False  # 'arXiv' in the list, CoRR in DBLP: the same thing
    if searched and paper.venue:
        stream = record.key.rsplit("/", 1)[0]
        if venue_key(paper.venue) not in venue_key(stream + (record.venue or "")):
            warnings.append(f"the list says {paper.venue}, DBLP has {record.venue or stream}")
    return warnings


def _source_conflicts(record: DblpRecord | None, s2: S2Paper) -> list[str]:
    warnings: list[str] = []
    if record is None:
        return warnings
    if record.year is not None and s2.year is not None and abs(record.year - s2.year) > 1:
        warnings.append(f"years differ: DBLP {record.year}, S2 {s2.year}")
    if s2.title and title_similarity(record.title, s2.title)[0] < 85:
        warnings.append(f"titles far apart: DBLP '{record.title}', S2 '{s2.title}'")
    return warnings


_ORIGINS = {"dblp": "DBLP", "dblp proceedings": "DBLP", "s2": "Semantic Scholar"}


def expired_marks(
    item: ResolvedPaper, provenance: dict[str, str], before: CatalogPaper | None, today: str
) -> dict[str, StaleMark]:
    """Fields whose value came from an expired answer, served because the source could not be
    asked again (stale-if-error): published, but marked with the date the answer was fetched.
    A field that was already marked so keeps its first 'since'."""
    ages: dict[str, DblpResolution | S2Resolution | AbstractFinding]
    ages = {"dblp": item.dblp, "dblp proceedings": item.dblp, "s2": item.s2}
    ages |= {f.source: f for f in item.abstracts if f.status is FetchStatus.FOUND}
    marks: dict[str, StaleMark] = {}
    for name, origin in provenance.items():
        answer = ages.get(origin)
        if answer is None or not answer.expired or answer.fetched_at is None:
            continue
        as_of = datetime.datetime.fromtimestamp(answer.fetched_at, datetime.UTC).date().isoformat()
        label = _ORIGINS.get(origin, LABELS.get(origin, origin))
        reason = f"{label} could not be asked again; its expired answer was used"
        earlier = before.stale.get(name) if before is not None else None
        since = earlier.since if earlier is not None and earlier.reason == reason else today
        marks[name] = StaleMark(since=since, as_of=as_of, reason=reason)
    return marks


def _failures(item: ResolvedPaper) -> list[tuple[tuple[str, ...], str]]:
    """The field groups this run could not refresh for a paper, with the reason.

    Without DBLP's DOI the S2 lookup falls back to a title match, so an S2 "not found" after
    a DBLP failure is a consequence of that failure, not an answer.
    """
    failed: list[tuple[tuple[str, ...], str]] = []
    if item.dblp.status is FetchStatus.FAILED:
        failed.append((DBLP_FIELDS, f"DBLP failed ({item.dblp.error or 'no answer'})"))
        if item.s2.status is FetchStatus.NOT_FOUND:
            failed.append((S2_FIELDS, "S2 looked up without DBLP, which failed"))
    elif item.dblp.toc_error:  # found by search: the proceedings record is missing this run
        reason = f"the table of contents failed ({item.dblp.toc_error})"
        failed.append((PROCEEDINGS_FIELDS, reason))
    if item.s2.status is FetchStatus.FAILED:
        failed.append((S2_FIELDS, f"S2 failed ({item.s2.error or 'no answer'})"))
    return failed


def _keep_previous(
    names: tuple[str, ...],
    before: CatalogPaper,
    fields: dict[str, Any],
    provenance: dict[str, str],
    stale: dict[str, StaleMark],
    mark: StaleMark,
) -> None:
    """A source that failed this run leaves its fields as the last catalog had them.

    A field already stale keeps its original 'since' date, so the report shows how long.
    """
    for name in names:
        old = getattr(before, name)
        if old is None or old == [] or provenance.get(name) == "override":
            continue
        fields[name] = old
        provenance[name] = before.provenance.get(name, "previous") + " (previous run)"
        stale[name] = before.stale.get(name, mark)


class _PreviousIndex:
    """Find a paper's record in the previous catalog: by id, DBLP key, then title."""

    def __init__(self, previous: Catalog | None) -> None:
        papers = previous.papers if previous else []
        self.by_id = {p.id: p for p in papers}
        self.by_dblp = {p.dblp_key: p for p in papers if p.dblp_key}
        self.by_title = {normalize_title(p.listed.title): p for p in papers}
        self.keys_and_aliases = {k for p in papers for k in (p.key, *p.key_aliases)}

    def find(self, item: ResolvedPaper) -> CatalogPaper | None:
        found = self.by_id.get(item.paper.id)
        if found is None and item.dblp.record is not None:
            found = self.by_dblp.get(item.dblp.record.key)
        return found or self.by_title.get(normalize_title(item.paper.title))


# -- venues: short label, full name, and the type of papers DBLP lacks ------------------


class _Places:
    """Where each paper appeared: the venue table's label and full name, and the proceedings
    titles DBLP gave the other papers of the same venue-year."""

    def __init__(self, venues: VenueTable, resolved: list[ResolvedPaper]) -> None:
        self.venues = venues
        titles: dict[tuple[str, int], set[str]] = {}
        for item in resolved:
            proceedings, record = item.dblp.proceedings, item.dblp.record
            if proceedings is None or record is None or record.is_preprint:
                continue
            if item.paper.year is None or record.year != item.paper.year:
                continue
            where = (self.label(item.paper.venue) or "", item.paper.year)
            titles.setdefault(where, set()).add(_strip_period(clean_text(proceedings.title)))
        # A venue-year whose papers sit in several proceedings (ASPLOS volumes) names none.
        self.proceedings = {
            where: names.pop() for where, names in titles.items() if len(names) == 1
        }

    def label(self, venue: str | None) -> str | None:
        """The venue table's short label for a venue string, else the string itself."""
        found = self.venues.find(venue)
        return found.name if found else venue

    def venue_year_name(self, listed: ListedPaper) -> tuple[str | None, str]:
        """Full name of the listed venue-year, and where it comes from. Only known names:
        DBLP's proceedings title, else the venue table's full name, else label and year."""
        label = self.label(listed.venue)
        if not label:
            return None, "list"
        year = f" {listed.year}" if listed.year is not None else ""
        if listed.year is not None and (label, listed.year) in self.proceedings:
            return self.proceedings[(label, listed.year)], "dblp proceedings (same venue-year)"
        venue = self.venues.find(listed.venue)
        if venue is not None and venue.full_name:
            return f"{venue.full_name} ({label}{year})", "venue table"
        return f"{label}{year}", "list"

    def type_s2_alone(
        self,
        item: ResolvedPaper,
        fields: dict[str, Any],
        provenance: dict[str, str],
        warnings: list[str],
    ) -> None:
        """A paper Semantic Scholar alone knows, at the venue and year the list gives, is a
        conference paper (or journal article) with S2's fields, marked as not in DBLP."""
        if item.dblp.record is not None or item.dblp.status is FetchStatus.FAILED:
            return
        s2 = item.s2.record
        if s2 is None:
            return
        venue = self.venues.find(item.paper.venue)
        if not _s2_agrees(item.paper, s2, venue):
            warnings.append(f"{NOT_IN_DBLP}; S2's venue and year do not confirm the list's")
            return
        name, source = self.venue_year_name(item.paper)
        if venue is not None and venue.is_journal(item.paper.year):
            fields["entry_type"] = "article"
            fields["journal"] = venue.full_name or venue.name
            provenance["journal"] = "venue table"
        else:
            fields["entry_type"] = "inproceedings"
            fields["booktitle"] = name
            provenance["booktitle"] = source
        provenance["entry_type"] = f"s2 ({NOT_IN_DBLP}; venue and year agree with the list)"
        if not fields.get("authors"):  # BibTeX styles require authors there
            fields["entry_type"] = "misc"
        warnings.append(f"{NOT_IN_DBLP}: bibliographic fields from Semantic Scholar")

    def name_venue(
        self, item: ResolvedPaper, fields: dict[str, Any], provenance: dict[str, str]
    ) -> None:
        """`venue_label` and `venue_name`, filled the same way for every paper."""
        label = self.label(item.paper.venue) or self.label(fields.get("venue"))
        if label:
            fields["venue_label"] = label
            provenance["venue_label"] = "venue table" if self.venues.find(label) else "list"
        kind = fields.get("entry_type")
        own = "journal" if kind == "article" else "booktitle" if kind == "inproceedings" else ""
        # A booktitle DBLP gave without its proceedings record is the short venue ('OSDI').
        short = own == "booktitle" and provenance.get(own, "").split(" (")[0] == "dblp"
        if own and fields.get(own) and not short:
            fields["venue_name"], provenance["venue_name"] = fields[own], provenance[own]
            return
        name, source = self.venue_year_name(item.paper)
        if name:
            fields["venue_name"], provenance["venue_name"] = name, source


def _from_s2_alone(before: CatalogPaper) -> tuple[str, ...]:
    """The bibliographic fields a paper DBLP lacks had from Semantic Scholar last time: when S2
    fails, they stay, so a conference paper does not fall back to the list's @misc."""
    names = [n for n in DBLP_FIELDS if before.provenance.get(n, "").startswith("s2")]
    if NOT_IN_DBLP in before.provenance.get("entry_type", ""):
        names += ["booktitle", "journal"]
    return tuple(names)


def _s2_agrees(paper: ListedPaper, s2: S2Paper, venue: Venue | None) -> bool:
    """S2's year is the list's, and S2's venue names the list's venue (label, alias, or the
    venue table's full name, e.g. 'Proceedings of the ... Symposium on ...')."""
    if paper.year is None or s2.year != paper.year or not s2.venue or not paper.venue:
        return False
    if venue is None:
        return venue_key(s2.venue) == venue_key(paper.venue)
    return venue_agrees(venue, s2.venue)


# -- BibTeX keys -------------------------------------------------------------------------


def _ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).casefold())


def base_key(authors: list[str], year: int | None, title: str, venue: str | None) -> str:
    """{firstauthorsurname}{year}{firstsignificanttitleword}, ASCII: 'abadi2016tensorflow'."""
    who = _ascii_word(surname(authors[0])) if authors else ""
    who = who or _ascii_word(venue or "") or "anon"
    # Hyphenated names are one word: 'E-RNN' -> 'ernn', not 'e'.
    joined = re.sub(r"(?<=\w)-(?=\w)", "", title)
    words = [_ascii_word(w) for w in normalize_title(joined).split()]
    what = next((w for w in words if w and w not in STOPWORDS), "") or "untitled"
    return f"{who}{year if year is not None else 'nd'}{what}"


def earlier_key(before: CatalogPaper | None, fields: dict[str, Any]) -> str | None:
    """The published key this paper keeps: any resolved paper's; an unresolved paper's only
    while it stays unresolved (a provisional key must not churn, nor outlive the guess)."""
    if before is None:
        return None
    if before.status is not Status.UNRESOLVED or fields["status"] is Status.UNRESOLVED:
        return before.key
    return None


def assign_keys(
    papers: list[tuple[str, str | None, dict[str, Any]]], reserved: Iterable[str] = ()
) -> dict[str, str]:
    """Keys for (paper id, previously published key, fields), in list order.

    Published keys are kept as they are; a new key never takes one already in use, nor one
    `reserved` (every key and alias ever published: a citation must never change meaning),
    and collisions get b, c, ... in list order, so the result is deterministic.
    """
    keys: dict[str, str] = {}
    taken: set[str] = set(reserved)
    claimed: set[str] = set()
    for paper_id, published, _ in papers:
        if published and published not in claimed:
            keys[paper_id] = published
            claimed.add(published)
    taken |= claimed
    for paper_id, _, fields in papers:
        if paper_id in keys:
            continue
        base = base_key(
            fields.get("authors") or [],
            fields.get("year"),
            fields.get("title", ""),
            fields.get("venue"),
        )
        key, n = base, 1
        while key in taken:
            n += 1
            key = base + _suffix(n)
        keys[paper_id] = key
        taken.add(key)
    return keys


def _suffix(n: int) -> str:
    """2 -> 'b', 3 -> 'c', ..., 26 -> 'z', 27 -> 'aa' (bijective base 26)."""
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters
