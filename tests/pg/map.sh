# tests/pg/map.sh - sourced by tests/cli/lib.sh and tests/pg/qm-pg.sh in the
# PostgreSQL lane: which database of the test cluster a test's file path
# stands for. Needs $QM_TEST_PG (the cluster's superuser connection string)
# and $QM_TEST_TMP (the test's directory, which keeps .run/pgdbs, the
# databases made so far, for dropping at the end).

# pg_dbname PATH: the database name for PATH (relative to the current
# directory): "t" and the CRC of its absolute path.
pg_dbname() {
	case $1 in
	/*) _m_abs=$1 ;;
	*) _m_abs=$(pwd)/$1 ;;
	esac
	echo "t$(printf '%s' "$_m_abs" | cksum | cut -d ' ' -f 1)"
}

# pg_psql SQL: run SQL as the superuser in the maintenance database.
pg_psql() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$QM_TEST_PG dbname=postgres" -c "$1"
}

# pg_location PATH: the connection string qm is to use for PATH, the
# database made when new. sqlite:... and connection strings are unchanged.
pg_location() {
	case $1 in
	sqlite:* | postgres:* | postgresql:* | *=*)
		echo "$1"
		return
		;;
	esac
	_m_db=$(pg_dbname "$1")
	if ! grep -q -x -F "$_m_db" "$QM_TEST_TMP/.run/pgdbs" 2>/dev/null; then
		pg_psql "CREATE DATABASE \"$_m_db\"" >/dev/null 2>&1
		echo "$_m_db" >>"$QM_TEST_TMP/.run/pgdbs"
	fi
	echo "$QM_TEST_PG dbname=$_m_db"
}

# sed_escape TEXT: TEXT as a literal in a sed s/// pattern or replacement.
sed_escape() {
	printf '%s' "$1" | sed 's/[].[*^$\/&]/\\&/g'
}
