#!/bin/sh
# qm user add|list|disable and qm token create (docs/api.md, "Accounts and
# roles"): bad names, roles and short passwords exit 64 with a clear
# message and add nothing; a taken name exits 65; a missing password file
# or an unknown user exits 66; user list shows every user with role, state
# and token count; a token is 64 hex digits printed once, and only its
# SHA-256 is stored: neither a token nor a password appears anywhere in the
# database file, and passwords are kept as argon2id hashes, salted.
. "$(dirname "$0")/lib.sh"

need_commands sqlite3 sha256sum setsid

PW=correct-horse-battery-1
printf '%s\n' "$PW" >pw
printf 'seven77\n' >pw7
printf '8chars!?' >pw8 # exactly 8, no line end
: >pw0
load_base db

# ---- refused: exit 64, a message naming what is wrong, nothing added ----
long=$(printf '%065d' 0 | tr 0 a)
for name in "bad name" "" "$long" "a/b" "a;b" "o'brien" "ünï" "tab	x"; do
	expect_exit 64 "$QM" --db db user add "$name" --role viewer --password-file pw
	expect_stderr_contains "a user name of 1 to 64 letters, digits, '.', '_', '-' or '@', got '$name'"
done
for role in root Admin VIEWER donor: donor:nor donor:X "donor:NOR " "donor:N'R" viewer:x "admin,viewer"; do
	expect_exit 64 "$QM" --db db user add rolf --role "$role" --password-file pw
	expect_stderr_contains "a role: admin, coordinator, donor:CODE or viewer, got '$role'"
done
expect_exit 64 "$QM" --db db user add shorty --role viewer --password-file pw7
expect_stderr_contains "a password of at least 8 characters"
expect_exit 64 "$QM" --db db user add shorty --role viewer --password-file pw0
expect_stderr_contains "a password of at least 8 characters"
expect_exit 64 "$QM" --db db user add norole --password-file pw
expect_exit 64 "$QM" --db db user add --role viewer --password-file pw
expect_exit 64 "$QM" --db db user add two names --role viewer --password-file pw
expect_exit 64 "$QM" --db db user add x --role viewer --password-file pw --colour red
expect_exit 64 "$QM" --db db user
expect_exit 64 "$QM" --db db user delete x
expect_exit 64 "$QM" --db db user list extra
expect_exit 64 "$QM" --db db token
expect_exit 64 "$QM" --db db token revoke x
# without a password file and without a terminal to ask on
expect_exit 64 setsid -w "$QM" --db db user add tty --role viewer
expect_stderr_contains "no terminal to ask for the password on: use --password-file"
expect_exit 66 "$QM" --db db user add nofile --role viewer --password-file no-such-file
expect_stderr_contains "cannot open 'no-such-file'"
expect_exit 0 "$QM" --db db user list
expect_equal "$(awk 'NR > 2' "$OUT")" "" "no user was added by the refused commands"

# a donor's party must be in the database
expect_exit 65 "$QM" --db db user add desk-cap --role donor:NATO-CAP --password-file pw
expect_stderr_contains "role donor:NATO-CAP: no party 'NATO-CAP' in the database (import the parties first)"
expect_exit 0 "$QM" --db db add parties code=NATO-CAP name="NATO Comprehensive Assistance Package" kind=organisation

# ---- added ----
for u in alice:admin coord:coordinator desk-nor:donor:NOR desk-cap:donor:NATO-CAP view:viewer \
	o.brien_x-y@example.org:viewer; do
	expect_exit 0 "$QM" --db db user add "${u%%:*}" --role "${u#*:}" --password-file pw
	expect_stdout_line "added user ${u%%:*} (${u#*:})"
done
expect_exit 0 "$QM" --db db user add eight --role viewer --password-file pw8
expect_exit 0 "$QM" --db db user add "$(printf '%064d' 0 | tr 0 b)" --role viewer --password-file pw
expect_exit 65 "$QM" --db db user add alice --role viewer --password-file pw
expect_stderr_contains "there is already a user called 'alice'"
expect_exit 65 "$QM" --db db user add coord --role coordinator --password-file pw
expect_stderr_contains "there is already a user called 'coord'"

# ---- tokens: 64 hex digits, a new one each time ----
expect_exit 0 "$QM" --db db token create desk-nor
tok1=$(cat "$OUT")
expect_exit 0 "$QM" --db db token create desk-nor
tok2=$(cat "$OUT")
expect_exit 0 "$QM" --db db token create coord
tok3=$(cat "$OUT")
for t in "$tok1" "$tok2" "$tok3"; do
	if printf '%s\n' "$t" | grep -q -x '[0-9a-f]\{64\}'; then
		pass "token is 64 hex digits"
	else
		fail "a token of 64 hex digits expected, got '$t'"
	fi
