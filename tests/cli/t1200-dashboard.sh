#!/bin/sh
# The dashboard in a real browser: qm serve on the demo dataset (a throwaway
# copy) with a donor account for Norway; tests/browser/dashboard.mjs drives
# Debian's chromium (headless, playwright-core) through it: nothing loaded
# from elsewhere, signing in with the keyboard, the overview's charts drawn,
# a pledge added through the form and found in the table, a refusal when
# revising another nation's pledge, the training page (its charts drawn,
# its tables as the API has them), a phone's width without sideways
# scrolling. Screenshots go to build/test-artifacts/. The change made
# through the page is journaled under the donor's name. To the demo data
# the test adds crews for the M1A1 and the courses of
# tests/data/training-web/demo-courses.csv (some start within 90 days of
# $QM_NOW, 2026-01-01; one location holds markup).
. "$(dirname "$0")/lib.sh"

lane=$(basename "$(dirname "$QM")")
ART=$ROOT/build/test-artifacts/$TEST_NAME-$lane
mkdir -p "$ART" || fail "cannot create $ART"
for need in node /usr/bin/chromium "$ROOT/node_modules/playwright-core"; do
	[ -e "$need" ] || command -v "$need" >/dev/null 2>&1 || {
		fail "the dashboard test needs $need (run make deps)"
		test_done
	}
done

expect_exit 0 sh -c "cd \"$ROOT\" && sh tools/load-demo.sh \"$QM\" \"$TMP/demo.db\""
expect_exit 0 "$QM" --db demo.db --actor demo add items code=m1a1 crew_skill=abrams-crew crew_size=4
expect_exit 0 "$QM" --db demo.db --actor demo import courses "$ROOT/tests/data/training-web/demo-courses.csv"
printf 'norway-desk-pw\n' >nor.pw
expect_exit 0 "$QM" --db demo.db user add desk-nor --role donor:NOR --password-file nor.pw

"$QM" --db demo.db serve --listen 127.0.0.1:0 >serve.out 2>serve.err &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; _l_cleanup' EXIT
for i in $(seq 1 100); do
	grep -q '^listening on ' serve.out && break
	sleep 0.1
done
url=$(sed -n 's/^listening on //p' serve.out)
[ -n "$url" ] && pass "server up at $url" || { fail "the server did not start" "$(cat serve.err)"; test_done; }

expect_exit 0 node "$ROOT/tests/browser/dashboard.mjs" "$url" --donor desk-nor:norway-desk-pw \
	--party NOR --other-pledge deu-2024-04-13-patriot --artifacts "$ART"
expect_stdout_contains "dashboard: ok:"
if grep -q 'dashboard: FAIL' "$ERR"; then fail "a dashboard step failed" "$(cat "$ERR")"; fi

# the pledge added in the page is journaled under the donor's name
expect_exit 0 sh -c "\"$QM\" --db demo.db log pledges | tail -n 3"
expect_stdout_contains "desk-nor     create  pledges dash-nor-"
expect_exit 0 "$QM" --db demo.db audit verify

kill -TERM $server
wait $server
expect_equal "$?" 0 "the server stopped cleanly on SIGTERM"
test_done
