"""Writing files so that a crash never leaves a half-written output behind."""

from __future__ import annotations

import ctypes
import fcntl
import logging
import os
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pipeline.errors import InputError, LockedError

if TYPE_CHECKING:  # the run lock and atomic writes load neither (a warm no-op run uses them)
    from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound="BaseModel")
_UMASK = os.umask(0)
os.umask(_UMASK)


def write_text_atomic(path: Path, text: str | bytes) -> None:
    """Write via a temporary file in the same folder, fsync, then rename over the target.

    `text` may be UTF-8 bytes already, which spares a copy of large files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def to_json(data: Any) -> bytes:
    """Deterministic JSON as UTF-8: sorted keys, indented, a trailing newline for clean diffs."""
    import orjson

    options = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
    return orjson.dumps(data, option=options)


def write_model(path: Path, model: BaseModel) -> None:
    """A stage file: compact JSON in field order, straight from pydantic's serializer."""
    import pydantic_core

    write_text_atomic(path, pydantic_core.to_json(model, by_alias=True) + b"\n")


def first_error(exc: ValidationError) -> str:
    """'override.0.doi: String should match pattern ...': where, then what."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}"


def read_toml(path: Path) -> dict[str, Any]:
    """A hand-edited TOML file; a syntax error is an input error naming the file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid TOML ({exc})") from exc


def load_model(path: Path, model_type: type[ModelT]) -> ModelT:
    """Read a stage file; a missing or damaged one is an input error naming the file."""
    from pydantic import ValidationError

    try:
        data = path.read_bytes()  # pydantic validates UTF-8 bytes itself: no str copy
    except FileNotFoundError as exc:
        raise InputError(f"{path}: not found (run the previous stage first)") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from exc
    try:
        return model_type.model_validate_json(data)
    except ValidationError as exc:
        raise InputError(f"{path}: not a valid {model_type.__name__} ({first_error(exc)})") from exc


# -- publishing a set of files at once ---------------------------------------------------

_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result != 0:
        errno = ctypes.get_errno()
        if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this filesystem cannot
            return False
        raise OSError(errno, os.strerror(errno), str(a))
    return True


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def clear_leftovers(out_dir: Path) -> None:
    """Remove staging folders a killed run left next to `out_dir` (callers hold the lock)."""
    for leftover in out_dir.parent.glob(f".{out_dir.name}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def publish(out_dir: Path, files: dict[str, str | bytes]) -> None:
    """Replace the given files in `out_dir` as one set: readers, and a crash at any moment,
    see either all the old files or all the new ones.

    The new set is built in a sibling folder (other files of `out_dir` are carried over), then
    exchanged with `out_dir` in one atomic rename. Where the filesystem cannot exchange, the
    files are renamed one by one (each still atomic) and a warning says so.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    clear_leftovers(out_dir)
    staging = out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"
    staging.mkdir()
    try:
        if out_dir.exists():
            for entry in out_dir.iterdir():
                if entry.name in files:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.copytree(entry, staging / entry.name, symlinks=True)
                else:
                    shutil.copy2(entry, staging / entry.name, follow_symlinks=False)
        for name, text in files.items():
            write_text_atomic(staging / name, text)
        _fsync_dir(staging)
        if not out_dir.exists():
            os.rename(staging, out_dir)
        elif _exchange(staging, out_dir):
            shutil.rmtree(staging)  # now holds the old set
        else:
            logging.getLogger(__name__).warning(
                "%s: this filesystem cannot swap folders atomically; replacing files one by one",
                out_dir,
            )
            for name in files:
                os.replace(staging / name, out_dir / name)
            shutil.rmtree(staging)
        _fsync_dir(out_dir.parent)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


# -- one run at a time -------------------------------------------------------------------


class RunLock:
    """An exclusive lock on an output folder, so two runs never interleave their writes."""

    def __init__(self, out_dir: Path) -> None:
        out_dir = out_dir.resolve()
        self.path = out_dir.parent / f".{out_dir.name}.lock"
        self._handle: Any = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the run
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "another run"
            handle.close()
            raise LockedError(
                f"another run ({holder}) is already writing next to {self.path.parent}; "
                f"nothing was written. Try again when it has finished (lock: {self.path})"
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"run pid {os.getpid()}")
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()  # closing releases the flock; the file itself may stay
            self._handle = None
