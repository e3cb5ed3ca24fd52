"""Text a person reads (an operator hint, an error): what happened and what to do next, in
English and Arabic."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BilingualMessage:
    """One message in English and Arabic; the station shows both."""

    en: str
    ar: str

    def __str__(self) -> str:
        return f"{self.en} / {self.ar}"
