"""Text a person reads, always in English and Arabic together (Arabic in logical order)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bilingual:
    """One message in both languages; the UI decides how to lay them out and shape the Arabic."""

    en: str
    ar: str

    def __str__(self) -> str:
        return f"{self.en} / {self.ar}"

    def join(self, other: Bilingual, separator: str = " ") -> Bilingual:
        return Bilingual(f"{self.en}{separator}{other.en}", f"{self.ar}{separator}{other.ar}")
