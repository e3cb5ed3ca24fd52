"""Reading the card's files over any APDU transport, then verifying them into a `CardIdentity`.

The transport is a function: command APDU bytes in, response APDU bytes out (PC/SC on the booth,
anything in a test). It raises `CardReadError` itself when the card is lost or mute.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from cryptography import x509

from station.card.apdu import (
    EXTENDED_LE_MAX,
    SHORT_LE_MAX,
    ApduError,
    CardStatusError,
    CommandApdu,
    ResponseApdu,
    get_response,
    read_binary,
    read_binary_odd,
    select_application,
    select_file,
)
from station.card.failures import CardFailure, CardReadError
from station.card.identity import CardIdentity
from station.card.layout import APPLICATION_AID, DATA_GROUPS, MAX_FILE_BYTES, CardFile
from station.card.lds import LdsError, parse_com, parse_dg1, parse_dg2, parse_dg11
from station.card.passive_auth import NotGenuineError, verify_passive_authentication
from station.card.tlv import TlvError, read_header, read_tlv

Transmit = Callable[[bytes], bytes]
_HEADER_PROBE = 8  # enough for any tag (3) and length (4) of our files
_MAX_CHAINED_RESPONSES = 256


class CardSession:
    """ISO/IEC 7816-4 over a transport: chaining with GET RESPONSE, extended length when the
    card takes it (short reads otherwise), the odd READ BINARY past offset 32767."""

    def __init__(self, transmit: Transmit, *, extended_length: bool = True) -> None:
        self._transmit = transmit
        self.extended_length = extended_length
        self.apdus = 0

    def exchange(self, command: CommandApdu) -> ResponseApdu:
        response = self._send(command)
        if response.sw1 == 0x6C:  # wrong Le: the card says how many bytes it has
            response = self._send(
                CommandApdu(
                    command.cla,
                    command.ins,
                    command.p1,
                    command.p2,
                    command.data,
                    response.sw2 or SHORT_LE_MAX,
                )
            )
        data = bytearray(response.data)
        for _ in range(_MAX_CHAINED_RESPONSES):
            if response.sw1 != 0x61:
                return ResponseApdu(bytes(data), response.sw)
            wanted = response.sw2 or (EXTENDED_LE_MAX if self.extended_length else SHORT_LE_MAX)
            response = self._send(get_response(wanted))
            data += response.data
        raise ApduError("the card keeps announcing more data (61xx) without end")

    def _send(self, command: CommandApdu) -> ResponseApdu:
        self.apdus += 1
        return ResponseApdu.parse(self._transmit(command.encode()))

    def select_application(self) -> None:
        response = self.exchange(select_application(APPLICATION_AID))
        if response.sw != 0x9000:
            raise CardStatusError("SELECT the ID application", response.sw)

    def read_file(self, card_file: CardFile) -> bytes:
        """The whole file: its TLV header tells how long it is."""
        response = self.exchange(select_file(card_file.value))
        if response.sw != 0x9000:
            raise CardStatusError(f"SELECT {card_file.name}", response.sw)
        head = self._read(0, _HEADER_PROBE)
        try:
            _, length, header = read_header(head)
        except TlvError as error:
            raise LdsError(f"{card_file.name} has no valid TLV header: {error}") from error
        total = header + length
        if total > MAX_FILE_BYTES:
            raise LdsError(f"{card_file.name} claims {total} bytes, more than a card file holds")
        content = bytearray(head[:total])
        while len(content) < total:
            chunk = self._read(len(content), total - len(content))
            if not chunk:
                raise LdsError(f"{card_file.name} ended after {len(content)} of {total} bytes")
            content += chunk
        return bytes(content[:total])

    def _read(self, offset: int, wanted: int) -> bytes:
        limit = EXTENDED_LE_MAX - 1 if self.extended_length else SHORT_LE_MAX
        wanted = min(wanted, limit)
        if offset > 0x7FFF:
            response = self.exchange(read_binary_odd(offset, min(wanted + 4, limit)))
            self._check_read(response, offset)
            item, _ = read_tlv(response.data)
            if item.tag != 0x53:
                raise ApduError(f"READ BINARY (odd) answered tag {item.tag:X}, not 53")
            return item.value
        response = self.exchange(read_binary(offset, wanted))
        if response.sw == 0x6700 and self.extended_length and wanted > SHORT_LE_MAX:
            self.extended_length = False  # the card (or reader) takes short APDUs only
            return self._read(offset, wanted)
        self._check_read(response, offset)
        return response.data

    @staticmethod
    def _check_read(response: ResponseApdu, offset: int) -> None:
        if not response.ok:
            raise CardStatusError(f"READ BINARY at {offset}", response.sw)


def read_and_verify(
    transmit: Transmit,
    country_cas: Sequence[x509.Certificate],
    now: datetime,
    reader: str,
    *,
    today: date | None = None,
) -> CardIdentity:
    """Read EF.COM, EF.SOD, DG1, DG11, DG2; verify passive authentication; return the identity.

    Raises `CardReadError`: CARD_UNREADABLE (not our card, malformed files), CARD_NOT_GENUINE,
    CARD_EXPIRED (genuine, but expired on `today`), or whatever the transport raised (removed,
    not answering). Nothing of a half-read card escapes: the identity exists only at the end.
    """
    session = CardSession(transmit)
    try:
        session.select_application()
        listed = parse_com(session.read_file(CardFile.COM))
        sod = session.read_file(CardFile.SOD)
        files = {card_file: session.read_file(card_file) for card_file in DATA_GROUPS}
    except CardStatusError as error:
        raise CardReadError(CardFailure.CARD_UNREADABLE, str(error)) from error
    except (ApduError, LdsError, TlvError) as error:
        raise CardReadError(CardFailure.CARD_UNREADABLE, str(error)) from error
    missing = [f.name for f, (_, tag) in DATA_GROUPS.items() if tag not in listed]
    if missing:
        raise CardReadError(CardFailure.CARD_UNREADABLE, f"EF.COM does not list {missing}")
    by_number = {DATA_GROUPS[f][0]: content for f, content in files.items()}
    try:
        authentication = verify_passive_authentication(sod, by_number, country_cas, now)
    except NotGenuineError as error:
        raise CardReadError(CardFailure.CARD_NOT_GENUINE, str(error)) from error
    try:
        document = parse_dg1(files[CardFile.DG1])
        names_ar = parse_dg11(files[CardFile.DG11])
        portrait = parse_dg2(files[CardFile.DG2])
    except LdsError as error:
        # Signed but malformed: the issuer's fault, still not a card we can use.
        raise CardReadError(CardFailure.CARD_UNREADABLE, str(error)) from error
    identity = CardIdentity(
        id_number=document.id_number,
        names_en=document.names_en,
        names_ar=names_ar,
        nationality=document.nationality,
        sex=document.sex,
        birth_date=document.birth_date,
        expiry_date=document.expiry_date,
        issuing_state=document.issuing_state,
        portrait_jpeg=portrait.jpeg,
        portrait_size=(portrait.width, portrait.height),
        authentication=authentication,
        reader=reader,
    )
    if identity.expired_on(today or now.date()):
        raise ExpiredCardError(identity)
    return identity


class ExpiredCardError(CardReadError):
    """A genuine card past its expiry date; `identity` is what it says (verified)."""

    def __init__(self, identity: CardIdentity) -> None:
        super().__init__(CardFailure.CARD_EXPIRED, f"expired on {identity.expiry_date}")
        self.identity = identity
