#!/bin/sh
# The published files in data/ import as they are: the ECB's wide
# eurofxref-hist.csv (N/A cells and the trailing comma skipped; every rate
# counted) and the World Bank GDP file (CRLF, quoted names; rows of codes that
# are not parties skipped and counted). The counts are worked out here from
# the files themselves.
. "$(dirname "$0")/lib.sh"

ECB=$ROOT/data/eurofxref-hist.csv
WB=$ROOT/data/worldbank-gdp-current-usd.csv

# a small wide file first: every value lands where it belongs
expect_exit 0 "$QM" --db small.db import rates "$DATA/good/rates-ecb-wide.csv"
expect_stdout_line "rates: 16 records: 16 new, 0 changed, 0 unchanged"
expect_exit 0 "$QM" --db small.db export rates
expect_stdout_line "2023-12-28,JPY,156.57"
expect_stdout_line "2024-01-03,GBP,0.8647"
expect_stdout_line "2024-01-02,SEK,11.1545"
expect_stdout_lacks "CYP"

# the real ECB file: one rate per cell that is not N/A or empty
want=$(awk -F, 'NR == 1 { for (i = 2; i <= NF; i++) name[i] = $i; next }
	{ for (i = 2; i <= NF; i++) if (name[i] != "" && $i != "" && $i != "N/A") n++ }
	END { print n }' "$ECB")
expect_exit 0 "$QM" --db db import rates "$ECB"
expect_stdout_line "rates: $want records: $want new, 0 changed, 0 unchanged"
expect_equal "$(db_sql db 'SELECT count(*) FROM rates')" "$want" "rates stored"
# spot checks against the file
expect_exit 0 "$QM" --db db list rates --csv --from 2022-12-21 --to 2022-12-21
expect_stdout_line "2022-12-21,USD,1.0636"
expect_stdout_line "2022-12-21,GBP,0.87651"
expect_stdout_line "2022-12-21,JPY,140.29"
expect_exit 0 "$QM" --db db list rates --csv --from 2026-04-13
expect_stdout_line "2026-04-13,USD,1.1684"
expect_stdout_line "2026-04-13,GBP,0.87058"
expect_stdout_line "2026-04-13,IDR,20082.05"
# the import is deterministic: a second database gets the same journal
expect_exit 0 "$QM" --db db audit verify
head1=$(grep '^head:' "$OUT")
expect_exit 0 "$QM" -q --db db2 import rates "$ECB"
expect_exit 0 "$QM" --db db2 audit verify
expect_equal "$(grep '^head:' "$OUT")" "$head1" "the same journal head for the same import"
expect_exit 0 "$QM" --db db export rates
cp "$OUT" rates1.csv
expect_exit 0 "$QM" --db db2 export rates
expect_same_file rates1.csv "$OUT"
# again: all unchanged
expect_exit 0 "$QM" --db db import rates "$ECB"
expect_stdout_line "rates: $want records: 0 new, 0 changed, $want unchanged"

# the World Bank file, with the demo parties: rows of parties with a value
# are imported, the others skipped
expect_exit 0 "$QM" -q --db db import parties "$ROOT/data/demo/parties.csv"
counts=$(awk -F, 'NR == FNR { if (FNR > 1) party[$1] = 1; next }
	FNR > 1 { sub(/\r$/, ""); n = split($0, f, ","); total++
		if ((f[n - 2] in party) && f[n] != "") ok++ }
	END { print total, ok, total - ok }' "$ROOT/data/demo/parties.csv" "$WB")
set -- $counts
expect_exit 0 "$QM" --db db import gdp "$WB"
expect_stdout_line "gdp: $2 records: $2 new, 0 changed, 0 unchanged, $3 skipped"
expect_equal "$(db_sql db 'SELECT count(*) FROM gdp')" "$2" "GDP rows stored"
# the file has USD 4456081016705.961: kept to the cent, rounded half away from zero
grep -q '^Germany,DEU,2023,4456081016705.961' "$WB" && pass "file as expected" || fail "DEU 2023 in $WB"
expect_exit 0 "$QM" --db db export gdp
expect_stdout_line "DEU,2023,4456081016705.96,USD,\"World Bank WDI NY.GDP.MKTP.CD (GDP, current US$)\""
expect_exit 0 "$QM" --db db import gdp "$WB"
expect_stdout_line "gdp: $2 records: 0 new, 0 changed, $2 unchanged, $3 skipped"

# a small World Bank file: aggregates, unknown codes and empty values skipped
expect_exit 0 "$QM" -q --db wb.db import parties "$DATA/base/parties.csv"
expect_exit 0 "$QM" --db wb.db import gdp "$DATA/good/gdp-world-bank.csv"
expect_stdout_line "gdp: 4 records: 4 new, 0 changed, 0 unchanged, 3 skipped"
expect_exit 0 "$QM" --db wb.db list gdp --csv
expect_stdout_contains "DEU,2022,4163596357879.49,USD,"
expect_stdout_contains "GBR,2023,3380854520809.80,USD,"
expect_stdout_contains "USA,2023,27720709000000,USD,"
expect_stdout_lacks "KOR"
expect_stdout_lacks "WLD"

expect_exit 0 "$QM" --db db audit verify
test_done
