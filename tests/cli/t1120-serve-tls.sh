#!/bin/sh
# qm serve over HTTPS (docs/api.md): --tls-cert and --tls-key go together
# (64); a missing file is 66; a file that is not a PEM certificate, a key
# that is not a PEM key, an encrypted key (never asked for on a terminal)
# and a key that is not the certificate's are 65 with the file named, and
# no server starts. With a self-signed certificate made by openssl here,
# the server prints an https:// address; curl that trusts the certificate
# gets the API with the security headers and Strict-Transport-Security;
# curl that does not trust it is refused (curl's exit 60); plain HTTP on the
# same port gets no HTTP answer; the session cookie is Secure, HttpOnly and
# SameSite=Strict and signs the user in; a bearer token works; the server
# stops cleanly. The same server without TLS sets neither Secure nor HSTS.
. "$(dirname "$0")/lib.sh"

need_commands curl openssl setsid

. "$ROOT/tests/cli/serve.sh"
trap 'stop_all; cd / && rm -rf "$TMP"' EXIT

load_base db
printf 'correct-horse-1\n' >pw
expect_exit 0 "$QM" -q --db db user add desk --role coordinator --password-file pw
expect_exit 0 "$QM" --db db token create desk
TOKEN=$(cat "$OUT")

# a certificate for 127.0.0.1 and its key; a second pair; an encrypted key
for n in a b; do
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1 -keyout key-$n.pem -out cert-$n.pem 2>openssl.err ||
		fail "openssl req" "$(cat openssl.err)"
done
openssl pkey -in key-a.pem -aes256 -passout pass:secret -out key-enc.pem 2>openssl.err ||
	fail "openssl pkey" "$(cat openssl.err)"
echo 'not a certificate' >junk.pem

# ---- refused before anything listens ----
expect_exit 64 "$QM" --db db serve --listen 127.0.0.1:0 --tls-cert cert-a.pem
expect_stderr_contains "--tls-cert and --tls-key go together"
expect_exit 64 "$QM" --db db serve --listen 127.0.0.1:0 --tls-key key-a.pem
expect_stderr_contains "--tls-cert and --tls-key go together"
expect_exit 66 "$QM" --db db serve --listen 127.0.0.1:0 --tls-cert nofile.pem --tls-key key-a.pem
expect_stderr_contains "cannot open 'nofile.pem'"
expect_exit 66 "$QM" --db db serve --listen 127.0.0.1:0 --tls-cert cert-a.pem --tls-key nofile.pem
expect_stderr_contains "cannot open 'nofile.pem'"
expect_exit 65 "$QM" --db db serve --listen 127.0.0.1:0 --tls-cert junk.pem --tls-key key-a.pem
expect_stderr_contains "junk.pem: not a PEM certificate"
expect_exit 65 "$QM" --db db serve --listen 127.0.0.1:0 --tls-cert cert-a.pem --tls-key cert-a.pem
expect_stderr_contains "cert-a.pem: not an unencrypted PEM private key"
expect_exit 65 "$QM" --db db serve --listen 127.0.0.1:0 --tls-cert cert-a.pem --tls-key key-b.pem
expect_stderr_contains "key-b.pem: not the private key of the certificate in cert-a.pem"
# an encrypted key: refused, without waiting for a pass phrase
expect_exit 65 setsid -w "$QM" --db db serve --listen 127.0.0.1:0 --tls-cert cert-a.pem \
	--tls-key key-enc.pem
expect_stderr_contains "key-enc.pem: not an unencrypted PEM private key"

# ---- HTTPS ----
start_server db tls --tls-cert cert-a.pem --tls-key key-a.pem
case $URL in
https://*) pass "the address is https" ;;
*) fail "the address should be https: '$URL'" ;;
esac

# header NAME FILE: the value of the first header NAME in FILE, without CR
header() {
	awk -v n="$(echo "$1" | tr 'A-Z' 'a-z')" '{ sub(/\r$/, "") }
		(i = index($0, ": ")) && tolower(substr($0, 1, i - 1)) == n { print substr($0, i + 2); exit }' "$2"
}

expect_exit 0 curl -sS --cacert cert-a.pem -D h1 -o b1 -w '%{http_code}' "$URL/api/v1/openapi.json"
expect_stdout_line 200
expect_equal "$(header Strict-Transport-Security h1)" "max-age=31536000" "HSTS under TLS"
expect_equal "$(header X-Content-Type-Options h1)" "nosniff" "nosniff under TLS"
expect_equal "$(header Cache-Control h1)" "no-store" "no-store under TLS"
expect_equal "$(head -c 1 b1)" "{" "openapi.json is JSON"

# not trusted: curl's "peer certificate cannot be authenticated"
expect_exit 60 curl -sS -o /dev/null "$URL/api/v1/openapi.json"
# plain HTTP on the TLS port: no HTTP answer at all
run curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "http://${URL#https://}/api/v1/openapi.json"
if [ "$LAST_STATUS" != 0 ] && [ "$(cat "$OUT")" = 000 ]; then
	pass "plain HTTP on the TLS port gets no HTTP answer (curl exit $LAST_STATUS)"
else
	fail "plain HTTP on the TLS port should get no answer: exit $LAST_STATUS, status '$(cat "$OUT")'"
fi

# a session over TLS: the cookie is Secure, HttpOnly, SameSite=Strict
expect_exit 0 curl -sS --cacert cert-a.pem -D h2 -o b2 -w '%{http_code}' -c jar \
	-H 'Content-Type: application/json' --data-binary '{"name":"desk","password":"correct-horse-1"}' \
	"$URL/api/v1/login"
expect_stdout_line 200
cookie=$(header Set-Cookie h2)
for part in "; Secure" "; HttpOnly" "; SameSite=Strict"; do
	case $cookie in
	*"$part"*) pass "the session cookie under TLS has '$part'" ;;
	*) fail "the session cookie under TLS should have '$part': '$cookie'" ;;
	esac
done
expect_exit 0 curl -sS --cacert cert-a.pem -b jar -o b3 -w '%{http_code}' "$URL/api/v1/me"
expect_stdout_line 200
expect_file_line b3 '{"name":"desk","role":"coordinator"}'

# a bearer token over TLS, and a write journaled under the user's name
expect_exit 0 curl -sS --cacert cert-a.pem -o b4 -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
	-H 'Content-Type: application/json' --data-binary \
	'{"id":"tls-1","donor":"NOR","date":"2024-06-01","amount":"1m","currency":"EUR"}' \
	"$URL/api/v1/pledges"
expect_stdout_line 201
stop_server tls
expect_exit 0 "$QM" --db db log
expect_stdout_contains "desk"
expect_stdout_contains "tls-1"
expect_exit 0 "$QM" --db db audit verify

# ---- the same server without TLS: no Secure cookie, no HSTS ----
start_server db plain
expect_exit 0 curl -sS -D h5 -o b5 -w '%{http_code}' \
	-H 'Content-Type: application/json' --data-binary '{"name":"desk","password":"correct-horse-1"}' \
	"$URL/api/v1/login"
expect_stdout_line 200
case $(header Set-Cookie h5) in
*"; Secure"*) fail "a cookie over plain HTTP should not be Secure: '$(header Set-Cookie h5)'" ;;
*) pass "a cookie over plain HTTP is not Secure" ;;
esac
expect_equal "$(header Strict-Transport-Security h5)" "" "no HSTS over plain HTTP"
stop_server plain

test_done
