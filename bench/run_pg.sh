#!/bin/sh
# bench/run_pg.sh - qm on PostgreSQL against psql on the same server, on the
# generated file of 1,000,000 pledges (bench/run.sh's):
#
#   (a) qm import pledges FILE      into a fresh database (made from a
#                                   template that holds the demo parties, ECB
#                                   rates and items)
#   (b) psql \copy FILE             into a plain table of TEXT columns
#   (c) qm report                   on the database of (a)
#   (d) psql -f bench/report_pg.sql the same groupings on the table of (b)
#   (e) psql -1 \copy                the rows (a) stored, into qm's tables
#
# then, once each, on the database of (a) and on an SQLite copy of it (qm
# copy): reading the whole ledger (audit, export, log), and revising it
# (N/10 pledges again unchanged, then changed, then N/10 new deliveries).
#
# The server is a throwaway cluster on loopback (tests/pg/cluster.sh, with
# fsync and synchronous commit left on, as in production), started here
# and removed at the end. Each step runs BENCH_RUNS times (default 3), qm's
# and psql's runs taking turns; the median elapsed time counts. Writes a "pg"
# block into docs/benchmarks.md (bench/doc_block.sh) unless BENCH_QUICK=1
# (100,000 pledges). Run from the repository root after make.
set -eu

QM=${QM:-build/qm}
OUT=build/bench/pg
RUNS=${BENCH_RUNS:-3}
N=1000000
WRITE_DOC=1
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	N=100000
	WRITE_DOC=0
fi
say() { printf 'bench-pg: %s\n' "$*" >&2; }
die() { printf 'bench-pg: error: %s\n' "$*" >&2; exit 1; }

[ -x "$QM" ] || die "$QM not built (run make)"
[ -x /usr/bin/time ] || die "/usr/bin/time missing (make deps)"
command -v psql >/dev/null || die "psql missing (make deps)"
mkdir -p "$OUT"
CSV=build/bench/pledges-$N.csv
TIMES=$OUT/times.txt
: >"$TIMES"

if [ ! -f "$CSV" ]; then
	cc -std=c11 -O2 -Wall -Wextra -o "$OUT/gen_pledges" bench/gen_pledges.c
	say "generating $N pledges into $CSV"
	"$OUT/gen_pledges" "$N" data/demo/parties.csv data/demo/items.csv >"$CSV.tmp"
	mv "$CSV.tmp" "$CSV"
fi
BYTES=$(wc -c <"$CSV" | tr -d ' ')
REV=$(git describe --always --dirty 2>/dev/null || echo "not a git checkout")
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
ABSCSV=$(cd "$(dirname "$CSV")" && pwd)/$(basename "$CSV")

PGDIR=$(mktemp -u "${TMPDIR:-/tmp}/qm-bench-pg.XXXXXX")
trap 'sh tests/pg/cluster.sh stop "$PGDIR"' EXIT
PG=$(QM_PG_DURABLE=1 sh tests/pg/cluster.sh start "$PGDIR") || die "PostgreSQL would not start"
psql_() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
admin() { psql_ -d "$PG dbname=postgres" -c "$1"; }
PGV=$(psql_ -d "$PG dbname=postgres" -c "SHOW server_version")

say "preparing the template database (demo parties, ECB rates, items)"
admin "CREATE DATABASE qmref"
"$QM" --db "$PG dbname=qmref" -q import parties data/demo/parties.csv
"$QM" --db "$PG dbname=qmref" -q import rates data/eurofxref-hist.csv
"$QM" --db "$PG dbname=qmref" -q import items data/demo/items.csv
admin "CREATE DATABASE raw"
RAWTABLE="CREATE TABLE pledges_raw(id text, donor text, date text, item text, quantity text,
	amount text, currency text, status text, available text, part_of text, cost_type text,
	channel text, source text, note text)"

CPU_NOTE=" (client)"
. bench/timing.sh

i=1
while [ "$i" -le "$RUNS" ]; do
	admin "DROP DATABASE IF EXISTS qmrun"
	admin "CREATE DATABASE qmrun TEMPLATE qmref"
	timed qm_import "$i" "$QM" --db "$PG dbname=qmrun" -q import pledges "$CSV"
	[ "$(psql_ -d "$PG dbname=qmrun" -c 'SELECT count(*) FROM pledges')" = "$N" ] || die "qm import did not store $N pledges"
	psql_ -d "$PG dbname=raw" -c "DROP TABLE IF EXISTS pledges_raw" -c "$RAWTABLE"
	timed psql_copy "$i" psql -X -q -d "$PG dbname=raw" -c "\\copy pledges_raw FROM '$ABSCSV' WITH (FORMAT csv, HEADER true)"
	[ "$(psql_ -d "$PG dbname=raw" -c 'SELECT count(*) FROM pledges_raw')" = "$N" ] || die "\\copy did not store $N rows"
	i=$((i + 1))
