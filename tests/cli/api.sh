# tests/cli/api.sh - what the CLI tests of qm serve's JSON API share.
#
# Sourced after serve.sh, in the test's directory: it starts one node
# process that evaluates JavaScript expressions over JSON files (jv,
# expect_json) on descriptors 3 and 4, its pid in $JS_PID (the test's EXIT
# trap closes 3 and 4 and waits for it), and gives:
#
#   req METHOD PATH [CURL ARGS...]  one request to $URL: $STATUS, $BODY and
#                                   $HDRS; every answer is checked for the
#                                   security headers
#   as USER METHOD PATH [ARGS...]   req with USER's token ($TMP/tok.USER)
#   send USER METHOD PATH JSON      the same with a JSON body
#   api_user NAME ROLE              user NAME with ROLE in the ledger db, its
#                                   token in $TMP/tok.NAME
#   hdr, expect_status, jv, expect_json, expect_error, expect_header,
#   expect_allow, expect_journal, expect_no_journal, last_seq, expect_absent
#                                   (each described where it is defined)


BODY=$TMP/.run/body
HDRS=$TMP/.run/headers
CSP="default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

# hdr NAME: the value of the answer's header NAME (the first), without CR
hdr() {
	tr -d '\r' <"$HDRS" | sed -n "s/^$1: //Ip" | head -n 1
}

