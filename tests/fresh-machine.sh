#!/usr/bin/env bash
# tests/fresh-machine.sh — the README's two commands on a pristine Debian 12.
#
# Run by hand, as root, on a Debian or Ubuntu host (not part of ./waqtor test:
# it takes about half an hour and downloads every package a newcomer would):
#
#   tests/fresh-machine.sh [--dir /root/waqtor] [--keep] [--up-only]
#
# It debootstraps a minimal bookworm (--variant=minbase) into a temp dir,
# installs git there (all a newcomer has to do to clone), clones this
# repository's HEAD into /root/waqtor inside it (mode 0700, as on Debian),
# runs `./waqtor up` and checks that the stack answers health 200 from
# outside, then runs `./waqtor test` and prints its summary line. Every
# process started inside is killed and every mount undone on the way out,
# whatever happens; --keep leaves the root directory for a look (unmounted).
#
# The chroot shares the host's network, so nothing may listen on port 8080.
# The host's own CA certificates in /usr/local/share/ca-certificates are
# copied in (and named to npm in /etc/npmrc): where the host reaches the
# package registries through a TLS proxy, a fresh machine on the same
# network would have to trust it too.
#
# Exit status: 0 when both commands succeed and the summary says 0 failed.
set -euo pipefail

DIR=/root/waqtor KEEP=0 UP_ONLY=0
MIRROR=${FRESH_MIRROR:-http://deb.debian.org/debian}
CACHE=${FRESH_CACHE:-/var/cache/waqtor-fresh-machine}
while [ $# -gt 0 ]; do
	case $1 in
		--dir) DIR=$2; shift 2 ;;
		--keep) KEEP=1; shift ;;
		--up-only) UP_ONLY=1; shift ;;
		*) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
	esac
done

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf '\n==> [fresh-machine] %s\n' "$*"; }
die() { printf 'fresh-machine: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap and chroot need it)"
git -C "$SRC" rev-parse --verify HEAD >/dev/null 2>&1 || die "$SRC is not a git checkout with a commit"
if ! command -v debootstrap >/dev/null; then
	say "installing debootstrap on the host"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi
if (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null; then
	die "something on this host listens on 127.0.0.1:8080, the port the README's stack takes"
fi

WORK=$(mktemp -d /var/tmp/waqtor-fresh.XXXXXX)
R=$WORK/root
LOG=$WORK/run.log

# Kills whatever runs inside the chroot, then undoes every mount under it.
cleanup() {
	local rc=$? pid i
	trap - EXIT INT TERM
	set +e
	for i in 1 2 3 4 5 6 7 8 9 10; do
		local pids=()
		for pid in /proc/[0-9]*; do
			pid=${pid#/proc/}
			[ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$R" ] && pids+=("$pid")
		done
		[ ${#pids[@]} -eq 0 ] && break
		if [ "$i" -lt 4 ]; then kill -TERM "${pids[@]}" 2>/dev/null; else kill -KILL "${pids[@]}" 2>/dev/null; fi
		sleep 1
	done
	findmnt -rn -o TARGET | grep -F "$R/" | sort -r | while read -r m; do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
	if findmnt -rn -o TARGET | grep -qF "$R/"; then
		echo "fresh-machine: mounts left under $R; not removing it" >&2
	elif [ $KEEP -eq 1 ]; then
		echo "fresh-machine: kept $WORK (log: $LOG)" >&2
	else
		cp "$LOG" "/var/tmp/waqtor-fresh-last.log" 2>/dev/null
		rm -rf --one-file-system "$WORK"
		echo "fresh-machine: cleaned up; the full log is /var/tmp/waqtor-fresh-last.log" >&2
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The base system: the .debs are kept in $CACHE between runs (the unpacked
# root is always new).
mkdir -p "$CACHE"
tarball=$CACHE/bookworm-minbase.tgz
if [ ! -s "$tarball" ]; then
	say "downloading a minimal bookworm into $tarball"
	debootstrap --variant=minbase --make-tarball="$tarball.tmp" bookworm "$WORK/tarball" "$MIRROR" >/dev/null
	mv "$tarball.tmp" "$tarball"
	rm -rf "$WORK/tarball"
fi
say "debootstrap --variant=minbase bookworm $R"
t0=$(date +%s)
debootstrap --variant=minbase --unpack-tarball="$tarball" bookworm "$R" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
	{ tail -n 30 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }

mount -t proc proc "$R/proc"
mount -t sysfs sysfs "$R/sys"
mount --rbind /dev "$R/dev"
mount --make-rslave "$R/dev"
mount -t tmpfs tmpfs "$R/run"
cp /etc/resolv.conf "$R/etc/resolv.conf"
mkdir -p "$R/usr/local/share/ca-certificates"
if cp /usr/local/share/ca-certificates/*.crt "$R/usr/local/share/ca-certificates/" 2>/dev/null; then
	# and npm, which otherwise trusts only the CAs built into Node
	echo "cafile=/etc/ssl/certs/ca-certificates.crt" >"$R/etc/npmrc"
fi
mkdir -p "$R/mnt/src"
mount --bind "$SRC" "$R/mnt/src"
mount -o remount,bind,ro "$R/mnt/src"

# A login shell of a fresh root: nothing of this host's environment.
in_root() {
	chroot "$R" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		bash -c "$1"
}

say "apt-get install git (the one thing a newcomer installs by hand)"
in_root 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git ca-certificates >/dev/null' ||
	die "installing git failed"
parent=$(dirname "$DIR")
in_root "mkdir -p $(printf %q "$parent") && git config --global --add safe.directory /mnt/src/.git &&
	git clone -q /mnt/src $(printf %q "$DIR")" || die "git clone failed"
in_root "stat -c '%A %n' /root $(printf %q "$parent")"
commit=$(in_root "git -C $(printf %q "$DIR") rev-parse --short HEAD")
umount "$R/mnt/src"

cd_dir="cd $(printf %q "$DIR")"
say "./waqtor up (in $DIR)"
t1=$(date +%s)
set +e
in_root "$cd_dir && ./waqtor up" 2>&1 | tee "$LOG"
rc_up=${PIPESTATUS[0]}
set -e
t2=$(date +%s)
health=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/api/v1/health || true)
echo "health from outside the chroot: $health"

rc_test=- summary="(not run)"
t3=$t2
if [ $rc_up -eq 0 ] && [ $UP_ONLY -eq 0 ]; then
	say "./waqtor test (in $DIR)"
	set +e
	in_root "$cd_dir && ./waqtor test" 2>&1 | tee -a "$LOG" >"$WORK/test.out"
	rc_test=${PIPESTATUS[0]}
	set -e
	t3=$(date +%s)
	summary=$(grep -E '^tests: [0-9]+ passed, [0-9]+ failed' "$WORK/test.out" | tail -n 1 || true)
	[ -n "$summary" ] || { summary="(no summary line)"; tail -n 60 "$WORK/test.out"; }
	grep -E '^(FAIL|ERROR|XPASS):' "$WORK/test.out" || true
fi

cat <<EOF

fresh-machine summary ($(date -u +%Y-%m-%dT%H:%MZ), clone in $DIR, commit $commit)
  base system + git:  $((t1 - t0)) s
  ./waqtor up:        exit $rc_up, $((t2 - t1)) s, health $health
  ./waqtor test:      exit $rc_test, $((t3 - t2)) s
  $summary
EOF
[ $rc_up -eq 0 ] && [ "$health" = 200 ] && { [ $UP_ONLY -eq 1 ] ||
	{ [ $rc_test -eq 0 ] && [[ $summary == *" 0 failed"* ]]; }; }
