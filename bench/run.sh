#!/bin/sh
# bench/run.sh - `make bench`: time qm against the sqlite3 shell on a generated
# file of 1,000,000 pledges and write the figures to docs/benchmarks.md.
#
#   (a) qm import pledges FILE      into a fresh copy of a database that holds
#                                   the demo parties, ECB rates and items
#   (b) sqlite3 .import FILE        into a plain table of TEXT columns
#   (c) qm report                   on the database of (a)
#   (d) sqlite3 < bench/report.sql  the same groupings on the table of (b)
#
# Each is run BENCH_RUNS times (default 3) and the median elapsed time is
# kept, with the largest peak resident set size of the runs. Run from the
# repository root after `make` (the Makefile's bench target does both).
#
# BENCH_QUICK=1 uses 100,000 pledges instead and leaves docs/benchmarks.md
# alone (its figures are for 1,000,000). QM=path picks another qm binary.
set -eu

QM=${QM:-build/qm}
OUT=build/bench
RUNS=${BENCH_RUNS:-3}
DOC=docs/benchmarks.md
N=1000000
WRITE_DOC=1
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	N=100000
	WRITE_DOC=0
fi

say() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

[ -x "$QM" ] || die "$QM not built (run make)"
[ -x /usr/bin/time ] || die "/usr/bin/time missing (apt-get install time, or make deps)"
command -v sqlite3 >/dev/null || die "sqlite3 shell missing (make deps)"
[ -f bench/report.sql ] && [ -f data/demo/parties.csv ] || die "run from the repository root"

mkdir -p "$OUT"
CSV=$OUT/pledges-$N.csv
REF=$OUT/reference.db
QDB=$OUT/qm.db
RAW=$OUT/raw.db
TIMES=$OUT/times.txt
: > "$TIMES"

# --- the generator and the file ---------------------------------------------
if [ ! -x "$OUT/gen_pledges" ] || [ bench/gen_pledges.c -nt "$OUT/gen_pledges" ]; then
	say "compiling bench/gen_pledges.c"
	cc -std=c11 -O2 -Wall -Wextra -o "$OUT/gen_pledges" bench/gen_pledges.c
fi
say "generating $N pledges into $CSV"
"$OUT/gen_pledges" "$N" data/demo/parties.csv data/demo/items.csv > "$CSV.tmp"
mv "$CSV.tmp" "$CSV"
BYTES=$(wc -c < "$CSV" | tr -d ' ')

# --- the reference database: what a pledge refers to -------------------------
say "preparing $REF (demo parties, ECB rates, items)"
rm -f "$REF"
"$QM" --db "$REF" -q import parties data/demo/parties.csv
"$QM" --db "$REF" -q import rates data/eurofxref-hist.csv
"$QM" --db "$REF" -q import items data/demo/items.csv

. bench/timing.sh

# median elapsed seconds, largest KiB, median CPU seconds and fastest
# elapsed seconds of LABEL
stats() {
	kib=$(awk -v l="$1" '$1 == l && $3 > m { m = $3 } END { print m + 0 }' "$TIMES")
	echo "$(median "$1" 2) $kib $(median "$1" 4) $(fastest "$1")"
}

count() { sqlite3 "$1" "SELECT count(*) FROM $2"; }

# --- (a) qm import, (b) sqlite3 .import ---------------------------------------
i=1
while [ "$i" -le "$RUNS" ]; do
	rm -f "$QDB"
	cp "$REF" "$QDB"
	timed qm_import "$i" "$QM" --db "$QDB" -q import pledges "$CSV"
	[ "$(count "$QDB" pledges)" = "$N" ] || die "qm import did not store $N pledges"
	rm -f "$RAW"
	timed sqlite_import "$i" sqlite3 "$RAW" -cmd '.mode csv' ".import $CSV pledges_raw"
	[ "$(count "$RAW" pledges_raw)" = "$N" ] || die "sqlite3 .import did not store $N rows"
	i=$((i + 1))
done

# --- (c) qm report, (d) sqlite3 < bench/report.sql ----------------------------
i=1
while [ "$i" -le "$RUNS" ]; do
	timed qm_report "$i" "$QM" --db "$QDB" report
	timed sqlite_report "$i" sh -c 'exec sqlite3 "$1" < bench/report.sql' sh "$RAW"
	i=$((i + 1))
done

# --- cross-check: both sides counted the same pledges -------------------------
say "cross-checking qm report --json against bench/report.sql"
"$QM" --db "$QDB" report --json > "$OUT/qm_report.json"
qm_side=$(sqlite3 :memory: "SELECT group_concat(s, ' ') FROM (SELECT json_extract(value, '\$.status')
	|| '=' || json_extract(value, '\$.pledges') AS s FROM json_each(readfile('$OUT/qm_report.json'),
	'\$.by_status') ORDER BY 1); SELECT group_concat(s, ' ') FROM (SELECT json_extract(value, '\$.item')
	|| '=' || json_extract(value, '\$.pledged') AS s FROM json_each(readfile('$OUT/qm_report.json'),
	'\$.items') ORDER BY 1);")
