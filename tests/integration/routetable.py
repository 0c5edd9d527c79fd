"""daemon/handlers/routes.c as the tests read it: every row of the route
table, so that a test about who may call what walks the table itself
and a route added later cannot slip past it.

routes() -> [Route(method, pattern, handler, auth, body, face, query)],
in the table's order.  path(route, **values) fills the pattern's
:parameters (a parameter followed by a suffix, ":token.ics", keeps it).
"""

import os
import re
from collections import namedtuple

from harness import TOP

Route = namedtuple("Route", "method pattern handler auth body face query")

AUTHS = {"AUTH_NONE", "AUTH_OPTIONAL", "AUTH_REQUIRED", "AUTH_DOOR",
         "AUTH_ADMIN"}
FACES = {"FACE_API", "FACE_WEB", "FACE_CONSOLE"}

ROW = re.compile(r'\{\s*EVHTTP_REQ_(\w+),\s*"([^"]+)",\s*(\w+),\s*(\w+),\s*'
                 r'(\w+),\s*(\w+),\s*(NULL|"[^"]*")\s*\}')


def routes():
    with open(os.path.join(TOP, "daemon", "handlers", "routes.c"),
              encoding="utf-8") as f:
        text = f.read()
    table = text[text.index("routes[] = {"):]
    out = []
    for method, pattern, handler, auth, body, face, query in ROW.findall(table):
        out.append(Route(method, pattern, handler, auth, body, face,
                         None if query == "NULL" else query.strip('"')))
    # every row was read: as many rows as handlers named in the table
    assert len(out) == len(re.findall(r"\bh_\w+,", table)), \
        "routes.c has a row this parser does not read"
    for r in out:
        assert r.auth in AUTHS and r.face in FACES, r
    return out


def path(route, **values):
    """route's pattern with each :name replaced by values[name]."""
    def fill(m):
        assert m.group(1) in values, "no value for :%s in %s" % (
            m.group(1), route.pattern)
        return str(values[m.group(1)])
    return re.sub(r":(\w+)", fill, route.pattern)
