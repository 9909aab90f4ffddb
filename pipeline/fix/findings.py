"""Fixes to the list itself, each backed by strong evidence (pure: no I/O, no words).

Inputs: the list's lines, its parse (ParsedList, whose lint already names the problems and
their lines), the last run's catalog (DBLP's title and year, the match decisions) and, when the
resolve stage's file is at hand, Semantic Scholar's year of each paper. Output: typed `Fix`
values (kind, line, old line, new line, the piece changed, evidence). Text for people is made
in `describe.py`; the bytes of the patch in `patch.py`.

A fix is proposed only when the evidence is strong and the change keeps the list's own format:
one piece of one line is replaced, everything else on that line stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from rapidfuzz.distance import OSA

from pipeline.merge.book import Origin, Provenance
from pipeline.models import Catalog, CatalogPaper, ListedPaper, ParsedList, StatedIn
from pipeline.text import is_corr_key, venue_key

MIN_YEAR, MAX_YEAR = 1950, 2100


class FixKind(StrEnum):
    UNREADABLE_YEAR = "unreadable-year"  # 'ASPLOS 20189' under a 2019 heading
    MISSPELT_TITLE = "misspelt-title"  # 'Asynchronouos' where DBLP has 'Asynchronous'
    WRONG_YEAR = "wrong-year"  # the entry's year, where DBLP and S2 agree on another
    MISSING_VENUE = "missing-venue"  # no venue/year suffix; the headings give it
    HEADING_LEVEL = "heading-level"  # '### 2019' under '### ASPLOS'
    COUNT_TABLE = "count-table"  # a cell of the count table the list contradicts


class Evidence(BaseModel):
    """What a fix rests on; every field is a fact some source gave, none is prose."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lint: str | None = None  # the lint check that flagged the line
    heading_venue: str | None = None
    heading_year: int | None = None
    dblp_key: str | None = None
    dblp_title: str | None = None
    dblp_year: int | None = None
    s2_id: str | None = None
    s2_year: int | None = None
    venue: str | None = None  # count table: the row
    year: int | None = None  # count table: the column
    stated: int | None = None  # count table: what the cell said
    counted: int | None = None  # count table: the papers the list has


class Fix(BaseModel):
    """One change to one line of the list."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: FixKind
    line: int
    old_line: str
    new_line: str
    old: str  # the piece replaced
    new: str  # what replaces it
    paper_id: str | None = None
    title: str | None = None
    evidence: Evidence


class SourceYear(BaseModel):
    """Semantic Scholar's record of a paper, as far as fixes need it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    s2_id: str
    year: int | None = None


Parse = Callable[[list[str]], ParsedList]


def plan_fixes(
    lines: list[str],
    parse: Parse,
    catalog: Catalog | None,
    s2: dict[str, SourceYear] | None = None,
) -> list[Fix]:
    """Every fix for the list, in line order. The count table is checked against the list as
    the other fixes leave it (a corrected year can move a paper between its columns)."""
    parsed = parse(lines)
    fixes = entry_fixes(lines, parsed, catalog, s2 or {})
    if any(f.code == "count-table" for f in parsed.findings):
        fixed = apply_to_lines(lines, fixes)
        fixes += count_table_fixes(fixed, parse(fixed))
    return sorted(fixes, key=lambda f: f.line)


def apply_to_lines(lines: list[str], fixes: Iterable[Fix]) -> list[str]:
    """The lines with the fixes applied (each fix replaces its whole line)."""
    result = list(lines)
    for fix in fixes:
        if result[fix.line - 1] != fix.old_line:
            raise ValueError(f"line {fix.line} is not what the fix was planned on")
        result[fix.line - 1] = fix.new_line
    return result


# -- entries and headings ---------------------------------------------------------------


