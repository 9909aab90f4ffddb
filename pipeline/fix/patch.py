"""The list's bytes, the fixes applied, and the unified diff between them.

Lines are split exactly as the parse stage numbers them (`bytes.splitlines`), and each line
keeps its own ending, so a fix replaces the text of its line and nothing else: not the
whitespace, not the line ending (LF or CRLF), not a byte order mark, not a missing final newline.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.fix.findings import Fix

BOM = b"\xef\xbb\xbf"
CONTEXT = 3


class PatchError(ValueError):
    """The list cannot be patched as planned (changed since, or line endings git reads apart)."""


def split_lines(raw: bytes) -> tuple[bytes, list[bytes]]:
    """The byte order mark (or b''), then the lines with their endings."""
    bom = BOM if raw.startswith(BOM) else b""
    return bom, raw[len(bom) :].splitlines(keepends=True)


def text_lines(raw: bytes) -> list[str]:
    """The lines as text, numbered as the parse stage numbers them (bad bytes replaced)."""
    _, lines = split_lines(raw)
    return [_body(line).decode("utf-8", errors="replace") for line in lines]


def undecodable_lines(raw: bytes) -> set[int]:
    """Lines that are not valid UTF-8: never fixed (their text is a replacement, not theirs)."""
    bad = set()
    for number, line in enumerate(split_lines(raw)[1], start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.add(number)
    return bad


def _body(line: bytes) -> bytes:
    return line.rstrip(b"\r\n")


def _ending(line: bytes) -> bytes:
    return line[len(_body(line)) :]


def apply_fixes(raw: bytes, fixes: Iterable[Fix]) -> bytes:
    """The list with each fix's line text replaced, every other byte kept."""
    bom, lines = split_lines(raw)
    for fix in fixes:
        if not 0 < fix.line <= len(lines):
            raise PatchError(f"line {fix.line}: the list has {len(lines)} lines")
        line = lines[fix.line - 1]
        if _body(line) != fix.old_line.encode("utf-8"):
            raise PatchError(f"line {fix.line} changed since the fixes were planned")
        lines[fix.line - 1] = fix.new_line.encode("utf-8") + _ending(line)
    return bom + b"".join(lines)


def unified_diff(path: str, old: bytes, new: bytes, context: int = CONTEXT) -> bytes:
    """A `git apply`-able diff of two versions with the same number of lines (fixes replace
    lines, never add or remove them); b'' when they are equal. `path` is relative to the
    repository's top, as git expects."""
    if old == new:
        return b""
    if _lone_cr(old):
        raise PatchError("the list ends lines with a bare CR, which git does not read as lines")
    old_bom, a = split_lines(old)
    new_bom, b = split_lines(new)
    if len(a) != len(b) or old_bom != new_bom:
        raise PatchError("fixes must replace lines, not add or remove them")
    changed = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    out = [f"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n".encode()]
    for first, last in _hunks(changed, context):
        start, end = max(0, first - context), min(len(a), last + context + 1)
        out.append(f"@@ -{start + 1},{end - start} +{start + 1},{end - start} @@\n".encode())
        for i in range(start, end):
            if a[i] == b[i]:
                out.append(_diff_line(b" ", a[i], i == 0, old_bom))
            else:
                out.append(_diff_line(b"-", a[i], i == 0, old_bom))
                out.append(_diff_line(b"+", b[i], i == 0, new_bom))
    return b"".join(out)


def _hunks(changed: list[int], context: int) -> list[tuple[int, int]]:
    """Runs of changed lines close enough to share a hunk (their contexts touch)."""
    groups: list[tuple[int, int]] = []
    for index in changed:
        if groups and index - groups[-1][1] <= 2 * context:
            groups[-1] = (groups[-1][0], index)
        else:
            groups.append((index, index))
    return groups


def _diff_line(mark: bytes, line: bytes, first: bool, bom: bytes) -> bytes:
    text = (bom if first else b"") + line
    if not text.endswith(b"\n"):
        return mark + text + b"\n\\ No newline at end of file\n"
    return mark + text


def _lone_cr(raw: bytes) -> bool:
    return raw.replace(b"\r\n", b"").find(b"\r") != -1
