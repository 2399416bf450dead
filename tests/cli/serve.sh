# tests/cli/serve.sh - what the CLI tests that run `qm serve` share.
#
# Sourced after lib.sh. It keeps the servers a test started in $SERVERS and
# gives it:
#
#   start_server DB NAME [ARGS...]  qm serve on a free loopback port, its
#                                   output in NAME.out and NAME.err; sets
#                                   $URL (http:// or https://) and $PID
#   stop_server NAME [SIGNAL]       stop $PID (SIGTERM by default); it must
#                                   exit 0 with no sanitizer report
#   stop_all                        stop every server still running (for
#                                   the test's EXIT trap)
#   reap PID SECONDS                wait for PID, killing it after SECONDS;
#                                   its exit status in $REAPED
#   server_log_clean NAME           no sanitizer report in NAME.err
#   proc_state PID                  the state letter of PID (Z once exited)

SERVERS=

# proc_state PID: the state letter of PID (Z once it has exited)
proc_state() {
	sed -n 's/^[0-9]* (.*) \([A-Za-z]\) .*/\1/p' "/proc/$1/stat" 2>/dev/null
}

# reap PID SECONDS: wait up to SECONDS for PID to exit and collect its exit
# status into $REAPED ("killed" when it had to be killed)
reap() {
	_s_n=0
	while [ -d "/proc/$1" ] && [ "$(proc_state "$1")" != Z ] && [ $_s_n -lt $(($2 * 10)) ]; do
		sleep 0.1
		_s_n=$((_s_n + 1))
	done
	if [ -d "/proc/$1" ] && [ "$(proc_state "$1")" != Z ]; then
		kill -KILL "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		REAPED=killed
	else
		wait "$1"
		REAPED=$?
	fi
	SERVERS=$(echo " $SERVERS " | sed "s/ $1 / /g")
}

stop_all() {
	for _s_pid in $SERVERS; do
		kill -TERM "$_s_pid" 2>/dev/null
		reap "$_s_pid" 15
	done
}

# start_server DB NAME [ARGS...]: qm serve on a free port, its output in
# NAME.out and NAME.err; $URL and $PID once it listens
start_server() {
	_s_db=$1
	_s_name=$2
	shift 2
	"$QM" --db "$_s_db" serve --listen 127.0.0.1:0 "$@" >"$_s_name.out" 2>"$_s_name.err" </dev/null 3>&- 4<&- &
	PID=$!
	SERVERS="$SERVERS $PID"
	URL=
	_s_n=0
	while [ -z "$URL" ] && [ $_s_n -lt 300 ] && [ -d "/proc/$PID" ] && [ "$(proc_state $PID)" != Z ]; do
		sleep 0.1
		URL=$(sed -n 's|^listening on \(https\{0,1\}://127\.0\.0\.1:[1-9][0-9]*\)$|\1|p' "$_s_name.out")
		_s_n=$((_s_n + 1))
	done
	if [ -n "$URL" ]; then
		pass "$_s_name: qm serve listens on $URL"
	else
		fail "$_s_name: qm serve printed no 'listening on' line" "$(cat "$_s_name.out" "$_s_name.err")"
		test_done
	fi
}

# server_log_clean NAME: no sanitizer report in the server's standard error
server_log_clean() {
	if grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' \
		-e 'SUMMARY: UndefinedBehaviorSanitizer' "$1.err"; then
		fail "$1: sanitizer report from qm serve" "$(head -c 3000 "$1.err")"
	else
		pass "$1: no sanitizer report"
	fi
}

# stop_server NAME [SIGNAL]: stop the server $PID; it must exit 0
stop_server() {
	kill "-${2:-TERM}" "$PID"
	reap "$PID" 30
	expect_equal "$REAPED" 0 "$1: exit status after SIG${2:-TERM}"
	server_log_clean "$1"
}
