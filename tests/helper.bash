# shellcheck shell=bash
# Shared by the bats files: where the binaries are, and a minimal sandbox
# in a temp dir that teardown always removes (mounts and processes too).

HAKO_BIN=${HAKO_BIN:-$(cd "$BATS_TEST_DIRNAME/.." && pwd)}
# shellcheck disable=SC2034 # used by the .bats files
RUN=$HAKO_BIN/hako-run
# shellcheck disable=SC2034
ENTER=$HAKO_BIN/hako-enter
BUSYBOX=${BUSYBOX:-/bin/busybox}

# The ordinary user the rootless tests run as (they give it $TMP), and
# the host id root's -U maps the sandbox's root to by default. AS_USER is
# an array so that a background run's $! is hako-run itself (setpriv
# execs it), not a subshell running a function.
UNPRIV=65534
# shellcheck disable=SC2034 # used by the .bats files
AS_USER=(setpriv "--reuid=$UNPRIV" "--regid=$UNPRIV" --clear-groups)
# shellcheck disable=SC2034
USERNS_BASE=1879048192

as_user() {
	"${AS_USER[@]}" "$@"
}

# build_static DIR NAME...: tests/*/NAME.c (attack/ or progs/, given as
# DIR's last part) built static into BATS_FILE_TMPDIR/DIR/NAME.
build_static() {
	local dir=$1 name
	shift
	mkdir -p "$BATS_FILE_TMPDIR/$dir"
	for name in "$@"; do
		gcc -static -O2 -Wall -Wextra -Werror -o "$BATS_FILE_TMPDIR/$dir/$name" \
			"$BATS_TEST_DIRNAME/$dir/$name.c" || return 1
	done
}

# make_sandbox DIR: busybox (static) with its applets in /bin, empty /proc,
# /tmp and /.hako, and an init that mounts proc and a tmpfs on /tmp.
make_sandbox() {
	local dir=$1 real
	mkdir -p "$dir/.hako" "$dir/bin" "$dir/proc" "$dir/tmp" "$dir/etc"
	cp "$BUSYBOX" "$dir/bin/busybox"
	# One call for all the applet links; they point at busybox's real
	# path on the host, which then has to exist in the sandbox too.
	"$BUSYBOX" --install -s "$dir/bin"
	real=$(readlink -f "$BUSYBOX")
	if [ "$real" != /bin/busybox ]; then
		mkdir -p "$dir${real%/*}"
		ln -sf /bin/busybox "$dir$real"
	fi
	echo sandbox-file > "$dir/etc/marker"
	write_init "$dir" 'mount -t proc proc proc && mount -t tmpfs tmpfs tmp'
}

# write_init DIR 'shell commands': replace DIR/.hako/init.
write_init() {
	printf '#!/bin/sh\nset -e\n%s\n' "$2" > "$1/.hako/init"
	chmod 755 "$1/.hako/init"
}

# --- what the host must offer ---------------------------------------------
# A test that needs something not every host has says so first, through
# one of these: where the host lacks it the test is skipped with the
# reason (as bubblewrap's and util-linux's suites do), not failed. CI
# fails on any skip whose reason .ci/allowed-skips does not list.

# require_root: hako-run's sandboxes (mounts, namespaces) need root here.
require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}

# require_tmp_exec: the sandboxes live in /tmp and run busybox from it.
require_tmp_exec() {
	[[ ",$(findmnt -no OPTIONS -T /tmp)," != *,noexec,* ]] ||
		skip "/tmp is mounted noexec"
}

# require_tmp_suid: a setuid bit on a file under /tmp takes effect.
require_tmp_suid() {
	[[ ",$(findmnt -no OPTIONS -T /tmp)," != *,nosuid,* ]] ||
		skip "/tmp is mounted nosuid"
}

# require_tiocsti: a process may push input into its own terminal (the
# kernel's dev.tty.legacy_tiocsti, which kernels before 6.2 do not have:
# there it always may), so that the injection controls can inject.
require_tiocsti() {
	local on
	on=$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null) || return 0
	[ "$on" = 1 ] || skip "needs sysctl dev.tty.legacy_tiocsti=1"
}

# require_block_root: the host's root filesystem is on a block device
# (the device a test tries to mount).
require_block_root() {
	[ -b "$(awk '$2 == "/" { print $1 }' /proc/mounts | tail -1)" ] ||
		skip "the root filesystem is not on a block device"
}

# require_host_ids: the host's user database has the ids the identity
# tests name (Debian's): nobody 65534 with group 65534, daemon 1 with
# group 1, group nogroup 65534, and no user 4242.
require_host_ids() {
	if [ "$(getent passwd nobody | cut -d: -f3,4)" != 65534:65534 ] ||
		[ "$(getent passwd daemon | cut -d: -f3,4)" != 1:1 ] ||
		[ "$(getent group nogroup | cut -d: -f3)" != 65534 ] ||
		[ "$(getent group daemon | cut -d: -f3)" != 1 ] ||
		getent passwd 4242 >/dev/null; then
		skip "the host's users and groups are not Debian's (nobody 65534, daemon 1, nogroup 65534)"
	fi
}