raw_side=$(sqlite3 "$RAW" "SELECT group_concat(s, ' ') FROM (SELECT coalesce(nullif(status, ''),
	'announced') || '=' || count(*) AS s FROM pledges_raw WHERE date <= date('now') GROUP BY
	coalesce(nullif(status, ''), 'announced') ORDER BY 1); SELECT group_concat(s, ' ') FROM (SELECT
	item || '=' || sum(CAST(quantity AS INTEGER)) AS s FROM pledges_raw WHERE item <> '' AND
	date <= date('now') AND coalesce(nullif(status, ''), 'announced') <> 'cancelled' GROUP BY item
	ORDER BY 1);")
if [ "$qm_side" = "$raw_side" ]; then
	AGREE="agree"
else
	AGREE="DISAGREE"
	say "qm: $qm_side"
	say "sql: $raw_side"
fi
say "pledges per status and quantity per item: the two reports $AGREE"

# --- results ------------------------------------------------------------------
set -- $(stats qm_import);     qi=$1 qi_kib=$2 qi_cpu=$3 qi_min=$4
set -- $(stats sqlite_import); si=$1 si_kib=$2 si_cpu=$3 si_min=$4
set -- $(stats qm_report);     qr=$1 qr_kib=$2 qr_cpu=$3 qr_min=$4
set -- $(stats sqlite_report); sr=$1 sr_kib=$2 sr_cpu=$3 sr_min=$4
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ri=$(ratio "$qi" "$si")
rr=$(ratio "$qr" "$sr")
ri_cpu=$(ratio "$qi_cpu" "$si_cpu")
rr_cpu=$(ratio "$qr_cpu" "$sr_cpu")
ri_min=$(ratio "$qi_min" "$si_min")
rr_min=$(ratio "$qr_min" "$sr_min")
qi_mib=$(mib "$qi_kib")
import_time_ok=$(verdict "$ri" 3)
# 200 MB = 200,000,000 bytes = 195,312 KiB
import_mem_ok=$(awk -v k="$qi_kib" 'BEGIN { print (k * 1024 < 200000000) ? "met" : "MISSED" }')
report_ok=$(verdict "$rr" 2)

QMV=$("$QM" --version)
REV=$(git describe --always --dirty 2>/dev/null || echo "not a git checkout")
SQLV=$(sqlite3 --version | cut -d' ' -f1-2)
CPU=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
[ -n "$CPU" ] || CPU=unknown
CORES=$(nproc)
MEM=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
QDB_MIB=$(mib $(($(wc -c < "$QDB") / 1024)))
RAW_MIB=$(mib $(($(wc -c < "$RAW") / 1024)))

table() {
	printf '| step | command | median elapsed (s) | runs (s) | median CPU (s) | peak RSS (MiB) |\n'
	printf '| --- | --- | ---: | --- | ---: | ---: |\n'
	printf '| (a) import | `qm import pledges` | %s | %s | %s | %s |\n' "$qi" "$(runs_of qm_import)" "$qi_cpu" "$qi_mib"
	printf '| (b) import | `sqlite3 .import` | %s | %s | %s | %s |\n' "$si" "$(runs_of sqlite_import)" "$si_cpu" "$(mib "$si_kib")"
	printf '| (c) report | `qm report` | %s | %s | %s | %s |\n' "$qr" "$(runs_of qm_report)" "$qr_cpu" "$(mib "$qr_kib")"
	printf '| (d) report | `sqlite3 < bench/report.sql` | %s | %s | %s | %s |\n' "$sr" "$(runs_of sqlite_report)" "$sr_cpu" "$(mib "$sr_kib")"
}
targets() {
	printf '| target | measured (median elapsed) | verdict | fastest runs | median CPU time |\n'
	printf '| --- | --- | --- | --- | --- |\n'
	printf '| import time at most 3x sqlite3 | %sx (%s s / %s s) | %s | %sx | %sx |\n' "$ri" "$qi" "$si" "$import_time_ok" "$ri_min" "$ri_cpu"
	printf '| import peak memory under 200 MB | %s MB (%s KiB) | %s | | |\n' "$(awk -v k="$qi_kib" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')" "$qi_kib" "$import_mem_ok"
	printf '| report time at most 2x sqlite3 | %sx (%s s / %s s) | %s | %sx | %sx |\n' "$rr" "$qr" "$sr" "$report_ok" "$rr_min" "$rr_cpu"
}

printf '\n%s pledges (%s bytes), median of %s runs\n\n' "$N" "$BYTES" "$RUNS"
table
printf '\n'
targets
printf '\n'

if [ "$WRITE_DOC" = 0 ]; then
	say "BENCH_QUICK=1: $DOC left as it is (its figures are for 1000000 pledges)"
	exit 0
fi

cat > "$DOC.tmp" <<EOF
# Benchmarks

