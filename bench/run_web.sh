#!/bin/sh
# bench/run_web.sh - qm serve under load, on loopback, on the demo dataset:
#
#   (a) reads: wrk against the overview's data (GET /api/v1/report with a
#       bearer token) at 1, 16 and 64 connections, and, in the same run,
#       against nginx serving the same JSON bytes as a static file;
#       requests per second and latency percentiles;
#   (b) a write mix: 50 clients (curl) posting 100 pledges each while wrk
#       reads at 16 connections; every pledge must be stored exactly once,
#       no answer may be 5xx, and qm audit verify must pass.
#
# Writes a "web" block into docs/benchmarks.md (bench/doc_block.sh) unless
# BENCH_QUICK=1. BENCH_WEB_SECONDS sets each wrk run's length (default 10),
# BENCH_WEB_CLIENTS and BENCH_WEB_POSTS the write mix (default 50 x 100).
# Run from the repository root after make; everything goes to build/bench/web/.
set -eu

QM=${QM:-build/qm}
OUT=build/bench/web
SECS=${BENCH_WEB_SECONDS:-10}
CLIENTS=${BENCH_WEB_CLIENTS:-50}
POSTS=${BENCH_WEB_POSTS:-100}
say() { printf 'bench-web: %s\n' "$*" >&2; }
die() { printf 'bench-web: error: %s\n' "$*" >&2; exit 1; }

[ -x "$QM" ] || die "$QM not built (run make)"
for t in wrk nginx curl; do
	command -v $t >/dev/null 2>&1 || [ -x /usr/sbin/$t ] || die "$t missing (make deps)"
done
NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)

