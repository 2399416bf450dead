#!/bin/sh
# Install the Debian packages Quartermaster builds and tests with, when any is
# missing (run as root on Debian 12; elsewhere it only says what is missing).
set -e
PKGS="g++ liblemon-dev glpk-utils libsqlite3-dev sqlite3 libjansson-dev libssl-dev libcmocka-dev pkg-config time"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "tools/install-deps.sh: run as root, or install:$missing" >&2
	exit 69
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
