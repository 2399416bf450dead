#!/bin/sh
# kiel-weapons: the Kiel Institute heavy-weapons table read into pledges, one
# per donor and item, donors and weapons matched by name or alias; weapons
# that match no item are pledged as money only and each is reported as a
# warning; each row's value is apportioned to the cent (by count x unit price
# when every weapon of the row is priced, else by count) and kept exactly.
. "$(dirname "$0")/lib.sh"

load_base db parties rates items
cp "$DATA/good/kiel-weapons.csv" kiel.csv
expect_exit 0 "$QM" --db db import kiel-weapons kiel.csv
expect_stdout_line "kiel-weapons: 5 records: 5 new, 0 changed, 0 unchanged, 1 names unmatched"
expect_stderr_equals "kiel.csv:2:35: warning: weapons_list: no catalogue item has the name or alias 'Wunderpanzer X'; pledged as money only (add the name to an item's aliases)"

expect_exit 0 "$QM" --db db list pledges --csv
cut -d, -f1-8 "$OUT" >pledges.csv
# row 2: EUR 600,000,000.50 over 20 weapons, one of them unpriced: by count,
# 18/20 and 2/20
expect_file_line pledges.csv "kiel-DEU-leopard-2a6,DEU,2024-12-31,leopard-2a6,18,540000000.45,EUR,committed"
expect_file_line pledges.csv "kiel-DEU-name:wunderpanzer-x,DEU,2024-12-31,,,60000000.05,EUR,committed"
# rows 3 and 4 (USA by alias, twice): 2 Patriots for EUR 2 bn, then EUR 1 bn
# over 1 Patriot (USD 1 bn at 1.0915 = 91,617,040,770 cents) and 2 Leopard
# (2 x 2,900,000,000 cents), by price: 94,046,216,191.0... and
# 5,953,783,808.9..., the last cent to the larger remainder
expect_file_line pledges.csv "kiel-USA-patriot-battery,USA,2024-12-31,patriot-battery,3,2940462161.92,EUR,committed"
expect_file_line pledges.csv "kiel-USA-leopard-2a6,USA,2024-12-31,leopard-2a6,2,59537838.08,EUR,committed"
expect_file_line pledges.csv "kiel-GBR-shell-155,GBR,2024-12-31,shell-155,1000,1000000,EUR,committed"
# the source says where it came from
expect_stdout_contains "Kiel Institute for the World Economy, Ukraine Support Tracker, heavy weapons (category Tanks)"

# again: unchanged; with --date and --status the pledges are revised
expect_exit 0 "$QM" --db db import kiel-weapons kiel.csv
expect_stdout_line "kiel-weapons: 5 records: 0 new, 0 changed, 5 unchanged, 1 names unmatched"
expect_exit 0 "$QM" --db db import --date 2024-06-30 --status announced kiel-weapons kiel.csv
expect_stdout_line "kiel-weapons: 5 records: 0 new, 5 changed, 0 unchanged, 1 names unmatched"
expect_exit 0 "$QM" --db db list pledges --csv --status announced --from 2024-06-30 --to 2024-06-30
expect_stdout_contains "kiel-GBR-shell-155,GBR,2024-06-30,shell-155,1000,1000000,EUR,announced"
expect_exit 0 "$QM" --db db audit verify

# an unmatched weapon whose name looks like an item code stays money only:
# it is not counted as units of that item
printf '%s\n' '"donor","category","number_of_weapons","monetary_value_eur","weapons_list"' \
	'"Germany","Tanks",18,522000000,"Leopard 2 (18)"' \
	'"Germany","Tanks",4,100000000,"leopard-2a6 (4)"' >slug.csv
expect_exit 0 "$QM" --db slug.db import parties "$DATA/base/parties.csv"
expect_exit 0 "$QM" --db slug.db import rates "$DATA/base/rates.csv"
expect_exit 0 "$QM" --db slug.db import items "$DATA/base/items.csv"
expect_exit 0 "$QM" --db slug.db import kiel-weapons slug.csv
expect_stderr_contains "no catalogue item has the name or alias 'leopard-2a6'"
expect_exit 0 "$QM" --db slug.db list pledges --csv --item leopard-2a6
cut -d, -f1-8 "$OUT" >slug-pledges.csv
expect_file_line slug-pledges.csv "kiel-DEU-leopard-2a6,DEU,2024-12-31,leopard-2a6,18,522000000,EUR,committed"

# the real table with the demo catalogue: every name matches, every row's
# value is kept to the cent
expect_exit 0 "$QM" -q --db demo.db import parties "$ROOT/data/demo/parties.csv"
expect_exit 0 "$QM" -q --db demo.db import rates "$ROOT/data/eurofxref-hist.csv"
expect_exit 0 "$QM" -q --db demo.db import items "$ROOT/data/demo/items.csv"
expect_exit 0 "$QM" --db demo.db import kiel-weapons "$ROOT/data/kiel-heavy-weapons.csv"
expect_stdout_line "kiel-weapons: 99 records: 99 new, 0 changed, 0 unchanged"
expect_stderr_empty
# (the values in the file are whole euros, so awk's doubles add them exactly)
sums=$(awk 'NR > 1 { sub(/^"[^"]*","[^"]*",/, ""); split($0, a, ","); n += a[1]; s += a[2] }
	END { printf "%d %.0f\n", n, s * 100 }' "$ROOT/data/kiel-heavy-weapons.csv")
units=${sums% *}
total=${sums#* }
got=$(db_sql demo.db "SELECT sum(amount) FROM pledges WHERE id LIKE 'kiel-%'")
expect_equal "$got" "$total" "sum of the Kiel values, in cents"
got=$(db_sql demo.db "SELECT sum(quantity) FROM pledges WHERE id LIKE 'kiel-%'")
expect_equal "$got" "$units" "sum of the Kiel weapon counts"
expect_exit 0 "$QM" --db demo.db audit verify

test_done
