"""Storage of uploaded and user-sent files, and their Bot API JSON shapes."""

from __future__ import annotations

import mimetypes
import secrets
import struct
import zlib
from dataclasses import dataclass
from typing import Any, ClassVar

# kind -> (folder used in file_path, default extension, default mime type)
MEDIA_KINDS: dict[str, tuple[str, str, str]] = {
    "photo": ("photos", ".jpg", "image/jpeg"),
    "document": ("documents", "", "application/octet-stream"),
    "audio": ("music", ".mp3", "audio/mpeg"),
    "video": ("videos", ".mp4", "video/mp4"),
    "animation": ("animations", ".mp4", "video/mp4"),
    "voice": ("voice", ".oga", "audio/ogg"),
    "video_note": ("video_notes", ".mp4", "video/mp4"),
    "sticker": ("stickers", ".webp", "image/webp"),
}


def _png(width: int, height: int, rgba: tuple[int, int, int, int]) -> bytes:
    """Encode a solid-colour RGBA PNG (used for the pictures simulated users send)."""

    def chunk(tag: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(tag + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + tag + payload + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    row = b"\x00" + bytes(rgba) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


TINY_PNG = _png(2, 2, (255, 105, 180, 255))


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF, JPEG or WebP image, if recognisable."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP" and len(data) >= 30:
        if data[12:16] == b"VP8X":
            width = int.from_bytes(data[24:27], "little") + 1
            height = int.from_bytes(data[27:30], "little") + 1
            return width, height
        if data[12:16] == b"VP8 ":
            width, height = struct.unpack("<HH", data[26:30])
            return int(width) & 0x3FFF, int(height) & 0x3FFF
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (segment_length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(width), int(height)
        i += 2 + segment_length
    return None


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    file_path: str
    mime_type: str
    file_name: str | None = None
    width: int = 0
    height: int = 0
    duration: int = 0
    emoji: str | None = None
    source_url: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    def get_file_json(self) -> dict[str, Any]:
        """The ``File`` object returned by getFile."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "file_path": self.file_path,
        }

    def media_json(self, kind: str | None = None) -> Any:
        """The JSON put into a Message under the key ``kind`` (a list for photos)."""
        kind = kind or self.kind
        base: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }
        if kind == "photo":
            return [{**base, "width": self.width, "height": self.height}]
        if kind == "sticker":
            return {
                **base,
                "type": "regular",
                "width": self.width or 512,
                "height": self.height or 512,
                "is_animated": False,
                "is_video": False,
                "emoji": self.emoji or "🙂",
            }
        if kind == "voice":
            return {**base, "duration": self.duration, "mime_type": self.mime_type}
        if kind == "video_note":
            return {**base, "length": self.width or 240, "duration": self.duration}
        if kind in ("video", "animation"):
            return {
                **base,
                "width": self.width,
                "height": self.height,
                "duration": self.duration,
                "mime_type": self.mime_type,
                **({"file_name": self.file_name} if self.file_name else {}),
            }
        if kind == "audio":
            return {
                **base,
                "duration": self.duration,
                "mime_type": self.mime_type,
                **({"file_name": self.file_name} if self.file_name else {}),
            }
        return {
            **base,
            "mime_type": self.mime_type,
            **({"file_name": self.file_name} if self.file_name else {}),
        }


class FileStore:
    """All files known to the fake server, addressable by ``file_id`` and ``file_path``."""

    _ID_PREFIX: ClassVar[dict[str, str]] = {
        "photo": "AgAC",
        "sticker": "CAAC",
        "voice": "AwAC",
        "document": "BQAC",
    }

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._counter = 0

    def add(
        self,
        kind: str,
        data: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        duration: int = 0,
        emoji: str | None = None,
        source_url: str | None = None,
    ) -> StoredFile:
        self._counter += 1
        folder, default_ext, default_mime = MEDIA_KINDS.get(kind, MEDIA_KINDS["document"])
        if mime_type in (None, "", "application/octet-stream") and file_name:
            mime_type = mimetypes.guess_type(file_name, strict=False)[0] or mime_type
        mime_type = mime_type or default_mime
        ext = default_ext
        if kind == "document" and file_name and "." in file_name:
            ext = "." + file_name.rsplit(".", 1)[1]
        width, height = image_size(data) or (0, 0)
        if kind == "photo" and not width:
            width, height = 320, 320
        prefix = self._ID_PREFIX.get(kind, "BAAC")
        stored = StoredFile(
            file_id=f"{prefix}AgID{self._counter:06d}{secrets.token_hex(6)}",
            file_unique_id=f"AQAD{self._counter:06d}",
            kind=kind,
            data=data,
            file_path=f"{folder}/file_{self._counter}{ext}",
            mime_type=mime_type,
            file_name=file_name if kind not in ("photo", "voice", "sticker") else None,
            width=width,
            height=height,
            duration=duration,
            emoji=emoji,
            source_url=source_url,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        return self._by_path.get(file_path)

    def __len__(self) -> int:
        return len(self._by_id)
