"""What the last complete `enrich` read and wrote, so that a run with nothing new does nothing.

The outputs are a pure function of the list, the project's files, the settings, the code, the
cached answers the run drew on and the previous catalog. When each is as the last run left it,
every answer it drew on is still fresh, and that run's catalog was its own previous one (the
merge had settled), a new run would write the same bytes: `enrich` says so and keeps the
outputs, as make does. The check reads no model and imports nothing heavy (stdlib only): it is
the whole of a warm run that has nothing to do.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import sqlite3
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.config import Settings
from pipeline.sources import SOURCES

log = logging.getLogger("pipeline")

STAMP_NAME = "enrich.stamp.json"
STAMP_FORMAT = 1
STAGE_FILES = ("parse.json", "resolve.json", "merge.json")


def stamp_path(settings: Settings) -> Path:
    return settings.work_dir / STAMP_NAME


def input_digest(settings: Settings) -> str:
    """One digest of everything a run reads besides the cache and the previous outputs: the
    list, the venue and overrides files, the settings, this code and the installed packages."""
    return _digest([settings.list_path, settings.venues_path, settings.overrides_file], settings)


def resolve_digest(settings: Settings, pins: str) -> str:
    """What a paper's DBLP and S2 decisions depend on besides its own entry and the cached
    answers: input_digest without the list, the settings only later stages read and those
    that only shape how sources are asked (pacing, retries, --refresh); with `pins`, the
    overrides as bound to this list's papers (a pin by title binds only when one paper has it)."""
    resolving = dataclasses.replace(
        settings, list_path=Path(), out_dir=Path(), ascii=False, verified_only=False,
        today=None, refresh=False, timeout=0.0, max_attempts=0, max_wait=0.0, backoff=0.0,
        breaker_threshold=0, wall_budget=0.0, wall_first_wait=0.0, wall_max_wait=0.0,
        wall_interval=0.0,
    )  # fmt: skip
    for source in SOURCES:  # pacing: how often a source is asked, not what it answers
        paced = dataclasses.replace(getattr(settings, source.name), min_interval=0.0)
        resolving = dataclasses.replace(resolving, **{source.name: paced})
    return _digest([settings.venues_path, settings.overrides_file], resolving, pins)


