#!/bin/sh
# run.sh - runs libFuzzer targets for a bounded time; `make fuzz` calls it.
#
#   run.sh SRCDIR SECONDS JOBS TARGET...
#
# Each TARGET (a built program, e.g. tests/fuzz/fuzz_config) fuzzes for
# SECONDS, JOBS targets at a time, starting from its seeds in
# SRCDIR/tests/fuzz/corpus/NAME/ and from what earlier runs in this
# build tree found (tests/fuzz/work/NAME/, where new inputs go), with
# SRCDIR/tests/fuzz/NAME.dict when there is one.  A crash, a broken
# promise, a leak, undefined behaviour, an input slower than 10 s or
# over 2 GB fails the target; the input that did it is kept as
# tests/fuzz/artifacts/NAME-crash-... and libFuzzer's output as
# tests/fuzz/NAME.log.  tests/fuzz/fuzz-suite.log gets "# PASS: n" and
# "# FAIL: m" lines (automake's test-suite.log format).  Exits 1 when any
# target failed.
set -eu

if [ "${1:-}" = --one ]; then
	src=$2 secs=$3 t=$4
	name=$(basename "$t")
	work=tests/fuzz/work/$name
	mkdir -p "$work" tests/fuzz/artifacts
	set -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="tests/fuzz/artifacts/$name-"
	[ -f "$src/tests/fuzz/$name.dict" ] &&
	    set -- "$@" -dict="$src/tests/fuzz/$name.dict"
	set -- "$@" "$work"
	[ -d "$src/tests/fuzz/corpus/$name" ] &&
	    set -- "$@" "$src/tests/fuzz/corpus/$name"
	if "$t" "$@" >"tests/fuzz/$name.log" 2>&1; then
		result=PASS
	else
		result=FAIL
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
	    "tests/fuzz/$name.log" | tail -n 1)
	cov=$(sed -n 's/^#[0-9].* cov: \([0-9]*\) .*/\1/p' \
	    "tests/fuzz/$name.log" | tail -n 1)
	echo "$result: $name (${secs} s, ${runs:-?} runs, cov ${cov:-?})" |
	    tee "tests/fuzz/$name.result"
	if [ "$result" = FAIL ]; then
		tail -n 40 "tests/fuzz/$name.log" | sed 's/^/#   /'
		ls tests/fuzz/artifacts/"$name"-* 2>/dev/null |
		    sed 's/^/#   kept: /' || true
	fi
	exit 0
fi

src=$1 secs=$2 jobs=$3
shift 3
mkdir -p tests/fuzz
for t in "$@"; do
	rm -f "tests/fuzz/$(basename "$t").result"
done
printf '%s\n' "$@" | xargs -n 1 -P "$jobs" sh "$0" --one "$src" "$secs"
pass=0 fail=0
for t in "$@"; do
	if grep -q '^PASS:' "tests/fuzz/$(basename "$t").result" 2>/dev/null
	then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done
{
	echo "fuzzing: ${secs} s per target"
	cat tests/fuzz/*.result 2>/dev/null || true
	echo "# TOTAL: $((pass + fail))"
	echo "# PASS:  $pass"
	echo "# FAIL:  $fail"
} >tests/fuzz/fuzz-suite.log
echo "fuzzing: $pass passed, $fail failed"
[ "$fail" = 0 ]
