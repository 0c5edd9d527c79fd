#!/usr/bin/env python3
"""openapi-json.py - docs/openapi.yaml as JSON, for leerkansd to serve at
GET /api/v1/openapi.json (embed-text.sh compiles it into openapi.c).

usage: openapi-json.py docs/openapi.yaml > openapi.json

Compact, as every JSON answer of the daemon, ending in a newline.  A key
written twice, a value JSON has no word for (a date, a number as a key)
or a description without 'openapi' stops the build instead of changing
the answer quietly.  Needs python3-yaml."""

import json
import sys

import yaml


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping with a key written twice."""


def construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, "key %r written twice" % (key,), key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)


def plain(v, where="#"):
    """v unchanged when it is JSON all through; else a ValueError naming where."""
    if isinstance(v, dict):
        for k, x in v.items():
            if not isinstance(k, str):
                raise ValueError("%s: key %r is not a string" % (where, k))
            plain(x, where + "/" + k)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            plain(x, "%s/%d" % (where, i))
    elif not (v is None or isinstance(v, (str, bool, int, float))):
        raise ValueError("%s: %r is not a JSON value" % (where, v))
    return v


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: openapi-json.py FILE.yaml\n")
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            doc = plain(yaml.load(f, Loader=StrictLoader))
    except (OSError, yaml.YAMLError, ValueError) as exc:
        sys.stderr.write("openapi-json.py: %s: %s\n" % (argv[1], exc))
        return 1
    if not isinstance(doc, dict) or "openapi" not in doc:
        sys.stderr.write("openapi-json.py: %s: no OpenAPI document\n" % argv[1])
        return 1
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # embed-text.sh puts it in a C string literal: no trigraphs there
    if "??" in text:
        sys.stderr.write("openapi-json.py: %s: '??' would be a C trigraph\n"
                         % argv[1])
        return 1
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