def _digest(files: list[Path], settings: Settings, extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for path in files:
        digest.update(str(path).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:  # absent or unreadable: the stages say so, in their own words
            digest.update(b"(not readable)")
    digest.update(repr(settings).encode())  # api keys are left out of the repr
    digest.update(sys.version.encode())
    for path in _code_files():
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    for folder in sorted({p for p in sys.path if p.endswith("-packages")}):
        if os.path.isdir(folder):  # each installed distribution, with its version
            digest.update(" ".join(sorted(os.listdir(folder))).encode())
    return digest.hexdigest()


def _code_files() -> list[Path]:
    package = Path(__file__).resolve().parent
    return sorted(  # code, templates, the venue table, schemas: whatever ships with it
        p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )


@dataclass(frozen=True)
class RunStamp:
    """A complete run's inputs, the files it left, the answers it drew on and what it said."""

    inputs: str  # input_digest
    files: dict[str, list[int]]  # output or stage file -> [size, mtime_ns] as the run left it
    answers: dict[str, list[float]]  # cache key -> [stored at (the cache's clock), fresh until]
    summary: str  # the closing summary the run printed
    warnings: list[str]  # what it warned about the list
    finished: str  # when, ISO 8601 UTC
    format: int = STAMP_FORMAT


def files_left(settings: Settings) -> dict[str, list[int]]:
    """Size and modification time of each output and stage file there is now."""
    candidates = [settings.work_dir / name for name in STAGE_FILES]
    if settings.out_dir.is_dir():
        candidates += sorted(p for p in settings.out_dir.iterdir() if p.is_file())
    stats = {}
    for path in candidates:
        try:
            info = path.stat()
        except OSError:
            continue
        stats[str(path)] = [info.st_size, info.st_mtime_ns]
    return stats


@dataclass(frozen=True)
class Stored:
    """An answer as diskcache holds it: when stored, and the file holding a large value."""

    at: float
    filename: str | None
    size: int

    def intact(self, cache_dir: Path) -> bool:
        """A value kept in its own file is still there, whole (someone may tidy the cache)."""
        if self.filename is None:
            return True
        try:
            return (cache_dir / self.filename).stat().st_size == self.size
        except OSError:
            return False


def stored_answers(cache_dir: Path) -> dict[str, Stored] | None:
    """Every answer in the cache, read from diskcache's own table (key, raw, store_time,
    filename, size) in one query; None when there is no readable cache."""
    database = cache_dir / "cache.db"
    if not database.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            rows = db.execute("SELECT key, store_time, filename, size FROM Cache WHERE raw = 1")
            return {str(key): Stored(float(at), name, int(size)) for key, at, name, size in rows}
    except (sqlite3.Error, TypeError, ValueError):
        return None


def answers_drawn_on(used: dict[str, float | None], cache_dir: Path) -> dict[str, list[float]]:
    """The run's answers with their stored times; empty when any was not fresh (fetched and
    failed, served stale, offline miss): such a run depends on more than the cache."""
    if any(until is None for until in used.values()):
        return {}
    resting = answers_resting(used, {}, cache_dir)
    return {key: list(pair) for key, pair in resting.items()} if resting else {}


def answers_resting(
    used: Mapping[str, float | None], stored_until: Mapping[str, float], cache_dir: Path
) -> dict[str, tuple[float, float]] | None:
    """Every answer a run drew on or stored: (stored at, fresh until); None when one is no
    longer in the cache. A request asked but not stored (a batch call, whose items are) is
    not one: the run rests on its items."""
    stored = stored_answers(cache_dir) or {}
    resting = {}
    for key, until in used.items():
        fresh_until = until if until is not None else stored_until.get(key)
        if fresh_until is None:
            continue
        if key not in stored:
            return None
        resting[key] = (stored[key].at, fresh_until)
    return resting


def write_stamp(settings: Settings, stamp: RunStamp) -> None:
    path = stamp_path(settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(stamp), sort_keys=True) + "\n", encoding="utf-8")
    except OSError as exc:  # costs the next run its shortcut, nothing else
        log.warning("%s not written (%s): the next run recomputes everything", path, exc)


def forget_stamp(settings: Settings) -> None:
    """A run that could not be stamped leaves none behind (the last one no longer holds)."""
    with contextlib.suppress(OSError):  # then its recorded files no longer match anyway
        stamp_path(settings).unlink(missing_ok=True)


def unchanged_run(settings: Settings, inputs: str, now: float | None = None) -> RunStamp | None:
    """The last run's stamp when nothing it read or wrote has changed; None otherwise (no
    stamp, a damaged one, or anything different: then the run recomputes)."""
    stamp = _load(stamp_path(settings))
    if stamp is None or stamp.inputs != inputs or not stamp.answers:
        return None
    if files_left(settings) != stamp.files:
        return None
    return stamp if still_fresh(stamp.answers, settings.cache_dir, now) else None


def still_fresh(
    answers: Mapping[str, Sequence[float]], cache_dir: Path, now: float | None = None
) -> bool:
    """Each answer (key -> [stored at, fresh until]) is in the cache as it was stored, whole,
    and still fresh: a run drawing on them now would read the same bytes."""
    stored = stored_answers(cache_dir)
    if stored is None:
        return False
    moment = time.time() if now is None else now
    try:
        for key, (stored_at, fresh_until) in answers.items():
            answer = stored.get(key)
            if answer is None or answer.at != stored_at or moment >= fresh_until:
                return False
            if not answer.intact(cache_dir):
                return False
    except (TypeError, ValueError):  # a hand-edited stamp
        return False
    return True


def _load(path: Path) -> RunStamp | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        stamp = RunStamp(**raw)
    except (OSError, ValueError, TypeError):
        return None
    shapes = [(stamp.files, dict), (stamp.answers, dict), (stamp.inputs, str),
              (stamp.summary, str), (stamp.finished, str), (stamp.warnings, list)]  # fmt: skip
    if stamp.format != STAMP_FORMAT or not all(isinstance(v, kind) for v, kind in shapes):
        return None
    if not all(isinstance(warning, str) for warning in stamp.warnings):
        return None
    return stamp
