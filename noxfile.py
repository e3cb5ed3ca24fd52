"""Hawiya's sessions. `./dev` prepares the environment and runs them with `--no-venv`.

Sessions run in the project's own .venv (made by ./dev): one install of the heavy vision stack
(mediapipe, jax, OpenCV, dlib) instead of one per session.
"""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.default_venv_backend = "none"


@nox.session
def lint(session: nox.Session) -> None:
    """ruff, formatting, mypy and the layering contracts of DESIGN.md (import-linter)."""
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("lint-imports")
    session.run("mypy", "hawiya", "station", "simulator", "matcher", "portal_mock", "fixtures")


@nox.session
def tests(session: nox.Session) -> None:
    """The whole suite: unit, property, Pilot, real servers and the booth driven in tmux."""
    session.run("pytest", *session.posargs)


@nox.session
def booth(session: nox.Session) -> None:
    """The main job: portal, simulators and station together."""
    session.run("hawiya", "booth", *session.posargs, external=True)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: a table of figures and ratios against baselines run in the same process."""
    session.run("python", "-m", "benchmarks", *session.posargs)
