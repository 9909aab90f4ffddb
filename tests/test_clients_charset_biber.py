"""Every character text can carry, escaped for papers.bib, through biber and pdfLaTeX."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.emit.latex import escape
from test_clients_charset import _PLACEHOLDER, every_character
from test_emit import assert_quiet_biber, compile_with_biber


@pytest.mark.slow
@pytest.mark.latex
def test_every_character_survives_biber_and_pdflatex(tmp_path: Path) -> None:
    """biber decodes macros to UTF-8 before LaTeX reads them: {\\={H}}, pylatexenc's H-bar,
    came back as an H and a combining macron, and the --ascii .bib's 'Mart{\\'\\i}n' as a
    dotless i and a combining accent; either stopped pdfLaTeX. Both modes in one run."""
    values = {
        _PLACEHOLDER.sub("U+0000", escape(f"x{c}x", ascii))
        for c in every_character()
        for ascii in (False, True)  # the modes of a character in turn: test_clients_charset
    }
    bib = "".join(
        f"@misc{{k{i},\n  title = {{{value}}},\n  year = {{2020}}\n}}\n"
        for i, value in enumerate(sorted(values))
    )
    log, _ = compile_with_biber(bib, tmp_path)  # fails on pdfLaTeX's first error
    assert_quiet_biber(log)