done
# (e) the floor: what storing qm's rows costs the server alone; the rows qm
# stored (pledges, and the journal entries of the import) copied back into
# qm's own tables (keys and indexes) of a fresh database, in one transaction
REFSEQ=$(psql_ -d "$PG dbname=qmref" -c "SELECT coalesce(max(seq), 0) FROM journal")
psql_ -d "$PG dbname=qmrun" -c "\\copy pledges TO '$(pwd)/$OUT/floor-pledges.tsv'" \
	-c "\\copy (SELECT * FROM journal WHERE seq > $REFSEQ ORDER BY seq) TO '$(pwd)/$OUT/floor-journal.tsv'"
i=1
while [ "$i" -le "$RUNS" ]; do
	admin "DROP DATABASE IF EXISTS qmfloor"
	admin "CREATE DATABASE qmfloor TEMPLATE qmref"
	timed psql_floor "$i" psql -X -q -1 -v ON_ERROR_STOP=1 -d "$PG dbname=qmfloor" \
		-c "\\copy pledges FROM '$(pwd)/$OUT/floor-pledges.tsv'" \
		-c "\\copy journal FROM '$(pwd)/$OUT/floor-journal.tsv'"
	i=$((i + 1))
done
psql_ -d "$PG dbname=qmrun" -c "VACUUM ANALYZE"
psql_ -d "$PG dbname=raw" -c "VACUUM ANALYZE"
i=1
while [ "$i" -le "$RUNS" ]; do
	timed qm_report "$i" "$QM" --db "$PG dbname=qmrun" report
	timed psql_report "$i" psql -X -q -d "$PG dbname=raw" -f bench/report_pg.sql
	i=$((i + 1))
done

# the same ledger on SQLite gives the same report, byte for byte
say "checking qm report on PostgreSQL against qm report on an SQLite copy"
rm -f "$OUT/copy.db"
"$QM" -q copy --from "$PG dbname=qmrun" --to "$OUT/copy.db"
"$QM" --db "$OUT/copy.db" report >"$OUT/sqlite_report.txt"
if cmp -s "$OUT/qm_report.out" "$OUT/sqlite_report.txt"; then SAME=identical; else SAME=DIFFERENT; fi
say "qm report on PostgreSQL and on its SQLite copy: $SAME"

# reading the whole ledger, on PostgreSQL and on the SQLite copy: once each,
# for the client's memory (statements marked qm_stmt_stream read by cursor)
for cmd in "audit verify" "export pledges" "log"; do
	l=$(echo "$cmd" | cut -d' ' -f1)
	# shellcheck disable=SC2086 # cmd is a command and its argument
	timed "read_pg_$l" 1 "$QM" --db "$PG dbname=qmrun" $cmd
	# shellcheck disable=SC2086
	timed "read_sqlite_$l" 1 "$QM" --db "$OUT/copy.db" $cmd
done
cmp -s "$OUT/read_pg_export.out" "$OUT/read_sqlite_export.out" || die "qm export differs between PostgreSQL and its SQLite copy"

# revising the ledger of (a), on PostgreSQL (a copy of qmrun) and on its
# SQLite copy, once each: its first REV_N pledges again (all unchanged),
# then with their source changed (all revised), then REV_N new deliveries
# of one unit, one on each of the first REV_N pledges of an item
REV_N=$((N / 10))
awk -v n="$REV_N" 'NR <= n + 1' "$CSV" >"$OUT/rev-same.csv"
awk -v n="$REV_N" -F, 'BEGIN { OFS = "," } NR == 1 { print; next } NR <= n + 1 { $13 = $13 "/revised"; print }' \
	"$CSV" >"$OUT/rev-changed.csv"
awk -v n="$REV_N" -F, 'BEGIN { print "id,pledge,date,quantity,hub,source,note" }
	NR > 1 && $5 != "" && $8 != "cancelled" { printf "bench-d%07d,%s,2025-01-01,1,,bench,\n", ++k, $1; if (k == n) exit }' \
	"$CSV" >"$OUT/rev-deliveries.csv"
