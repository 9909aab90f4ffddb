"""Tolerant readers for the services' answers: the base of every model of an external body.

Real services change without notice (S2's `openAccessPdf` gained two keys in 2025), so a
model of an answer ignores keys it does not know at every level, takes `""` as missing,
accepts a number sent as a string (or the reverse) and takes the first item where a list
came instead of one value. Our own stage files stay strict (models.Frozen).
"""

from __future__ import annotations

import logging
import types
import typing
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

log = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=BaseModel)
ItemT = TypeVar("ItemT")


class Wire(BaseModel):
    """A model of (part of) a service's answer, read tolerantly."""

    model_config = ConfigDict(
        extra="ignore", populate_by_name=True, coerce_numbers_to_str=True, frozen=True
    )

    @model_validator(mode="before")
    @classmethod
    def _tolerate(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        by_key = _fields_by_key(cls)
        tolerated: dict[str, Any] = {}
        for key, value in data.items():
            takes_list = by_key.get(key)
            if takes_list is None:
                continue  # a key we do not know: ignored (and not validated)
            if value == "":
                continue  # "" means missing: the field's default applies
            if isinstance(value, list) and not takes_list:
                value = next((item for item in value if item not in ("", None)), None)
                if value is None:
                    continue
            tolerated[key] = value
        return tolerated


@cache
def _fields_by_key(model: type[BaseModel]) -> dict[str, bool]:
    """Every name or alias a model accepts -> whether that field takes a list."""
    fields: dict[str, bool] = {}
    for name, info in model.model_fields.items():
        takes_list = _takes_list(info.annotation)
        fields[name] = takes_list
        if info.alias:
            fields[info.alias] = takes_list
    return fields


def _takes_list(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_takes_list(arg) for arg in typing.get_args(annotation))
    return False


# A key an answer does not have, told apart from a null (the plain readers of dblp.py, s2.py).
ABSENT: Any = object()


def int_or_none(value: Any) -> int | None:
    """An integer sent as 12, "12", "12.0" or 12.0; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def each_valid(
    items: Iterable[Any],
    read: Callable[[Any], ItemT],
    where: str,
    on_bad: Callable[[str], None] | None = None,
) -> list[ItemT | None]:
    """Read items one by one: a bad item becomes None (and a message), never a failed batch."""
    out: list[ItemT | None] = []
    for index, item in enumerate(items):
        try:
            out.append(read(item))
        except (ValidationError, ValueError, TypeError) as exc:
            message = f"{where}: item {index} unreadable, skipped ({_first_problem(exc)})"
            log.warning(message)
            if on_bad is not None:
                on_bad(message)
            out.append(None)
    return out


def _first_problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "item"
        return f"{where}: {first['msg']}"
    return str(exc)
