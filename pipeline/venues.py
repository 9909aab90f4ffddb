"""The venue table: list labels -> canonical venue names, DBLP tables of contents and streams.

The table ships with the package (`pipeline/data/venues.toml`), so the tool works from any
directory; a project's own file (settings' `venues_path`) adds venues or changes fields by name.
"""

from __future__ import annotations

import re
import tomllib
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from pipeline.errors import InputError
from pipeline.models import DblpRecord, Frozen, ListedPaper
from pipeline.storage import first_error, read_toml
from pipeline.text import venue_key

# The shipped table: venues with DBLP tables of contents, then venues known by name only.
SHIPPED_FILES = ("venues.toml", "venue-names.toml")


class Era(Frozen):
    """Table-of-contents names that apply from and/or until a year (inclusive)."""

    model_config = Frozen.model_config | {"populate_by_name": True}
    from_year: int | None = Field(default=None, alias="from")
    until: int | None = None
    toc: list[str]
    volume_offset: int | None = None  # replaces the venue's for these years


class Venue(Frozen):
    name: str
    full_name: str | None = Field(
        default=None, description="The venue's full name without year, as its proceedings give it"
    )
    aliases: list[str] = Field(default_factory=list)
    toc: list[str] = Field(default_factory=list)
    streams: list[str] = Field(default_factory=list)
    verified: bool = False
    volume_offset: int = 0
    era: list[Era] = Field(default_factory=list)
    preprint: bool = Field(default=False, description="A preprint server (arXiv, CoRR)")
    workshop: bool = Field(
        default=False,
        description="A workshop: its paper loses to a same-title main-track record",
    )

    def is_journal(self, year: int | None) -> bool:
        """Whether the venue publishes in a journal (in `year`, when known): all its tables of
        contents are journal volumes (VLDB's PVLDB)."""
        tocs = self.tocs(year) if year is not None else self.toc
        return bool(tocs) and all(t.startswith("db/journals/") for t in tocs)

    def tocs(self, year: int) -> list[str]:
        """The DBLP table-of-contents names of this venue in `year` ({volume} is year + offset;
        {previous_volume} the one before, for journals whose volumes straddle two years)."""
        names, offset = self.toc, self.volume_offset
        for era in self.era:
            if (era.from_year is None or year >= era.from_year) and (
                era.until is None or year <= era.until
            ):
                names = era.toc
                offset = offset if era.volume_offset is None else era.volume_offset
        volume = year + offset
        return [n.format(year=year, volume=volume, previous_volume=volume - 1) for n in names]


class VenueTable(Frozen):
    venues: list[Venue] = Field(default_factory=list)

    def find(self, label: str | None) -> Venue | None:
        """The venue a list label means: exact alias first, then one part of 'SysML/MLSys'."""
        if not label:
            return None
        if label in self._found:
            return self._found[label]
        found = self._find(label)
        self._found[label] = found
        return found

    def _find(self, label: str) -> Venue | None:
        wanted = venue_key(label)
        found = self._by_key.get(wanted)
        if found is not None:
            return found
        for part in label.split("/"):
            if part.strip() and venue_key(part) != wanted:
                found = self.find(part)
                if found:
                    return found
        return None

    def is_workshop_record(self, record: DblpRecord) -> bool:
        """Whether a DBLP record is a workshop paper: its key is in a workshop's stream, or its
        venue names a workshop of the table."""
        if any(record.key.startswith(stream + "/") for stream in self._workshop_streams):
            return True
        found = self.find(record.venue)
        return found is not None and found.workshop

    @cached_property
    def _workshop_streams(self) -> tuple[str, ...]:
        return tuple(s for v in self.venues if v.workshop for s in v.streams)

    def canonical(self, label: str) -> str:
        """The venue's canonical name ('NIPS' -> 'NeurIPS'); an unknown label stays as written."""
        venue = self.find(label)
        return venue.name if venue is not None else label

    @cached_property
    def _found(self) -> dict[str, Venue | None]:
        return {}  # a memo of find(): a list asks for the same few labels thousands of times

    @cached_property
    def _by_key(self) -> dict[str, Venue]:
        keys: dict[str, Venue] = {}
        for venue in self.venues:
            for alias in [venue.name, *venue.aliases]:
                keys.setdefault(venue_key(alias), venue)
        return keys

    @cached_property
    def mention(self) -> re.Pattern[str]:
        """Any name or alias as a whole word, longest first ('USENIX ATC' before 'ATC')."""
        names = {a for v in self.venues for a in [v.name, *v.aliases] if venue_key(a)}
        spelled = sorted(names, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(map(re.escape, a.split())) for a in spelled)
        return re.compile(rf"(?<![\w&@/-])(?:{alternatives})(?![\w&/]|-[A-Za-z])", re.I)

    def is_spelling(self, text: str) -> bool:
        """Whether `text` (a match of `mention`) spells a venue: acronyms in capitals must stay
        capitals ('SC', not 'sc'), mixed-case names ('NeurIPS', 'arXiv') match in any case."""
        venue = self.find(text)
        if venue is None:
            return False
        for alias in [venue.name, *venue.aliases]:
            if venue_key(alias) == venue_key(text):
                return not alias.isupper() or text.isupper() or len(alias) > 5
        return False


