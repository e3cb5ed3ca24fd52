"""BER-TLV parsing (ISO/IEC 7816-4 annex D) that refuses anything malformed with `TlvError`."""

from __future__ import annotations

from dataclasses import dataclass

_MAX_TAG_BYTES = 3
_MAX_LENGTH_BYTES = 3  # 16 MB: more than any card file


class TlvError(ValueError):
    """The bytes are no well-formed TLV; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Tlv:
    tag: int
    value: bytes


def read_header(data: bytes, offset: int = 0) -> tuple[int, int, int]:
    """(tag, value length, header length) of the TLV at `offset`."""
    if offset >= len(data):
        raise TlvError(f"no TLV at offset {offset}: the data ends")
    start = offset
    first = data[offset]
    if first in (0x00, 0xFF):
        raise TlvError(f"invalid tag byte {first:02X} at offset {offset}")
    tag = first
    offset += 1
    if first & 0x1F == 0x1F:  # the tag continues while bit 8 is set
        while True:
            if offset >= len(data):
                raise TlvError(f"truncated tag at offset {start}")
            if offset - start >= _MAX_TAG_BYTES:
                raise TlvError(f"tag longer than {_MAX_TAG_BYTES} bytes at offset {start}")
            byte = data[offset]
            tag = (tag << 8) | byte
            offset += 1
            if not byte & 0x80:
                break
    if offset >= len(data):
        raise TlvError(f"missing length after tag {tag:X} at offset {start}")
    first_length = data[offset]
    offset += 1
    if first_length < 0x80:
        length = first_length
    elif first_length == 0x80:
        raise TlvError(f"indefinite length is not allowed (tag {tag:X})")
    else:
        count = first_length & 0x7F
        if count > _MAX_LENGTH_BYTES:
            raise TlvError(f"length field of {count} bytes is too long (tag {tag:X})")
        if offset + count > len(data):
            raise TlvError(f"truncated length of tag {tag:X}")
        length = int.from_bytes(data[offset : offset + count], "big")
        offset += count
    return tag, length, offset - start


def read_tlv(data: bytes, offset: int = 0) -> tuple[Tlv, int]:
    """The TLV at `offset` and the offset just after it."""
    tag, length, header = read_header(data, offset)
    start = offset + header
    end = start + length
    if end > len(data):
        raise TlvError(f"tag {tag:X} announces {length} bytes but only {len(data) - start} follow")
    return Tlv(tag, bytes(data[start:end])), end


def parse_all(data: bytes) -> list[Tlv]:
    """Every TLV in `data`, which must hold nothing else."""
    items = []
    offset = 0
    while offset < len(data):
        item, offset = read_tlv(data, offset)
        items.append(item)
    return items


def unwrap(data: bytes, tag: int) -> bytes:
    """The value of the single TLV `data` must consist of, which must carry `tag`."""
    item, end = read_tlv(data)
    if item.tag != tag:
        raise TlvError(f"expected tag {tag:X}, found {item.tag:X}")
    if end != len(data):
        raise TlvError(f"{len(data) - end} unexpected bytes after tag {tag:X}")
    return item.value


def fields(data: bytes) -> dict[int, bytes]:
    """The TLVs of a template as tag -> value; a repeated tag is an error."""
    found: dict[int, bytes] = {}
    for item in parse_all(data):
        if item.tag in found:
            raise TlvError(f"tag {item.tag:X} appears twice")
        found[item.tag] = item.value
    return found
