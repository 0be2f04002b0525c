"""Rebuild the embedded MNIST sample from the shared data folder (see README.md here).

    python tinygrad_edu/datasets/_sample/build.py [--source ../shared/data/mnist] [--check]

The sample is the shared folder's four IDX files, copied byte for byte after their SHA-256 has
been checked against the values published in the shared data README, so a rebuild is exactly
reproducible. `--check` only verifies the files already here. Standard library only.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import shutil
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# SHA-256 of the source files (from shared/data/README.md) and the sample counts they hold.
FILES = {
    "train-images-idx3-ubyte.gz":
        ("daf4a8f72d804225a23aaeeab64c38704118d63be40b8633b286227fe72ec72d", 2051, 9000),
    "train-labels-idx1-ubyte.gz":
        ("2879cf57ec2c9eaf8d9ec3129462b39fad68d61821c6051503d7b7e00faaa065", 2049, 9000),
    "t10k-images-idx3-ubyte.gz":
        ("3b094303b36cb6d851cb5efcf272646c80c7baf28c27b7e8229ab8166735d115", 2051, 1000),
    "t10k-labels-idx1-ubyte.gz":
        ("c5eb7d8f6f4bae24682f879eb889d64f757fec09e93aabb26f745bcb0f00c6e4", 2049, 1000),
}
MAX_BYTES = 2 * 1024 * 1024


def default_source() -> Path:
    shared = os.environ.get("TINYGRAD_EDU_SHARED_DATA")
    base = Path(shared) if shared else HERE.parents[3] / "shared" / "data"
    return base / "mnist" / "raw"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(folder: Path) -> None:
    """Each file's SHA-256, IDX magic number and count, and the total size; exit 1 if wrong."""
    total = 0
    for name, (digest, magic, count) in FILES.items():
        path = folder / name
        if not path.is_file():
            sys.exit(f"missing: {path}")
        if sha256(path) != digest:
            sys.exit(f"{path}: SHA-256 {sha256(path)}, expected {digest}")
        found_magic, found_count = struct.unpack(">II", gzip.open(path).read(8))
        if (found_magic, found_count) != (magic, count):
            sys.exit(f"{path}: magic {found_magic} count {found_count}, expected {magic} {count}")
        total += path.stat().st_size
    if total > MAX_BYTES:
        sys.exit(f"the sample is {total} bytes, over the {MAX_BYTES}-byte budget")
    print(f"{folder}: 4 files, {total} bytes, checksums and headers as expected")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=default_source())
    parser.add_argument("--check", action="store_true", help="verify the sample here only")
    args = parser.parse_args()
    if not args.check:
        check(args.source)
        for name in FILES:
            shutil.copyfile(args.source / name, HERE / name)
    check(HERE)


if __name__ == "__main__":
    main()
