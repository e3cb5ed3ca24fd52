"""Receipt: the enrollment id, name, dates (Gregorian and Hijri) and station on screen; p saves
the PDF (with the QR code of the id, nothing biometric) into the state directory's receipts
folder and says where."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import structlog
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from station.bilingual import Bilingual
from station.enrollment.machine import EnrollmentState
from station.enrollment.receipt import Receipt, receipt_lines, receipt_pdf
from station.ui.widgets.bilingual_lines import BilingualLines, Tone
from station.ui.wizard.base import WizardStepScreen

S = EnrollmentState
log = structlog.get_logger(__name__)


def save_receipt_pdf(receipt: Receipt, folder: Path) -> Path:
    """Write the receipt's PDF as `<enrollment id>.pdf` in `folder` (created), whole or not
    at all: a half-written file is never left under the final name."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{receipt.enrollment_id}.pdf"
    partial = path.with_suffix(".pdf.part")
    partial.write_bytes(receipt_pdf(receipt))
    partial.replace(path)
    return path


class ReceiptScreen(WizardStepScreen):
    SCREEN_ID = "wizard-receipt"
    STATES = frozenset({S.COMPLETED})
    TITLE_TEXT = Bilingual("Done: account active", "تم: الحساب مفعّل")
    STEP_ACTIONS = frozenset({"save_pdf"})

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "save_pdf", "Save PDF", id="receipt.save_pdf"),
        Binding("enter", "home", "Home", id="receipt.home"),
        Binding("escape", "home", "Home", id="receipt.home_escape", show=False),
    ]

    def compose_body(self) -> ComposeResult:
        for line in receipt_lines(self.enrollment.receipt()):
            yield BilingualLines(line, classes="receipt-line")

    def on_mount(self) -> None:
        self.show_status(
            Bilingual(
                "p saves the PDF receipt; Enter goes home.", "p يحفظ الإيصال؛ Enter للرئيسية."
            ),
            "good",
        )

    def action_save_pdf(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.refresh_bindings()
        self.show_status(Bilingual("Saving the receipt…", "جارٍ حفظ الإيصال…"), "busy")
        self._save(self.enrollment.receipt(), self.wizard.parts.receipts_dir)

    @work(exclusive=True, group="receipt-pdf", thread=True)
    def _save(self, receipt: Receipt, folder: Path) -> None:
        try:
            path = save_receipt_pdf(receipt, folder)
        except (OSError, RuntimeError) as error:  # a full disk, a missing font
            log.warning("receipt.save_failed", error=str(error))
            message = Bilingual(
                f"The receipt could not be saved: {error}. Check the disk, then press p again.",
                f"تعذّر حفظ الإيصال: {error}. افحص القرص ثم اضغط p مجددًا.",
            )
            self.app.call_from_thread(self._saved, message, "bad")
            return
        log.info("receipt.saved", path=str(path))
        self.app.call_from_thread(
            self._saved,
            Bilingual(f"Receipt saved: {path}", f"حُفظ الإيصال: {path}"),
            "good",
        )

    def _saved(self, message: Bilingual, tone: Tone) -> None:
        self.busy = False
        self.refresh_bindings()
        self.show_status(message, tone)

    def action_home(self) -> None:
        self.wizard.close()
