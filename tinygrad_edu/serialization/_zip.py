"""The zip archive of a PyTorch checkpoint, written byte for byte as torch's writer (miniz) does.

    archive/data.pkl                the pickled object; tensors point at storages by key
    archive/.format_version         b"1"
    archive/.storage_alignment      b"64"
    archive/byteorder               b"little"
    archive/data/0, data/1, ...     one raw little-endian record per storage
    archive/version                 b"3\\n"
    archive/.data/serialization_id  40 digits

Every record is stored uncompressed and starts on a 64-byte boundary of the file: its local
header carries an extra field "FB" padded with "Z"s, so that a reader may map the records into
memory in place. Sizes and checksums follow each record in a data descriptor, the central
directory at the end lists the records, and a zip64 end record is always written (as miniz does).
Reading goes through Python's zipfile; its errors are turned into torch's messages.
"""
from __future__ import annotations

import secrets
import struct
import zipfile
import zlib

ALIGNMENT = 64
ZIP64_LIMIT = 0xFFFFFFFF  # sizes and offsets from here on go into zip64 fields
_IN_ZIP64 = 0xFFFFFFFF    # what a 32-bit field then holds
_CORRUPT = (" If you are seeing this error, there is a high likelihood that your checkpoint "
            "file is corrupted. This can happen if the checkpoint was not saved properly, was "
            "transferred incorrectly, or the file was modified after saving.")


# ----------------------------------------------------------------------------- writing

class ZipWriter:
    """Writes records into `file` (a binary file object) under the folder `archive_name`."""

    def __init__(self, file, archive_name: str):
        self.file = file
        self.prefix = archive_name + "/"
        self.cursor = 0
        self.entries = []  # (name, offset, size, crc)

    def write_record(self, name: str, data) -> None:
        name_bytes = (self.prefix + name).encode()
        data = memoryview(data).cast("B")
        size, offset = data.nbytes, self.cursor
        large = size >= ZIP64_LIMIT or offset >= ZIP64_LIMIT
        zip64 = _zip64_extra(size if size >= ZIP64_LIMIT else None,
                             offset if offset >= ZIP64_LIMIT else None) if large else b""
        start = offset + 30 + len(name_bytes) + len(zip64) + 4
        padding = -start % ALIGNMENT
        extra = zip64 + b"FB" + struct.pack("<H", padding) + b"Z" * padding
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 0, 0x0808, 0, 0, 0, 0, 0, 0,
                             len(name_bytes), len(extra))
        crc = zlib.crc32(data)
        if large:
            descriptor = struct.pack("<IIQQ", 0x08074B50, crc, size, size)
        else:
            descriptor = struct.pack("<IIII", 0x08074B50, crc, size, size)
        self._write(header + name_bytes + extra)
        self._write(data)
        self._write(descriptor)
        self.entries.append((name_bytes, offset, size, crc))

    def finish(self) -> None:
        """The version and serialization id records, then the central directory."""
        self.write_record("version", b"3\n")
        self.write_record(".data/serialization_id", "".join(
            str(secrets.randbelow(10)) for _ in range(40)).encode())
        directory_start = self.cursor
        for name, offset, size, crc in self.entries:
            big_size, big_offset = size >= ZIP64_LIMIT, offset >= ZIP64_LIMIT
            extra = _zip64_extra(size if big_size else None, offset if big_offset else None) \
                if big_size or big_offset else b""
            size32 = _IN_ZIP64 if big_size else size
            self._write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0, 0, 0x0808, 0, 0, 0,
                                    crc, size32, size32, len(name), len(extra), 0, 0, 0, 0,
                                    _IN_ZIP64 if big_offset else offset) + name + extra)
        directory_size = self.cursor - directory_start
        end64 = self.cursor
        count = len(self.entries)
        self._write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 0x031E, 45, 0, 0, count, count,
                                directory_size, directory_start))
        self._write(struct.pack("<IIQI", 0x07064B50, 0, end64, 1))
        self._write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(count, 0xFFFF),
                                min(count, 0xFFFF), _field(directory_size),
                                _field(directory_start), 0))

    def _write(self, data) -> None:
        self.file.write(data)
        self.cursor += memoryview(data).nbytes


def _field(value: int) -> int:
    return _IN_ZIP64 if value >= ZIP64_LIMIT else value


def _zip64_extra(size: int | None, offset: int | None) -> bytes:
    """The zip64 extended-information field: 64-bit sizes and/or header offset."""
    fields = (b"" if size is None else struct.pack("<QQ", size, size)) + \
        (b"" if offset is None else struct.pack("<Q", offset))
    return struct.pack("<HH", 0x0001, len(fields)) + fields


# ----------------------------------------------------------------------------- reading

class ZipReader:
    """The records of a checkpoint archive, by their names inside its one top folder."""

    def __init__(self, file):
        self.file = file
        try:
            self.zip = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise RuntimeError("PytorchStreamReader failed reading zip archive: failed finding "
                               f"central directory ({error})." + _CORRUPT) from None
        names = self.zip.namelist()
        if not names:
            raise RuntimeError("PytorchStreamReader failed reading zip archive: the archive "
                               "has no records." + _CORRUPT)
        self.prefix = names[0].split("/", 1)[0] + "/" if "/" in names[0] else ""
        self.infos = {info.filename[len(self.prefix):]: info for info in self.zip.infolist()
                      if info.filename.startswith(self.prefix)}

    def has_record(self, name: str) -> bool:
        return name in self.infos

    def info(self, name: str) -> zipfile.ZipInfo:
        if name not in self.infos:
            raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not "
                               "found." + _CORRUPT)
        return self.infos[name]

    def read(self, name: str, into: bytearray | None = None) -> bytes | bytearray:
        """The bytes of a record (into a bytearray of its size, when given), checksum checked."""
        info = self.info(name)
        try:
            with self.zip.open(info) as record:
                if into is None:
                    return record.read()
                record.readinto(into)
                if record.read(1):
                    raise zipfile.BadZipFile("the record is longer than its directory entry")
                return into
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
            raise RuntimeError(f"PytorchStreamReader failed reading file {name}: {error}."
                               + _CORRUPT) from None

    def data_offset(self, name: str) -> int:
        """Where the bytes of a stored record start in the file (for memory-mapping it)."""
        info = self.info(name)
        if info.compress_type != zipfile.ZIP_STORED:
            raise RuntimeError(f"record {name} is compressed; mmap=True needs stored records")
        self.file.seek(info.header_offset)
        header = self.file.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise RuntimeError(f"PytorchStreamReader failed reading file {name}: bad local "
                               "header." + _CORRUPT)
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        return info.header_offset + 30 + name_length + extra_length
