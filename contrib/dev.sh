#!/bin/sh
# dev.sh - leerkans from a fresh Debian 12 checkout, in one command.
#
#   contrib/dev.sh run [leerkansd options]
#	installs what is missing, builds, and runs leerkansd on
#	127.0.0.1:8080 (LEERKANS_LISTEN=127.0.0.1:8081 for another
#	port).  With no database configured (no
#	LEERKANS_DATABASE_URL, no database_url in $LEERKANS_CONFIG) it
#	starts a private PostgreSQL cluster under ./var, migrates it and
#	seeds the action plan's events; the cluster stops with leerkansd.
#	With no smtp_url configured, every mail leerkansd sends is written
#	into the Maildir ./var/mail (mutt -f var/mail reads it).
#
#   contrib/dev.sh test
#	installs what is missing, builds, runs every test (make check:
#	unit tests, the unit tests under valgrind, the integration suite on
#	a throwaway PostgreSQL), then make distcheck, the whole suite on
#	an ASan + UBSan build, and each libFuzzer target (tests/fuzz) for
#	LEERKANS_FUZZ_SECONDS (20) on a clang build; ends with
#	"N passed, M failed, K skipped".  LEERKANS_QUICK=1 stops after
#	make check.
#
#   contrib/dev.sh bench [register | profile]
#	the side-by-side benchmark (bench/run.sh, docs/PERFORMANCE.md); with
#	an argument, only that part.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

BUILD_PKGS="build-essential autoconf automake pkg-config
	libevent-dev libpq-dev libical-dev libjansson-dev zlib1g-dev
	libxlsxwriter-dev libsodium-dev libqrencode-dev libcurl4-openssl-dev
	libgmime-3.0-dev tzdata postgresql postgresql-contrib python3
	python3-yaml"
TEST_PKGS="python3 python3-pytest python3-requests python3-icalendar
	python3-openpyxl python3-jsonschema valgrind chromium chromium-driver
	python3-selenium clang-14 libclang-rt-14-dev nginx zbar-tools
	librsvg2-bin mandoc python3-aiosmtpd"