def entry_fixes(
    lines: list[str], parsed: ParsedList, catalog: Catalog | None, s2: dict[str, SourceYear]
) -> list[Fix]:
    """Fixes of entries and headings. Several on one line (a misspelt title and an unreadable
    year) are each planned on the line as the previous one left it, so they apply in order."""
    known = _catalog_by_id(catalog)
    flagged: dict[int, set[str]] = {}
    for finding in parsed.findings:
        flagged.setdefault(finding.line, set()).add(finding.code)
    fixes: list[Fix] = []
    current: dict[int, str] = {}  # line -> its text after the fixes planned so far

    def text_of(line: int) -> str:
        return current.get(line, lines[line - 1])

    def add(fix: Fix | None) -> None:
        if fix is not None and fix.old_line != fix.new_line:
            fixes.append(fix)
            current[fix.line] = fix.new_line

    for line, codes in sorted(flagged.items()):
        if "year-heading-level" in codes and 0 < line <= len(lines):
            add(_heading_level(text_of(line), line))
    for paper in parsed.papers:
        if not 0 < paper.line <= len(lines):
            continue
        evidence = _evidence(paper, known.get(paper.id), s2.get(paper.id))
        codes = flagged.get(paper.line, set())
        if "bad-year" in codes:
            add(_unreadable_year(paper, text_of(paper.line), evidence))
        if "missing-suffix" in codes:
            add(_missing_venue(paper, text_of(paper.line), evidence, parsed.papers, lines))
        for fix in _misspelt_title(paper, text_of(paper.line), evidence):
            add(fix)
        add(_wrong_year(paper, text_of(paper.line), evidence))
    return fixes


def _catalog_by_id(catalog: Catalog | None) -> dict[str, CatalogPaper]:
    """Catalog papers by the listed entry's id; an id listed twice is left out (ambiguous)."""
    if catalog is None:
        return {}
    seen: dict[str, list[CatalogPaper]] = {}
    for paper in catalog.papers:
        seen.setdefault(paper.id, []).append(paper)
    return {key: papers[0] for key, papers in seen.items() if len(papers) == 1}


def _evidence(paper: ListedPaper, known: CatalogPaper | None, s2: SourceYear | None) -> Evidence:
    """What the catalog says of the paper: DBLP's title and year only where they came from
    DBLP (provenance), S2's year from the resolve stage or S2's publication date."""
    values: dict[str, object] = {
        "heading_venue": paper.heading_venue,
        "heading_year": paper.heading_year,
    }
    if known is not None and known.dblp_key and not is_corr_key(known.dblp_key):
        values["dblp_key"] = known.dblp_key
        if _fresh_from(known, "title", Origin.DBLP):
            values["dblp_title"] = known.title
        if _fresh_from(known, "year", Origin.DBLP):
            values["dblp_year"] = known.year
    if known is not None and known.s2_paper_id:
        values["s2_id"] = known.s2_paper_id
        if s2 is not None and s2.s2_id == known.s2_paper_id:
            values["s2_year"] = s2.year
        elif _fresh_from(known, "year", Origin.S2):
            values["s2_year"] = known.year
        elif _fresh_from(known, "publication_date", Origin.S2) and known.publication_date:
            values["s2_year"] = _year_of(known.publication_date[:4])
    return Evidence.model_validate(values)


def _fresh_from(known: CatalogPaper, name: str, origin: Origin) -> bool:
    """The field is this run's answer of that source (not a previous run's, not a noted guess)."""
    return known.provenance.get(name) == str(Provenance(origin))


def _year_of(text: str) -> int | None:
    return int(text) if text.isdigit() and MIN_YEAR <= int(text) <= MAX_YEAR else None


def _heading_level(text: str, line: int) -> Fix | None:
    """'### 2019' -> '#### 2019': the lint found the year heading one level too high."""
    match = re.match(r"^( {0,3})(#{1,5})(?=[ \t])", text)
    if match is None:
        return None
    new_line = text[: match.start(2)] + match[2] + "#" + text[match.end(2) :]
    return Fix(
        kind=FixKind.HEADING_LEVEL,
        line=line,
        old_line=text,
        new_line=new_line,
        old=text.strip(),
        new=new_line.strip(),
        evidence=Evidence(lint="year-heading-level"),
    )


