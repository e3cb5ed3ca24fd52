"""The lookup result: the outcome (colour-coded), the person, and the operator's next step."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from station.bidi_text import for_display
from station.bilingual import Bilingual
from station.birth_date import hijri_of
from station.enrollment.lookup import LookupKind, LookupOutcome
from station.portal.models import IdentityRecord
from station.ui.widgets.bilingual_lines import BilingualLines, Tone

KIND_TONES: dict[LookupKind, Tone] = {
    LookupKind.ELIGIBLE: "good",
    LookupKind.ALREADY_REGISTERED: "warning",
    LookupKind.NOT_ELIGIBLE: "bad",
    LookupKind.NOT_FOUND: "bad",
    LookupKind.PORTAL_UNREACHABLE: "warning",
    LookupKind.REJECTED: "bad",
}

_HOLDER_KINDS = {
    "citizen": Bilingual("Citizen", "مواطن"),
    "resident": Bilingual("Resident", "مقيم"),
}
_INSTRUCTION = Bilingual(
    "Type the ID number and the date of birth, then press Enter.",
    "اكتب رقم الهوية وتاريخ الميلاد ثم اضغط Enter.",
)
_SEXES = {"male": Bilingual("Male", "ذكر"), "female": Bilingual("Female", "أنثى")}


class LookupResultPanel(Vertical):
    """Empty until a lookup finishes; then shows one `LookupOutcome`."""

    DEFAULT_CSS = """
    LookupResultPanel {
        border: round $primary; height: 1fr; padding: 0 1; overflow-y: auto;
    }
    LookupResultPanel.-good { border: round $success; }
    LookupResultPanel.-warning { border: round $warning; }
    LookupResultPanel.-bad { border: round $error; }
    #outcome-headline { text-style: bold; }
    #person-details { height: auto; }
    #next-step { text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__(id="lookup-result")
        self.outcome: LookupOutcome | None = None
        self.border_title = "Result · " + for_display("النتيجة")

    def compose(self) -> ComposeResult:
        yield BilingualLines(_INSTRUCTION, id="outcome-headline")
        yield Static(id="person-details")
        yield BilingualLines(id="outcome-detail")
        yield BilingualLines(id="next-step")

    def reset(self) -> None:
        self.outcome = None
        self._set_tone(None)
        self.query_one("#outcome-headline", BilingualLines).show(_INSTRUCTION)
        self.query_one("#person-details", Static).update("")
        self.query_one("#outcome-detail", BilingualLines).show(None)
        self.query_one("#next-step", BilingualLines).show(None)

    def show_busy(self) -> None:
        self.outcome = None
        self._set_tone("busy")
        self.query_one("#outcome-headline", BilingualLines).show(
            Bilingual("Looking up at the portal…", "جارٍ البحث في البوابة…"), "busy"
        )
        self.query_one("#person-details", Static).update("")
        self.query_one("#outcome-detail", BilingualLines).show(None)
        self.query_one("#next-step", BilingualLines).show(None)

    def show_outcome(self, outcome: LookupOutcome) -> None:
        self.outcome = outcome
        tone = KIND_TONES[outcome.kind]
        self._set_tone(tone)
        mark = "✔" if tone == "good" else "▲" if tone == "warning" else "✖"
        headline = outcome.headline
        self.query_one("#outcome-headline", BilingualLines).show(
            Bilingual(f"{mark} {headline.en.upper()}", headline.ar), tone
        )
        details = self.query_one("#person-details", Static)
        details.update(person_table(outcome.person) if outcome.person else "")
        details.display = outcome.person is not None
        detail = self.query_one("#outcome-detail", BilingualLines)
        detail.show(outcome.detail, "neutral")
        detail.display = outcome.detail is not None
        self.query_one("#next-step", BilingualLines).show(
            Bilingual(f"Next: {outcome.next_step.en}", f"التالي: {outcome.next_step.ar}"), tone
        )

    def _set_tone(self, tone: Tone | None) -> None:
        for name in ("good", "warning", "bad", "busy"):
            self.set_class(name == tone, f"-{name}")


def person_table(person: IdentityRecord) -> Table:
    """The Latin name on the left, the Arabic name (shaped) beside it, then the facts."""
    table = Table.grid(expand=True, padding=(0, 1))
    table.add_column(ratio=1)
    table.add_column(ratio=1, justify="right", no_wrap=True)
    table.add_row(Text(person.name_en, style="bold"), Text(for_display(person.name_ar), "bold"))
    kind = _HOLDER_KINDS.get(person.kind, Bilingual(person.kind, person.kind))
    sex = _SEXES.get(person.sex, Bilingual(person.sex, person.sex))
    status = "" if person.status == "active" else f" · {person.status.upper()}"
    facts = Text(f"ID {person.id_number} · {kind.en} · {sex.en} · {person.nationality}{status}")
    hijri = person.birth_date_hijri or hijri_of(person.birth_date)
    facts.append(f"\nBorn {person.birth_date.isoformat()} = {hijri} AH (Hijri)")
    account = "has a portal account" if person.has_portal_account else "no portal account"
    facts.append(f"\nID expiry {person.id_expiry.isoformat()} · {account}")
    grid = Table.grid(expand=True)
    grid.add_row(table)
    grid.add_row(facts)
    return grid
