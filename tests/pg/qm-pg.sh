#!/bin/sh
# tests/pg/qm-pg.sh - qm for the PostgreSQL lane of the CLI tests: runs
# $QM_REAL with every database the test names by a file path (--db PATH,
# --db=PATH, $QM_DB, and copy's --from/--to PATH.db) replaced by a database
# of the test cluster ($QM_TEST_PG), one per path, made on first use.
# sqlite:PATH and connection strings pass unchanged. Where qm's output names
# the database, the connection string is put back to the path, so that the
# tests' expected messages hold in both lanes. tests/cli/lib.sh sets it up;
# map.sh does the mapping.
. "$(dirname "$(readlink -f "$0")")/map.sh"

n=$#
i=0
prev=
subst=
serve=0
# note FROM TO: put TO back where qm's output has FROM
note() {
	[ "$1" != "$2" ] && subst="$subst$(sed_escape "$1")/$(sed_escape "$2")
"
}
while [ $i -lt $n ]; do
	a=$1
	shift
	case $prev in
	--db) m=$(pg_location "$a"); note "$m" "$a"; a=$m ;;
	--from | --to) case $a in *.db) m=$(pg_location "$a"); note "$m" "$a"; a=$m ;; esac ;;
	esac
	case $a in
	--db=*) m=$(pg_location "${a#--db=}"); note "$m" "${a#--db=}"; a="--db=$m" ;;
	serve) serve=1 ;;
	esac
	set -- "$@" "$a"
	prev=$a
	i=$((i + 1))
done
if [ -n "${QM_DB:-}" ]; then
	orig=$QM_DB
	QM_DB=$(pg_location "$QM_DB")
	note "$QM_DB" "$orig"
	export QM_DB
fi
if [ $serve = 1 ] || [ -z "$subst" ]; then
	exec "$QM_REAL" "$@"
fi
script=$(printf '%s' "$subst" | sed 's#^\(.*\)$#s/\1/g;#' | tr -d '\n')
out=$(mktemp "${TMPDIR:-/tmp}/qm-pg.XXXXXX") || exit 70
"$QM_REAL" "$@" >"$out.1" 2>"$out.2"
rc=$?
sed "$script" "$out.1"
sed "$script" "$out.2" >&2
rm -f "$out" "$out.1" "$out.2"
exit $rc