# req METHOD PATH [CURL ARGS...]: one request to $URL; the status in
# $STATUS, the body in $BODY, the headers in $HDRS. Every answer is checked
# for the headers docs/api.md puts on every response (and, under /api/,
# Cache-Control: no-store).
req() {
	_s_m=$1
	_s_p=$2
	shift 2
	REQ="$_s_m $_s_p"
	if [ ${#_s_p} -gt 100 ]; then
		REQ="$_s_m $(printf '%s' "$_s_p" | cut -c 1-100)..."
	fi
	: >"$BODY"
	: >"$HDRS"
	STATUS=$(curl -sS --max-time 60 -X "$_s_m" -o "$BODY" -D "$HDRS" -w '%{http_code}' "$@" \
		"$URL$_s_p" </dev/null 2>"$TMP/.run/curl.err")
	if [ "$STATUS" = 000 ]; then
		fail "$REQ: no answer" "$(cat "$TMP/.run/curl.err")"
		return
	fi
	case $_s_p in
	/api/*) _s_api=1 ;;
	*) _s_api=0 ;;
	esac
	_s_bad=$(awk -v csp="$CSP" -v api=$_s_api '
		{ sub(/\r$/, "") }
		/^HTTP\// { delete h; next }
		(i = index($0, ": ")) { n = tolower(substr($0, 1, i - 1)); if (!(n in h)) h[n] = substr($0, i + 2) }
		END {
			if (h["content-security-policy"] != csp) printf " Content-Security-Policy"
			if (h["x-content-type-options"] != "nosniff") printf " X-Content-Type-Options"
			if (h["referrer-policy"] != "no-referrer") printf " Referrer-Policy"
			if (h["x-frame-options"] != "DENY") printf " X-Frame-Options"
			if (api && h["cache-control"] != "no-store") printf " Cache-Control"
		}' "$HDRS")
	if [ -n "$_s_bad" ]; then
		fail "$REQ (status $STATUS): headers missing or wrong:$_s_bad" "$(tr -d '\r' <"$HDRS")"
	else
		pass "$REQ: security headers"
	fi
}

# as USER METHOD PATH [CURL ARGS...]: req with USER's API token
as() {
	_s_u=$1
	shift
	_s_m=$1
	_s_p=$2
	shift 2
	req "$_s_m" "$_s_p" -H "Authorization: Bearer $(cat "$TMP/tok.$_s_u")" "$@"
}

# api_user NAME ROLE: user NAME with ROLE in db (password in $TMP/pw), and
# a token for it in $TMP/tok.NAME, for as and send
api_user() {
	[ -f "$TMP/pw" ] || printf 'correct-horse-1\n' >"$TMP/pw"
	expect_exit 0 "$QM" --db db user add "$1" --role "$2" --password-file "$TMP/pw"
	expect_exit 0 "$QM" --db db token create "$1"
	cp "$OUT" "$TMP/tok.$1"
}

# send USER METHOD PATH JSON: a JSON body (JSON may be @FILE) with USER's token
send() {
	as "$1" "$2" "$3" -H 'Content-Type: application/json' --data-binary "$4"
}

expect_status() {
	if [ "$STATUS" = "$1" ]; then
		pass "$REQ: $1"
	else
		fail "$REQ: status $1 expected, got $STATUS" "$(head -c 800 "$BODY")"
	fi
}

# jv EXPR [FILE]: EXPR of the JSON in FILE (default: the last answer) as d;
# a string as it is (a line break as \n), anything else as JSON. load(FILE),
# pick(OBJ, FIELDS) and diff(A, B) ('' when equal) may be used. One node
# process (j.js, below) answers them all, a line for a line, through two
# FIFOs on descriptors 3 and 4.
jv() {
	printf '%s\t%s\n' "${2:-$BODY}" "$1" >&3
	IFS= read -r _s_v <&4 || _s_v="<j.js stopped>"
	printf '%s\n' "$_s_v"
}

# expect_json EXPR WANT [FILE]
expect_json() {
	_s_got=$(jv "$1" "${3:-$BODY}")
	if [ "$_s_got" = "$2" ]; then
		pass "$REQ: $1 = $2"
	else
		fail "$REQ: $1: got '$_s_got', want '$2'" "$(head -c 800 "${3:-$BODY}")"
	fi
}

# expect_error STATUS FIELD [MESSAGE]: an error answer shaped as docs/api.md
# shows it; FIELD is null for none, '*' for any
expect_error() {
	expect_status "$1"
	_s_got=$(jv '[Object.keys(d).join(), Object.keys(d.error).join(), d.error.status, String(d.error.field)].join("|")')
	_s_want="error|status,message,field|$1|$2"
	if [ "$2" = '*' ]; then
		_s_got=${_s_got%|*}
		_s_want=${_s_want%|*}
	fi
	if [ "$_s_got" = "$_s_want" ]; then
		pass "$REQ: error $1, field $2"
	else
		fail "$REQ: error answer: got '$_s_got', want '$_s_want'" "$(head -c 800 "$BODY")"
	fi
	if [ $# -gt 2 ]; then
		expect_json d.error.message "$3"
	fi
}

# expect_header NAME VALUE
expect_header() {
	expect_equal "$(hdr "$1")" "$2" "$REQ: header $1"
}

# expect_allow METHOD...: the Allow header names these methods and no other
expect_allow() {
	_s_allow=$(hdr Allow | tr -d ' ' | tr ',' '\n' | sort | tr '\n' ' ')
	_s_want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	expect_equal "$_s_allow" "$_s_want" "$REQ: Allow"
}

# expect_journal KIND KEY ACTOR ACTION: qm log KIND KEY has that entry
expect_journal() {
	run "$QM" --db db log "$1" "$2"
	if awk -v k="$1" -v key="$2" -v a="$3" -v act="$4" '$3 == a && $4 == act && $5 == k &&
		($6 == key || $6 == key ":") { f = 1 } END { exit !f }' "$OUT"; then
		pass "qm log: $4 $1 $2 by $3"
	else
		fail "qm log should show '$4 $1 $2' by $3" "$(last_run)"
	fi
}

# expect_no_journal KIND KEY ACTOR: no entry of ACTOR's for that record
expect_no_journal() {
	run "$QM" --db db log "$1" "$2"
	if awk -v a="$3" '$3 == a { f = 1 } END { exit !f }' "$OUT"; then
		fail "qm log should show nothing by $3 for $1 $2" "$(last_run)"
	else
		pass "qm log: nothing by $3 for $1 $2"
	fi
}

# last_seq: the number of the journal's last entry, from qm log
last_seq() {
	"$QM" --db db log </dev/null | tail -n 1 | awk '{ print $1 }'
}

# expect_absent PATH: GET PATH as the coordinator gives 404
expect_absent() {
	as coord GET "$1"
	expect_status 404
}

cat >j.js <<'EOF'
'use strict';
// node j.js FILE EXPR: print EXPR evaluated with d = the JSON in FILE
const fs = require('fs');
const util = require('util');
const load = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
const pick = (o, fields) => Object.fromEntries(fields.map((k) => [k, o == null ? undefined : o[k]]));
function diff(a, b, at = '$') {
	if (util.isDeepStrictEqual(a, b)) return '';
	if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
		for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
			const r = diff(a[k], b[k], `${at}.${k}`);
			if (r) return r;
		}
	}
	return `${at}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`;
}
function evaluate(file, expr) {
	let d;
	try {
		d = load(file);
	} catch (e) {
		return `<not JSON: ${e.message}>`;
	}
	try {
		const v = new Function('d', 'load', 'pick', 'diff', `return (${expr});`)(d, load, pick, diff);
		return typeof v === 'string' ? v : JSON.stringify(v);
	} catch (e) {
		return `<${e.message}>`;
	}
}
// each line "FILE<TAB>EXPR" is answered with one line
require('readline').createInterface({ input: process.stdin }).on('line', (line) => {
	const tab = line.indexOf('\t');
	process.stdout.write(String(evaluate(line.slice(0, tab), line.slice(tab + 1))).replace(/\n/g, '\\n') + '\n');
});
EOF
mkfifo j.in j.out || { fail "mkfifo"; test_done; }
node j.js <j.in >j.out 2>j.err &
JS_PID=$!
exec 3>j.in 4<j.out
