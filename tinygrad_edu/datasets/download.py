"""Downloading data files safely: mirrors tried in order, checksums verified, no partial files.

    download_file("train-images-idx3-ubyte.gz", folder, md5="f68b...", mirrors=[url1, url2])

For each mirror in turn the file is streamed into a temporary file *in the target folder*, its MD5
compared with the published one, and only then renamed into place (a rename within a folder is
atomic): an interrupted or corrupted download never leaves a file that looks complete. When every
mirror fails, the error lists each URL with its reason and says where to put the file by hand.

`urlopen` is injectable (any callable taking a URL and returning a readable response), and
`file://` URLs work too, so all of this is testable without a network.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.request
from collections.abc import Callable, Sequence

_CHUNK = 1 << 20
_TIMEOUT_S = 30


def md5_of(path: str | os.PathLike) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _default_urlopen(url: str):
    request = urllib.request.Request(url, headers={"User-Agent": "tinygrad_edu"})
    return urllib.request.urlopen(request, timeout=_TIMEOUT_S)  # noqa: S310 - http(s) and file


def _fetch_one(url: str, folder: str, filename: str, md5: str | None, urlopen) -> None:
    """Stream `url` into folder/filename via a temporary file; on failure leave nothing."""
    handle, temporary = tempfile.mkstemp(prefix=f".{filename}.", suffix=".part", dir=folder)
    try:
        digest = hashlib.md5(usedforsecurity=False)
        with os.fdopen(handle, "wb") as out, urlopen(url) as response:
            for chunk in iter(lambda: response.read(_CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
        if md5 is not None and digest.hexdigest() != md5:
            raise ValueError(f"checksum mismatch: MD5 {digest.hexdigest()}, expected {md5}")
        os.replace(temporary, os.path.join(folder, filename))
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def download_file(filename: str, folder: str | os.PathLike, md5: str | None,
                  mirrors: Sequence[str], urlopen: Callable | None = None,
                  quiet: bool = False) -> str:
    """Fetch `filename` from the first mirror that serves it with the right MD5 into `folder`.

    Returns the file's path. A file already there with the right checksum is kept as it is.
    """
    folder = os.fspath(folder)
    target = os.path.join(folder, filename)
    if os.path.isfile(target) and (md5 is None or md5_of(target) == md5):
        return target
    urlopen = urlopen or _default_urlopen
    created = _make_folders(folder)
    failures = []
    for mirror in mirrors:
        url = mirror + filename
        if not quiet:
            print(f"Downloading {url}")
        try:
            _fetch_one(url, folder, filename, md5, urlopen)
        except Exception as error:  # any failure of this mirror: try the next one
            failures.append(f"  {url}: {type(error).__name__}: {error}")
            continue
        return target
    for path in reversed(created):  # leave no empty folders behind either
        try:
            os.rmdir(path)
        except OSError:
            break
    tried = "\n".join(failures) if failures else "  (no mirrors were given)"
    raise RuntimeError(f"Error downloading {filename}; tried:\n{tried}\nDownload it by hand "
                       f"(MD5 {md5}) and put it in {folder}/ (gzipped, or unpacked without "
                       "the .gz)")


def _make_folders(folder: str) -> list[str]:
    """os.makedirs(folder), returning the folders it created, outermost first."""
    missing = []
    path = os.path.abspath(folder)
    while not os.path.isdir(path):
        missing.append(path)
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    os.makedirs(folder, exist_ok=True)
    return list(reversed(missing))
