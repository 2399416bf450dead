#!/bin/sh
# The examples in README.md run as tests (as jq runs its manual): each line
# "$ COMMAND" in a code block is run in order, from a directory where
# build/qm is the qm under test and data/ and tools/ are the repository's,
# on the demo database that `make demo` builds, and must print the lines
# that follow it. Examples whose output carries the time of day (qm log)
# are run but not compared, and journal hashes are masked.
. "$(dirname "$0")/lib.sh"
sqlite_only "the README's examples are run as written: on demo.db, with the sqlite3 shell"

mkdir -p ex/build && cd ex || exit 1
ln -s "$QM" build/qm
ln -s "$ROOT/data" data
ln -s "$ROOT/tools" tools
expect_exit 0 sh tools/load-demo.sh build/qm demo.db

# split the README's code blocks into example N: cmd.N and want.N
awk '
	function flush() { while (nl > 0 && lines[nl] == "") nl--
		for (j = 1; j <= nl; j++) print lines[j] > ("want." n); nl = 0 }
	/^```/ { if (n) flush(); inblock = !inblock; cur = 0; next }
	!inblock { next }
	/^\$ / { if (n) flush(); n++; cur = 1; printf "%s\n", substr($0, 3) > ("cmd." n)
		printf "" > ("want." n); next }
	cur { lines[++nl] = $0 }
	END { if (n) flush() }
' "$ROOT/README.md"

count=$(ls cmd.* 2>/dev/null | wc -l)
[ "$count" -gt 5 ] && pass "$count README examples found" || fail "README examples not found"
i=1
while [ -f "cmd.$i" ]; do
	cmd=$(cat "cmd.$i")
	sh -c "$cmd" >"got.$i" 2>&1 </dev/null
	# a journal head hash depends on when the journal was written: mask it
	sed -i 's/hash [0-9a-f]\{64\}/hash HASH/' "want.$i" "got.$i"
	if grep -q '[0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z' "want.$i"; then
		pass "README example $i run (output has a time of day): $cmd"
	elif cmp -s "want.$i" "got.$i"; then
		pass "README example $i: $cmd"
	else
		fail "README example $i: $cmd (- README, + qm)" "$(diff -u "want.$i" "got.$i" | tail -n +3 | head -30)"
	fi
	i=$((i + 1))
done

test_done
