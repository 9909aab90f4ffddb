"""The list file as lines of text, before the parser sees it: a binary file is refused, and a
line that is not valid UTF-8 is left out (reported with its number) rather than sent on with
U+FFFD in its title, which the resolver would then search for."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import InputError
from pipeline.models import LintFinding, Severity

INVALID_UTF8 = "invalid-utf8"
_SNIFF = 8192  # bytes looked at for NUL, which no text file holds
_MOSTLY_BAD = 0.3  # more lines than this share undecodable: not a text file at all


def load_list_lines(path: Path) -> tuple[list[str], list[LintFinding]]:
    """The list's lines (a bad line kept as an empty one, so numbers hold) and one error
    finding per bad line. Raises InputError for a file that is not text."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw[:_SNIFF]:
        raise InputError(f"{path}: not a text file (binary data); give the markdown list")
    lines: list[str] = []
    findings: list[LintFinding] = []
    for number, raw_line in enumerate(raw.splitlines(), start=1):
        try:
            lines.append(raw_line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append("")
            findings.append(
                LintFinding(
                    line=number,
                    code=INVALID_UTF8,
                    severity=Severity.ERROR,
                    message="invalid UTF-8, entry skipped",
                )
            )
    if lines and len(findings) > _MOSTLY_BAD * len(lines):
        raise InputError(
            f"{path}: not a text file ({len(findings)} of {len(lines)} lines are not UTF-8); "
            "give the markdown list, saved as UTF-8"
        )
    return lines, findings
