"""The list of common and breached passwords the portal refuses (NIST SP 800-63B 5.1.1.2).

It is the `passwords` frequency list that the `zxcvbn` package ships (MIT licence): the 30,000
most frequent passwords of a corpus of leaked passwords, plus a few words specific to this
service that an attacker would try first.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

# "Context-specific words, such as the name of the service" (SP 800-63B 5.1.1.2).
SERVICE_WORDS = frozenset({"hawiya", "absher", "tawakkalna", "nafath", "moi.gov.sa", "password"})


_MIN_CORE = 4


def normalise(text: str) -> str:
    """NFKC and lower case: SP 800-63B asks for NFKC before comparing memorised secrets."""
    return unicodedata.normalize("NFKC", text).casefold()


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(normalise(word) for word in FREQUENCY_LISTS["passwords"]) | SERVICE_WORDS


def is_common_password(password: str) -> bool:
    """Whether `password`, ignoring case, is on the list, or is a service word with digits or
    punctuation around it ("Absher2024!")."""
    candidate = normalise(password)
    if candidate in common_passwords():
        return True
    core = candidate.strip("0123456789!@#$%^&*()_-+=.?~ ")
    # A short core ("x" of "1234567x") says nothing: the password is judged as a whole.
    return len(core) >= _MIN_CORE and core != candidate and core in common_passwords()
