"""Downloading and unpacking a .tar.gz archive (torchvision's download_and_extract_archive).

The archive is fetched with download.download_file (mirrors in turn, MD5 checked, no partial
file), then unpacked into a folder. An archive is data from outside: a member that would land
outside the folder (an absolute path, "..") or that is not a plain file or folder (a link, a
device) is refused before anything is written.
"""
from __future__ import annotations

import os
import tarfile
from collections.abc import Callable, Sequence

from .download import download_file


def extract_archive(archive: str | os.PathLike, folder: str | os.PathLike) -> None:
    """Unpack the tar archive (gzipped or not) into `folder`, refusing unsafe members."""
    folder = os.path.realpath(folder)
    with tarfile.open(archive, "r:*") as tar:
        members = tar.getmembers()
        for member in members:
            target = os.path.realpath(os.path.join(folder, member.name))
            inside = os.path.commonpath([folder, target]) == folder
            if not inside or not (member.isfile() or member.isdir()):
                raise RuntimeError(f"{os.fspath(archive)}: refusing to extract {member.name!r} "
                                   "(not a plain file or folder inside the target folder)")
        if hasattr(tarfile, "data_filter"):
            tar.extractall(folder, members=members, filter="data")
        else:  # Pythons without extraction filters; the members were checked above
            tar.extractall(folder, members=members)  # noqa: S202


def download_and_extract_archive(filename: str, folder: str | os.PathLike, md5: str | None,
                                 mirrors: Sequence[str], urlopen: Callable | None = None) -> str:
    """Fetch `filename` into `folder` (see download_file) and unpack it there; its path."""
    path = download_file(filename, folder, md5, mirrors, urlopen=urlopen)
    print(f"Extracting {path} to {os.fspath(folder)}")
    extract_archive(path, folder)
    return path
