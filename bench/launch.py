"""Runs the bench's measured commands from a small process and says what each cost.

A child's peak RSS (`ru_maxrss`) starts at the memory of the process it was forked from:
launched straight from the bench, which holds the fake API's world and the catalogs it
scores, every command would show the bench's own peak. This process stays small; it reads
one JSON job per line (command, cwd, env) and answers one JSON line: wall seconds, peak RSS
in MB, exit status, CPU seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        started = time.monotonic()
        process = subprocess.Popen(
            job["command"],
            cwd=job["cwd"],
            env=job["env"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        cost = [seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status),
                usage.ru_utime + usage.ru_stime]  # fmt: skip
        print(json.dumps(cost), flush=True)


if __name__ == "__main__":
    main()
