"""A strict reader of .bib files: what BibTeX and pybtex in strict mode accept, nothing more.

bibtexparser forgives what BibTeX does not (an author field that lost its opening brace reads
as `Robert Nishihara and ...`), so `validate` reads papers.bib with this reader instead: every
entry whole, every field value delimited ({...}, "..." or a number; a bare word is a string
macro, which must be a month or defined by @string), braces balanced, no stray text between
entries but `%` lines. Each problem names its line. Pure: text in, findings out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The month macros every standard style defines; any other bare word needs an @string.
MONTHS = frozenset(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
)
# BibTeX's identifiers: no white space and none of these characters (btxdoc, "The Entry").
_IDENT = re.compile(r"""[^\s"#%'(),={}@]+""")
_NUMBER = re.compile(r"[0-9]+")
_ENTRY_START = re.compile(r"^[ \t]*@", re.M)


@dataclass(frozen=True)
class BibProblem:
    line: int  # 1-based
    message: str


@dataclass
class BibEntry:
    kind: str
    key: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)  # values as written, delimiters off


@dataclass
class BibFile:
    entries: list[BibEntry]
    problems: list[BibProblem]


class _Stop(Exception):
    """One entry is broken: BibTeX skips whatever remains of it."""

    def __init__(self, pos: int, message: str) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.macros: set[str] = set(MONTHS)
        self.entries: list[BibEntry] = []
        self.problems: list[BibProblem] = []

    def line_of(self, pos: int) -> int:
        return self.text.count("\n", 0, pos) + 1

    def skip_space(self, pos: int) -> int:
        while pos < len(self.text) and self.text[pos].isspace():
            pos += 1
        return pos

    def found(self, pos: int) -> str:
        """What stands at `pos`, for a message: a word, a character, or the end."""
        if pos >= len(self.text):
            return "the end of the file"
        word = _IDENT.match(self.text, pos)
        return f"'{word.group(0)[:30]}'" if word else f"'{self.text[pos]}'"

    def read(self) -> BibFile:
        pos = 0
        while pos < len(self.text):
            at = self.text.find("@", pos)
            self._stray(pos, len(self.text) if at < 0 else at)
            if at < 0:
                break
            try:
                pos = self._entry(at)
            except _Stop as stop:
                self.problems.append(BibProblem(self.line_of(stop.pos), stop.message))
                pos = self._resync(max(stop.pos, at + 1))
        return BibFile(self.entries, self.problems)

    def _stray(self, start: int, end: int) -> None:
        """Text between entries: BibTeX ignores it, but here it is a sign of a broken entry
        (an extra closing brace ends an entry early); `%` comment lines are fine."""
        offset = start
        for line in self.text[start:end].splitlines(keepends=True):
            if line.strip() and not line.lstrip().startswith("%"):
                self.problems.append(
                    BibProblem(
                        self.line_of(offset),
                        f"text outside any entry: '{line.strip()[:40]}' (an extra closing brace?)",
                    )
                )
                return
            offset += len(line)

    def _resync(self, pos: int) -> int:
        """After a broken entry, go on at the next line that starts with '@'."""
        match = _ENTRY_START.search(self.text, pos)
        if match is None:
            return len(self.text)
        return match.start() + len(match.group(0)) - 1

    def _entry(self, at: int) -> int:
        start_line = self.line_of(at)
        kind_match = _IDENT.match(self.text, self.skip_space(at + 1))
        if kind_match is None:
            raise _Stop(at, "an entry type must follow '@'")
        kind = kind_match.group(0).lower()
        pos = self.skip_space(kind_match.end())
        if kind == "comment":  # BibTeX skips @comment's braces, if any
            return self._value_piece(pos)[1] if self.text.startswith("{", pos) else pos
        if pos >= len(self.text) or self.text[pos] not in "{(":
            raise _Stop(pos, f"@{kind} must be followed by '{{' or '(', found {self.found(pos)}")
        close = "}" if self.text[pos] == "{" else ")"
        pos = self.skip_space(pos + 1)
        if kind == "preamble":
            _, pos = self._value(pos, "@preamble")
            return self._close(pos, close, "@preamble", start_line)
        if kind == "string":
            name, pos = self._field(pos, "@string", close)
            self.macros.add(name.lower())
            return self._close(pos, close, "@string", start_line)
        key_match = re.compile(r"[^\s,{}()]+").match(self.text, pos)
        if key_match is None:
            raise _Stop(pos, f"@{kind} at line {start_line} has no key")
        entry = BibEntry(kind=kind, key=key_match.group(0), line=start_line)
        pos = self.skip_space(key_match.end())
        where = f"entry {entry.key}"
        while True:
            if self.text.startswith(close, pos):
                self.entries.append(entry)
                return pos + 1
            if not self.text.startswith(",", pos):
                last = f"the {list(entry.fields)[-1]} field" if entry.fields else "the key"
                raise _Stop(
                    pos,
                    f"{where}: after {last}, expected ',' or '{close}', found {self.found(pos)}"
                    " (BibTeX skips the rest of this entry)",
                )
            pos = self.skip_space(pos + 1)
            if self.text.startswith(close, pos):  # a trailing comma is allowed
                continue
            name, pos = self._field(pos, where, close, entry)

    def _field(
        self, pos: int, where: str, close: str, entry: BibEntry | None = None
    ) -> tuple[str, int]:
        name_match = _IDENT.match(self.text, pos)
        if name_match is None or name_match.group(0)[0].isdigit():
            raise _Stop(pos, f"{where}: expected a field name, found {self.found(pos)}")
        name = name_match.group(0).lower()
        pos = self.skip_space(name_match.end())
        if not self.text.startswith("=", pos):
            raise _Stop(pos, f"{where}: expected '=' after {name}, found {self.found(pos)}")
        value, pos = self._value(self.skip_space(pos + 1), f"{where}, field {name}")
        if entry is not None:
            if name in entry.fields:
                self.problems.append(
                    BibProblem(self.line_of(pos), f"{where}: field {name} given twice")
                )
            entry.fields[name] = value
        return name, pos

    def _value(self, pos: int, where: str) -> tuple[str, int]:
        """piece (# piece)*, where a piece is {...}, "...", a number or a defined macro."""
        parts = []
        while True:
            piece, end = self._value_piece(pos, where)
            parts.append(piece)
            pos = self.skip_space(end)
            if not self.text.startswith("#", pos):
                return "".join(parts), pos
            pos = self.skip_space(pos + 1)

    def _value_piece(self, pos: int, where: str = "@comment") -> tuple[str, int]:
        text = self.text
        if text.startswith("{", pos):
            depth, i = 0, pos
            while i < len(text):
                if text[i] == "{":
                    depth += 1
                elif text[i] == "}":
                    depth -= 1
                    if depth == 0:
                        return text[pos + 1 : i], i + 1
                i += 1
            raise _Stop(pos, f"{where}: the '{{' here is never closed (unbalanced braces)")
        if text.startswith('"', pos):
            depth, i = 0, pos + 1
            while i < len(text):
                if text[i] == "{":
                    depth += 1
                elif text[i] == "}":
                    depth -= 1
                    if depth < 0:
                        raise _Stop(i, f"{where}: unbalanced '}}' inside a quoted value")
                elif text[i] == '"' and depth == 0:
                    return text[pos + 1 : i], i + 1
                i += 1
            raise _Stop(pos, f"{where}: the '\"' here is never closed")
        number = _NUMBER.match(text, pos)
        if number and not _IDENT.match(text, number.end()):
            return number.group(0), number.end()
        word = _IDENT.match(text, pos)
        if word is None:
            raise _Stop(pos, f"{where}: expected a value, found {self.found(pos)}")
        if word.group(0).lower() not in self.macros:
            raise _Stop(
                pos,
                f"{where}: the value is not delimited: '{word.group(0)[:30]}' reads as an "
                'undefined string macro (values need {...} or "...")',
            )
        return word.group(0), word.end()

    def _close(self, pos: int, close: str, where: str, line: int) -> int:
        pos = self.skip_space(pos)
        if not self.text.startswith(close, pos):
            raise _Stop(pos, f"{where} at line {line}: expected '{close}', found {self.found(pos)}")
        return pos + 1


def read_bib(text: str) -> BibFile:
    """The entries a strict reader accepts, and each problem with its line."""
    return _Reader(text).read()
