"""One frozen settings object, built by the CLI from flags and the environment, passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.sources import SOURCES, Source

DAY = 24 * 3600.0
# The sources an abstract may come from, best first (the default order).
ABSTRACT_SOURCES = ("s2", "arxiv", "crossref")


@dataclass(frozen=True)
class SourceSettings:
    """How we talk to one source: where, how politely, how long answers stay fresh."""

    name: str
    base_url: str
    ttl: float  # seconds a cached answer stays fresh
    not_found_ttl: float  # seconds a cached "does not exist" answer stays fresh
    min_interval: float  # seconds between two requests (polite pacing)
    api_key: str | None = field(default=None, repr=False)  # never printed


@dataclass(frozen=True)
class Settings:
    list_path: Path = Path("catalog/papers.md")
    venues_path: Path = Path("catalog/venues.toml")  # added to the shipped table; may be absent
    venues_required: bool = False  # named with --venues: then a missing file is an input error
    overrides_path: Path | None = None  # None: overrides.toml beside the list, if there is one
    out_dir: Path = Path("output")
    work_dir: Path = Path("build")
    cache_dir: Path = Path("cache")
    offline: bool = False
    refresh: bool = False
    only: str | None = None
    ascii: bool = False
    verified_only: bool = False  # unresolved papers left out of papers.bib and papers.csl.json
    today: str | None = None  # YYYY-MM-DD for stale markers; None means the real date
    contact: str = "mlsys-bib maintainers (https://github.com/)"
    timeout: float = 30.0
    max_attempts: int = 5
    max_wait: float = 120.0  # total seconds of back-off per request before giving up
    backoff: float = 1.0  # seconds; the n-th retry waits about backoff * 2**n (jittered)
    breaker_threshold: int = 5  # consecutive failed requests that open a source's circuit
    wall_budget: float = 900.0  # seconds of bot-wall pauses per source before giving up
    wall_first_wait: float = 30.0  # seconds of the first pause on a bot wall (then x1.5)
    wall_max_wait: float = 300.0  # no single bot-wall pause is longer
    wall_interval: float = 2.0  # pacing floor (seconds) for a source once it showed a wall

    @property
    def overrides_file(self) -> Path:
        """The overrides that belong to the list: named explicitly, or beside the list."""
        return self.overrides_path or self.list_path.parent / "overrides.toml"

    dblp: SourceSettings = SourceSettings(
        name="dblp",
        base_url="https://dblp.org",
        ttl=28 * DAY,
        not_found_ttl=7 * DAY,
        min_interval=1.5,
    )
    s2: SourceSettings = SourceSettings(
        name="s2",
        base_url="https://api.semanticscholar.org/graph/v1",
        ttl=1 * DAY,
        not_found_ttl=1 * DAY,
        min_interval=1.0,
    )
    # Abstracts rarely change: answers (an abstract, or none) stay fresh for weeks.
    arxiv: SourceSettings = SourceSettings(
        name="arxiv",
        base_url="https://export.arxiv.org/api",
        ttl=28 * DAY,
        not_found_ttl=28 * DAY,
        min_interval=3.0,  # arXiv's terms: at most one request every 3 seconds
    )
    crossref: SourceSettings = SourceSettings(
        name="crossref",
        base_url="https://api.crossref.org",
        ttl=28 * DAY,
        not_found_ttl=28 * DAY,
        min_interval=1.0,  # the public pool's limit for lists; the polite pool allows 3/s
    )
    # Where an abstract comes from when several sources have one, best first.
    abstract_sources: tuple[str, ...] = ABSTRACT_SOURCES


def _float_env(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise InputError(f"environment variable {name}={raw!r} is not a number") from exc
    if value < 0:
        raise InputError(f"environment variable {name}={raw!r} must not be negative")
    return value


def _base_url(env: Mapping[str, str], name: str, default: str) -> str:
    url = (env.get(name) or default).rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise InputError(f"environment variable {name}={url!r} is not an http(s) URL")
    return url


def _source(env: Mapping[str, str], source: Source) -> SourceSettings:
    """{env}_API_BASE, {env}_TTL_DAYS, {env}_NOT_FOUND_TTL_DAYS, {env}_MIN_INTERVAL (and
    {env}_API_KEY for a source that takes one) over the source's defaults."""
    default: SourceSettings = getattr(Settings, source.name)
    prefix = source.env
    return SourceSettings(
        name=source.name,
        base_url=_base_url(env, f"{prefix}_API_BASE", default.base_url),
        ttl=_float_env(env, f"{prefix}_TTL_DAYS", default.ttl / DAY) * DAY,
        not_found_ttl=_float_env(env, f"{prefix}_NOT_FOUND_TTL_DAYS", default.not_found_ttl / DAY)
        * DAY,
        min_interval=_float_env(env, f"{prefix}_MIN_INTERVAL", default.min_interval),
        api_key=(env.get(f"{prefix}_API_KEY") or None) if source.takes_key else None,
    )


