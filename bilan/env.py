"""Strict readers for settings taken from environment variables.

A typo in a boolean or an integer must stop the process at start-up rather
than silently fall back to a default. A ``NAME_FILE`` variable, when set, is
read instead of ``NAME`` so that secrets can come from files (systemd
credentials, container secrets).
"""

import os
from collections.abc import Callable
from typing import TypeVar

Number = TypeVar("Number", int, float)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigurationError(Exception):
    pass


def env_str(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            with open(file_name, encoding="utf-8") as handle:
                return handle.read().strip()
        except OSError as error:
            raise ConfigurationError(f"{name}_FILE: cannot read {file_name}: {error}") from error
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name}={raw!r} is not a boolean (use true/false, 1/0, yes/no, on/off)")


def _env_number(name: str, default: Number, convert: Callable[[str], Number], what: str) -> Number:
    """``convert(raw)`` of the variable; ``default`` when unset or blank; refused when it does not convert."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return convert(raw)
    except ValueError as error:
        raise ConfigurationError(f"{name}={raw!r} is not {what}") from error


def env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "an integer")


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]
