"""A small HTML tree for tests (standard library only): parse a page, then pick elements with
simple CSS selectors (``tag``, ``[attr]``, ``[attr="value"]``, ``tag[attr="value"]``, joined by
spaces for descendants) and read their text like a person would."""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
COMPOUND = re.compile(r'^(?P<tag>[a-z0-9]*)(?:\[(?P<attr>[\w-]+)(?:="(?P<value>[^"]*)")?\])?$')


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None = None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)

    def descendants(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.descendants()

    def strings(self):
        for child in self.children:
            if isinstance(child, Node):
                yield from child.strings()
            else:
                yield child

    def get_text(self, separator: str = "", strip: bool = False) -> str:
        pieces = [piece.strip() if strip else piece for piece in self.strings()]
        return separator.join(piece for piece in pieces if piece or not strip)

    def matches(self, compound: str) -> bool:
        match = COMPOUND.match(compound)
        if match is None:
            raise ValueError(f"unsupported selector: {compound}")
        if match["tag"] and match["tag"] != self.tag:
            return False
        if match["attr"] is None:
            return True
        if match["attr"] not in self.attrs:
            return False
        return match["value"] is None or self.attrs[match["attr"]] == match["value"]

    def select(self, selector: str) -> list[Node]:
        found = [self]
        for compound in selector.split():
            found = [node for base in found for node in base.descendants()
                     if node.matches(compound)]
            found = list(dict.fromkeys(found))  # a node reached twice counts once
        return found

    def select_one(self, selector: str) -> Node | None:
        found = self.select(selector)
        return found[0] if found else None

    def find(self, tag: str, string: str) -> Node | None:
        return next((node for node in self.select(tag)
                     if node.get_text(strip=True) == string), None)

    def __str__(self) -> str:
        return " ".join([*self.attrs.values(), *self.strings()])


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(
            Node(tag, {name: value or "" for name, value in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str | bytes) -> Node:
    builder = TreeBuilder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    builder.close()
    return builder.root
