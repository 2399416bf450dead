#!/bin/sh
# Install what Quartermaster builds and tests with, when any of it is missing:
# the Debian packages (run as root on Debian 12; elsewhere it only says what
# is missing), among them chromium for the browser test of the HTML report
# and the PostgreSQL server and client that the tests start a throwaway
# cluster of (libpq and PostgreSQL are under the PostgreSQL licence),
# then the npm packages of package.json (Chart.js for the dashboard, and
# playwright-core, which drives that chromium; no browser is downloaded)
# when node_modules lacks them.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)

PKGS="g++ iproute2 liblemon-dev glpk-utils libsqlite3-dev sqlite3 libpq-dev postgresql postgresql-client libjansson-dev libssl-dev libcmocka-dev pkg-config time chromium libmicrohttpd-dev libsodium-dev curl wrk nginx-light openssl"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing:$missing"
	if [ "$(id -u)" != 0 ]; then
		echo "tools/install-deps.sh: run as root, or install:$missing" >&2
		exit 69
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# npm packages, from the lock file exactly; no browser download
if [ ! -d "$root/node_modules/playwright-core" ] || [ ! -f "$root/node_modules/chart.js/dist/chart.umd.js" ]; then
	if ! command -v npm >/dev/null 2>&1; then
		echo "tools/install-deps.sh: npm is missing (install Node.js 20 or later), then run make deps" >&2
		exit 69
	fi
	echo "installing: npm packages (npm ci)"
	(cd "$root" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