rm -rf "$OUT"
mkdir -p "$OUT/www" "$OUT/nginx"
ABS=$(cd "$OUT" && pwd)
SERVER= NGINX_PID=
cleanup() {
	[ -z "$SERVER" ] || { kill -TERM "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; }
	[ -z "$NGINX_PID" ] || { kill -QUIT "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null || true; }
}
trap cleanup EXIT

say "loading the demo dataset"
sh tools/load-demo.sh "$QM" "$OUT/web.db"
printf 'bench-password\n' > "$OUT/pw"
"$QM" -q --db "$OUT/web.db" user add bench --role coordinator --password-file "$OUT/pw"
TOKEN=$("$QM" --db "$OUT/web.db" token create bench)
AUTH="Authorization: Bearer $TOKEN"

"$QM" --db "$OUT/web.db" serve --listen 127.0.0.1:0 > "$OUT/serve.out" 2> "$OUT/serve.err" &
SERVER=$!
for i in $(seq 1 100); do grep -q '^listening on ' "$OUT/serve.out" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$OUT/serve.out")
[ -n "$URL" ] || die "qm serve did not start: $(cat "$OUT/serve.err")"
READ=/api/v1/report
curl -s -f -H "$AUTH" "$URL$READ" > "$OUT/www/overview.json" || die "GET $READ failed"
say "qm serve at $URL; the overview's data is $(wc -c < "$OUT/www/overview.json") bytes"

# nginx on a free port, serving the same bytes
for port in $(seq 18080 18180); do
	cat > "$OUT/nginx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $ABS/nginx/nginx.pid;
error_log $ABS/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $ABS/nginx/body;
	proxy_temp_path $ABS/nginx/proxy;
	fastcgi_temp_path $ABS/nginx/fastcgi;
	uwsgi_temp_path $ABS/nginx/uwsgi;
	scgi_temp_path $ABS/nginx/scgi;
	server {
		listen 127.0.0.1:$port;
		root $ABS/www;
		location / { default_type application/json; }
	}
}
EOF
	"$NGINX" -p "$ABS/nginx" -c "$ABS/nginx/nginx.conf" 2>> "$OUT/nginx/start.log" &
	NGINX_PID=$!
	sleep 0.3
	if kill -0 "$NGINX_PID" 2>/dev/null && curl -s -f -o /dev/null "http://127.0.0.1:$port/overview.json"; then
		break
	fi
	NGINX_PID=
done
[ -n "$NGINX_PID" ] || die "nginx did not start: $(tail -3 "$OUT/nginx/start.log")"
NGINX_URL=http://127.0.0.1:$port/overview.json
curl -s "$NGINX_URL" | cmp -s - "$OUT/www/overview.json" || die "nginx does not serve the same bytes"

# wrk_run NAME CONNECTIONS URL [HEADER]: one wrk run; prints rps p50 p90 p99 non2xx
wrk_run() {
	t=$(( $2 < 2 ? 1 : 2 ))
	if [ $# -ge 4 ]; then
		wrk -t$t -c$2 -d${SECS}s --latency -H "$4" "$3" > "$OUT/wrk-$1-$2.txt" 2>&1
	else
		wrk -t$t -c$2 -d${SECS}s --latency "$3" > "$OUT/wrk-$1-$2.txt" 2>&1
	fi
	awk '
		/Requests\/sec:/ { rps = $2 }
		/^ +50%/ { p50 = $2 } /^ +90%/ { p90 = $2 } /^ +99%/ { p99 = $2 }
		/Non-2xx or 3xx responses:/ { bad = $NF }
		END { printf "%s %s %s %s %s\n", rps, p50, p90, p99, bad + 0 }' "$OUT/wrk-$1-$2.txt"
}

RES=$OUT/results.txt
: > "$RES"
for c in 1 16 64; do
	set -- $(wrk_run qm $c "$URL$READ" "$AUTH")
	echo "qm $c $*" >> "$RES"
	say "qm serve, $c connections: $1 requests/s, p50 $2, p90 $3, p99 $4, non-2xx $5"
	set -- $(wrk_run nginx $c "$NGINX_URL")
	echo "nginx $c $*" >> "$RES"
	say "nginx,    $c connections: $1 requests/s, p50 $2, p90 $3, p99 $4, non-2xx $5"
done

# the write mix: CLIENTS clients posting POSTS pledges each, while wrk reads
say "write mix: $CLIENTS clients x $POSTS pledges, with readers at 16 connections"
wrk -t2 -c16 -d600s "$URL$READ" -H "$AUTH" > "$OUT/wrk-mix-readers.txt" 2>&1 &
READERS=$!
start=$(date +%s.%N)
WRITERS=
for c in $(seq 1 "$CLIENTS"); do
	(
		for i in $(seq 1 "$POSTS"); do
			curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "$AUTH" \
				-H 'Content-Type: application/json' \
				--data "{\"id\":\"bench-$c-$i\",\"donor\":\"NOR\",\"date\":\"2024-06-01\",\"amount\":\"1m\",\"currency\":\"EUR\",\"status\":\"committed\",\"source\":\"bench/run_web.sh\"}" \
				"$URL/api/v1/pledges"
		done > "$OUT/codes-$c.txt"
	) &
	WRITERS="$WRITERS $!"
done
wait $WRITERS
end=$(date +%s.%N)
kill -INT "$READERS" 2>/dev/null || true
wait "$READERS" 2>/dev/null || true
MIX_SECS=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
CREATED=$(cat "$OUT"/codes-*.txt | grep -c '^201$' || true)
FIVEXX=$(cat "$OUT"/codes-*.txt | grep -c '^5' || true)
OTHER=$(cat "$OUT"/codes-*.txt | grep -v -c '^201$' || true)
READ_RPS=$(awk '/Requests\/sec:/ { print $2 }' "$OUT/wrk-mix-readers.txt")
READ_BAD=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$OUT/wrk-mix-readers.txt")
STORED=$("$QM" --db "$OUT/web.db" list pledges --csv --donor NOR | grep -c '^bench-' || true)
DISTINCT=$("$QM" --db "$OUT/web.db" list pledges --csv --donor NOR | grep '^bench-' | cut -d, -f1 | sort -u | wc -l)
JOURNALED=$("$QM" --db "$OUT/web.db" log pledges | grep -c ' create  pledges bench-' || true)
if "$QM" --db "$OUT/web.db" audit verify > "$OUT/audit.txt" 2>&1; then AUDIT=clean; else AUDIT=FAILED; fi
say "write mix: $CREATED of $((CLIENTS * POSTS)) created in $MIX_SECS s, other answers $OTHER (5xx: $FIVEXX); stored $STORED ($DISTINCT distinct), journaled $JOURNALED; audit $AUDIT; readers $READ_RPS requests/s (non-2xx ${READ_BAD:-0})"

kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
kill -QUIT "$NGINX_PID"; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=

row() { awk -v who="$1" -v c="$2" '$1 == who && $2 == c' "$RES"; }
TABLE=$(for c in 1 16 64; do
	set -- $(row qm $c)
	q=$3 qp="$4 / $5 / $6"
	set -- $(row nginx $c)
	printf '| %s | %s | %s | %s | %s | %s |\n' "$c" "$q" "$qp" "$3" "$4 / $5 / $6" \
		"$(awk -v a="$q" -v b="$3" 'BEGIN { printf "%.2f", a / b }')"
done)
WORST=$(for c in 1 16 64; do set -- $(row qm $c); q=$3; set -- $(row nginx $c); awk -v a="$q" -v b="$3" 'BEGIN { printf "%.2f\n", a / b }'; done | sort -n | head -1)
HALF=$(awk -v r="$WORST" 'BEGIN { print (r >= 0.5) ? "met" : "MISSED" }')
MIXOK=$([ "$CREATED" = $((CLIENTS * POSTS)) ] && [ "$STORED" = $((CLIENTS * POSTS)) ] && [ "$DISTINCT" = "$STORED" ] \
	&& [ "$JOURNALED" = "$STORED" ] && [ "$FIVEXX" = 0 ] && [ "$AUDIT" = clean ] && echo met || echo MISSED)
printf '\n%s\n\nwrite mix: %s\n' "$TABLE" "$MIXOK"

[ "${BENCH_QUICK:-0}" = 1 ] && { say "BENCH_QUICK=1: docs/benchmarks.md left as it is"; exit 0; }
CPU=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
{
	echo '<!-- web:begin -->'
	echo '## The web server'
	echo
	echo "Written by \`bench/run_web.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') ($(nproc) cores, ${CPU:-unknown}); $($QM --version);"
	echo "$(wrk -v 2>&1 | head -n 1 | sed "s/ Copyright.*//"); $("$NGINX" -v 2>&1). Client and servers share the machine's cores."
	echo
	echo "Reads: \`GET $READ\` (the dashboard overview's data, $(wc -c < "$OUT/www/overview.json") bytes) with a bearer token, against"
	echo "nginx serving the same bytes as a static file, $SECS s per run, in the same run. Latency percentiles"
	echo 'are p50 / p90 / p99.'
	echo
	echo '| connections | qm serve requests/s | qm latency | nginx requests/s | nginx latency | qm / nginx |'
	echo '| ---: | ---: | ---: | ---: | ---: | ---: |'
	echo "$TABLE"
	echo
	echo "Write mix: $CLIENTS clients (curl) posting $POSTS pledges each while wrk reads at 16 connections:"
	echo "$CREATED of $((CLIENTS * POSTS)) answered 201 in $MIX_SECS s; $STORED stored, $DISTINCT distinct, $JOURNALED journaled;"
	echo "5xx answers: $FIVEXX; \`qm audit verify\`: $AUDIT; readers meanwhile: $READ_RPS requests/s."
	echo
	echo '| target | measured | verdict |'
	echo '| --- | --- | --- |'
	echo "| at least half nginx's throughput at 1, 16 and 64 connections | lowest qm / nginx: $WORST | $HALF |"
	echo "| every pledge stored exactly once, audit clean, no 5xx | as above | $MIXOK |"
	echo
	echo '```sh'
	echo "$QM --db web.db serve --listen 127.0.0.1:0"
	echo "wrk -t2 -c64 -d${SECS}s --latency -H 'Authorization: Bearer TOKEN' http://127.0.0.1:PORT$READ"
	echo "nginx -p DIR -c nginx.conf   # worker_processes 2; root holding overview.json"
	echo "wrk -t2 -c64 -d${SECS}s --latency http://127.0.0.1:$port/overview.json"
	echo "curl -X POST -H 'Authorization: Bearer TOKEN' -H 'Content-Type: application/json' --data '{...}' URL/api/v1/pledges   # x $POSTS, $CLIENTS at once"
	echo '```'
	echo '<!-- web:end -->'
} | sh bench/doc_block.sh web docs/benchmarks.md
say "updated the web section of docs/benchmarks.md"
