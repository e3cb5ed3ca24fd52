"""The simulator's private pcscd: the real PC/SC stack comes up, is seen by pyscard, goes away."""

from __future__ import annotations

from pathlib import Path

import pytest
from smartcard.System import readers

from simulator.pcsc_daemon import PCSCD_SOCKET, READER_NAME, PcscDaemon, PcscdConfig, PcscdError


def test_pyscard_sees_the_virtual_readers_while_the_daemon_runs(tmp_path: Path) -> None:
    with PcscDaemon(PcscdConfig(tmp_path)) as daemon:
        names = [str(reader) for reader in readers()]
        assert daemon.pid is not None
    assert names == [f"{READER_NAME} 00 00", f"{READER_NAME} 00 01"]


def test_stopping_leaves_no_socket_and_no_process(tmp_path: Path) -> None:
    daemon = PcscDaemon(PcscdConfig(tmp_path))
    daemon.start()
    pid = daemon.pid
    assert pid is not None
    daemon.stop()
    assert not PCSCD_SOCKET.exists()
    assert not Path(f"/proc/{pid}").exists()


def test_a_second_daemon_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    second = PcscDaemon(PcscdConfig(tmp_path / "second"))
    with (
        PcscDaemon(PcscdConfig(tmp_path / "first")),
        pytest.raises(PcscdError, match="Another pcscd is already running"),
    ):
        second.start()


def test_a_stale_socket_from_a_crash_does_not_block_the_start(tmp_path: Path) -> None:
    PCSCD_SOCKET.parent.mkdir(parents=True, exist_ok=True)
    PCSCD_SOCKET.touch()  # a plain file nobody listens on, as a killed pcscd may leave
    try:
        with PcscDaemon(PcscdConfig(tmp_path)):
            assert readers()
    finally:
        if PCSCD_SOCKET.exists() and PCSCD_SOCKET.is_file():
            PCSCD_SOCKET.unlink()
