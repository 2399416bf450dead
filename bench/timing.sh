# bench/timing.sh - what the benchmark drivers that time commands in turns
# share (bench/run.sh, bench/run_pg.sh). Sourced; the driver sets OUT (its
# folder), TIMES (the file of timings), RUNS, and the functions say and die;
# CPU_NOTE, when set, follows "CPU" in the progress lines (" (client)").

# timed LABEL RUN CMD...: run CMD under /usr/bin/time, its stdout to
# $OUT/LABEL.out, and append "LABEL seconds KiB cpu-seconds" to $TIMES.
timed() {
	label=$1 run=$2
	shift 2
	if ! /usr/bin/time -f '%e %M %U %S' -o "$OUT/time.tmp" "$@" >"$OUT/$label.out" 2>"$OUT/$label.err"; then
		cat "$OUT/$label.err" >&2
		die "$label run $run failed: $*"
	fi
	read -r secs kib usr sys <"$OUT/time.tmp"
	cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	echo "$label $secs $kib $cpu" >>"$TIMES"
	say "$label run $run/$RUNS: ${secs} s elapsed, $cpu s CPU${CPU_NOTE:-}, peak $kib KiB"
}

# all the seconds of LABEL, in run order: "12.03, 11.80, 12.40"
runs_of() { awk -v l="$1" '$1 == l { printf "%s%s", sep, $2; sep = ", " } END { print "" }' "$TIMES"; }

# median of column COL of LABEL's lines
median() {
	awk -v l="$1" -v c="$2" '$1 == l { print $c }' "$TIMES" | sort -n |
		awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# fastest elapsed seconds of LABEL
fastest() { awk -v l="$1" '$1 == l { print $2 }' "$TIMES" | sort -n | head -n 1; }

# A / B with two decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }

# "met" when VALUE is at most MAX, else "MISSED"
verdict() { awk -v v="$1" -v max="$2" 'BEGIN { print (v <= max) ? "met" : "MISSED" }'; }
