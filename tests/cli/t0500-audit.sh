#!/bin/sh
# qm audit verify: exit 0 on a ledger only qm has written; exit 65, naming
# the first record or journal entry that does not agree, after each change
# made behind qm's back with the sqlite3 shell.
. "$(dirname "$0")/lib.sh"

load_base db
# one revision, so that the journal holds a 'revise' entry (82)
expect_exit 0 "$QM" -q --db db add pledges id=p-deu-leo quantity=16
expect_exit 0 "$QM" --db db audit verify
expect_stdout_line "audit: 82 journal entries chain correctly; 81 records agree with the journal"
expect_stdout_contains "head: entry 82, hash "
head=$(grep '^head:' "$OUT")
expect_exit 0 "$QM" -q --db db audit verify
expect_equal "$(cat "$OUT")" "" "-q prints nothing"

# tampered SQL MESSAGE: run SQL on a copy of db; audit must fail saying MESSAGE
tampered() {
	db_cp db t.db
	db_sql t.db "$1"
	expect_exit 65 "$QM" --db t.db audit verify
	expect_stderr_equals "qm audit: $2"
}

tampered "UPDATE pledges SET quantity = 15 WHERE id = 'p-deu-leo'" \
	"pledges 'p-deu-leo' differs from its last journal entry (82): quantity is '15' in the table but '16' in the journal: it was changed behind qm's back"
tampered "UPDATE pledges SET note = 'edited' WHERE id = 'p-eu-ammo'" \
	"pledges 'p-eu-ammo' differs from its last journal entry (74): note is 'edited' in the table but 'stated amount with an item' in the journal: it was changed behind qm's back"
tampered "UPDATE pledges SET source = NULL WHERE id = 'p-eu-ammo'" \
	"pledges 'p-eu-ammo' differs from its last journal entry (74): source is '' in the table but 'test fixture' in the journal: it was changed behind qm's back"
tampered "UPDATE rates SET per_eur = 1100000 WHERE currency = 'USD' AND date = '2022-12-21'" \
	"rates '2022-12-21|USD' differs from its last journal entry (11): per_eur is '1.1' in the table but '1.0636' in the journal: it was changed behind qm's back"
tampered "DELETE FROM pledges WHERE id = 'p-eu-ammo'" \
	"pledges 'p-eu-ammo' is in the journal (entry 74) but not in the table: it was removed behind qm's back"
tampered "DELETE FROM deliveries" \
	"deliveries 'd-1' is in the journal (entry 77) but not in the table: it was removed behind qm's back"
tampered "INSERT INTO parties(code, name, kind, ally, currency) VALUES('FRA', 'France', 'nation', 'yes', 'EUR')" \
	"parties 'FRA' is in the table but not in the journal: it was added behind qm's back"
tampered "INSERT INTO gdp(party, year, amount, currency) VALUES('NOR', 2023, 1, 'NOK')" \
	"gdp 'NOR|2023' is in the table but not in the journal: it was added behind qm's back"
# the derived EUR values are checked too
tampered "UPDATE pledges SET value_eur_cents = 1 WHERE id = 'p-eu-ammo'" \
	"pledges 'p-eu-ammo' has a counted value other than its own value, though it is part of no package: it was changed behind qm's back"
tampered "UPDATE pledges SET value_eur_cents = 1, own_value_eur_cents = 1 WHERE id = 'p-eu-ammo'" \
	"pledges 'p-eu-ammo' has a stored EUR value of 1 cents (stated) where its own data and the rates give 50000000000 cents (stated): it was changed behind qm's back"

# the journal itself
tampered "UPDATE journal SET after = replace(after, 'Germany', 'Prussia') WHERE seq = 1" \
	"journal entry 1 (create parties 'DEU') does not match its hash, chained from the entry before it: an entry was changed after it was written"
tampered "UPDATE journal SET after = replace(after, '\"16\"', '\"17\"') WHERE seq = 82" \
	"journal entry 82 (revise pledges 'p-deu-leo') does not match its hash, chained from the entry before it: an entry was changed after it was written"
tampered "UPDATE journal SET actor = 'mallory' WHERE seq = 3" \
	"journal entry 3 (create parties 'NOR') does not match its hash, chained from the entry before it: an entry was changed after it was written"
tampered "UPDATE journal SET hash = '0000000000000000000000000000000000000000000000000000000000000000' WHERE seq = 40" \
	"journal entry 40 (create rates '2023-12-22|SEK') does not match its hash, chained from the entry before it: an entry was changed after it was written"
tampered "DELETE FROM journal WHERE seq = 5" \
	"journal entry 6 follows entry 4: entries were removed or renumbered"
# the last entry (the revision) removed: the table no longer agrees
tampered "DELETE FROM journal WHERE seq = (SELECT max(seq) FROM journal)" \
	"pledges 'p-deu-leo' differs from its last journal entry (72): quantity is '16' in the table but '14' in the journal: it was changed behind qm's back"
# an entry appended by hand
tampered "INSERT INTO journal(seq, at, actor, action, kind, key, before, after, hash) VALUES(83, '2026-01-01T00:00:00Z', 'mallory', 'create', 'parties', 'FRA', NULL, '{}', 'x')" \
	"journal entry 83 (create parties 'FRA') does not match its hash, chained from the entry before it: an entry was changed after it was written"

# the last entry removed together with its record leaves a shorter journal
# that agrees with the tables: only the head, kept elsewhere, tells
db_cp db t.db
db_sql t.db "DELETE FROM journal WHERE seq = 81; DELETE FROM requirements WHERE id = 'r-2';
	DELETE FROM journal WHERE seq = 82; UPDATE pledges SET quantity = 14,
	own_value_eur_cents = 40600000000, value_eur_cents = 40600000000 WHERE id = 'p-deu-leo'"
expect_exit 0 "$QM" --db t.db audit verify
expect_stdout_line "audit: 80 journal entries chain correctly; 80 records agree with the journal"
if grep -q -x -F "$head" "$OUT"; then
	fail "the head should differ after entries were cut off" "$(cat "$OUT")"
else
	pass "the head shows the cut"
fi

# audit never changes the database
db_dump db db.before
expect_exit 0 "$QM" --db db audit verify
expect_db_unchanged db.before db
db_cp db t.db
db_sql t.db "UPDATE pledges SET value_eur_cents = 1 WHERE id = 'p-eu-ammo'"
db_dump t.db t.db.before
expect_exit 65 "$QM" --db t.db audit verify
expect_db_unchanged t.db.before t.db

# an empty ledger verifies
expect_exit 0 "$QM" --db empty.db audit verify
expect_stdout_line "audit: 0 journal entries chain correctly; 0 records agree with the journal"

test_done
