#!/bin/sh
# stubs.sh HANDLERS_H - prints a do-nothing definition of every handler
# that daemon/handlers/handlers.h declares
# ("void<TAB>h_name(struct request *);").  fuzz_router links the real
# route table (handlers/routes.c) with these, so a new route needs no
# change under tests/fuzz.
set -eu
echo "/* made by tests/fuzz/stubs.sh from handlers/handlers.h; do not edit */"
echo "#include \"handlers/handlers.h\""
sed -n 's/^void[[:space:]]\{1,\}\(h_[A-Za-z0-9_]*\)(struct request \*);.*$/void \1(struct request *r) { (void)r; }/p' "$1"
