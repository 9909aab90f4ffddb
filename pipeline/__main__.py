"""`python -m pipeline` and the `mlsys-bib` command: see pipeline.cli.

Only `sys` is imported before the handler is in place: a Ctrl-C while the CLI loads (the
first moments of any command) ends with one line and status 130, like one during the run.
"""

import sys


def entry() -> int:
    """Load the CLI and run it; a Ctrl-C at any moment is one line and exit status 130."""
    try:
        from pipeline.cli import main

        return main()
    except KeyboardInterrupt:
        print("interrupted; outputs left as they were", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(entry())
