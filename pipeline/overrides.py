"""Manual pins (catalog/overrides.toml), validated; they win over matching."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError, model_validator

from pipeline.errors import InputError
from pipeline.models import Frozen, ListedPaper
from pipeline.storage import first_error, read_toml
from pipeline.text import normalize_title


class Override(Frozen):
    """One pin. `paper` is a listed paper's stable id or its title as listed."""

    paper: str = Field(min_length=1)
    dblp_key: str | None = Field(default=None, pattern=r"^[a-z]+/[\w-]+/[\w+:-]+(\.[\w+:-]+)*$")
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    s2_paper_id: str | None = Field(default=None, min_length=1)
    not_in_dblp: bool = False
    not_in_s2: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Override:
        if self.not_in_dblp and self.dblp_key:
            raise ValueError("both dblp_key and not_in_dblp are set")
        if self.not_in_s2 and self.s2_paper_id:
            raise ValueError("both s2_paper_id and not_in_s2 are set")
        if not (
            self.dblp_key or self.doi or self.s2_paper_id or self.not_in_dblp or self.not_in_s2
        ):
            raise ValueError(
                "pins nothing (set dblp_key, doi, s2_paper_id, not_in_dblp or not_in_s2)"
            )
        return self


class Overrides(Frozen):
    override: list[Override] = Field(default_factory=list)

    def bind(self, papers: list[ListedPaper]) -> tuple[dict[str, Override], list[str]]:
        """Pins by paper id, plus a warning for each pin that names no listed paper."""
        by_id = {p.id: p for p in papers}
        by_title: dict[str, list[ListedPaper]] = {}
        for paper in papers:
            by_title.setdefault(normalize_title(paper.title), []).append(paper)
        bound: dict[str, Override] = {}
        warnings = []
        for pin in self.override:
            matches = (
                [by_id[pin.paper]]
                if pin.paper in by_id
                else by_title.get(normalize_title(pin.paper), [])
            )
            if len(matches) != 1:
                problem = "matches no listed paper" if not matches else "matches several papers"
                warnings.append(f"override for '{pin.paper}' {problem}; use the paper's id")
                continue
            bound[matches[0].id] = pin
        return bound, warnings


def load_overrides(path: Path) -> Overrides:
    """Read and validate the overrides file; missing means no pins."""
    if not path.exists():
        return Overrides()
    try:
        return Overrides.model_validate(read_toml(path))
    except ValidationError as exc:
        raise InputError(f"{path}: invalid override ({first_error(exc)})") from exc
