"""The project's own exception tree; the CLI alone turns these into messages and exit codes."""

from __future__ import annotations


class PipelineError(Exception):
    """Base of every expected failure."""


class InputError(PipelineError):
    """Bad input or configuration (exit status 2); the message names the file and line."""


class KeyRefused(InputError):
    """A source refused our API key (HTTP 401/403): a configuration error, the run stops."""


class SourceError(PipelineError):
    """A request to an external source failed; `source` names it (dblp, s2)."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.detail = message


class NotFound(SourceError):
    """The source answered definitely that the thing does not exist (cacheable)."""


class Transient(SourceError):
    """Worth retrying: 429, 5xx, timeouts, connection errors."""


class BadResponse(SourceError):
    """The source answered something it does not promise (HTML for JSON, truncated, bad shape)."""


class Unavailable(SourceError):
    """The source is not asked: circuit open after repeated failures, or offline cache miss."""


class LockedError(PipelineError):
    """Another run holds the output folder's lock (exit status 1, nothing written)."""
