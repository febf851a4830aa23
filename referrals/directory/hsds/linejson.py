"""A JSON decoder that remembers on which line each object, array and value starts.

Built on the standard library's pure-Python scanner: ``parse_object`` and ``parse_array`` are
wrapped so that every object becomes a ``LineDict`` (``.line`` where its ``{`` is, and
``.line_of(key)`` where each value starts) and every array a ``LineList`` (``.line`` and
``.line_of(index)``). Duplicate keys, which ``json`` silently collapses, are reported.
``NaN``/``Infinity`` decode to ``NON_FINITE`` so that type checks reject them with a line.
Syntax errors are ``json.JSONDecodeError``, which carries ``lineno`` and ``colno``.
"""

from __future__ import annotations

import bisect
import json
from json.decoder import JSONArray, JSONObject
from json.scanner import py_make_scanner


class NonFinite:
    """Stands for NaN, Infinity and -Infinity, which JSON does not allow."""

    def __repr__(self) -> str:
        return "NON_FINITE"


NON_FINITE = NonFinite()


class LineDict(dict):
    line: int = 0
    value_lines: dict
    duplicate_keys: list

    def line_of(self, key: str) -> int:
        return self.value_lines.get(key, self.line)


class LineList(list):
    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class LineDecoder(json.JSONDecoder):
    """``LineDecoder().decode(text)``: like ``json.loads`` with line numbers attached."""

    def __init__(self):
        super().__init__(parse_constant=lambda _name: NON_FINITE)
        self.parse_object = self._parse_object
        self.parse_array = self._parse_array
        self.scan_once = py_make_scanner(self)
        self._newlines: list[int] = []

    def decode(self, s, _w=None):
        self._newlines = [index for index, char in enumerate(s) if char == "\n"]
        return super().decode(s)

    def line_at(self, position: int) -> int:
        return bisect.bisect_left(self._newlines, position) + 1

    def _parse_object(self, s_and_end, strict, scan_once, object_hook, object_pairs_hook,
                      memo=None, *args):
        value_starts: list[int] = []

        def recording_scan(text, index):
            value_starts.append(index)
            return scan_once(text, index)

        pairs, end = JSONObject(s_and_end, strict, recording_scan, None, list, memo)
        result = LineDict()
        result.line = self.line_at(s_and_end[1] - 1)  # the scanner passes the index after "{"
        result.value_lines = {}
        result.duplicate_keys = []
        for (key, value), start in zip(pairs, value_starts, strict=False):
            if key in result:
                result.duplicate_keys.append((key, self.line_at(start)))
            result[key] = value
            result.value_lines[key] = self.line_at(start)
        return result, end

    def _parse_array(self, s_and_end, scan_once, *args):
        start = s_and_end[1]
        item_starts: list[int] = []

        def recording_scan(text, index):
            item_starts.append(index)
            return scan_once(text, index)

        values, end = JSONArray(s_and_end, recording_scan)
        result = LineList(values)
        result.line = self.line_at(start - 1)
        result.item_lines = [self.line_at(index) for index in item_starts]
        return result, end


def loads_with_lines(text: str):
    return LineDecoder().decode(text)
