"""Read recordings: the whole file at once (``read_recording``) or streamed (``iter_recording``).

Both share one line parser. A bad line is skipped and reported as ``"<path>:<line>: <what is wrong>"``;
only a file that cannot be opened or has no valid header raises RecordingError.
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from imuhold.errors import RecordingError
from imuhold.model import Packet
from imuhold.recording.format import Mark, RecordingHeader, check_alias, check_uuid, is_uuid
from imuhold.recording.source import ByteSource

MAX_WARNINGS = 100
"""Problems listed one by one; beyond this a single line counts the rest (a garbage file stays readable)."""

MAX_HEADER_BYTES = 1 << 20
"""A first line longer than this is not a header: stop looking rather than read a huge file into memory."""

_EMPTY_PAYLOAD = "-"


def _slot_setters() -> tuple[Callable[[Packet, Any], None], ...] | None:
    """Setters for Packet's three slots, so the hot loop can build packets without ``__init__``.

    A frozen dataclass's ``__init__`` goes through ``object.__setattr__`` for each field; setting the
    slots directly builds the identical object about a third faster. None (use the constructor) if
    Packet ever stops being exactly these three slots.
    """
    names = tuple(f.name for f in fields(Packet))
    if names != ("t_host_ns", "characteristic", "payload") or getattr(Packet, "__slots__", None) is None:
        return None  # pragma: no cover - only if model.Packet changes shape
    return tuple(getattr(Packet, name).__set__ for name in names)


_PACKET_SETTERS = _slot_setters()


@dataclass
class Recording:
    """A whole recording in memory, with the problems met while reading it."""

    path: Path
    header: RecordingHeader
    packets: list[Packet] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Problems:
    """Collects ``path:line: what`` messages, listing at most MAX_WARNINGS of them."""

    def __init__(self, name: str, messages: list[str]) -> None:
        self.name = name
        self.messages = messages
        self.count = 0
        self.suffix = ""

    def add(self, line: int | None, what: str) -> None:
        self.count += 1
        if self.count <= MAX_WARNINGS:
            where = self.name if line is None else f"{self.name}:{line}"
            self.messages.append(f"{where}: {what}{self.suffix}")

    def finish(self) -> None:
        if self.count > MAX_WARNINGS:
            self.messages.append(f"{self.name}: {self.count - MAX_WARNINGS} more problems not listed")


class _LineParser:
    """Turns text lines after the header into packets and marks; remembers aliases and the last host time."""

    def __init__(self, header: RecordingHeader, problems: _Problems) -> None:
        self.aliases: dict[str, str] = dict(header.characteristics)
        self.declared = set(self.aliases)
        self.problems = problems
        self.last_t = 0

    def parse(
        self,
        lines: list[str],
        first_line: int,
        on_packet: Callable[[Packet], object],
        on_mark: Callable[[Mark], object],
    ) -> None:
        """Parse ``lines``, the first of which is line number ``first_line`` of the file."""
        aliases = self.aliases
        last_t = self.last_t
        setters = _PACKET_SETTERS
        if setters is not None:
            new = object.__new__
            set_t, set_c, set_p = setters
        for number, line in enumerate(lines, first_line):
            if line and line[0] != "#":
                try:
                    t_text, key, hex_text = line.split()
                    if not t_text.isdigit():  # int() alone would take "-5", "+5" and "1_000"
                        raise ValueError
                    t = int(t_text)
                    characteristic = aliases[key]
                    payload = bytes.fromhex(hex_text)
                except (ValueError, KeyError):
                    # Rare forms (a full UUID, an empty payload) and real errors take the careful path.
                    slow = self._parse_slowly(line, number)
                    if slow is None:
                        continue
                    t, characteristic, payload = slow.t_host_ns, slow.characteristic, slow.payload
                if t < last_t:
                    self.problems.add(number, f"host time goes back by {(last_t - t) / 1e6:.3f} ms (kept)")
                last_t = t
                if setters is not None:
                    packet = new(Packet)
                    set_t(packet, t)
                    set_c(packet, characteristic)
                    set_p(packet, payload)
                    on_packet(packet)
                else:  # pragma: no cover
                    on_packet(Packet(t, characteristic, payload))
            elif line:
                self._parse_directive(line, number, on_mark)
            # Blank lines are ignored.
        self.last_t = last_t

    def _parse_slowly(self, line: str, number: int) -> Packet | None:
        """The packet on ``line``, or None after reporting exactly what is wrong with it."""
        parts = line.split()
        if not parts:
            return None  # a blank line with stray whitespace (such as a lone carriage return)
        if len(parts) != 3:
            self.problems.add(number, f"expected 3 fields '<t_host_ns> <alias> <hex>', found {len(parts)}")
            return None
        t_text, key, hex_text = parts
        if not (t_text.isascii() and t_text.isdigit()):
            self.problems.add(number, f"host time {_clip(t_text)!r} is not a non-negative integer")
            return None
        characteristic = self.aliases.get(key)
        if characteristic is None:
            if not is_uuid(key):
                self.problems.add(number, f"unknown characteristic alias {_clip(key)!r}")
                return None
            characteristic = self.aliases[key] = key.lower()
        if hex_text == _EMPTY_PAYLOAD:
            payload = b""
        else:
            try:
                payload = bytes.fromhex(hex_text)
            except ValueError:
                self.problems.add(number, f"payload {_clip(hex_text)!r} is not hex bytes")
                return None
        return Packet(int(t_text), characteristic, payload)

    def _parse_directive(self, line: str, number: int, on_mark: Callable[[Mark], object]) -> None:
        word, _, rest = line.partition(" ")
        if word == "#mark":
            try:
                mark = Mark.from_json_dict(_loads(rest))
            except ValueError as exc:
                self.problems.add(number, f"bad mark, skipped: {exc}")
                return
            on_mark(mark)
        elif word == "#alias":
            self._declare(rest, number)
        # Any other line starting with '#' is a comment.

    def _declare(self, text: str, number: int) -> None:
        try:
            declared = _loads(text)
            if not isinstance(declared, dict):
                raise ValueError("expected a JSON object of alias → UUID")
            pairs = [(check_alias(alias), check_uuid(uuid)) for alias, uuid in declared.items()]
        except ValueError as exc:
            self.problems.add(number, f"bad alias line, skipped: {exc}")
            return
        for alias, uuid in pairs:
            if alias in self.declared and self.aliases[alias] != uuid:
                self.problems.add(number, f"alias {alias!r} is already declared for {self.aliases[alias]}")
                continue
            self.aliases[alias] = uuid
            self.declared.add(alias)


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except ValueError as exc:
        raise ValueError(f"not valid JSON ({exc})") from None


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


class _Lines:
    """Splits a ByteSource into blocks of complete text lines; the unterminated rest is kept as ``tail``."""

    def __init__(self, source: ByteSource) -> None:
        self.source = source
        self.tail: str | None = None
        self.tail_line = 1

    def blocks(self) -> Iterator[tuple[int, list[str]]]:
        """``(number of the first line, lines)`` per block, without their newlines."""
        pending: list[bytes] = []
        pending_size = 0
        line = 1
        for chunk in self.source.chunks():
            cut = chunk.rfind(b"\n")
            if cut < 0:
                pending.append(chunk)
                pending_size += len(chunk)
                if line == 1 and pending_size > MAX_HEADER_BYTES:
                    raise RecordingError(
                        self.source.name, "not an imuhold recording (no header line at the start)", line=1
                    )
                continue
            head = chunk[:cut]
            if pending:
                head = b"".join([*pending, head])
            pending = [chunk[cut + 1 :]]
            pending_size = len(pending[0])
            # A newline byte never occurs inside a UTF-8 sequence, so decoding per block is safe.
            lines = head.decode("utf-8", "replace").split("\n")
            yield line, lines
            line += len(lines)
        rest = b"".join(pending)
        self.tail = rest.decode("utf-8", "replace") if rest else None
        self.tail_line = line


class RecordingStream:
    """An iterator of Packet and Mark in file order; ``warnings`` fills as it goes. Closes its file at the end."""

    def __init__(self, items: Iterator[Packet | Mark], warnings: list[str], close: Callable[[], None]) -> None:
        self._items = items
        self.warnings = warnings
        self._close = close

    def __iter__(self) -> RecordingStream:
        return self

    def __next__(self) -> Packet | Mark:
        return next(self._items)

    def close(self) -> None:
        self._close()

    def __enter__(self) -> RecordingStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class _Reading:
    """One pass over a recording file: header first (raising on failure), then the lines."""

    def __init__(self, path: str | os.PathLike[str], warnings: list[str]) -> None:
        self.name = os.fspath(path)
        self.source = ByteSource(path)
        try:
            self.problems = _Problems(self.name, warnings)
            self.lines = _Lines(self.source)
            self.blocks = self.lines.blocks()
            first_line, self.first_block = self._header_line()
            self.header = self._parse_header(first_line)
        except BaseException:
            self.source.close()
            raise
        self.parser = _LineParser(self.header, self.problems)

    def _header_line(self) -> tuple[str, list[str]]:
        block = next(self.blocks, None)
        if block is not None:
            _, lines = block
            return lines[0], lines[1:]
        damage = self.source.damage
        if self.lines.tail is None:
            raise RecordingError(self.name, damage or "the file is empty", line=1)
        if damage:
            raise RecordingError(self.name, f"{damage} inside the header line", line=1)
        return self.lines.tail, []

    def _parse_header(self, text: str) -> RecordingHeader:
        text = text.removeprefix("\ufeff")  # a byte-order mark left by some editors
        if not text.strip():
            raise RecordingError(self.name, "the first line is empty; it should be the recording header", line=1)
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            raise RecordingError(
                self.name, "not an imuhold recording (the first line is not a JSON header)", line=1
            ) from None
        try:
            return RecordingHeader.from_json_dict(data)
        except (ValueError, TypeError) as exc:
            raise RecordingError(self.name, f"bad header: {exc}", line=1) from None

    def run(self, on_packet: Callable[[Packet], object], on_mark: Callable[[Mark], object]) -> Iterator[None]:
        """Parse everything after the header, yielding after each block so a caller can stream."""
        parse = self.parser.parse
        parse(self.first_block, 2, on_packet, on_mark)
        self.first_block = []
        yield
        for first_line, lines in self.blocks:
            parse(lines, first_line, on_packet, on_mark)
            yield
        self._finish(on_packet, on_mark)

    def _finish(self, on_packet: Callable[[Packet], object], on_mark: Callable[[Mark], object]) -> None:
        tail, line = self.lines.tail, self.lines.tail_line
        damage = self.source.damage
        if self.source.trailing_garbage:
            self.problems.add(None, f"ignored {self.source.trailing_garbage} bytes after the compressed data")
        if damage:
            if tail is not None and line > 1:
                self.problems.add(line, f"{damage}; this incomplete last line was dropped, all before it loaded")
            else:
                self.problems.add(line, f"{damage}; everything before line {line} loaded")
        elif tail is not None and line > 1:
            # A writer ends every line with a newline, so a bad unterminated last line was probably cut.
            self.problems.suffix = " (the last line, without a newline: cut short?)"
            self.parser.parse([tail], line, on_packet, on_mark)
            self.problems.suffix = ""
        self.problems.finish()

    def close(self) -> None:
        self.source.close()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic objects, then restore its state.

    Each of the hundreds of thousands of packets would otherwise count towards collections that rescan
    the growing list again and again; pausing makes a bulk load about a third faster. Packets hold no
    cycles, so nothing is left for the collector to find.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_recording(path: str | os.PathLike[str]) -> Recording:
    """Load a whole recording. Raises RecordingError only when the file or its header is unusable."""
    recording_warnings: list[str] = []
    reading = _Reading(path, recording_warnings)
    packets: list[Packet] = []
    marks: list[Mark] = []
    try:
        with _gc_paused():
            for _ in reading.run(packets.append, marks.append):
                pass
    finally:
        reading.close()
    return Recording(Path(path), reading.header, packets, marks, recording_warnings)


def iter_recording(path: str | os.PathLike[str]) -> tuple[RecordingHeader, RecordingStream]:
    """The header (read now, so a bad file fails here) and a stream of Packet and Mark in file order.

    Memory stays bounded by one read block. The stream's ``warnings`` list fills while iterating.
    """
    stream_warnings: list[str] = []
    reading = _Reading(path, stream_warnings)

    def items() -> Iterator[Packet | Mark]:
        batch: list[Packet | Mark] = []
        try:
            for _ in reading.run(batch.append, batch.append):
                yield from batch
                batch.clear()
            yield from batch
        finally:
            reading.close()

    generator = items()

    def close() -> None:
        generator.close()
        reading.close()

    return reading.header, RecordingStream(generator, stream_warnings, close)
