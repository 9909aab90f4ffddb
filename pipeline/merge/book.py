"""One paper's fields on their way into the catalog: each value with where it came from, and
the marks of values this run could not refresh."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from pipeline.merge.previous import Before
from pipeline.models import StaleMark

PREVIOUS_RUN = " (previous run)"


class Origin(StrEnum):
    """Where a field's value came from (the catalog's provenance, before any note)."""

    OVERRIDE = "override"
    DBLP = "dblp"
    DBLP_PROCEEDINGS = "dblp proceedings"
    S2 = "s2"
    ARXIV = "arxiv"
    CROSSREF = "crossref"
    LIST = "list"
    VENUE_TABLE = "venue table"
    PREVIOUS = "previous"  # a previous catalog's value whose origin it did not say


@dataclass(frozen=True)
class Provenance:
    """An origin, a note for people, and whether the value is a previous run's, kept because
    this run could not refresh it. Written as 'dblp', 's2 (not in DBLP; ...)', 'dblp (previous
    run)': the catalog's published form."""

    origin: Origin
    note: str | None = None
    previous_run: bool = False

    def __str__(self) -> str:
        return _written(self.origin, self.note, self.previous_run)

    @classmethod
    def read(cls, text: str) -> Provenance:
        """A provenance as a previous catalog wrote it (our own published form)."""
        previous_run = text.endswith(PREVIOUS_RUN)
        while text.endswith(PREVIOUS_RUN):
            text = text.removesuffix(PREVIOUS_RUN)
        head, _, rest = text.partition(" (")
        try:
            origin = Origin(head)
        except ValueError:
            return cls(Origin.PREVIOUS, text, previous_run)
        return cls(origin, rest.removesuffix(")") or None, previous_run)

    def kept(self) -> Provenance:
        return Provenance(self.origin, self.note, previous_run=True)


@lru_cache(maxsize=1 << 12)  # a few dozen forms: each paper's ~20 fields share one string each
def _written(origin: Origin, note: str | None, previous_run: bool) -> str:
    text = f"{origin} ({note})" if note else str(origin)
    return text + (PREVIOUS_RUN if previous_run else "")


_PLAIN = {origin: Provenance(origin) for origin in Origin}  # built once: merge writes millions


@dataclass
class FieldBook:
    """The fields of one paper. Contributors write in priority order and the first writer wins
    (`put`); the few rules that correct a field afterwards say so (`replace`)."""

    values: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Provenance] = field(default_factory=dict)
    stale: dict[str, StaleMark] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    refused_arxiv: frozenset[str] = frozenset()  # ids arXiv showed to be another paper's

    def put(self, name: str, value: Any, origin: Origin | Provenance) -> None:
        """Write a value unless one is there already, or it is empty, or it is an arXiv id (or
        arXiv PDF) that arXiv showed to be another paper's, whoever gave it."""
        if name in self.values or not value and (value is None or value == [] or value == ""):
            return  # (0 and False are values)
        if name == "arxiv_id" and value in self.refused_arxiv:
            return
        if name == "open_access_pdf" and any(f"/pdf/{w}" in str(value) for w in self.refused_arxiv):
            return
        self.replace(name, value, origin)

    def replace(self, name: str, value: Any, origin: Origin | Provenance) -> None:
        self.values[name] = value
        self.provenance[name] = origin if isinstance(origin, Provenance) else _PLAIN[origin]

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def origin(self, name: str) -> Origin | None:
        found = self.provenance.get(name)
        return found.origin if found else None

    def keep_previous(self, names: tuple[str, ...], before: Before, mark: StaleMark) -> None:
        """Fields a source could not refresh this run keep the last catalog's values, marked
        stale; a field already stale keeps its first mark, so the report shows how long."""
        for name in names:
            old = getattr(before, name)
            if old is None or old == [] or self.origin(name) is Origin.OVERRIDE:
                continue
            earlier = before.provenance.get(name)
            origin = Provenance.read(earlier) if earlier else Provenance(Origin.PREVIOUS)
            self.replace(name, old, origin.kept())
            self.stale[name] = before.stale.get(name, mark)

    def published_provenance(self) -> dict[str, str]:
        return {name: str(self.provenance[name]) for name in sorted(self.provenance)}