_NUMBER = re.compile(r"(?<![\d.])\d{4,6}(?![\d.])")


def _unreadable_year(paper: ListedPaper, text: str, evidence: Evidence) -> Fix | None:
    """A number that is no year, one keystroke from the heading's year, and that no source
    contradicts: 'ASPLOS 20189' under '2019' -> 'ASPLOS 2019'."""
    year = paper.heading_year
    if year is None or paper.year_source is not StatedIn.HEADING:
        return None
    if any(y is not None and y != year for y in (evidence.dblp_year, evidence.s2_year)):
        return None
    numbers = [m for m in _NUMBER.finditer(text) if _year_of(m[0]) is None]
    close = [m for m in numbers if OSA.distance(m[0], str(year)) == 1]
    if len(close) != 1:
        return None
    match = close[0]
    return _replace(FixKind.UNREADABLE_YEAR, paper, text, match, str(year), evidence, "bad-year")


def _wrong_year(paper: ListedPaper, text: str, evidence: Evidence) -> Fix | None:
    """The year the entry states, where DBLP and S2 agree on another one and no year heading
    says the entry's year (moving an entry to another section is not a one-line fix)."""
    listed, right = paper.year, evidence.dblp_year
    if listed is None or right is None or paper.year_source is not StatedIn.ENTRY:
        return None
    if evidence.s2_year != right or right == listed:
        return None
    if paper.heading_year is not None and paper.heading_year != right:
        return None
    full = list(re.finditer(rf"(?<!\d){listed}(?!\d)", text))
    short = list(re.finditer(rf"(?<=['’]){listed % 100:02d}(?!\d)", text))
    if len(full) == 1 and not short:
        return _replace(FixKind.WRONG_YEAR, paper, text, full[0], str(right), evidence)
    if len(short) == 1 and not full and 2000 <= right < 2100:
        return _replace(FixKind.WRONG_YEAR, paper, text, short[0], f"{right % 100:02d}", evidence)
    return None


_BOLD_END = re.compile(r"^(?P<head>\s*(?:\d+[.)]|[-*+])\s+\*\*[^*].*?\*\*)(?P<tail>\s*)$")
_SUFFIX = re.compile(r"^\s*(?:\d+[.)]|[-*+])\s+\*\*[^*].*?\*\*(?P<suffix>[ \t]+[^*\[\]()]+?)\s*$")


def _missing_venue(
    paper: ListedPaper,
    text: str,
    evidence: Evidence,
    papers: list[ListedPaper],
    lines: list[str],
) -> Fix | None:
    """'**Title**' alone under 'OSDI' / '2020' -> '**Title** OSDI 2020', written the way the
    entry's neighbours write theirs."""
    venue, year = paper.heading_venue, paper.heading_year
    if venue is None or year is None or paper.venue_source is not StatedIn.HEADING:
        return None
    if evidence.dblp_year is not None and evidence.dblp_year != year:
        return None
    match = _BOLD_END.match(text)
    if match is None:
        return None
    suffix = f" {venue} {year}"
    for other in papers:
        if (other.section, other.venue_source, other.year_source) != (
            paper.section,
            "entry",
            "entry",
        ) or other.year != year:
            continue
        written = _SUFFIX.match(lines[other.line - 1]) if other.line <= len(lines) else None
        # Only a short 'VENUE YEAR' suffix is a format to copy (not authors, not a note).
        if (
            written
            and written["suffix"].strip().endswith(str(year))
            and len(written["suffix"]) <= 40
        ):
            suffix = written["suffix"]
            break
    return Fix(
        kind=FixKind.MISSING_VENUE,
        line=paper.line,
        old_line=text,
        new_line=match["head"] + suffix + match["tail"],
        old="",
        new=suffix.strip(),
        paper_id=paper.id,
        title=paper.title,
        evidence=evidence.model_copy(update={"lint": "missing-suffix"}),
    )


