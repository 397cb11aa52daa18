#!/bin/sh
# web/build.sh OUTDIR: builds the dashboard into OUTDIR (called by make).
#
# Installs web/node_modules from the lockfile (npm ci) when the lockfile is
# newer than what is installed, then runs Vite when a source is newer than
# the last build. One build at a time per source tree (flock): build
# directories share web/node_modules, and npm ci replaces it whole.
set -eu
web=$(cd "$(dirname "$0")" && pwd)
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)

exec 9>"$web/.build.lock"
flock 9

installed=$web/node_modules/.package-lock.json
if [ ! -f "$installed" ] || [ "$web/package-lock.json" -nt "$installed" ]; then
	echo "  NPM      web (npm ci)"
	(cd "$web" && npm ci --no-audit --no-fund --loglevel=error) ||
		{ echo "web/build.sh: npm ci failed in $web" >&2; exit 1; }
	touch "$installed"
fi

stamp=$out/.built
if [ -f "$stamp" ] && [ -z "$(find "$web/src" "$web/public" "$web/build" "$web/index.html" \
	"$web/vite.config.ts" "$web/package-lock.json" -newer "$stamp" -print -quit)" ]; then
	exit 0
fi
echo "  VITE     web -> $out"
(cd "$web" && WAQTOR_WEB_OUT="$out" ./node_modules/.bin/vite build --logLevel warn) ||
	{ echo "web/build.sh: vite build failed" >&2; exit 1; }
touch "$stamp"
