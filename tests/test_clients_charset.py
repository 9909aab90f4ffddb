"""Every character text can carry, escaped for papers.bib, typeset by pdfLaTeX (apart from
the rest of the client tests, so that the test workers share the slow runs)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from pipeline.emit.latex import escape
from test_emit import _run, _tool

_PLACEHOLDER = re.compile(r"U\+[0-9A-F]{4,5}")
DOCUMENT = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\begin{document}
%s
\end{document}
"""


def every_character() -> list[str]:
    """Every assigned character past ASCII that text can carry (not controls, surrogates or
    private use, which escaping drops before it looks)."""
    return [
        chr(cp)
        for cp in range(0xA0, 0x30000)
        if unicodedata.category(chr(cp)) not in ("Cn", "Cs", "Co", "Cc", "Cf")
    ]


def typeset_errors(values: list[str], tmp_path: Path) -> dict[str, str]:
    """Each value on its own line of one pdfLaTeX run; the first error under each, by value."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    body = "\n".join(f"\\typeout{{VALUE {i}}}{value}\\par" for i, value in enumerate(values))
    (tmp_path / "doc.tex").write_text(DOCUMENT % body, encoding="utf-8")
    _run([_tool("pdflatex"), "-interaction=nonstopmode", "doc.tex"], tmp_path)
    log = (tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace")
    errors: dict[str, str] = {}
    current = None
    for line in log.splitlines():
        if marker := re.match(r"VALUE (\d+)$", line):
            current = values[int(marker.group(1))]
        elif line.startswith("!") and current is not None:
            errors.setdefault(current, line)
    assert "Output written on doc.pdf" in log, log[-2000:]
    return errors


@pytest.mark.slow
@pytest.mark.latex
def test_every_character_escapes_to_latex_that_pdflatex_typesets(tmp_path: Path) -> None:
    """Cyrillic once came out as \\CYRA (T2A fonts only) and Maltese 'Ħ' raw (no utf8
    definition): one such author stopped pdfLaTeX for the whole bibliography. Both modes
    (UTF-8 and --ascii) in one run."""
    rendered: dict[str, tuple[str, bool]] = {}
    # Both modes of a character in turn: the second then finds pipeline.emit.latex's cached
    # lookup (4,096 characters), which mode by mode it would ask 139,000 characters later.
    for char in every_character():
        for ascii in (False, True):
            value = _PLACEHOLDER.sub("U+0000", escape(f"x{char}x", ascii))
            rendered.setdefault(value, (char, ascii))  # one placeholder is enough
    errors = typeset_errors(list(rendered), tmp_path)
    broken = {
        f"U+{ord(char):04X} ascii={ascii} {escape(char, ascii)}": errors[value]
        for value, (char, ascii) in rendered.items()
        if value in errors
    }
    assert broken == {}
