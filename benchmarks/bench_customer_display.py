"""Customer display: time from the station's `show()` to the event arriving at two listeners
(the page and the simulated subject) over loopback SSE, and what `show()` itself costs the
caller. Baseline: one plain HTTP GET round trip to the same server, in the same process."""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import httpx

from station.customer_display.model import DisplayScreen, DisplayUpdate
from station.customer_display.server import CustomerDisplayServer

UPDATES = 300


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


async def _measure(display: CustomerDisplayServer) -> tuple[list[float], list[float], list[float]]:
    timeout = httpx.Timeout(5.0, read=None)
    async with httpx.AsyncClient(timeout=timeout, trust_env=False) as client:
        round_trips = []
        for _ in range(50):
            started = time.perf_counter()
            (await client.get(f"{display.base_url}/state")).raise_for_status()
            round_trips.append((time.perf_counter() - started) * 1000)
        streams = [
            client.stream("GET", display.events_url, headers={"Accept": "text/event-stream"})
            for _ in range(2)
        ]
        responses = [await stream.__aenter__() for stream in streams]
        try:
            lines = [response.aiter_lines() for response in responses]

            async def wait_for(marker: str, listener: int) -> float:
                async for line in lines[listener]:
                    if marker in line:
                        return time.perf_counter()
                raise RuntimeError("the stream ended")

            for listener in range(2):  # the idle screen every new listener gets first
                await wait_for("idle", listener)
            latencies, show_costs = [], []
            for n in range(UPDATES):
                marker = f'"message_en":"bench {n}"'
                waiting = [asyncio.create_task(wait_for(marker, i)) for i in range(2)]
                started = time.perf_counter()
                display.show(DisplayUpdate(DisplayScreen.FACE, message_en=f"bench {n}"))
                show_costs.append((time.perf_counter() - started) * 1e6)
                arrived = await asyncio.gather(*waiting)
                latencies.append((max(arrived) - started) * 1000)
        finally:
            for stream in streams:
                await stream.__aexit__(None, None, None)
    return latencies, show_costs, round_trips


def run() -> list[dict[str, Any]]:
    with CustomerDisplayServer() as display:
        latencies, show_costs, round_trips = asyncio.run(_measure(display))
    baseline = statistics.median(round_trips)
    name = "customer_display"
    note = f"{UPDATES} updates, 2 listeners, loopback"
    return [
        {
            "benchmark": name,
            "figure": "show() to both listeners, median",
            "value": statistics.median(latencies),
            "unit": "ms",
            "baseline": baseline,
            "note": f"{note}; baseline: GET /state round trip (median of 50)",
        },
        {
            "benchmark": name,
            "figure": "show() to both listeners, p95",
            "value": _p95(latencies),
            "unit": "ms",
            "baseline": baseline,
            "note": note,
        },
        {
            "benchmark": name,
            "figure": "show() call, median",
            "value": statistics.median(show_costs),
            "unit": "µs",
            "note": "what the enrollment core pays per update (it never waits for listeners)",
        },
    ]


if __name__ == "__main__":
    from benchmarks.table import format_table

    print(format_table(run()))