done
[ "$tok1" != "$tok2" ] && [ "$tok2" != "$tok3" ] && [ "$tok1" != "$tok3" ] &&
	pass "tokens differ" || fail "two tokens are the same"
expect_exit 66 "$QM" --db db token create nobody
expect_stderr_contains "nobody"

# ---- user list ----
expect_exit 0 "$QM" --db db user list
cp "$OUT" list.txt
expect_equal "$(head -n 1 list.txt | tr -s ' ')" "name role state created tokens" "user list header"
expect_equal "$(awk 'NR > 2 { print $1 }' list.txt | tr '\n' ' ')" \
	"alice $(printf '%064d' 0 | tr 0 b) coord desk-cap desk-nor eight o.brien_x-y@example.org view " \
	"user list: every user, by name"
for u in alice:admin:0 coord:coordinator:1 desk-nor:donor:NOR:2 desk-cap:donor:NATO-CAP:0 view:viewer:0 eight:viewer:0; do
	n=${u%%:*}
	rest=${u#*:}
	role=${rest%:*}
	tokens=${rest##*:}
	row=$(awk -v n="$n" 'NR > 2 && $1 == n { print $2, $3, $5 }' list.txt)
	expect_equal "$row" "$role enabled $tokens" "user list: $n"
done
if awk 'NR > 2 && $4 !~ /^[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z$/ { bad = 1 }
	END { exit bad }' list.txt; then
	pass "user list: created as a UTC time"
else
	fail "user list: created should be YYYY-MM-DDTHH:MM:SSZ" "$(cat list.txt)"
fi

# ---- disable ----
expect_exit 66 "$QM" --db db user disable nobody
expect_stderr_contains "no user called 'nobody'"
expect_exit 0 "$QM" --db db user disable desk-nor
expect_stdout_line "disabled user desk-nor"
expect_exit 0 "$QM" --db db user list
expect_equal "$(awk 'NR > 2 && $1 == "desk-nor" { print $2, $3, $5 }' "$OUT")" "donor:NOR disabled 2" \
	"user list: desk-nor disabled"
expect_equal "$(awk 'NR > 2 && $3 != "enabled" { print $1 }' "$OUT")" "desk-nor" "only desk-nor is disabled"
expect_exit 66 "$QM" --db db token create desk-nor
expect_stderr_contains "desk-nor"
expect_exit 65 "$QM" --db db user add desk-nor --role viewer --password-file pw

# ---- what is stored: hashes only ----
# every qm has exited, so the database is the one file (no -wal left over);
# on PostgreSQL the secrets are looked for in a dump of every table instead
if on_postgres; then
	db_dump db stored
else
	files=$(ls db db-wal db-journal 2>/dev/null)
	expect_equal "$files" "db" "the database is one file"
	cp db stored
fi
# sha256 HEX: of the token's text, and of the 32 bytes it spells
sha_text() { printf '%s' "$1" | sha256sum | cut -d ' ' -f 1; }
sha_bytes() {
	printf "$(printf '%s' "$1" | awk '{
		for (i = 1; i < length($0); i += 2) {
			hi = index("0123456789abcdef", substr($0, i, 1)) - 1
			lo = index("0123456789abcdef", substr($0, i + 1, 1)) - 1
			printf "\\%03o", hi * 16 + lo
		}
	}')" | sha256sum | cut -d ' ' -f 1
}
expect_equal "$(db_sql db 'SELECT count(*) FROM tokens')" 3 "three tokens stored"
for t in "$tok1" "$tok2" "$tok3"; do
	expect_equal "$(grep -c -a -F -e "$t" stored)" 0 "the token is nowhere in the database file"
	stored=$(db_sql db "SELECT count(*) FROM tokens WHERE lower(hash) IN ('$(sha_text "$t")', '$(sha_bytes "$t")')")
	expect_equal "$stored" 1 "the token's SHA-256 is stored"
done
expect_equal "$(grep -c -a -F -e "$PW" stored)" 0 "the password is nowhere in the database file"
expect_equal "$(grep -c -a -F -e '8chars!?' stored)" 0 "the 8-character password is nowhere in the database file"
expect_equal "$(db_sql db "SELECT count(*) FROM users WHERE password_hash NOT LIKE '\$argon2id\$%'")" 0 \
	"every password is an argon2id hash"
expect_equal "$(db_sql db 'SELECT count(*) FROM users')" 8 "eight users stored"
expect_equal "$(db_sql db 'SELECT count(DISTINCT password_hash) FROM users')" 8 \
	"the same password hashes differently for each user (salted)"
# the ledger itself is untouched by accounts
expect_exit 0 "$QM" --db db audit verify
expect_stdout_contains "82 journal entries chain correctly"

test_done