Written by \`make bench\` (\`bench/run.sh\`); do not edit by hand, run it again. The plan's
benchmark, which \`make bench\` runs next, is in [benchmarks-plan.md](benchmarks-plan.md).

- Date: $DATE
- Machine: $CORES cores ($CPU), $MEM of memory
- SQLite: sqlite3 shell $SQLV (qm links the system libsqlite3)
- qm: $QMV, source \`$REV\` (\`git describe --always --dirty\`), built with the Makefile's flags
  (\`-O2 -g\`)

## What is measured

A file of $N pledges ($BYTES bytes) is generated by \`bench/gen_pledges.c\` (fixed seed, so
the same file every time): ids \`b0000001\`..., donors drawn from the allies in
\`data/demo/parties.csv\`, dates 2022-03-01 to 2024-12-31, about 60% item and quantity (items from
\`data/demo/items.csv\`, 1 in 20 of them part of an earlier money pledge of the same donor) and 40%
amount only (EUR, USD, GBP, SEK, such as \`968000186.50\`), statuses committed, announced and
cancelled, a mix of cost types and channels (some blank, so that defaults apply), a source on
49 rows in 50. Every row passes qm's validation.

- (a) \`qm import\` with its full validation, EUR valuation and the hash-chained journal, into a
  fresh copy of a database that already holds what pledges refer to (the demo parties, the ECB
  rates in \`data/eurofxref-hist.csv\` and the demo items; prepared once, copied before each run);
- (b) the \`sqlite3\` shell's \`.import\` of the same file into a plain table (every column TEXT,
  no key, no checks);
- (c) \`qm report\` on the database of (a);
- (d) \`sqlite3\` running \`bench/report.sql\` on the table of (b): the same groupings (totals, by
  status, top 10 donors, by cost type, by channel, pledged quantity per item) with qm's defaults
  and filters, summing the stated amounts as written.

The two reports are not the same amount of work, and the ratio should be read with that in mind:
\`qm report\` sums EUR values (computed at import from the ECB rate of the pledge date or from
the item's unit price), also reads parties, items, GDP, rates, deliveries and requirements,
adds the valuation and capability sections and runs every \`qm check\` (whose findings it
counts); \`bench/report.sql\` sums amounts in mixed currencies and reads nothing else. After the timed runs
the script compares the pledges per status and the pledged quantity per item of
\`qm report --json\` with the same figures from the plain table: they **$AGREE**.

qm's import uses both cores when the pledges table is empty before it, as here: one thread reads,
checks, values, serialises and hashes the records while the other writes them to SQLite (see
\`src/lib/pipe.c\`); the sqlite3 shell uses one. That is why qm's CPU time is larger than its
elapsed time, and the table gives both.

Each command runs $RUNS times, qm's and sqlite3's runs taking turns; the tables show the median
elapsed time, every run's elapsed time, the median CPU time (user + system) and the largest peak
resident set size of the runs (\`/usr/bin/time -f '%e %M %U %S'\`). The targets are judged on
the ratio of the median elapsed times. Nothing keeps other work off the machine during a run,
and such work slows some runs down: when one command's runs differ by more than a few percent,
read the ratio of the fastest runs and of the CPU times next to it.

Database sizes: qm $QDB_MIB MiB (journal included), plain table $RAW_MIB MiB.

## Results

$(table)

## Against the targets

$(targets)

## Commands

\`\`\`sh
$OUT/gen_pledges $N data/demo/parties.csv data/demo/items.csv > $CSV
# reference database, prepared once and copied to $QDB before each import
$QM --db $REF -q import parties data/demo/parties.csv
$QM --db $REF -q import rates data/eurofxref-hist.csv
$QM --db $REF -q import items data/demo/items.csv
# (a)
cp $REF $QDB
/usr/bin/time -f '%e %M %U %S' $QM --db $QDB -q import pledges $CSV
# (b) into a new database each run
/usr/bin/time -f '%e %M %U %S' sqlite3 $RAW -cmd '.mode csv' '.import $CSV pledges_raw'
# (c)
/usr/bin/time -f '%e %M %U %S' $QM --db $QDB report > $OUT/qm_report.out
# (d)
/usr/bin/time -f '%e %M %U %S' sqlite3 $RAW < bench/report.sql > $OUT/sqlite_report.out
\`\`\`

## Reproduce

\`\`\`sh
make bench                 # builds build/qm, runs bench/run.sh, rewrites this file
BENCH_QUICK=1 make bench   # 100,000 pledges, prints the table, leaves this file alone
BENCH_RUNS=5 make bench    # more runs per command
\`\`\`

Everything is written under \`$OUT/\` (about 0.8 GB for 1,000,000 pledges); \`make clean\` removes it.
EOF
# keep the blocks the other benchmarks wrote (bench/doc_block.sh)
if [ -f "$DOC" ] && grep -q '^<!-- [a-z]*:begin -->$' "$DOC"; then
	awk '/^<!-- [a-z]*:begin -->$/ { on = 1; print "" } on { print } /^<!-- [a-z]*:end -->$/ { on = 0 }' \
		"$DOC" >> "$DOC.tmp"
fi
mv "$DOC.tmp" "$DOC"
say "wrote $DOC"
