#!/bin/sh
# docs/commands.md is what `qm help --markdown` prints, so the reference
# cannot drift from --help; and each command's section is its --help.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$QM" help --markdown
cp "$OUT" commands.md
expect_same_file "$ROOT/docs/commands.md" commands.md
expect_stderr_empty

for c in init import export add list log audit check report help; do
	expect_exit 0 "$QM" "$c" --help
	cp "$OUT" help.txt
	# the fenced block after "## qm $c"
	awk -v h="## qm $c" '$0 == h { on = 1; next } on && /^```$/ { if (n++) exit; next } on && n == 1' \
		commands.md >section.txt
	expect_same_file help.txt section.txt
done

test_done
