"""Field-level validation messages in English and Arabic, from pydantic's validation errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

_ARABIC_KEY = "message_ar"


class FieldError(BaseModel):
    """One invalid field: its dotted name and what is wrong, in both languages."""

    field: str
    message: str
    message_ar: str


def bilingual_error(error_type: str, message: str, message_ar: str) -> PydanticCustomError:
    """A validation error whose Arabic message travels with it to the problem details."""
    # Braces would be read as template placeholders by pydantic.
    safe = message.replace("{", "(").replace("}", ")")
    return PydanticCustomError(error_type, safe, {_ARABIC_KEY: message_ar})


# Messages for pydantic's own error types that a client can trigger on our request bodies.
_BUILT_IN_MESSAGES: Mapping[str, tuple[str, str]] = {
    "missing": ("This field is required.", "هذا الحقل مطلوب."),
    "string_type": ("This field must be text.", "يجب أن تكون قيمة هذا الحقل نصًا."),
    "literal_error": (
        "This value is not one of the allowed choices.",
        "هذه القيمة ليست من الخيارات المسموح بها.",
    ),
    "extra_forbidden": (
        "This field is not part of the request; remove it.",
        "هذا الحقل ليس جزءًا من الطلب؛ احذفه.",
    ),
    "json_invalid": (
        "The body is not valid JSON; send a JSON object.",
        "محتوى الطلب ليس JSON صالحًا؛ أرسل كائن JSON.",
    ),
    "model_attributes_type": (
        "The body must be a JSON object.",
        "يجب أن يكون محتوى الطلب كائن JSON.",
    ),
    "dict_type": ("The body must be a JSON object.", "يجب أن يكون محتوى الطلب كائن JSON."),
    "string_too_long": ("This value is too long.", "هذه القيمة طويلة جدًا."),
    "string_too_short": ("This value is too short.", "هذه القيمة قصيرة جدًا."),
}


def field_errors(errors: Sequence[Any]) -> list[FieldError]:
    """Translate pydantic / FastAPI error dicts into bilingual field errors."""
    translated = []
    for error in errors:
        context = error.get("ctx") or {}
        english, arabic = _BUILT_IN_MESSAGES.get(
            error.get("type", ""), (error.get("msg", "Invalid value."), "قيمة غير صالحة.")
        )
        if _ARABIC_KEY in context:
            english, arabic = error.get("msg", english), context[_ARABIC_KEY]
        if error.get("type") == "literal_error" and "expected" in context:
            english = f"Use one of: {context['expected']}."
            arabic = f"استخدم إحدى القيم: {context['expected']}."
        # A JSON syntax error's location is a character offset, not a field.
        location = ("body",) if error.get("type") == "json_invalid" else error.get("loc", ())
        translated.append(
            FieldError(field=_field_name(location), message=english, message_ar=arabic)
        )
    return translated


def _field_name(location: Sequence[Any]) -> str:
    # FastAPI prefixes the part of the request ("body", "query", "header"); a client thinks
    # in field names, so keep the prefix only when nothing else names the place.
    parts = [str(part) for part in location]
    if len(parts) > 1 and parts[0] in {"body", "query", "header", "path", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "body"
