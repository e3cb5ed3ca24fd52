"""The receipt: read back from the PDF (text with pypdf, QR with OpenCV) and on screen."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pypdf
import pytest

from station.enrollment.machine import EnrollmentState
from station.enrollment.receipt import (
    Receipt,
    ReceiptFontMissingError,
    enrollment_qr_png,
    receipt_dates,
    receipt_lines,
    receipt_pdf,
    receipt_text,
)
from tests.station.enrollment.conftest import Rig, drive_to

RECEIPT = Receipt(
    enrollment_id="ENR-2025-000123",
    name_en="Mohammed Abdullah Saad Al-Qahtani",
    name_ar="محمد عبدالله سعد القحطاني",
    # 22:30 UTC is already the next day at the booth (UTC+3).
    issued_at=datetime(2025, 2, 28, 22, 30, tzinfo=UTC),
    station_id="booth-7",
)


def _page(pdf: bytes) -> pypdf.PageObject:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0]


def test_the_pdf_holds_the_id_the_names_and_both_dates() -> None:
    text = _page(receipt_pdf(RECEIPT)).extract_text()
    # The Arabic is written in presentation forms (shaped); NFKC folds them back to letters.
    logical = unicodedata.normalize("NFKC", text)

    assert "ENR-2025-000123" in text
    assert "Mohammed Abdullah Saad Al-Qahtani" in text
    assert "محمد عبدالله سعد القحطاني" in logical
    assert "2025-03-01" in text
    assert "1 Ramadan 1446 AH" in text
    assert "رمضان" in logical


def test_the_arabic_in_the_pdf_is_shaped() -> None:
    text = _page(receipt_pdf(RECEIPT)).extract_text()

    # Joined letter forms (Arabic Presentation Forms-B), not the bare letters.
    assert any("\ufe70" <= char <= "\ufefc" for char in text)


def test_the_qr_code_in_the_pdf_decodes_to_the_enrollment_id() -> None:
    page = _page(receipt_pdf(RECEIPT))

    [image] = page.images  # the QR code is the only image: no portrait on a receipt
    assert image.image is not None
    pixels = np.array(image.image.convert("L"))
    decoded, _, _ = cv2.QRCodeDetector().detectAndDecode(pixels)

    assert decoded == "ENR-2025-000123"


def test_the_qr_png_decodes_to_the_enrollment_id() -> None:
    pixels = cv2.imdecode(np.frombuffer(enrollment_qr_png("ENR-1"), np.uint8), cv2.IMREAD_GRAYSCALE)

    assert cv2.QRCodeDetector().detectAndDecode(pixels)[0] == "ENR-1"


def test_dates_are_the_booths_local_day_in_both_calendars() -> None:
    dates = receipt_dates(RECEIPT.issued_at)

    assert dates.gregorian == "2025-03-01"
    assert dates.hijri == "1446-09-01"
    assert dates.hijri_ar == "1 رمضان 1446 هـ"


def test_the_screen_version_has_the_same_facts() -> None:
    lines = receipt_lines(RECEIPT)
    text = receipt_text(RECEIPT)

    assert lines[1].en == "Enrollment id: ENR-2025-000123"
    assert lines[2].ar == "الاسم: محمد عبدالله سعد القحطاني"
    assert "1 Ramadan 1446 AH" in text


def test_a_missing_font_says_which_package_to_install(tmp_path: Path) -> None:
    with pytest.raises(ReceiptFontMissingError, match="fonts-dejavu-core"):
        receipt_pdf(RECEIPT, font=tmp_path / "DejaVuSans.ttf")


async def test_a_completed_enrollment_gives_its_receipt(rig: Rig) -> None:
    enrollment = rig.enrollment()
    await drive_to(rig, enrollment, EnrollmentState.COMPLETED)

    receipt = enrollment.receipt()
    text = _page(receipt_pdf(receipt)).extract_text()

    assert receipt.enrollment_id == "ENR-000001"
    assert receipt.issued_at == rig.clock()
    assert "ENR-000001" in text
