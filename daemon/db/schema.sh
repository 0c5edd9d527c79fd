#!/bin/sh
# schema.sh - the one reading of the migration lists (MIGRATIONS and
# MIGRATION_FUNCTIONS in Makefile.am), so that what leerkansd expects of
# the database and what leerkansctl applies to it come from them alone.
#
# usage: schema.sh list MIGRATION... -- FUNCTION...
#	writes one line per file, in the order to apply them:
#	"m VERSION NAME PATH" for a migration, "f CHECKSUM NAME PATH" for
#	a function file
#
# Migrations are NNNN_name.sql, numbered from 1 without a gap, listed in
# order; function files are NN_name.sql, listed in name order (the order
# they are run in).  Anything else stops the build.
#
# A function file's checksum is the SHA-256 of its bytes in hex.
set -eu

die() {
	echo "schema.sh: $*" >&2
	exit 1
}

sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256
	else
		die "no sha256sum or shasum"
	fi | cut -d ' ' -f 1
}

list() {
	kind=m
	expect=1
	last=""
	for f in "$@"; do
		if [ "$f" = "--" ]; then
			kind=f
			continue
		fi
		[ -f "$f" ] || die "$f: no such file"
		base=$(basename "$f")
		if [ "$kind" = m ]; then
			case $base in
			[0-9][0-9][0-9][0-9]_*.sql) ;;
			*) die "$f: a migration is NNNN_name.sql" ;;
			esac
			version=$(echo "$base" |
			    sed 's/^0*\([0-9]\)/\1/; s/_.*//')
			[ "$version" -eq "$expect" ] ||
			    die "$f: migration $version where $expect was due" \
			    "(numbered from 1 without a gap, listed in order)"
			expect=$((expect + 1))
			echo "m $version $base $f"
		else
			case $base in
			[0-9][0-9]_*.sql) ;;
			*) die "$f: a function file is NN_name.sql" ;;
			esac
			if [ -n "$last" ] && { [ "$last" = "$base" ] ||
			    ! printf '%s\n%s\n' "$last" "$base" |
			    LC_ALL=C sort -c 2>/dev/null; }; then
				die "$f: function files are listed once each," \
				    "in name order"
			fi
			last=$base
			echo "f $(sha256 <"$f") $base $f"
		fi
	done
}

[ $# -ge 1 ] || die "usage: schema.sh list MIGRATION... -- FUNCTION..."
mode=$1
shift
case $mode in
list)	list "$@" ;;
*)	die "usage: schema.sh list MIGRATION... -- FUNCTION..." ;;
esac