say() { printf 'dev.sh: %s\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

deps() {
	missing=""
	for p in $*; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q "install ok installed" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	say "installing:$missing"
	as_root apt-get update -q >/dev/null
	as_root env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q --no-install-recommends $missing >/dev/null
}

build() {
	if [ ! -x configure ] || [ configure.ac -nt configure ] ||
	    [ Makefile.am -nt Makefile.in ]; then
		autoreconf -fi
	fi
	[ -f Makefile ] || ./configure -q
	make -s -j"$(nproc)"
}

pg_bin() {
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# Runs a PostgreSQL command as the cluster's owner: PostgreSQL refuses
# to run as root, so root hands it to the postgres user.
pg_as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

start_private_pg() {
	bin=$(pg_bin)
	var=$top/var
	data=$var/pgdata
	sock=$var/run
	mkdir -p "$var" "$sock"
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$var" "$sock"
		if ! runuser -u postgres -- test -x "$var"; then
			say "the postgres user cannot reach $var; move the" \
			    "checkout to a directory others may enter, or set" \
			    "LEERKANS_DATABASE_URL"
			exit 1
		fi
	fi
	if [ ! -f "$data/PG_VERSION" ]; then
		say "creating a private PostgreSQL cluster in $data"
		pg_as_owner "$bin/initdb" -D "$data" -U postgres -A trust \
		    -E UTF8 --locale=C.UTF-8 >/dev/null
	fi
	pg_as_owner "$bin/pg_ctl" -D "$data" -l "$var/postgresql.log" -w \
	    -o "-c listen_addresses='' -c unix_socket_directories='$sock'" \
	    start >/dev/null
	PG_STARTED=$data
	pg_as_owner "$bin/psql" -h "$sock" -U postgres -d postgres -Atq \
	    -c "SELECT 1 FROM pg_database WHERE datname = 'leerkans'" |
	    grep -q 1 ||
	    pg_as_owner "$bin/createdb" -h "$sock" -U postgres leerkans
	LEERKANS_DATABASE_URL="host=$sock dbname=leerkans user=postgres"
	export LEERKANS_DATABASE_URL
}

stop_private_pg() {
	if [ -n "${PG_STARTED:-}" ]; then
		pg_as_owner "$(pg_bin)/pg_ctl" -D "$PG_STARTED" -m fast \
		    stop >/dev/null || true
		PG_STARTED=""
	fi
}

database_configured() {
	[ -n "${LEERKANS_DATABASE_URL:-}" ] && return 0
	[ -n "${LEERKANS_CONFIG:-}" ] &&
	    grep -Eq '^[[:space:]]*database_url[[:space:]]*=' \
	    "$LEERKANS_CONFIG" && return 0
	return 1
}

# A setting given neither in the environment nor in $LEERKANS_CONFIG?
setting_unset() {
	eval "[ -z \"\${LEERKANS_$(echo "$1" | tr a-z A-Z):-}\" ]" || return 1
	[ -n "${LEERKANS_CONFIG:-}" ] &&
	    grep -Eq "^[[:space:]]*$1[[:space:]]*=" "$LEERKANS_CONFIG" && return 1
	return 0
}

# The dev run's secrets: made once, kept in ./var (only its owner reads
# them), so that erasure and what else needs a key work from the start
# and keep working across runs.  A configured one is left alone.
dev_secret() {
	setting_unset "$1" || return 0
	mkdir -p "$top/var"
	if [ ! -s "$top/var/$1" ]; then
		(umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n=' \
		    >"$top/var/$1")
	fi
	eval "LEERKANS_$(echo "$1" | tr a-z A-Z)=\$(cat \"\$top/var/\$1\")"
	export "LEERKANS_$(echo "$1" | tr a-z A-Z)"
}

cmd_run() {
	deps $BUILD_PKGS
	build
	PG_STARTED=""
	if ! database_configured; then
		start_private_pg
		trap stop_private_pg EXIT
	fi
	dev_secret erasure_secret
	# mails go into ./var/mail unless an SMTP server is configured
	if setting_unset smtp_url && setting_unset maildir; then
		LEERKANS_MAILDIR=$top/var/mail
		export LEERKANS_MAILDIR
		say "mails are written into $LEERKANS_MAILDIR (mutt -f var/mail)"
	fi
	./leerkansctl migrate
	# demo events go into the private database only, never a configured one
	[ -n "$PG_STARTED" ] && ./leerkansctl seed
	# the address the links use: public_url, or what follows listen
	url=$(./leerkansd "$@" -t 2>/dev/null |
	    sed -n 's/^[# ]*public_url = "\(.*\)".*/\1/p')
	say "leerkansd on ${url:-http://127.0.0.1:8080}/ (Ctrl-C stops)"
	trap 'say stopping' INT TERM
	./leerkansd "$@" || rc=$?
	stop_private_pg
	return "${rc:-0}"
}

summary() {
	awk '
	    /^# PASS:/ { p += $3 } /^# XFAIL:/ { p += $3 }
	    /^# FAIL:/ { f += $3 } /^# ERROR:/ { f += $3 } /^# XPASS:/ { f += $3 }
	    /^# SKIP:/ { s += $3 }
	    END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$@"
}

# Unpacks the distribution tarball (made if missing) into a fresh $1.
unpack_dist() {
	tarball=$(ls -t leerkans-*.tar.gz 2>/dev/null | head -n 1)
	[ -n "$tarball" ] || make -s dist >/dev/null
	tarball=$(ls -t leerkans-*.tar.gz | head -n 1)
	rm -rf "$1"
	mkdir "$1"
	tar -xzf "$tarball" -C "$1" --strip-components=1
}

# The whole suite again on an AddressSanitizer + UndefinedBehaviorSanitizer
# build, made out of tree from the distribution tarball.
sanitizer_check() {
	unpack_dist build-sanitizers
	(cd build-sanitizers && ./configure -q --enable-sanitizers &&
	    make -s -j"$(nproc)" && make -s check) >sanitizers.log 2>&1
}

# Every libFuzzer target for a short while, on a clang build made from
# the tarball (so the seeds must travel in it).  Its totals land in
# build-fuzz/tests/fuzz/fuzz-suite.log; a build that fails counts as one
# failure there.
fuzz_check() {
	unpack_dist build-fuzz
	(cd build-fuzz && ./configure -q --enable-fuzzing &&
	    make -s -j"$(nproc)" fuzz FUZZ_SECONDS="$1" \
	    FUZZ_JOBS="$(nproc)") >fuzz.log 2>&1 && return 0
	[ -f build-fuzz/tests/fuzz/fuzz-suite.log ] || {
		mkdir -p build-fuzz/tests/fuzz
		echo "# ERROR: 1" >build-fuzz/tests/fuzz/fuzz-suite.log
	}
	return 1
}

# What the tests take from the npm registry (tests/package.json, its
# lock file): axe-core for the accessibility sweep in the browser, and
# Redocly's CLI for the lint of docs/openapi.yaml (tests/openapi-lint.sh).
node_deps() {
	command -v npm >/dev/null 2>&1 || deps nodejs npm
	if [ ! -f tests/node_modules/.package-lock.json ] ||
	    [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]
	then
		say "npm ci --prefix tests"
		npm ci --prefix tests --no-audit --no-fund --silent
	fi
	# the suite finds them there from the tarball's builds too
	LEERKANS_AXE=$top/tests/node_modules/axe-core/axe.min.js
	LEERKANS_REQUIRE_AXE=1
	LEERKANS_REDOCLY=$top/tests/node_modules/.bin/redocly
	LEERKANS_REQUIRE_REDOCLY=1
	export LEERKANS_AXE LEERKANS_REQUIRE_AXE LEERKANS_REDOCLY \
	    LEERKANS_REQUIRE_REDOCLY
}

cmd_test() {
	deps $BUILD_PKGS $TEST_PKGS
	node_deps
	build
	rc=0
	logs=test-suite.log
	rm -f build-sanitizers/test-suite.log build-fuzz/tests/fuzz/fuzz-suite.log
	make -s check || rc=$?
	if [ "$rc" = 0 ] && [ -z "${LEERKANS_QUICK:-}" ]; then
		say "make distcheck"
		make -s distcheck >distcheck.log 2>&1 || {
			rc=$?
			tail -n 60 distcheck.log
			say "make distcheck failed; see distcheck.log"
		}
		say "the suite on a sanitizer build (ASan + UBSan)"
		sanitizer_check || {
			rc=1
			tail -n 60 sanitizers.log
			say "the sanitizer build failed; see sanitizers.log"
		}
		[ -f build-sanitizers/test-suite.log ] &&
		    logs="$logs build-sanitizers/test-suite.log"
		secs=${LEERKANS_FUZZ_SECONDS:-20}
		say "the fuzzers, $secs s each (libFuzzer, ASan + UBSan)"
		fuzz_check "$secs" || {
			rc=1
			tail -n 60 fuzz.log
			say "fuzzing failed; see fuzz.log, the inputs are kept" \
			    "in build-fuzz/tests/fuzz/artifacts/"
		}
		logs="$logs build-fuzz/tests/fuzz/fuzz-suite.log"
	fi
	summary $logs
	return "$rc"
}

cmd_bench() {
	deps $BUILD_PKGS wrk nginx-light curl python3
	build
	bench/run.sh "$@"
}

case "${1:-}" in
run)	shift; cmd_run "$@" ;;
test)	shift; cmd_test "$@" ;;
bench)	shift; cmd_bench "$@" ;;
*)	echo "usage: contrib/dev.sh run [leerkansd options] | test |" \
	    "bench [register | profile]" >&2
	exit 2 ;;
esac