# require_unpriv_userns: an ordinary user (UNPRIV) may create a user
# namespace, as rootless mode needs.
require_unpriv_userns() {
	as_user unshare -U true 2>/dev/null ||
		skip "an ordinary user cannot create a user namespace here"
}

# require_commands NAME...: each is installed.
require_commands() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || skip "needs $c"
	done
}

# require_files PATH...: each exists (a package's file the test reads).
require_files() {
	local f
	for f in "$@"; do
		[ -e "$f" ] || skip "needs $f"
	done
}

# Called from each file's setup: a fresh temp dir with a sandbox in it.
sandbox_setup() {
	require_root
	require_tmp_exec
	TMP=$(mktemp -d /tmp/hako-test.XXXXXX)
	SB=$TMP/sb
	make_sandbox "$SB"
	: > "$TMP/pids"
}

# Called from the setup of the files whose tests run as the ordinary user
# (rootless mode): sandbox_setup, with TMP (and the sandbox) the user's.
rootless_setup() {
	sandbox_setup
	require_unpriv_userns
	chown -R $UNPRIV:$UNPRIV "$TMP"
	chmod 755 "$TMP"
}

# Remember a background process (usually a hako-run supervisor) so that
# teardown kills it even when the test failed half-way.
track() {
	echo "$1" >> "$TMP/pids"
}

# The one way the tests start a sandbox in the background:
# start_bg [as_user] PIDFILE ARGS...: hako-run -p PIDFILE ARGS (as the
# ordinary user when the first word is as_user), output in $TMP/bg.out and
# $TMP/bg.err; once PIDFILE is written, SUP is the supervisor (hako-run
# itself, for wait) and BOX and PID the sandbox's pid from PIDFILE.
start_bg() {
	local as=() pf
	if [ "${1:-}" = as_user ]; then
		as=("${AS_USER[@]}")
		shift
	fi
	pf=$1
	shift
	"${as[@]}" "$RUN" -p "$pf" "$@" \
		</dev/null >"$TMP/bg.out" 2>"$TMP/bg.err" 3>&- &
	SUP=$!
	track "$SUP"
	if ! wait_for "$pf"; then
		cat "$TMP/bg.out" "$TMP/bg.err"
		return 1
	fi
	BOX=$(cat "$pf")
	# shellcheck disable=SC2034 # used by the .bats files
	PID=$BOX
}

# start_sandbox [as_user] [hako-run options]: the sandbox SB running
# `sleep` in the background (start_bg with $TMP/pid).
start_sandbox() {
	local as=()
	if [ "${1:-}" = as_user ]; then
		as=(as_user)
		shift
	fi
	start_bg "${as[@]}" "$TMP/pid" "$@" "$SB" sleep 1000
}

# wait_grep FILE REGEX: until a line of FILE matches (at most ~5 s).
wait_grep() {
	local _
	for _ in $(seq 250); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.02
	done
	echo "no line matching $2 in $1:" >&2
	cat "$1" >&2 2>/dev/null
	return 1
}

# proc_state PID: the process's state letter (R, S, T, Z...), empty when
# it is gone.
proc_state() {
	sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null || true
}

# state_is PID LETTER: wait until the process is in that state (~4 s).
state_is() {
	local _
	for _ in $(seq 200); do
		[ "$(proc_state "$1")" = "$2" ] && return 0
		sleep 0.02
	done
	echo "process $1 is in state '$(proc_state "$1")', not $2" >&2
	return 1
}

# expect STATUS OUTPUT: what the last `run` must have given.
# shellcheck disable=SC2154 # status and output: bats' run sets them
expect() {
	if [ "$status" -ne "$1" ] || [ "$output" != "$2" ]; then
		printf 'expected status %s and output:\n%s\n' "$1" "$2"
		printf 'got status %s and output:\n%s\n' "$status" "$output"
		return 1
	fi
}

# nothing_left [TRIES]: no process with TMP in its command line (a forked
# hako-run keeps its argv) and no mount under TMP. A sandbox killed by the
# parent-death signal needs a moment: TRIES times 20 ms (default 100).
nothing_left() {
	local _ left
	for _ in $(seq "${1:-100}"); do
		left=$(pgrep -a -f -- "$TMP" || true)
		[ -z "$left" ] && break
		sleep 0.02
	done
	echo "left processes: $left"
	[ -z "$left" ]
	! grep -F -- "$TMP" /proc/self/mountinfo
}

