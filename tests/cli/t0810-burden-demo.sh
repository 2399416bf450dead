#!/bin/sh
# Burden sharing on the demo dataset (tools/load-demo.sh): the 2024 pledge's
# fair shares against the public figures (World Bank GDP 2023, Hungary
# exempt: the United States about EUR 21.24 bn, Germany about EUR 3.46 bn),
# and every ally's fair share against an independent computation from
# data/worldbank-gdp-current-usd.csv done here in awk (all the GDP figures
# are in USD, so the conversion to EUR at the 2023 mean rate cancels out of
# the shares); the shares add up to the baseline to the cent; and
# `make demo`'s 2025 framework works too.
. "$(dirname "$0")/lib.sh"

expect_exit 0 sh -c "cd \"$ROOT\" && sh tools/load-demo.sh \"$QM\" \"$TMP/demo.db\""
expect_exit 0 "$QM" --db demo.db burden nato-2024 --csv
cp "$OUT" shares.csv
field() { awk -F, -v p="$1" -v c="$2" '$1 == p { print $c }' shares.csv; }
usa=$(field USA 5)
deu=$(field DEU 5)
in_range() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
in_range "$usa" 2123500000000 2124500000000 && pass "USA fair share about EUR 21.24 bn ($usa cents)" \
	|| fail "USA fair share $usa cents is not about EUR 21.24 bn"
in_range "$deu" 345500000000 346500000000 && pass "DEU fair share about EUR 3.46 bn ($deu cents)" \
	|| fail "DEU fair share $deu cents is not about EUR 3.46 bn"
expect_equal "$(awk -F, 'NR > 1 { s += $5 } END { printf "%.0f", s }' shares.csv)" 4000000000000 \
	"the fair shares add up to EUR 40 bn to the cent"
expect_equal "$(awk -F, 'NR > 1' shares.csv | wc -l | tr -d ' ')" 31 "31 allies bound"
expect_equal "$(field HUN 1)" "" "Hungary is exempt"

# every ally's share, computed independently from the World Bank file
allies="ALB BEL BGR CAN HRV CZE DNK EST FIN FRA DEU GRC ISL ITA LVA LTU LUX MNE NLD MKD NOR POL PRT ROU SVK SVN ESP SWE TUR GBR USA"
awk -F, -v allies="$allies" '
	BEGIN { n = split(allies, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
	$3 == 2023 && ($2 in want) { gdp[$2] = $4; total += $4 }
	END { for (c in gdp) printf "%s %.4f\n", c, 4000000000000 * gdp[c] / total }
' "$ROOT/data/worldbank-gdp-current-usd.csv" | sort >independent.txt
expect_equal "$(wc -l <independent.txt | tr -d ' ')" 31 "World Bank GDP 2023 for all 31"
bad=$(while read -r code share; do
	got=$(field "$code" 5)
	awk -v g="$got" -v s="$share" -v c="$code" 'BEGIN { d = g - s; if (d < 0) d = -d;
		if (d > 1) printf "%s: qm %s, independent %s\n", c, g, s }'
done <independent.txt)
expect_equal "$bad" "" "every fair share within a cent of the independent computation"

# the 2025 framework (illustrative) is there and computes
expect_exit 0 "$QM" --db demo.db burden nato-2025 --json
expect_stdout_contains '"baseline_eur_cents": 4000000000000,'
expect_stdout_contains '"gdp_year": 2023,'
# the report's burden section and JSON carry the same figures
expect_exit 0 "$QM" --db demo.db report --framework nato-2024
expect_stdout_contains "Burden sharing (qm burden)"
expect_stdout_contains "21,237,643,701"
expect_exit 0 "$QM" --db demo.db report --framework nato-2024 --json
expect_stdout_contains "\"fair_share_eur_cents\": $usa,"
# explaining an ally adds up to its counted figure
expect_exit 0 "$QM" --db demo.db burden nato-2024 --explain DEU --csv
sum=$(awk -F, 'NR > 1 && $8 == "yes" { s += $9 } END { printf "%.0f", s }' "$OUT")
expect_equal "$sum" "$(field DEU 6)" "DEU's counted lines add up to its counted figure"
test_done
