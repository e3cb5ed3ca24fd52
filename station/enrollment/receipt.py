"""The citizen's receipt: enrollment id, name in English and Arabic, the date in Gregorian and
Hijri (Umm al-Qura), and a QR code of the enrollment id; as a PDF and as lines for the screen.

Nothing biometric is on it. Arabic is shaped here (arabic-reshaper, then the bidi algorithm)
because fpdf2 shapes text only with uharfbuzz, which the booth does not install.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

import qrcode
from fpdf import FPDF
from hijridate import Gregorian

from station.bidi_text import for_display
from station.bilingual import Bilingual
from station.enrollment.local_time import SAUDI_TIME

# Debian's fonts-dejavu-core (installed by ./dev): DejaVu Sans carries the Arabic
# presentation forms that shaped text is written in.
DEJAVU_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


class ReceiptFontMissingError(RuntimeError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The receipt font {path} is missing: install the Debian package fonts-dejavu-core "
            "(./dev installs it), or set the font path, then print again. / "
            f"خط الإيصال {path} غير موجود: ثبّت الحزمة fonts-dejavu-core ثم أعد الطباعة."
        )
        self.path = path


@dataclass(frozen=True, slots=True)
class Receipt:
    enrollment_id: str
    name_en: str
    name_ar: str  # logical order
    issued_at: datetime  # aware UTC
    station_id: str


@dataclass(frozen=True, slots=True)
class ReceiptDates:
    gregorian: str  # "2025-03-01"
    hijri: str  # "1446-09-01"
    hijri_en: str  # "1 Ramadan 1446 AH"
    hijri_ar: str  # "1 رمضان 1446 هـ"


def receipt_dates(issued_at: datetime, tz: tzinfo = SAUDI_TIME) -> ReceiptDates:
    local = issued_at.astimezone(tz).date()
    hijri = Gregorian(local.year, local.month, local.day).to_hijri()
    return ReceiptDates(
        gregorian=local.isoformat(),
        hijri=f"{hijri.year:04d}-{hijri.month:02d}-{hijri.day:02d}",
        hijri_en=f"{hijri.day} {hijri.month_name('en')} {hijri.year} AH",
        hijri_ar=f"{hijri.day} {hijri.month_name('ar')} {hijri.year} هـ",
    )


def receipt_lines(receipt: Receipt, tz: tzinfo = SAUDI_TIME) -> list[Bilingual]:
    """The receipt as lines for the screen (Arabic in logical order; the UI shapes it)."""
    dates = receipt_dates(receipt.issued_at, tz)
    return [
        Bilingual("Enrollment receipt", "إيصال التسجيل"),
        Bilingual(
            f"Enrollment id: {receipt.enrollment_id}", f"رقم التسجيل: {receipt.enrollment_id}"
        ),
        Bilingual(f"Name: {receipt.name_en}", f"الاسم: {receipt.name_ar}"),
        Bilingual(f"Date: {dates.gregorian}", f"التاريخ: {dates.gregorian}"),
        Bilingual(f"Hijri date: {dates.hijri_en}", f"التاريخ الهجري: {dates.hijri_ar}"),
        Bilingual(f"Station: {receipt.station_id}", f"المحطة: {receipt.station_id}"),
        Bilingual(
            "Your portal account is active: sign in with your username and password.",
            "حسابك في البوابة مفعّل: سجّل الدخول باسم المستخدم وكلمة المرور.",
        ),
    ]


def receipt_text(receipt: Receipt, tz: tzinfo = SAUDI_TIME) -> str:
    """Plain text (English line, then Arabic line): for a log-free copy or a Rich panel."""
    return "\n".join(f"{line.en}\n{line.ar}" for line in receipt_lines(receipt, tz))


def enrollment_qr_png(enrollment_id: str) -> bytes:
    """A QR code (error correction M, 4-module quiet zone) of the enrollment id, as PNG."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(enrollment_id)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def receipt_pdf(receipt: Receipt, *, font: Path = DEJAVU_SANS, tz: tzinfo = SAUDI_TIME) -> bytes:
    """The receipt as an A6 PDF: English left-aligned, Arabic shaped and right-aligned."""
    if not font.is_file():
        raise ReceiptFontMissingError(font)
    pdf = FPDF(format=(105, 148))  # A6, in mm
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(f"Enrollment receipt {receipt.enrollment_id}")
    pdf.set_creator("Hawiya station")
    pdf.add_font("receipt", fname=str(font))
    pdf.add_page()
    pdf.set_margins(8, 8, 8)
    width = pdf.w - 16
    pdf.set_xy(8, 8)
    for index, line in enumerate(receipt_lines(receipt, tz)):
        pdf.set_font("receipt", size=10 if index == 0 else 7.5)
        pdf.multi_cell(width, 4.2, line.en, align="L", new_x="LMARGIN", new_y="NEXT")
        # Shaped line by line: the whole Arabic line is one right-to-left paragraph.
        pdf.multi_cell(
            width,
            4.2,
            for_display(line.ar, right_to_left=True),
            align="R",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(1)
    side = 32.0
    pdf.image(
        io.BytesIO(enrollment_qr_png(receipt.enrollment_id)),
        x=(pdf.w - side) / 2,
        y=pdf.h - side - 8,
        w=side,
        h=side,
    )
    return bytes(pdf.output())
