"""The test PKI, its document signer and country CA, and a card holder, for the card tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509

from fixtures.pki import TestPki, ensure_test_pki
from simulator.card.data_groups import CardHolder
from simulator.card.personalise import DocumentSigner, load_document_signer
from tests.station.card.cards import make_holder


@pytest.fixture(scope="session")
def card_pki(tmp_path_factory: pytest.TempPathFactory) -> TestPki:
    return ensure_test_pki(tmp_path_factory.mktemp("card-pki"))


@pytest.fixture(scope="session")
def signer(card_pki: TestPki) -> DocumentSigner:
    return load_document_signer(card_pki.directory)


@pytest.fixture(scope="session")
def country_cas(card_pki: TestPki) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(card_pki.country_ca.read_bytes())


@pytest.fixture(scope="session")
def holder() -> CardHolder:
    return make_holder()


@pytest.fixture
def pki_dir(card_pki: TestPki) -> Path:
    return card_pki.directory
