"""`python -m pipeline` and the `mlsys-bib` command: see pipeline.cli.

Only `signal`, `sys` and the exception tree are imported before the handlers are in place: a
Ctrl-C while the CLI loads (the first moments of any command) ends with one line and status
130, like one during the run; a SIGTERM (a CI job's time limit, `kill`) likewise, with 143.
"""

import signal
import sys

from pipeline.errors import Terminated, stopped


def _terminate(_signum: int, _frame: object) -> None:
    raise Terminated


def entry() -> int:
    """Load the CLI and run it; a Ctrl-C or SIGTERM at any moment is one line and an exit
    status (130, 143)."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        from pipeline.cli import main

        return main()
    except KeyboardInterrupt as exc:
        return stopped(exc)


if __name__ == "__main__":
    sys.exit(entry())
