"""The venue table (catalog/venues.toml): list labels -> DBLP tables of contents and streams."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError

from pipeline.errors import InputError
from pipeline.models import Frozen
from pipeline.storage import first_error, read_toml
from pipeline.text import venue_key


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
        wanted = venue_key(label)
        for venue in self.venues:
            if wanted in {venue_key(a) for a in [venue.name, *venue.aliases]}:
                return venue
        for part in label.split("/"):
            if part.strip() and venue_key(part) != wanted:
                found = self.find(part)
                if found:
                    return found
        return None


def load_venues(path: Path) -> VenueTable:
    """Read and validate the venue table; a missing file means title search for everything."""
    if not path.exists():
        return VenueTable()
    raw = read_toml(path)
    try:
        return VenueTable(venues=[Venue(name=name, **(spec or {})) for name, spec in raw.items()])
    except TypeError as exc:  # a venue that is not a table
        raise InputError(f"{path}: invalid venue entry ({exc})") from exc
    except ValidationError as exc:
        raise InputError(f"{path}: invalid venue entry ({first_error(exc)})") from exc
