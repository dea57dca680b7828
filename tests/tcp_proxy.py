"""A tiny TCP forwarder that tests can open and close to simulate an outage."""
from __future__ import annotations

import socket
import threading
from urllib.parse import parse_qs, urlsplit


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_target(database_url: str) -> tuple:
    """(family, address) of the server behind a postgres URL (TCP or unix socket)."""
    parts = urlsplit(database_url)
    socket_dir = parse_qs(parts.query).get("host", [None])[0]
    port = parts.port or 5432
    if socket_dir and socket_dir.startswith("/"):
        return socket.AF_UNIX, f"{socket_dir}/.s.PGSQL.{port}"
    return socket.AF_INET, (parts.hostname or "127.0.0.1", port)


class TcpProxy:
    def __init__(self, target: tuple, port: int | None = None):
        self.family, self.address = target
        self.port = port or free_port()
        self.listener: socket.socket | None = None
        self.connections: list[socket.socket] = []

    def start(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self._accept, daemon=True).start()

    def stop(self) -> None:
        """Close the port and cut every forwarded connection."""
        if self.listener:
            try:
                self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() thread on Linux
            except OSError:
                pass
            self.listener.close()
            self.listener = None
        for conn in self.connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()
        self.connections.clear()

    def _accept(self) -> None:
        listener = self.listener
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.socket(self.family, socket.SOCK_STREAM)
            try:
                upstream.connect(self.address)
            except OSError:
                client.close()
                upstream.close()
                continue
            self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
