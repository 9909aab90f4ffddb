"""Words for fixes, made once where a person reads them: the summary the command prints, the
pull-request text (list-fixes.md), and the one-line message of an annotation."""

from __future__ import annotations

from pipeline.fix.findings import Evidence, Fix, FixKind

DBLP_REC = "https://dblp.org/rec/"
S2_PAPER = "https://www.semanticscholar.org/paper/"

WHAT = {
    FixKind.UNREADABLE_YEAR: "unreadable year",
    FixKind.MISSPELT_TITLE: "misspelt title",
    FixKind.WRONG_YEAR: "wrong year",
    FixKind.MISSING_VENUE: "missing venue and year",
    FixKind.HEADING_LEVEL: "year heading at the wrong level",
    FixKind.COUNT_TABLE: "stale count table",
}


def change(fix: Fix) -> str:
    """'20189' -> '2019', or what was added."""
    if not fix.old:
        return f"added '{fix.new}'"
    return f"'{fix.old}' -> '{fix.new}'"


def reason(fix: Fix, links: bool = False) -> str:
    """Why the fix is right: the finding and its evidence, in one sentence."""
    e = fix.evidence
    sources = _sources(e, links)
    if fix.kind is FixKind.UNREADABLE_YEAR:
        return f"'{fix.old}' is no year; the heading above says {e.heading_year}" + _also(
            sources, "agree"
        )
    if fix.kind is FixKind.MISSPELT_TITLE:
        return f'DBLP\'s title differs only by misspellings: "{e.dblp_title}"' + _also(sources)
    if fix.kind is FixKind.WRONG_YEAR:
        return f"DBLP and Semantic Scholar both say {e.dblp_year}" + _also(sources)
    if fix.kind is FixKind.MISSING_VENUE:
        where = f"{e.heading_venue} {e.heading_year}"
        return f"the entry has no venue and year; its headings say {where}" + _also(sources)
    if fix.kind is FixKind.HEADING_LEVEL:
        return "a year heading one level below its venue heading, like the list's others"
    return f"the table says {e.venue} {e.year}: {e.stated}, the list has {e.counted} such papers"


def _sources(e: Evidence, links: bool) -> list[str]:
    found = []
    if e.dblp_key:
        key = f"[{e.dblp_key}]({DBLP_REC}{e.dblp_key})" if links else e.dblp_key
        found.append(f"DBLP {key}" + (f" ({e.dblp_year})" if e.dblp_year else ""))
    if e.s2_id:
        sid = f"[{e.s2_id}]({S2_PAPER}{e.s2_id})" if links else e.s2_id
        found.append(f"Semantic Scholar {sid}" + (f" ({e.s2_year})" if e.s2_year else ""))
    return found


def _also(sources: list[str], verb: str = "") -> str:
    if not sources:
        return ""
    return f" ({'; '.join(sources)}{' ' + verb if verb else ''})"


def message(fix: Fix) -> str:
    """One line: what, the change, why (for the summary and annotations)."""
    return f"{WHAT[fix.kind]}: {change(fix)}: {reason(fix)}"


def summary(path: str, fixes: list[Fix], patch_path: str | None) -> str:
    """What the command prints: one line per fix, then where the patch is."""
    if not fixes:
        return f"{path}: nothing to fix"
    lines = [f"{path}:{fix.line}: {message(fix)}" for fix in fixes]
    touched = len({fix.line for fix in fixes})
    where = f" -> {patch_path}" if patch_path else ""
    lines.append(f"{len(fixes)} fixes on {touched} lines{where}")
    return "\n".join(lines)


def pull_request_body(path: str, fixes: list[Fix]) -> str:
    """The text a pull request carrying the patch says: each fix, its finding and evidence."""
    if not fixes:
        return f"# Fixes to {path}\n\nNothing to fix: the list agrees with its sources.\n"
    out = [
        f"# Fixes to {path}",
        "",
        f"mlsys-bib found {len(fixes)} problems in the list that its sources settle; each line"
        " below changes one piece of one line and nothing else (whitespace, numbering, badges"
        " and line endings stay as they are).",
        "",
        "| Line | Problem | Change | Evidence |",
        "|---:|---|---|---|",
    ]
    for fix in fixes:
        what = WHAT[fix.kind] + (f" ({_cell(fix.title)})" if fix.title else "")
        before = _code(fix.old) if fix.old else "(nothing)"
        out.append(
            f"| {fix.line} | {what} | {before} → {_code(fix.new)} | {_cell(reason(fix, True))} |"
        )
    out += ["", "Made by `mlsys-bib fix`; a second run after these changes finds nothing.", ""]
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    ticks = "`"
    while ticks in text:
        ticks += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return _cell(f"{ticks}{pad}{text}{pad}{ticks}")
