"""Reading the web pages in tests: a small tree from html.parser.

Page(text) parses a whole page; .by_id(id), .find_all(tag, **attrs),
.form(action_prefix) and Node.text() are enough to check what a person (or
a screen reader) finds there, without a browser.
"""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []

    def text(self):
        out = []
        for c in self.children:
            out.append(c if isinstance(c, str) else c.text())
        return " ".join("".join(out).split())

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def find_all(self, tag=None, **attrs):
        want = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [n for n in self.iter()
                if (tag is None or n.tag == tag)
                and all(n.attrs.get(k) == v for k, v in want.items())]

    def find(self, tag=None, **attrs):
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def ancestors(self):
        n = self.parent
        while n is not None:
            yield n
            n = n.parent

    def __repr__(self):
        return "<%s %r>" % (self.tag, self.attrs)


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.cur = self.root
        self.errors = []

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is None:
            self.errors.append("stray </%s>" % tag)
            return
        if n is not self.cur:
            self.errors.append("unclosed <%s> before </%s>" % (self.cur.tag, tag))
        self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


class Page:
    def __init__(self, text):
        b = _Builder()
        b.feed(text)
        b.close()
        self.root = b.root
        self.errors = b.errors
        if b.cur is not b.root:
            self.errors.append("unclosed <%s> at the end" % b.cur.tag)

    def by_id(self, ident):
        return self.root.find(id=ident)

    def find_all(self, tag=None, **attrs):
        return self.root.find_all(tag, **attrs)

    def find(self, tag=None, **attrs):
        return self.root.find(tag, **attrs)

    def ids(self):
        return [n.attrs["id"] for n in self.root.iter() if "id" in n.attrs]

    def form(self, action_prefix):
        for f in self.find_all("form"):
            if f.attrs.get("action", "").startswith(action_prefix):
                return f
        return None

    def hidden(self, form, name):
        n = form.find("input", type="hidden", name=name)
        return n.attrs.get("value") if n is not None else None

    def label_for(self, ident):
        return self.root.find("label", for_=ident)