admin "CREATE DATABASE qmrev TEMPLATE qmrun"
cp "$OUT/copy.db" "$OUT/rev.db"
for step in same:pledges changed:pledges deliveries:deliveries; do
	f=${step%%:*} kind=${step#*:}
	timed "rev_pg_$f" 1 "$QM" -q --db "$PG dbname=qmrev" import "$kind" "$OUT/rev-$f.csv"
	timed "rev_sqlite_$f" 1 "$QM" -q --db "$OUT/rev.db" import "$kind" "$OUT/rev-$f.csv"
done
"$QM" --db "$PG dbname=qmrev" export pledges -o "$OUT/rev-pg.csv"
"$QM" --db "$OUT/rev.db" export pledges -o "$OUT/rev-sqlite.csv"
cmp -s "$OUT/rev-pg.csv" "$OUT/rev-sqlite.csv" || die "pledges differ between PostgreSQL and SQLite after the revising imports"
admin "DROP DATABASE qmrev"
rm -f "$OUT/rev.db"
QDB_MIB=$(psql_ -d "$PG dbname=qmrun" -c "SELECT round(pg_database_size('qmrun') / 1048576.0, 1)")
RAW_MIB=$(psql_ -d "$PG dbname=raw" -c "SELECT round(pg_total_relation_size('pledges_raw') / 1048576.0, 1)")

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
qi=$(median qm_import 2) si=$(median psql_copy 2) qr=$(median qm_report 2) sr=$(median psql_report 2)
fi_=$(median psql_floor 2)
ri=$(ratio "$qi" "$si") rr=$(ratio "$qr" "$sr") rf=$(ratio "$fi_" "$si") rq=$(ratio "$qi" "$fi_")
row() { printf '| %s | `%s` | %s | %s | %s | %s |\n' "$1" "$2" "$(median "$3" 2)" "$(runs_of "$3")" "$(median "$3" 4)" "$(awk -v l="$3" '$1 == l && $3 > m { m = $3 } END { printf "%.1f", m / 1024 }' "$TIMES")"; }
block() {
	echo "<!-- pg:begin -->"
	echo "## PostgreSQL: qm against psql on the same server"
	echo
	echo "Written by \`bench/run_pg.sh\` (part of \`make bench\`) on $(date -u '+%Y-%m-%d %H:%M UTC'): $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)),"
	echo "PostgreSQL $PGV in a throwaway cluster on loopback (\`tests/pg/cluster.sh\`, fsync and synchronous"
	echo "commit on, shared_buffers 256 MB), $("$QM" --version), source \`$REV\` (\`git describe --always --dirty\` when the run started)."
	echo "The server, qm and psql share the machine's cores, and nothing keeps other work off the machine: load"
	echo "average (1, 5, 15 min) $LOAD_START at the start, $LOAD_END at the end. Runs of the same command vary by a"
	echo "third or more between runs of this script; the ratios compare runs taken in turns."
	echo
	echo "- (a) \`qm import pledges\` of the file above ($N pledges, $BYTES bytes) into a fresh database"
	echo "  made from a template holding the demo parties, the ECB rates and the items: full validation,"
	echo "  valuation and the hash-chained journal, in one transaction; the rows go to the server by COPY"
	echo "  (\`qm_stmt_defer\` in \`src/store/postgres.c\`);"
	echo "- (b) \`psql -c \"\\\\copy pledges_raw FROM 'FILE' WITH (FORMAT csv, HEADER true)\"\` into a plain table of"
	echo "  TEXT columns (no key, no checks);"
	echo "- (c) \`qm report\` on the database of (a); (d) \`psql -f bench/report_pg.sql\` on the table of (b),"
	echo "  the groupings of \`bench/report.sql\` in PostgreSQL's SQL (the same caveats: qm's report does much more);"
	printf '%s\n' "- (e) the floor under (a): \`psql -1\` with \`\\copy\` of exactly the rows (a) stored (the pledges with"
	echo "  their computed values, and the import's journal entries) into qm's own tables, keys and indexes, in"
	echo "  a fresh database made from the same template: what storing them costs the server alone."
	echo
	echo "Database sizes: qm $QDB_MIB MiB (journal included), plain table $RAW_MIB MiB. \`qm report\` on the"
	echo "PostgreSQL database and on an SQLite copy of it (\`qm copy\`) print the same bytes: **$SAME**."
	echo "Medians of $RUNS runs, taking turns; CPU and peak RSS are the client's (qm's or psql's), not the server's."
	echo
	echo "| step | command | median elapsed (s) | runs (s) | median client CPU (s) | client peak RSS (MiB) |"
	echo "| --- | --- | ---: | --- | ---: | ---: |"
	row "(a) import" "qm import pledges" qm_import
	row "(b) import" "psql \\copy" psql_copy
	row "(c) report" "qm report" qm_report
	row "(d) report" "psql -f bench/report_pg.sql" psql_report
	row "(e) floor" "psql -1 \\copy pledges, journal" psql_floor
	echo
	echo "The floor (e) alone is ${rf}x (b): the server stores the journal, the computed values, keys and"
	echo "indexes ($QDB_MIB MiB against the plain table's $RAW_MIB MiB). qm's import is ${rq}x its floor."
	echo
	echo "| target | measured (median elapsed) | verdict |"
	echo "| --- | --- | --- |"
	# printf, not echo: dash's echo reads the backslash of \copy as an escape
	printf '%s\n' "| import at most 3x psql's \\copy | ${ri}x ($qi s / $si s) | $(verdict "$ri" 3) |"
	echo "| report at most 2x the same SQL in psql | ${rr}x ($qr s / $sr s) | $(verdict "$rr" 2) |"
	echo
	echo "Reading the whole ledger of (a) ($(psql_ -d "$PG dbname=qmrun" -c "SELECT max(seq) FROM journal") journal entries), once each, on PostgreSQL and on its"
	echo "SQLite copy. On PostgreSQL the big reads go through cursors, a page of rows at a time"
	echo "(\`qm_stmt_stream\` in \`src/store/postgres.c\`), so qm's memory stays flat (SQLite's figures include its"
	echo "64 MiB page cache, and for the audit its sorter); \`qm export\` writes the same bytes from both."
	echo
	echo "| command | PostgreSQL elapsed (s) | PostgreSQL peak RSS (MiB) | SQLite elapsed (s) | SQLite peak RSS (MiB) |"
	echo "| --- | ---: | ---: | ---: | ---: |"
	for cmd in "audit verify" "export pledges" "log"; do
		l=$(echo "$cmd" | cut -d' ' -f1)
		printf '| `qm %s` | %s | %s | %s | %s |\n' "$cmd" \
			"$(median "read_pg_$l" 2)" "$(median "read_pg_$l" 3 | awk '{ printf "%.1f", $1 / 1024 }')" \
			"$(median "read_sqlite_$l" 2)" "$(median "read_sqlite_$l" 3 | awk '{ printf "%.1f", $1 / 1024 }')"
	done
	echo
	echo "Revising the ledger of (a), once each, on PostgreSQL (a copy of it) and on the SQLite copy: its first"
	echo "$REV_N pledges again, unchanged; the same with their source changed, so all revised; then $REV_N new"
	echo "deliveries of one unit each. A revising import looks rows up 512 at a time (\`qm_rows_find_keys\`"
	echo "in \`src/lib/rows.c\`); after the three, \`qm export pledges\` writes the same bytes from both."
	echo
	echo "| import | PostgreSQL elapsed (s) | PostgreSQL peak RSS (MiB) | SQLite elapsed (s) | SQLite peak RSS (MiB) |"
	echo "| --- | ---: | ---: | ---: | ---: |"
	for f in "same:$REV_N unchanged pledges" "changed:$REV_N revised pledges" "deliveries:$REV_N new deliveries"; do
		l=${f%%:*}
		printf '| %s | %s | %s | %s | %s |\n' "${f#*:}" \
			"$(median "rev_pg_$l" 2)" "$(median "rev_pg_$l" 3 | awk '{ printf "%.1f", $1 / 1024 }')" \
			"$(median "rev_sqlite_$l" 2)" "$(median "rev_sqlite_$l" 3 | awk '{ printf "%.1f", $1 / 1024 }')"
	done
	echo "<!-- pg:end -->"
}
block >"$OUT/block.md"
cat "$OUT/block.md"
if [ "$WRITE_DOC" = 1 ]; then
	sh bench/doc_block.sh pg docs/benchmarks.md <"$OUT/block.md"
	say "wrote the pg block of docs/benchmarks.md"
fi
