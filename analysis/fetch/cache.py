"""Every response ``diplodash fetch`` downloads, kept on disk as soon as it arrives.

The cache is what makes a fetch resumable and a re-run cheap: a page once fetched is
read from here instead of the site, and a feed is asked for again only with its
validators (ETag / Last-Modified), so an unchanged feed costs a 304 and no download.
Each entry is two files, the body and its metadata, each written to a temporary file
and renamed into place, the body first; the metadata holds the body's hash, so an entry
cut by a crash between the two renames reads as missing, never as a wrong body.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Cached:
    final_url: str
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None


class Cache:
    """A folder of responses keyed by the URL asked for."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def get(self, url: str) -> Cached | None:
        body_path, meta_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("sha256") != _digest(body):
            return None
        return Cached(
            final_url=str(meta.get("final_url") or url),
            body=body,
            content_type=str(meta.get("content_type") or ""),
            etag=meta.get("etag"),
            last_modified=meta.get("last_modified"),
        )

    def put(
        self, url: str, final_url: str, body: bytes, content_type: str, headers: dict[str, str]
    ) -> None:
        body_path, meta_path = self._paths(url)
        body_path.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "url": url,
            "final_url": final_url,
            "content_type": content_type,
            "etag": _header(headers, "ETag"),
            "last_modified": _header(headers, "Last-Modified"),
            "fetched": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "sha256": _digest(body),
        }
        _write_atomic(body_path, body)
        _write_atomic(meta_path, json.dumps(meta, indent=1).encode("utf-8"))

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8", errors="surrogatepass")).hexdigest()[:32]
        base = self.folder / key[:2] / key
        return base.with_suffix(".body"), base.with_suffix(".json")


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
