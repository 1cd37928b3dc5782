"""A small web site on 127.0.0.1 for the fetch tests: routes the test sets, a log of
every request it got, and the bytes it managed to send.

Nothing here reaches beyond the loopback address; each test gets its own server on a
free port (``site`` fixture in tests/test_fetch.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line: a slow server
    stream: int = 0  # bytes of HTML sent without a length instead of ``body``


Route = Reply | Callable[["Handler"], Reply]


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    status: int = 0


class Site:
    """Routes by path; anything else is a 404."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.sent: dict[str, int] = {}  # path → body bytes written
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # a client hanging up
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        with self.lock:
            return [h.path for h in self.hits]

    def count(self, path: str, status: int | None = None) -> int:
        with self.lock:
            return sum(h.path == path and status in (None, h.status) for h in self.hits)

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class Handler(BaseHTTPRequestHandler):
    site: Site
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        hit = Hit(self.path, {k.lower(): v for k, v in self.headers.items()})
        with self.site.lock:
            self.site.hits.append(hit)
        route = self.site.routes.get(self.path, Reply(404, b"not found"))
        reply = route(self) if callable(route) else route
        time.sleep(reply.delay)
        hit.status = reply.status
        if reply.stream:
            self.stream(reply.stream)
            return
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if "Content-Length" not in reply.headers and "Connection" not in reply.headers:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self._write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _write(self, body: bytes) -> None:
        self.wfile.write(body)
        with self.site.lock:
            self.site.sent[self.path] = self.site.sent.get(self.path, 0) + len(body)

    def stream(self, total: int, chunk: int = 1 << 16) -> None:
        """Write ``total`` bytes of HTML without a length, until the client hangs up."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Connection", "close")
        self.end_headers()
        block = b"<p>" + b"x" * (chunk - 7) + b"</p>\n"
        try:
            for _ in range(total // len(block)):
                self._write(block)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read ``Site.hits``."""


def _handler(site: Site) -> type[Handler]:
    return type("SiteHandler", (Handler,), {"site": site})