def _replace(
    kind: FixKind,
    paper: ListedPaper,
    text: str,
    match: re.Match[str],
    new: str,
    evidence: Evidence,
    lint: str | None = None,
) -> Fix:
    return Fix(
        kind=kind,
        line=paper.line,
        old_line=text,
        new_line=text[: match.start()] + new + text[match.end() :],
        old=match[0],
        new=new,
        paper_id=paper.id,
        title=paper.title,
        evidence=evidence.model_copy(update={"lint": lint}) if lint else evidence,
    )


# -- titles -----------------------------------------------------------------------------


def _misspelt_title(paper: ListedPaper, text: str, evidence: Evidence) -> list[Fix]:
    """The misspelt words of the listed title, one fix each (chained on the line), where
    DBLP's title differs from it by nothing but misspellings (capitalisation and regional
    spellings are kept as the list has them). A word found more than once on the line is
    left alone: which occurrence is the title's is not certain."""
    if evidence.dblp_title is None:
        return []
    fixes: list[Fix] = []
    for wrong, right in misspellings(paper.title, evidence.dblp_title) or []:
        found = list(re.finditer(rf"(?<!\w){re.escape(wrong)}(?!\w)", text))
        if len(found) != 1:
            continue
        fix = _replace(FixKind.MISSPELT_TITLE, paper, text, found[0], right, evidence)
        fixes.append(fix)
        text = fix.new_line
    return fixes


_TOKENS = re.compile(r"([\s\-/:–—]+)")
_CORE = re.compile(r"^(?P<lead>\W*)(?P<core>.*?)(?P<trail>\W*)$")


def misspellings(listed: str, published: str) -> list[tuple[str, str]] | None:
    """The listed words to correct, each with its correction; None when the titles differ in
    anything but misspellings, capitalisation and regional spellings (a different wording)."""
    mine, theirs = _TOKENS.split(listed.strip()), _TOKENS.split(published.strip())
    if len(mine) != len(theirs):
        return None
    pairs: list[tuple[str, str]] = []
    for index, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        if index % 2:  # a separator: must be the same (a changed hyphen is a wording)
            if a.split() != b.split() and a.strip() != b.strip():
                return None
            continue
        if a == b or a.casefold() == b.casefold():
            continue
        ma, mb = _CORE.match(a), _CORE.match(b)
        if ma is None or mb is None or (ma["lead"], ma["trail"]) != (mb["lead"], mb["trail"]):
            return None
        wrong, right = ma["core"], mb["core"]
        if regional_variants(wrong, right):
            continue
        if not is_typo(wrong, right):
            return None
        pairs.append((wrong, _same_case(wrong, right)))
    return pairs


def is_typo(wrong: str, right: str) -> bool:
    """A misspelling, not another word: letters only, close (one edit, two in long words,
    a swap counting as one), and not the same stem with another ending (Model/Models,
    Optimizer/Optimized, Trained/Training)."""
    a, b = wrong.casefold(), right.casefold()
    if not (a.isalpha() and b.isalpha()) or min(len(a), len(b)) < 5:
        return False
    allowed = 1 if max(len(a), len(b)) <= 8 else 2
    if OSA.distance(a, b) > allowed:
        return False
    return not (_stems(a) & _stems(b))


_ENDINGS = ("s", "es", "ed", "d", "ing", "er", "ers", "r", "or", "ors", "ion", "ions",
            "ation", "ations", "al", "ally", "ly", "ive", "ity", "ment", "ments", "y", "ies",
            "e", "ic", "ics", "ness")  # fmt: skip


def _stems(word: str) -> set[str]:
    return {word} | {word[: -len(e)] for e in _ENDINGS if word.endswith(e) and len(word) > len(e)}


