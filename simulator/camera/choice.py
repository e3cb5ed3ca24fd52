"""Who (or what) stands in front of the camera, as the admin endpoint and the command line
choose it: a person by ID number or by face seed, a scenario, and optionally an attack."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from simulator.camera.population_lookup import PersonNotFoundError, lookup_identity
from simulator.camera.presentation import LivePresentation, Presentation
from simulator.subject.attacks import AttackKind, attack_presentation
from simulator.subject.behaviour import Scenario
from simulator.subject.identity import FaceIdentity, make_identity
from simulator.subject.live_scene import CameraSettings
from simulator.subject.prompts import PromptSource


class ChoiceError(ValueError):
    """The choice cannot be shown; `en` and `ar` say why and what to do."""

    def __init__(self, en: str, ar: str) -> None:
        super().__init__(en)
        self.en = en
        self.ar = ar


@dataclass(frozen=True)
class SubjectChoice:
    id_number: str | None = None
    face_seed: int | None = None
    sex: str = "male"
    age: float = 35.0
    nationality: str = "SAU"
    scenario: Scenario = Scenario.COOPERATIVE
    attack: AttackKind | None = None
    behaviour_seed: int | None = None
    reaction_s: float | None = None  # fixed reaction to each prompt; None: human timing

    def identity(self, db_url: str | None) -> FaceIdentity | None:
        if self.id_number is not None:
            if db_url is None:
                raise ChoiceError(
                    "The camera was started without a population database, so it cannot find "
                    "a person by ID number. Restart it with --db, or choose a face seed.",
                    "بدأت الكاميرا دون قاعدة بيانات السكان، فلا يمكنها إيجاد شخص برقم الهوية. "
                    "أعد تشغيلها مع ‎--db‎ أو اختر بذرة وجه.",
                )
            try:
                return lookup_identity(db_url, self.id_number)
            except PersonNotFoundError as error:
                raise ChoiceError(
                    f"{error}. Check the ID number, or choose a face seed instead.",
                    f"لم يُعثر على الشخص صاحب رقم الهوية {self.id_number} في قاعدة بيانات السكان. "
                    "تحقق من الرقم أو اختر بذرة وجه بدلًا منه.",
                ) from error
        if self.face_seed is not None:
            if self.face_seed < 0:
                raise ChoiceError(
                    "A face seed is a whole number of 0 or more. Choose another seed.",
                    "بذرة الوجه عدد صحيح يساوي صفرًا أو أكبر. اختر بذرة أخرى.",
                )
            return make_identity(self.face_seed, self.sex, self.age, self.nationality)
        return None

    def presentation(
        self,
        db_url: str | None,
        settings: CameraSettings,
        prompts: PromptSource | None,
        clock: Callable[[], float],
    ) -> Presentation:
        identity = self.identity(db_url)
        start = clock()
        if self.attack is None:
            return LivePresentation(
                identity,
                settings,
                scenario=self.scenario,
                behaviour_seed=self.behaviour_seed,
                prompts=prompts,
                start=start,
                reaction_s=self.reaction_s,
            )
        if identity is None:
            raise ChoiceError(
                f"An attack ({self.attack.value}) needs a victim: choose the person whose face "
                "the attacker presents (an ID number or a face seed).",
                f"يحتاج الهجوم ({self.attack.value}) إلى ضحية: اختر الشخص الذي يعرض المهاجم "
                "وجهه (رقم هوية أو بذرة وجه).",
            )
        return attack_presentation(
            self.attack,
            identity,
            settings,
            seed=self.behaviour_seed or identity.seed,
            prompts=prompts,
            start=start,
        )
