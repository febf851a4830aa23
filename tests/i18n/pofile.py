"""A small reader (and writer) of gettext ``.po`` files, enough for the catalogue tests.

The project does not depend on polib; the format subset Django's makemessages writes is small:
comments, ``msgctxt``, ``msgid``, ``msgid_plural``, ``msgstr`` / ``msgstr[n]`` and quoted
continuation lines.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def locations(self) -> list[str]:
        """``path:line`` of every ``#:`` reference, without the line number."""
        found = []
        for line in self.comments:
            if line.startswith("#:"):
                found += [ref.rsplit(":", 1)[0] for ref in line[2:].split()]
        return found

    @property
    def fuzzy(self) -> bool:
        return any(line.startswith("#,") and "fuzzy" in line for line in self.comments)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(text.strip() for text in self.msgstr.values()) \
            and not self.fuzzy


def _unquote(text: str) -> str:
    return ast.literal_eval(text.strip()) if text.strip() else ""


def read_po(path: Path | str) -> list[Entry]:
    """Every entry of the file, the header (msgid "") first; obsolete (#~) entries flagged."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def flush():
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            flush()
            continue
        if line.startswith("#"):
            if target is not None and target != "comment":
                flush()
            entry.comments.append(line)
            continue
        entry.obsolete = entry.obsolete or obsolete
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            _append(entry, target, _unquote(line))
        elif keyword in ("msgctxt", "msgid", "msgid_plural") or keyword.startswith("msgstr"):
            if keyword in ("msgctxt", "msgid") and target not in (None, "comment", "msgctxt"):
                flush()
            target = keyword
            _append(entry, target, _unquote(rest), start=True)
    flush()
    return entries


def _append(entry: Entry, target: str | None, text: str, start: bool = False) -> None:
    if target == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text if not start else text
    elif target == "msgid":
        entry.msgid = text if start else entry.msgid + text
    elif target == "msgid_plural":
        entry.msgid_plural = text if start else (entry.msgid_plural or "") + text
    elif target and target.startswith("msgstr"):
        index = int(target[7:-1]) if "[" in target else 0
        entry.msgstr[index] = text if start else entry.msgstr.get(index, "") + text


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\t", "\\t")
    if ("\\n" in escaped and not escaped.endswith("\\n")) or escaped.count("\\n") > 1:
        parts = escaped.split("\\n")
        lines = [part + "\\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
        return '""\n' + "\n".join(f'"{part}"' for part in lines)
    return f'"{escaped}"'


def write_po(path: Path | str, entries: list[Entry]) -> None:
    """Write entries back (one line per string; msgfmt and makemessages accept it)."""
    chunks = []
    for entry in entries:
        lines = list(entry.comments)
        prefix = "#~ " if entry.obsolete else ""
        if entry.msgctxt is not None:
            lines.append(f"{prefix}msgctxt {_quote(entry.msgctxt)}")
        lines.append(f"{prefix}msgid {_quote(entry.msgid)}")
        if entry.msgid_plural is not None:
            lines.append(f"{prefix}msgid_plural {_quote(entry.msgid_plural)}")
            for index in sorted(entry.msgstr) or [0, 1]:
                lines.append(f"{prefix}msgstr[{index}] {_quote(entry.msgstr.get(index, ''))}")
        else:
            lines.append(f"{prefix}msgstr {_quote(entry.msgstr.get(0, ''))}")
        chunks.append("\n".join(lines))
    Path(path).write_text("\n\n".join(chunks) + "\n", encoding="utf-8")
