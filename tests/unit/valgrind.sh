#!/bin/sh
# valgrind.sh - runs every C unit test under valgrind (memcheck): no
# invalid access, no uninitialised use, no definite leak.  TAP output.
# Skipped when valgrind is missing or the build uses sanitizers.
tests="test_config test_validate test_router test_ics test_html test_form test_i18n
    test_export test_query test_httpmsg test_util test_ratelimit
    test_validators test_result test_export_rows test_pages test_jsonld
    test_sitemap test_image test_account test_worker test_console test_eventform
    test_roster test_door test_teller test_json
    test_reach test_problems test_mail"
dir=${LEERKANS_BUILDDIR:-$(dirname "$0")/../..}/tests/unit
n=0
if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind is not installed"
	exit 0
fi
if grep -q -- '-fsanitize' "$dir/../../Makefile" 2>/dev/null; then
	echo "1..0 # SKIP a sanitizer build; valgrind runs on the plain build"
	exit 0
fi
for t in $tests; do
	n=$((n + 1))
	if valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
	    "$dir/$t" >/dev/null 2>"$dir/$t.valgrind"; then
		echo "ok $n - $t is clean under valgrind"
	else
		echo "not ok $n - $t under valgrind"
		sed 's/^/# /' "$dir/$t.valgrind"
	fi
done
echo "1..$n"
