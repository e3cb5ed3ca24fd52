"""OpenAPI descriptions of the problem-details answers an endpoint can give."""

from __future__ import annotations

from typing import Any

from portal_mock.problems import PROBLEM_MEDIA_TYPE, ProblemDetails

_DESCRIPTIONS = {
    401: "Station or operator not authorised",
    404: "No person with this ID number and date of birth",
    422: "Invalid fields, with a message per field in English and Arabic",
    423: "Operator locked after repeated failed sign-ins",
    500: "Internal error",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {
            "model": ProblemDetails,
            "description": _DESCRIPTIONS.get(status, "Problem"),
            "content": {PROBLEM_MEDIA_TYPE: {}},
        }
        for status in statuses
    }
