"""`GET /v1/identity/{id_number}/reference-photo` on the real portal: the record's portrait,
rendered by the injected source (hawiya.reference_photos), for manual-entry enrollments."""

from __future__ import annotations

import base64

import cv2
import numpy as np

from simulator.subject.portrait import PORTRAIT_SIZE
from tests.support.enrollment_people import PortalCalls
from tests.support.known_people import known
from tests.support.portal_server import PortalHandle


def path(id_number: str) -> str:
    return f"/v1/identity/{id_number}/reference-photo"


def test_the_reference_photo_is_a_portrait_jpeg_that_is_never_cached(calls: PortalCalls) -> None:
    answer = calls.request("GET", path(known("eligible").id_number))

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "image/jpeg"
    assert answer.headers["cache-control"] == "no-store"
    image = cv2.imdecode(np.frombuffer(answer.content, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    assert (image.shape[1], image.shape[0]) == PORTRAIT_SIZE
    # A face on a light, plain backdrop: the corners are bright, the centre is not backdrop.
    assert image[:20, :20].mean() > 150
    assert abs(float(image[250:350, 200:280].mean()) - float(image[:20, :20].mean())) > 20


def test_asking_for_json_gives_the_same_jpeg_in_base64(calls: PortalCalls) -> None:
    id_number = known("eligible").id_number
    jpeg = calls.request("GET", path(id_number), headers={"Accept": "image/jpeg"})
    as_json = calls.request("GET", path(id_number), headers={"Accept": "application/json"})

    assert as_json.status_code == 200, as_json.text
    body = as_json.json()
    assert body["id_number"] == id_number
    assert body["media_type"] == "image/jpeg"
    assert base64.b64decode(body["jpeg_base64"]) == jpeg.content


def test_each_person_has_their_own_photo(calls: PortalCalls) -> None:
    first = calls.request("GET", path(known("eligible").id_number))
    second = calls.request("GET", path(known("already_registered").id_number))

    assert first.status_code == second.status_code == 200
    assert first.content != second.content


def test_an_unknown_person_or_malformed_number_is_refused(calls: PortalCalls) -> None:
    unknown = calls.request("GET", path("1000000008"))
    malformed = calls.request("GET", path("12345"))

    assert unknown.status_code == 404
    assert unknown.json()["title_ar"]
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["field"] == "id_number"


def test_the_photo_needs_the_station_and_the_operator(
    portal: PortalHandle, calls: PortalCalls
) -> None:
    no_token = PortalCalls(portal, calls.client, "not-a-token")

    unsigned = calls.client.get(path(known("eligible").id_number))
    unknown_token = no_token.request("GET", path(known("eligible").id_number))

    assert unsigned.status_code == 401
    assert unknown_token.status_code == 401
    assert unknown_token.json()["type"].endswith("/operator-unauthorized")