def load_venues(path: Path | None = None, *, required: bool = False) -> VenueTable:
    """The shipped venue table with the project's file on top (its entries add venues or
    replace fields of a same-named one). A missing file is fine unless `required` (the user
    named it explicitly): then it is an input error rather than a silent fallback."""
    raw: dict[str, Any] = {}
    for name in SHIPPED_FILES:
        shipped = resources.files("pipeline").joinpath("data", name)
        raw = _overlay(raw, _parse_venues(shipped.read_text(encoding="utf-8"), Path(str(shipped))))
    if path is not None:
        if path.exists():
            raw = _overlay(raw, read_toml(path))
        elif required:
            raise InputError(f"{path}: no such venue file (leave it out to use the shipped table)")
    try:
        return VenueTable(venues=[Venue(name=name, **(spec or {})) for name, spec in raw.items()])
    except TypeError as exc:  # a venue that is not a table
        raise InputError(f"{path}: invalid venue entry ({exc})") from exc
    except ValidationError as exc:
        raise InputError(f"{path}: invalid venue entry ({first_error(exc)})") from exc


def _parse_venues(text: str, where: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # only if the shipped file is broken
        raise InputError(f"{where}: not valid TOML ({exc})") from exc


def _overlay(shipped: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    """The project's entries on top of the shipped ones; names compare as venue labels do."""
    merged = {name: dict(spec) for name, spec in shipped.items() if isinstance(spec, dict)}
    by_key = {venue_key(name): name for name in merged}
    for name, spec in user.items():
        if not isinstance(spec, dict):
            merged[name] = spec  # reported as an invalid entry by the model
            continue
        existing = by_key.get(venue_key(name))
        if existing is None:
            merged[name] = dict(spec)
            by_key[venue_key(name)] = name
            continue
        before = merged[existing]
        merged[existing] = {**before, **spec}
        if isinstance(spec.get("aliases"), list) and isinstance(before.get("aliases"), list):
            # aliases add up; every other field the project names replaces the shipped one
            merged[existing]["aliases"] = list(
                dict.fromkeys([*before["aliases"], *spec["aliases"]])
            )
    return merged


@lru_cache(maxsize=1)
def shipped_venues() -> VenueTable:
    """The venue table that ships with the package alone (read once; it never changes)."""
    return load_venues(None)


def venue_agrees(venue: Venue, text: str) -> bool:
    """Whether a source's venue text names the listed venue: one of its names or aliases, the
    venue table's full name inside it, or its one-word label in a longer name ('Proc. SOSP')."""
    key = venue_key(text)
    names = [venue.name, *venue.aliases]
    if key in {venue_key(n) for n in names}:
        return True
    if venue.full_name and venue_key(venue.full_name) in key:
        return True
    words = [n for n in names if " " not in n.strip() and len(n) >= 3]
    return any(re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text) for w in words)


PREPRINT_LABELS = frozenset({"arxiv", "corr", "preprint"})


def listed_as_preprint(paper: ListedPaper) -> bool:
    """The list names a preprint server (arXiv, CoRR) as the paper's venue."""
    return venue_key(paper.venue or "") in PREPRINT_LABELS
