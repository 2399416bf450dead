#!/bin/sh
# Load the demo dataset in data/ into a database: tools/load-demo.sh QM DB.
# The order matters: parties and rates before the items and pledges that
# refer to them, pledges before deliveries, parties before courses.
set -e
qm=$1
db=$2
run() { "$qm" -q --db "$db" --actor demo import "$@"; }
run parties data/demo/parties.csv
run rates data/eurofxref-hist.csv
run gdp data/worldbank-gdp-current-usd.csv
run items data/demo/items.csv
run pledges data/demo/pledges.csv
run kiel-weapons data/kiel-heavy-weapons.csv
run deliveries data/demo/deliveries.csv
run requirements data/demo/requirements.csv
run frameworks data/demo/frameworks.csv
run courses data/demo/courses.csv
