"""The ID card end to end on the real stack: the simulator's virtual card on vpcd, a private
pcscd, pyscard, and the station's reader adapter; one scenario per test."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from cryptography import x509

from simulator.card.data_groups import CardHolder
from simulator.card.personalise import DocumentSigner, load_person, portrait_cache_path
from simulator.card.scenarios import CardBehaviour, CardScenario
from simulator.pcsc_daemon import PcscDaemon, PcscdConfig
from station.card.failures import CardFailure, CardReadError
from station.card.reading import ExpiredCardError
from station.devices.card_reader import (
    CardEvent,
    CardIdentityRead,
    CardInserted,
    CardReadFailed,
    CardRemoved,
    CardWatcher,
    PcscCardReader,
)
from tests.station.card.cards import (
    READERS,
    card_files,
    inserted,
    synthetic_portrait,
    wait_for_reader,
)
from tests.support.known_people import insert_known_people, known_people

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module", autouse=True)
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PcscDaemon]:
    with PcscDaemon(PcscdConfig(tmp_path_factory.mktemp("pcscd"))) as daemon:
        yield daemon


@pytest.fixture
def reader(country_cas: list[x509.Certificate]) -> PcscCardReader:
    return PcscCardReader(country_cas, reader_name=READERS[0], apdu_timeout_seconds=2.0)


def test_a_valid_card_yields_the_verified_identity_and_portrait(
    reader: PcscCardReader, holder: CardHolder, signer: DocumentSigner
) -> None:
    with inserted(card_files(holder, signer)):
        identity = reader.read()
    assert identity.id_number == holder.id_number
    assert identity.names_en == ("Mohammed", "Abdullah", "Saad", "Al-Qahtani")
    assert identity.name_ar == "محمد عبدالله سعد القحطاني"
    assert identity.birth_date == holder.birth_date
    assert identity.expiry_date == holder.expiry_date
    assert identity.portrait_jpeg == holder.portrait_jpeg
    assert identity.portrait_image().shape == (600, 480, 3)
    assert identity.authentication.data_groups == (1, 2, 11)
    assert "Hawiya Test CSCA" in identity.authentication.country_ca_subject
    assert identity.reader == READERS[0]


def test_an_expired_card_is_genuine_but_refused_as_expired(
    reader: PcscCardReader, holder: CardHolder, signer: DocumentSigner
) -> None:
    with (
        inserted(card_files(holder, signer, CardScenario.EXPIRED)),
        pytest.raises(ExpiredCardError) as raised,
    ):
        reader.read()
    assert raised.value.failure is CardFailure.CARD_EXPIRED
    assert raised.value.identity.expiry_date < date.today()
    assert "renew" in raised.value.message.en


def test_a_tampered_data_group_makes_the_card_not_genuine(
    reader: PcscCardReader, holder: CardHolder, signer: DocumentSigner
) -> None:
    with (
        inserted(card_files(holder, signer, CardScenario.TAMPERED)),
        pytest.raises(CardReadError) as raised,
    ):
        reader.read()
    assert raised.value.failure is CardFailure.CARD_NOT_GENUINE
    assert "dg_hash_mismatch" in raised.value.detail
    assert "DG1" in raised.value.detail


def test_a_card_signed_under_a_foreign_csca_is_not_genuine(
    reader: PcscCardReader, holder: CardHolder, signer: DocumentSigner
) -> None:
    with (
        inserted(card_files(holder, signer, CardScenario.UNKNOWN_CA)),
        pytest.raises(CardReadError) as raised,
    ):
        reader.read()
    assert raised.value.failure is CardFailure.CARD_NOT_GENUINE
    assert "unknown_signer" in raised.value.detail


def test_a_card_removed_mid_read_leaves_no_identity(
    reader: PcscCardReader, holder: CardHolder, signer: DocumentSigner
) -> None:
    behaviour = CardBehaviour(remove_mid_read=True)
    with (
        inserted(card_files(holder, signer), behaviour) as card,
        pytest.raises(CardReadError) as raised,
    ):
        reader.read()
    assert card.removed.is_set()
    assert raised.value.failure is CardFailure.CARD_REMOVED
    assert "insert it again" in raised.value.message.en


def test_a_mute_card_is_timed_out(
    country_cas: list[x509.Certificate], holder: CardHolder, signer: DocumentSigner
) -> None:
    quick = PcscCardReader(country_cas, reader_name=READERS[0], apdu_timeout_seconds=0.5)
    with inserted(card_files(holder, signer), CardBehaviour(mute_mid_read=True)) as card:
        with pytest.raises(CardReadError) as raised:
            quick.read()
        assert card.muted.is_set()
    assert raised.value.failure is CardFailure.CARD_NOT_ANSWERING
    # Once the mute card is out, the reader works again.
    with inserted(card_files(holder, signer)):
        assert quick.read().id_number == holder.id_number


def test_a_slow_card_is_read_in_full(
    reader: PcscCardReader, holder: CardHolder, signer: DocumentSigner
) -> None:
    behaviour = CardBehaviour(apdu_delay_seconds=0.01)
    with inserted(card_files(holder, signer), behaviour) as card:
        identity = reader.read()
    assert identity.id_number == holder.id_number
    assert card.counters.apdus > 10


def test_a_card_without_extended_length_is_read_with_short_apdus(
    reader: PcscCardReader, holder: CardHolder, signer: DocumentSigner
) -> None:
    with inserted(card_files(holder, signer), extended_length=False) as card:
        identity = reader.read()
    assert identity.portrait_jpeg == holder.portrait_jpeg
    assert len(holder.portrait_jpeg) > 0x7FFF  # so the odd READ BINARY was needed
    assert card.counters.apdus > len(holder.portrait_jpeg) // 256


def test_no_card_and_no_matching_reader_are_told_apart(
    country_cas: list[x509.Certificate], reader: PcscCardReader
) -> None:
    with pytest.raises(CardReadError) as no_card:
        reader.read()
    assert no_card.value.failure is CardFailure.NO_CARD
    elsewhere = PcscCardReader(country_cas, reader_name="Acme Reader")
    with pytest.raises(CardReadError) as no_reader:
        elsewhere.read()
    assert no_reader.value.failure is CardFailure.NO_READER


def test_the_watcher_reports_insertion_identity_and_removal(
    reader: PcscCardReader, holder: CardHolder, signer: DocumentSigner
) -> None:
    events: queue.Queue[CardEvent] = queue.Queue()
    watcher = CardWatcher(reader, events.put)
    watcher.start()
    try:
        with inserted(card_files(holder, signer)):
            assert events.get(timeout=10) == CardInserted(READERS[0])
            read = events.get(timeout=10)
            assert isinstance(read, CardIdentityRead)
            assert read.identity.id_number == holder.id_number
        assert events.get(timeout=10) == CardRemoved(READERS[0])
        with inserted(card_files(holder, signer, CardScenario.TAMPERED)):
            assert events.get(timeout=10) == CardInserted(READERS[0])
            failed = events.get(timeout=10)
            assert isinstance(failed, CardReadFailed)
            assert failed.error.failure is CardFailure.CARD_NOT_GENUINE
    finally:
        watcher.stop()


def _hawiya(*args: str) -> list[str]:
    return [sys.executable, "-m", "hawiya", *args]


def test_two_cards_in_two_readers_from_the_command_line(tmp_path: Path, pki_dir: Path) -> None:
    """`hawiya simulator card` as two processes, one per slot; `hawiya card read --json` reads
    each reader; the card of the expired-ID person reports expiry, not a forgery."""
    db_url = f"sqlite:///{tmp_path / 'population.db'}"
    insert_known_people(db_url)
    people = known_people()
    eligible, expired = people["eligible"], people["id_expired"]
    state_dir = tmp_path / "state"
    (state_dir / "pki").mkdir(parents=True)
    for name in ("country-ca.pem", "document-signer.pem", "document-signer-key.pem"):
        (state_dir / "pki" / name).write_bytes((pki_dir / name).read_bytes())
    env = {**os.environ, "HAWIYA_STATE_DIR": str(state_dir)}
    # The second card's portrait is already rendered (the cache the simulator keeps), so one
    # process renders a face, not two: the render itself has its own tests.
    _, issued = load_person(db_url, expired.id_number)
    cached = portrait_cache_path(state_dir / "card-portraits", expired, issued)
    cached.parent.mkdir(parents=True)
    cached.write_bytes(synthetic_portrait()[0])
    cards = [
        subprocess.Popen(
            _hawiya(
                "--state-dir",
                str(state_dir),
                "simulator",
                "card",
                "--population-db",
                db_url,
                "--person",
                person.id_number,
                "--slot",
                str(slot),
                "--pki-dir",
                str(pki_dir),
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for slot, person in ((0, eligible), (1, expired))
    ]
    try:
        for slot in (0, 1):
            wait_for_reader(READERS[slot], present=True, timeout=45)
        reports = []
        for slot in (0, 1):
            done = subprocess.run(
                _hawiya(
                    "--state-dir",
                    str(state_dir),
                    "card",
                    "read",
                    "--json",
                    "--reader",
                    READERS[slot],
                ),
                capture_output=True,
                text=True,
                timeout=30,
                env=env,
                check=False,
            )
            reports.append((done.returncode, json.loads(done.stdout)))
    finally:
        for card in cards:
            card.terminate()
        for card in cards:
            card.wait(timeout=15)
    for slot in (0, 1):
        wait_for_reader(READERS[slot], present=False)
    (ok_code, valid), (expired_code, stale) = reports
    assert ok_code == 0
    assert valid["id_number"] == eligible.id_number
    assert valid["passive_auth"] == "valid"
    assert valid["reason"] is None
    assert valid["expiry"] == eligible.id_expiry.isoformat()
    assert expired_code == 1
    assert stale["id_number"] == expired.id_number
    assert stale["passive_auth"] == "valid"
    assert stale["reason"] == "card_expired"
    assert date.fromisoformat(stale["expiry"]) < date.today() + timedelta(days=1)
