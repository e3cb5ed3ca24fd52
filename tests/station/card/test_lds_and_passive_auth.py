"""Decoding the data groups and passive authentication, without a reader: the card's files
straight from the simulator's personalisation, or its applet behind an in-memory transport."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.card.applet import CardApplet
from simulator.card.data_groups import CardHolder
from simulator.card.layout import CardFile
from simulator.card.personalise import DocumentSigner, personalise
from simulator.card.scenarios import CardScenario
from station.card.failures import CardFailure, CardReadError
from station.card.identity import CardIdentity
from station.card.lds import LdsError, parse_dg1, parse_dg2, parse_dg11
from station.card.passive_auth import NotGenuineError, verify_passive_authentication
from station.card.reading import read_and_verify


def _now() -> datetime:
    # Read at each check, not at import: the test PKI is made when first needed, which on a
    # loaded machine can be minutes after collection, and its certificates start then.
    return datetime.now(UTC)


_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def genuine_files(holder: CardHolder, signer: DocumentSigner) -> dict[CardFile, bytes]:
    """One personalisation for the property tests: ECDSA signatures differ at each signing."""
    return personalise(holder, CardScenario.VALID, signer)


def _groups(files: dict[CardFile, bytes]) -> dict[int, bytes]:
    return {1: files[CardFile.DG1], 2: files[CardFile.DG2], 11: files[CardFile.DG11]}


def test_the_data_groups_decode_to_what_was_personalised(
    holder: CardHolder, signer: DocumentSigner
) -> None:
    files = personalise(holder, CardScenario.VALID, signer)
    document = parse_dg1(files[CardFile.DG1])
    assert document.id_number == holder.id_number
    assert document.names_en == holder.names_en
    assert (document.birth_date, document.expiry_date) == (holder.birth_date, holder.expiry_date)
    assert parse_dg11(files[CardFile.DG11]) == holder.names_ar
    portrait = parse_dg2(files[CardFile.DG2])
    assert portrait.jpeg == holder.portrait_jpeg
    assert (portrait.width, portrait.height) == holder.portrait_size


@pytest.mark.parametrize(
    ("scenario", "reason"),
    [
        (CardScenario.TAMPERED, "dg_hash_mismatch"),
        (CardScenario.UNKNOWN_CA, "unknown_signer"),
    ],
)
def test_passive_authentication_names_what_failed(
    holder: CardHolder,
    signer: DocumentSigner,
    country_cas: list[x509.Certificate],
    scenario: CardScenario,
    reason: str,
) -> None:
    files = personalise(holder, scenario, signer)
    with pytest.raises(NotGenuineError) as raised:
        verify_passive_authentication(files[CardFile.SOD], _groups(files), country_cas, _now())
    assert raised.value.reason == reason


def test_a_data_group_the_sod_does_not_cover_is_refused(
    holder: CardHolder, signer: DocumentSigner, country_cas: list[x509.Certificate]
) -> None:
    files = personalise(holder, CardScenario.VALID, signer)
    groups = {**_groups(files), 3: b"\x63\x00"}
    with pytest.raises(NotGenuineError, match="DG3 is not covered"):
        verify_passive_authentication(files[CardFile.SOD], groups, country_cas, _now())


def test_a_signer_outside_its_validity_is_refused(
    holder: CardHolder, signer: DocumentSigner, country_cas: list[x509.Certificate]
) -> None:
    files = personalise(holder, CardScenario.VALID, signer)
    later = _now() + timedelta(days=20 * 365)
    with pytest.raises(NotGenuineError) as raised:
        verify_passive_authentication(files[CardFile.SOD], _groups(files), country_cas, later)
    assert raised.value.reason == "signer_expired"


@_SETTINGS
@given(st.data())
def test_a_truncated_or_garbled_file_never_yields_an_identity(
    holder: CardHolder,
    genuine_files: dict[CardFile, bytes],
    country_cas: list[x509.Certificate],
    data: st.DataObject,
) -> None:
    files = genuine_files
    victim = data.draw(st.sampled_from(sorted(files)))
    content = files[victim]
    if data.draw(st.booleans()):
        content = content[: data.draw(st.integers(0, len(content) - 1))]
    else:
        at = data.draw(st.integers(0, len(content) - 1))
        content = (
            content[:at] + bytes([content[at] ^ data.draw(st.integers(1, 255))]) + content[at + 1 :]
        )
    applet = CardApplet({**files, victim: content})
    outcome: CardIdentity | CardReadError
    try:
        outcome = read_and_verify(applet.respond, country_cas, _now(), "memory")
    except CardReadError as error:
        outcome = error
    if isinstance(outcome, CardReadError):
        assert outcome.failure in (CardFailure.CARD_UNREADABLE, CardFailure.CARD_NOT_GENUINE)
        assert outcome.message.ar
    else:
        # Only bytes outside every signed data group may change (EF.COM, unsigned SOD parts),
        # and then the identity is exactly the genuine one.
        assert victim in (CardFile.COM, CardFile.SOD)
        assert outcome.id_number == holder.id_number
        assert outcome.portrait_jpeg == holder.portrait_jpeg


@_SETTINGS
@given(st.integers(0, 60))
def test_a_card_lost_at_any_apdu_leaves_no_identity(
    genuine_files: dict[CardFile, bytes],
    country_cas: list[x509.Certificate],
    lost_at: int,
) -> None:
    applet = CardApplet(genuine_files)
    sent = 0

    def transmit(apdu: bytes) -> bytes:
        nonlocal sent
        sent += 1
        if sent > lost_at:
            raise CardReadError(CardFailure.CARD_REMOVED, "pulled out")
        return applet.respond(apdu)

    with pytest.raises(CardReadError) as raised:
        read_and_verify(transmit, country_cas, _now(), "memory")
    assert raised.value.failure is CardFailure.CARD_REMOVED


def test_the_holder_name_layout_is_checked(holder: CardHolder, signer: DocumentSigner) -> None:
    nameless = dataclasses.replace(holder, names_en=("", "", "", ""))
    files = personalise(nameless, CardScenario.VALID, signer)
    with pytest.raises(LdsError, match="holder's name"):
        parse_dg1(files[CardFile.DG1])