def abstract_sources_from_env(env: Mapping[str, str]) -> tuple[str, ...]:
    """ABSTRACT_SOURCES: the sources an abstract may come from, best first ('s2,arxiv,crossref')."""
    raw = env.get("ABSTRACT_SOURCES")
    if raw is None or not raw.strip():
        return Settings.abstract_sources
    names = tuple(name.strip().casefold() for name in raw.split(",") if name.strip())
    unknown = [name for name in names if name not in ABSTRACT_SOURCES]
    if unknown or len(set(names)) != len(names):
        raise InputError(
            f"environment variable ABSTRACT_SOURCES={raw!r}: give each of "
            f"{', '.join(ABSTRACT_SOURCES)} at most once, comma-separated"
        )
    return names


def sources_from_env(env: Mapping[str, str]) -> dict[str, SourceSettings]:
    """Every source's settings: see _source for the knobs."""
    return {source.name: _source(env, source) for source in SOURCES}


def settings_from_env(env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from the environment, then explicit overrides (CLI flags) on top."""
    env = os.environ if env is None else env
    sources = sources_from_env(env)
    values: dict[str, object] = {
        **sources,
        "abstract_sources": abstract_sources_from_env(env),
        "timeout": _float_env(env, "HTTP_TIMEOUT", Settings.timeout),
        "max_attempts": int(_float_env(env, "HTTP_MAX_ATTEMPTS", Settings.max_attempts)),
        "max_wait": _float_env(env, "HTTP_MAX_WAIT", Settings.max_wait),
        "backoff": _float_env(env, "HTTP_BACKOFF", Settings.backoff),
        "breaker_threshold": int(
            _float_env(env, "HTTP_BREAKER_THRESHOLD", Settings.breaker_threshold)
        ),
        "wall_budget": _float_env(env, "HTTP_WALL_BUDGET", Settings.wall_budget),
        "wall_first_wait": _float_env(env, "HTTP_WALL_FIRST_WAIT", Settings.wall_first_wait),
        "wall_interval": _float_env(env, "HTTP_WALL_INTERVAL", Settings.wall_interval),
    }
    if env.get("CONTACT_EMAIL"):
        values["contact"] = env["CONTACT_EMAIL"]
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)  # type: ignore[arg-type]


# -- the paths a stage uses, checked before any work (exit 2 with the path, not a traceback) --

FILE_OPTIONS = {"list_path": "--list", "venues_path": "--venues", "overrides_path": "--overrides"}
FOLDER_OPTIONS = {"out_dir": "--out", "work_dir": "--work", "cache_dir": "--cache"}


def check_paths(settings: Settings, used: list[str], writes: bool = True) -> None:
    """The stage's files must be files and its folders folders (or creatable, in a writable
    place, unless the stage only reads them: `writes`): a file where a folder is expected, or
    the other way round, is an input error."""
    for name in used:
        if name in FILE_OPTIONS:
            path = settings.overrides_file if name == "overrides_path" else getattr(settings, name)
            if path.is_dir():
                raise InputError(
                    f"{path}: is a folder, not a file (give a file with {FILE_OPTIONS[name]} PATH)"
                )
        elif name in FOLDER_OPTIONS:
            _check_folder(getattr(settings, name), FOLDER_OPTIONS[name], writes)


def _check_folder(path: Path, option: str, writes: bool) -> None:
    """`path` is a folder, or can be made: its nearest existing ancestor is a writable folder."""
    for place in (path, *path.absolute().parents):
        if not place.exists():
            continue
        if not place.is_dir():
            if place == path:
                raise InputError(f"{path}: is a file, not a folder (named by {option})")
            raise InputError(f"{path}: cannot be made, {place} is a file (named by {option})")
        if writes and not os.access(place, os.W_OK | os.X_OK):
            raise InputError(f"{path}: cannot write in {place}: permission denied ({option})")
        return
