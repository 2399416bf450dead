#!/bin/sh
# bench/doc_block.sh NAME FILE: put standard input into FILE as the block
# between "<!-- NAME:begin -->" and "<!-- NAME:end -->", in place of the
# old block of that name, or at the end when there is none (after one
# blank line). The other blocks and the rest of FILE stay as they are. The
# benchmark scripts use it to share docs/benchmarks.md.
set -eu
name=$1
file=$2
block=$(mktemp)
cat > "$block"
if grep -q -x -F "<!-- $name:begin -->" "$file"; then
	awk -v begin="<!-- $name:begin -->" -v end="<!-- $name:end -->" -v blockfile="$block" '
		$0 == begin { skip = 1; while ((getline l < blockfile) > 0) print l; next }
		skip && $0 == end { skip = 0; next }
		!skip { print }' "$file" > "$file.tmp"
else
	awk '{ line[++n] = $0 } END { while (n > 0 && line[n] == "") n--; for (i = 1; i <= n; i++) print line[i]; print "" }' \
		"$file" > "$file.tmp"
	cat "$block" >> "$file.tmp"
fi
mv "$file.tmp" "$file"
rm -f "$block"
