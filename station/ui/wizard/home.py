"""The home screen when the station has the enrollment parts: key n opens the wizard."""

from __future__ import annotations

from station.ui.screens.home import HomeScreen
from station.ui.wizard.flow import EnrollmentWizard
from station.ui.wizard.parts import WizardParts


class WizardHomeScreen(HomeScreen):
    def action_new_enrollment(self) -> None:
        parts = getattr(self.app, "enrollment_parts", None)
        if not isinstance(parts, WizardParts):  # no parts: the bare lookup step, as before
            super().action_new_enrollment()
            return
        EnrollmentWizard(self.app, parts, self.session, self._station_id).start()