# British -> American, applied to both words: equal results are one word spelt two ways.
_REGIONAL = [
    (re.compile(r"is(ation|ations|e|es|ed|ing|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|es|ed|ing|er|ers)$"), r"yz\1"),
    (re.compile(r"our(s|ed|ing|ful|ite|ites|able)?$"), r"or\1"),
    (re.compile(r"tre(s)?$"), r"ter\1"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
    (re.compile(r"ll(ed|ing|er|ers)$"), r"l\1"),
    (re.compile(r"ence(s)?$"), r"ense\1"),  # defence, licence
    (re.compile(r"mme(s)?$"), r"m\1"),  # programme
    (re.compile(r"grey"), "gray"),
]


def regional_variants(a: str, b: str) -> bool:
    """'Optimised'/'Optimized', 'Behaviour'/'Behavior', 'Modelling'/'Modeling', ..."""
    return _american(a.casefold()) == _american(b.casefold())


def _american(word: str) -> str:
    for pattern, replacement in _REGIONAL:
        word = pattern.sub(replacement, word)
    return word


def _same_case(listed: str, right: str) -> str:
    """The correction written with the listed word's capitalisation."""
    if listed.isupper():
        return right.upper()
    if listed[:1].isupper() and not right[:1].isupper():
        return right[:1].upper() + right[1:]
    if listed[:1].islower() and right[:1].isupper() and not right.isupper():
        return right[:1].lower() + right[1:]
    return right


# -- the count table --------------------------------------------------------------------


def count_table_fixes(lines: list[str], parsed: ParsedList) -> list[Fix]:
    """The cells of the count table that disagree with the papers the list has (as the lint
    counts them), each rewritten in place with its padding; a venue or year the table has no
    row or column for is left to the maintainer."""
    table = parsed.count_table
    if table is None:
        return []
    counted = {venue_key(v): years for v, years in parsed.actual_counts.items()}
    fixes = []
    for label, number in table.row_lines.items():
        if not 0 < number <= len(lines):
            continue
        text = lines[number - 1]
        cells = text.split("|")
        real = counted.get(venue_key(label), {})
        start = 2 if text.lstrip().startswith("|") else 1
        changed: list[tuple[int, int, int]] = []  # (cell index, stated, counted)
        for offset, year in enumerate(table.years):
            index = start + offset
            if index >= len(cells) - (1 if text.rstrip().endswith("|") else 0):
                break
            stated = _cell_count(cells[index])
            if stated is None:
                changed = []
                break  # a cell the lint could not read: leave the row to a person
            if stated != real.get(year, 0):
                changed.append((index, stated, real.get(year, 0)))
        for index, stated, count in changed:
            year = table.years[index - start]
            before = list(cells)
            cells[index] = _with_padding(cells[index], str(count) if count else "-")
            fixes.append(
                Fix(
                    kind=FixKind.COUNT_TABLE,
                    line=number,
                    old_line="|".join(before),
                    new_line="|".join(cells),
                    old=before[index].strip(),
                    new=cells[index].strip(),
                    evidence=Evidence(
                        lint="count-table", venue=label, year=year, stated=stated, counted=count
                    ),
                )
            )
    # Several cells of one row: each fix is planned on the line the previous one left, so
    # they apply in order (the sort in plan_fixes is stable); the patch shows the row once.
    return fixes


def _cell_count(cell: str) -> int | None:
    value = cell.strip()
    if value in ("", "-", "–", "—"):
        return 0
    return int(value) if value.isdigit() else None


def _with_padding(cell: str, value: str) -> str:
    match = re.match(r"^(\s*)(.*?)(\s*)$", cell)
    lead, body, trail = (match[1], match[2], match[3]) if match else ("", cell, "")
    if not body:  # an empty cell: centre the value in the same width
        width = len(cell)
        left = max(1, (width - len(value)) // 2)
        return " " * left + value + " " * max(1, width - left - len(value))
    return lead + value + trail