# box_alone PID: the sandbox whose pid 1 is PID is as it was before the
# test entered it: PID alone in its pid namespace, no hako-enter naming it
# still running (one that has not entered or not exec'd yet), no mount
# under TMP.
box_alone() {
	local _ in_box left
	for _ in $(seq 100); do
		in_box=$({ pgrep --ns "$1" --nslist pid || true; } | tr '\n' ' ')
		left=$(pgrep -a -f -- "^$ENTER .*$1" || true)
		[ "$in_box" = "$1 " ] && [ -z "$left" ] && break
		sleep 0.02
	done
	echo "in the box: $in_box; left: $left"
	[ "$in_box" = "$1 " ]
	[ -z "$left" ]
	! grep -F -- "$TMP" /proc/self/mountinfo
}

# assert_clean: nothing the test started is left (nothing_left), except
# the sandbox it keeps for the whole test when it names that sandbox's
# pid 1 in KEEP (hako-enter.bats), which must then be box_alone. What
# expect_error checks after each failure.
assert_clean() {
	if [ -n "${KEEP:-}" ]; then
		box_alone "$KEEP"
	else
		nothing_left 100
	fi
}

# wait_until CMD...: until CMD succeeds (at most ~5 s).
wait_until() {
	local _
	for _ in $(seq 100); do
		"$@" && return 0
		sleep 0.05
	done
	echo "timed out waiting for: $*" >&2
	return 1
}

# wait_for FILE: until it exists and is not empty (at most ~5 s).
wait_for() {
	wait_until test -s "$1"
}

# child_of PID: the (first) child of PID once it has one (~4 s).
child_of() {
	local _ c
	for _ in $(seq 200); do
		c=$(pgrep -P "$1" | head -n 1) && [ -n "$c" ] && { echo "$c"; return 0; }
		sleep 0.02
	done
	echo "process $1 has no child" >&2
	return 1
}

# ns_links PID [pid|pid_for_children]: "NAME LINK" for the seven
# namespaces of PID, one per line; the pid one as named.
ns_links() {
	local n
	for n in user mnt uts ipc net "${2:-pid}" cgroup; do
		echo "$n $(readlink "/proc/$1/ns/$n")"
	done
}

# expect_error STATUS MESSAGE COMMAND...: the command fails with exactly
# STATUS, prints nothing on stdout and exactly the line MESSAGE on stderr
# (compared byte for byte), and leaves nothing behind (assert_clean).
expect_error() {
	local want=$1 msg=$2 rc=0
	shift 2
	"$@" </dev/null >"$TMP/err.stdout" 2>"$TMP/err.stderr" || rc=$?
	echo "status=$rc stdout=[$(cat "$TMP/err.stdout")] stderr=[$(cat "$TMP/err.stderr")]"
	echo "want=$want msg=[$msg]"
	[ "$rc" -eq "$want" ]
	[ ! -s "$TMP/err.stdout" ]
	printf '%s\n' "$msg" | cmp - "$TMP/err.stderr"
	rm -f "$TMP/err.stdout" "$TMP/err.stderr"
	assert_clean
}

# gone PID: the process has ended (absent, or a zombie) within ~4 s.
gone() {
	local _ st
	for _ in $(seq 200); do
		st=$(sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null) || return 0
		if [ -z "$st" ] || [ "$st" = Z ]; then
			return 0
		fi
		sleep 0.02
	done
	return 1
}

# running_as PID COMM: wait until PID has executed COMM (~4 s).
running_as() {
	local _
	for _ in $(seq 200); do
		[ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.02
	done
	return 1
}

# sandbox_userns PID: the user namespace (as readlink shows it) that owns
# the pid, network and uts namespaces of PID; the command of a sandbox
# with a user namespace runs in one nested in it, owning only its mounts.
sandbox_userns() {
	python3 -c '
import fcntl, os, sys
uts = os.open("/proc/%s/ns/uts" % sys.argv[1], os.O_RDONLY)
owner = fcntl.ioctl(uts, 0xb701)  # NS_GET_USERNS
print(os.readlink("/proc/self/fd/%d" % owner))' "$1"
}

# Called from each file's teardown, whatever happened in the test.
sandbox_teardown() {
	local pid m
	[ -n "${TMP:-}" ] && [ -d "$TMP" ] || return 0
	while read -r pid; do
		if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
	done < "$TMP/pids"
	while read -r pid; do
		[ -n "$pid" ] && while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
	done < "$TMP/pids"
	# Mounts under TMP (from a test's own unshare or a bug), deepest first.
	awk -v t="$TMP" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo |
		sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
	rm -rf "$TMP"
}

# ptydrive STEP... -- CMD...: CMD on a new pseudo-terminal, with a user
# typing at it (see tests/ptydrive.py for the steps). Prints what CMD
# printed, then "status N" and whether the terminal's modes are restored.
# PYTHON, when a file sets it, is the real interpreter (not a version
# manager's shim, which starts slower).
ptydrive() {
	"${PYTHON:-python3}" "$BATS_TEST_DIRNAME/ptydrive.py" "$@"
}
