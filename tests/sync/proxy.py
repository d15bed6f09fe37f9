"""A small TCP proxy in front of PostgreSQL that can cut a connection, or restart the server, at the
moment a chosen statement goes through: to interrupt a sync in the middle of a batch."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable


class Proxy:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._trigger: tuple[bytes, int, Callable[[], None] | None] | None = None
        self._lock = threading.Lock()
        self.fired = 0
        self.accepted = 0  # connections made through the proxy
        self.acted = threading.Event()  # set once `before` has run (a restart takes a moment)
        threading.Thread(target=self._serve, daemon=True).start()

    def cut_at(self, marker: bytes, occurrence: int = 1, before: Callable[[], None] | None = None) -> None:
        """Drop the connection when the `occurrence`-th client message holding `marker` has been passed
        on to the server (after running `before`, if given, first)."""
        with self._lock:
            self._trigger = (marker, occurrence, before)
            self.fired = 0
            self.acted.clear()

    def heal(self) -> None:
        with self._lock:
            self._trigger = None

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.accepted += 1
            server = socket.create_connection(("127.0.0.1", self.target_port))
            severed = threading.Event()  # set once this connection is cut: nothing more passes either way
            threading.Thread(target=self._pump, args=(client, server, True, severed), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False, severed), daemon=True).start()

    def _should_cut(self, chunk: bytes) -> Callable[[], None] | None | bool:
        with self._lock:
            if self._trigger is None or self._trigger[0] not in chunk:
                return False
            marker, occurrence, before = self._trigger
            self.fired += 1
            if self.fired < occurrence:
                return False
            self._trigger = None
            return before if before is not None else True

    def _pump(
        self, source: socket.socket, sink: socket.socket, from_client: bool, severed: threading.Event
    ) -> None:
        try:
            while chunk := source.recv(65536):
                if severed.is_set():
                    break
                cut = self._should_cut(chunk) if from_client else False
                if cut is not False:
                    # Severed before the message goes on, so the server's answer to it can never
                    # slip back to the client ahead of the cut.
                    severed.set()
                if callable(cut):
                    cut()
                    self.acted.set()
                sink.sendall(chunk)
                if cut is not False:
                    break
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def close(self) -> None:
        self._listener.close()
