"""Field contributors: one per source, applied in priority order to a paper's FieldBook.

DBLP gives the bibliographic fields, Semantic Scholar the metrics (and the basics when DBLP
lacks the paper), the abstract sources the abstract, the list what nobody else knows. Each
contributor is a plain function; the order of CONTRIBUTORS is the priority (first writer wins).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pipeline.merge.abstracts import LABELS, choose_abstract, found_on_arxiv, wrong_arxiv_ids
from pipeline.merge.book import FieldBook, Origin
from pipeline.models import DblpRecord, Method, ResolvedPaper, S2Paper
from pipeline.text import (
    arxiv_id_of,
    clean_text,
    normalize_title,
    split_subtitle,
    strip_homonym,
    venue_key,
)
from pipeline.text.titles import MIN_TITLE_SCORE, title_similarity
from pipeline.venues import listed_as_preprint

Contributor = Callable[[ResolvedPaper, FieldBook, tuple[str, ...]], None]


def from_overrides(item: ResolvedPaper, book: FieldBook, _order: tuple[str, ...]) -> None:
    book.put("doi", item.pinned_doi, Origin.OVERRIDE)


def from_dblp(item: ResolvedPaper, book: FieldBook, _order: tuple[str, ...]) -> None:
    record, s2 = item.dblp.record, item.s2.record
    if record is None:
        return
    dblp, proceedings = Origin.DBLP, item.dblp.proceedings
    others = [item.paper.title, s2.title if s2 else None]
    book.put("dblp_key", record.key, dblp)
    book.put("title", published_title(record.title, others), dblp)
    book.put("authors", [strip_homonym(a) for a in record.authors], dblp)
    for name in ("year", "venue", "pages", "volume", "number", "doi"):
        book.put(name, getattr(record, name), dblp)
    book.put("url", record.ee[0] if record.ee else None, dblp)
    book.put("dblp_url", record.url or f"https://dblp.org/rec/{record.key}", dblp)
    book.put("entry_type", entry_type(record), dblp)
    if record.type == "Journal Articles":
        book.put("journal", record.venue, dblp)
    elif proceedings is not None:
        book.put("booktitle", strip_period(clean_text(proceedings.title)), Origin.DBLP_PROCEEDINGS)
    else:
        book.put("booktitle", record.venue, dblp)
    book.put("publisher", proceedings.publisher if proceedings else record.publisher, dblp)
    book.warnings += _list_conflicts(item, record)


def from_s2(item: ResolvedPaper, book: FieldBook, _order: tuple[str, ...]) -> None:
    s2, record = item.s2.record, item.dblp.record
    if s2 is None:
        return
    book.put("s2_paper_id", s2.paperId, Origin.S2)
    book.put("citation_count", s2.citationCount, Origin.S2)
    book.put("influential_citation_count", s2.influentialCitationCount, Origin.S2)
    book.put("reference_count", s2.referenceCount, Origin.S2)
    book.put("tldr", clean_text(s2.tldr.text) if s2.tldr and s2.tldr.text else None, Origin.S2)
    book.put("open_access_pdf", s2.openAccessPdf.url if s2.openAccessPdf else None, Origin.S2)
    book.put("s2_url", s2.url, Origin.S2)
    book.put("publication_date", s2.publicationDate, Origin.S2)
    book.put("arxiv_id", s2.external_id("ArXiv"), Origin.S2)
    if record is None:  # S2 alone: its verified match gives the bibliographic basics
        book.put("title", clean_text(s2.title or "") or None, Origin.S2)
        book.put("authors", [a.name for a in s2.authors or [] if a.name], Origin.S2)
        book.put("year", s2.year, Origin.S2)
        book.put("doi", s2.external_id("DOI"), Origin.S2)
        book.put("url", s2.url, Origin.S2)
    book.warnings += _source_conflicts(record, s2)


def from_abstracts(item: ResolvedPaper, book: FieldBook, order: tuple[str, ...]) -> None:
    """The first abstract in the configured order; arXiv's id and PDF when S2 lacked them
    (never DBLP's fields)."""
    chosen = choose_abstract(item, order)
    if chosen is not None:
        book.put("abstract", chosen.text, Origin(chosen.source))
        book.put("abstract_source", LABELS[chosen.source], Origin(chosen.source))
    arxiv = found_on_arxiv(item)
    if arxiv is not None:
        book.put("arxiv_id", arxiv.arxiv_id, Origin.ARXIV)
        book.put("open_access_pdf", arxiv.pdf_url, Origin.ARXIV)


def from_dblp_links(item: ResolvedPaper, book: FieldBook, _order: tuple[str, ...]) -> None:
    record, preprint = item.dblp.record, item.dblp.preprint
    if record is not None:
        book.put("arxiv_id", arxiv_id_of(record.ee, None, record), Origin.DBLP)
    if record is not None and preprint is not None:  # the CoRR version DBLP has beside it
        book.put("arxiv_id", arxiv_id_of(preprint.ee, None, preprint), Origin.DBLP)


def from_list(item: ResolvedPaper, book: FieldBook, _order: tuple[str, ...]) -> None:
    paper = item.paper
    book.put("arxiv_id", arxiv_id_of([], paper.paper_url, None), Origin.LIST)
    book.put("title", paper.title, Origin.LIST)
    book.put("authors", list(paper.authors), Origin.LIST)
    book.put("year", paper.year, Origin.LIST)
    book.put("venue", paper.venue, Origin.LIST)
    book.put("url", paper.paper_url, Origin.LIST)


CONTRIBUTORS: tuple[Contributor, ...] = (
    from_overrides,
    from_dblp,
    from_s2,
    from_abstracts,
    from_dblp_links,
    from_list,
)


def merge_fields(item: ResolvedPaper, order: tuple[str, ...]) -> FieldBook:
    """The fields of one paper from its sources, where each came from, and the conflicts."""
    paper = item.paper
    book = FieldBook(warnings=list(item.warnings), refused_arxiv=frozenset(wrong_arxiv_ids(item)))
    book.replace("code_url", paper.code_url, Origin.LIST)
    book.replace("categories", list(paper.categories), Origin.LIST)
    for contribute in CONTRIBUTORS:
        contribute(item, book, order)
    no_authors = book.get("entry_type") == "inproceedings" and not book.get("authors")
    if "entry_type" not in book.values or no_authors:  # BibTeX styles require authors there
        book.replace("entry_type", "misc", Origin.LIST if item.dblp.record is None else Origin.DBLP)
    return book


def published_title(dblp_title: str, others: Iterable[str | None]) -> str:
    """DBLP's title cleaned: entities decoded, trailing period gone, ' - ' back to ':' when the
    paper writes a colon there (old DBLP records replaced it)."""
    title = strip_period(clean_text(dblp_title))
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


def strip_period(title: str) -> str:
    return title[:-1].rstrip() if title.endswith(".") and not title.endswith("..") else title


def entry_type(record: DblpRecord) -> str:
    if record.is_preprint:
        return "misc"
    if record.type == "Journal Articles":
        return "article"
    return "inproceedings"


def _list_conflicts(item: ResolvedPaper, record: DblpRecord) -> list[str]:
    paper = item.paper
    warnings = []
    if paper.year is not None and record.year is not None and paper.year != record.year:
        warnings.append(f"the list says {paper.year}, DBLP {record.year}")
    searched = item.dblp.method is Method.SEARCH
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
    if s2.title and title_similarity(record.title, s2.title)[0] < MIN_TITLE_SCORE:
        warnings.append(f"titles far apart: DBLP '{record.title}', S2 '{s2.title}'")
    return warnings
