"""Where each paper appeared: the venue table's short label and full name, the proceedings
title DBLP gave the other papers of the same venue-year, and the type of papers DBLP lacks."""

from __future__ import annotations

from pipeline.merge.book import FieldBook, Origin, Provenance
from pipeline.merge.contributors import strip_period
from pipeline.models import NOT_IN_DBLP, FetchStatus, ListedPaper, ResolvedPaper, S2Paper
from pipeline.text import clean_text, venue_key
from pipeline.venues import Venue, VenueTable, venue_agrees

S2_ALONE = Provenance(Origin.S2, f"{NOT_IN_DBLP}; venue and year agree with the list")
SAME_VENUE_YEAR = Provenance(Origin.DBLP_PROCEEDINGS, "same venue-year")


class Places:
    """The venue table, and the proceedings titles DBLP gave each venue-year this run."""

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
            titles.setdefault(where, set()).add(strip_period(clean_text(proceedings.title)))
        # A venue-year whose papers sit in several proceedings (ASPLOS volumes) names none.
        self.proceedings = {
            where: names.pop() for where, names in titles.items() if len(names) == 1
        }

    def label(self, venue: str | None) -> str | None:
        """The venue table's short label for a venue string, else the string itself."""
        found = self.venues.find(venue)
        return found.name if found else venue

    def venue_year_name(self, listed: ListedPaper) -> tuple[str | None, Provenance]:
        """Full name of the listed venue-year, and where it comes from. Only known names:
        DBLP's proceedings title, else the venue table's full name, else label and year."""
        label = self.label(listed.venue)
        if not label:
            return None, Provenance(Origin.LIST)
        year = f" {listed.year}" if listed.year is not None else ""
        if listed.year is not None and (label, listed.year) in self.proceedings:
            return self.proceedings[(label, listed.year)], SAME_VENUE_YEAR
        venue = self.venues.find(listed.venue)
        if venue is not None and venue.full_name:
            return f"{venue.full_name} ({label}{year})", Provenance(Origin.VENUE_TABLE)
        return f"{label}{year}", Provenance(Origin.LIST)

    def type_s2_alone(self, item: ResolvedPaper, book: FieldBook) -> None:
        """A paper Semantic Scholar alone knows, at the venue and year the list gives, is a
        conference paper (or journal article) with S2's fields, marked as not in DBLP."""
        if item.dblp.record is not None or item.dblp.status is FetchStatus.FAILED:
            return
        s2 = item.s2.record
        if s2 is None:
            return
        venue = self.venues.find(item.paper.venue)
        if not _s2_agrees(item.paper, s2, venue):
            book.warnings.append(f"{NOT_IN_DBLP}; S2's venue and year do not confirm the list's")
            return
        name, source = self.venue_year_name(item.paper)
        if venue is not None and venue.is_journal(item.paper.year):
            book.replace("entry_type", "article", S2_ALONE)
            book.replace("journal", venue.full_name or venue.name, Origin.VENUE_TABLE)
        else:
            book.replace("entry_type", "inproceedings", S2_ALONE)
            book.replace("booktitle", name, source)
        if not book.get("authors"):  # BibTeX styles require authors there
            book.values["entry_type"] = "misc"
        book.warnings.append(f"{NOT_IN_DBLP}: bibliographic fields from Semantic Scholar")

    def name_venue(self, item: ResolvedPaper, book: FieldBook) -> None:
        """`venue_label` and `venue_name`, filled the same way for every paper."""
        label = self.label(item.paper.venue) or self.label(book.get("venue"))
        if label:
            origin = Origin.VENUE_TABLE if self.venues.find(label) else Origin.LIST
            book.replace("venue_label", label, origin)
        kind = book.get("entry_type")
        own = "journal" if kind == "article" else "booktitle" if kind == "inproceedings" else ""
        # A booktitle DBLP gave without its proceedings record is the short venue ('OSDI').
        short = own == "booktitle" and book.origin(own) is Origin.DBLP
        if own and book.get(own) and not short:
            book.replace("venue_name", book.get(own), book.provenance[own])
            return
        name, source = self.venue_year_name(item.paper)
        if name:
            book.replace("venue_name", name, source)


def _s2_agrees(paper: ListedPaper, s2: S2Paper, venue: Venue | None) -> bool:
    """S2's year is the list's, and S2's venue names the list's venue (label, alias, or the
    venue table's full name, e.g. 'Proceedings of the ... Symposium on ...')."""
    if paper.year is None or s2.year != paper.year or not s2.venue or not paper.venue:
        return False
    if venue is None:
        return venue_key(s2.venue) == venue_key(paper.venue)
    return venue_agrees(venue, s2.venue)
