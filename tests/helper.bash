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

# Called from each file's setup: a fresh temp dir with a sandbox in it.
sandbox_setup() {
	TMP=$(mktemp -d /tmp/hako-test.XXXXXX)
	SB=$TMP/sb
	make_sandbox "$SB"
	: > "$TMP/pids"
}

# Remember a background process (usually a hako-run supervisor) so that
# teardown kills it even when the test failed half-way.
track() {
	echo "$1" >> "$TMP/pids"
}

# start_sandbox [hako-run options]: a sandbox running `sleep` in the
# background; its pid in PID.
start_sandbox() {
	"$RUN" -p "$TMP/pid" "$@" "$SB" sleep 1000 </dev/null >"$TMP/sandbox.log" 2>&1 3>&- &
	track $!
	if ! wait_for "$TMP/pid"; then
		cat "$TMP/sandbox.log"
		return 1
	fi
	# shellcheck disable=SC2034 # used by the .bats files
	PID=$(cat "$TMP/pid")
}

# start_bg PIDFILE ARGS...: hako-run -p PIDFILE ARGS in the background,
# output in $TMP/bg.out and $TMP/bg.err; sets SUP (the supervisor) and
# BOX (the sandbox's pid from PIDFILE).
start_bg() {
	local pf=$1
	shift
	"$RUN" -p "$pf" "$@" \
		</dev/null >"$TMP/bg.out" 2>"$TMP/bg.err" 3>&- &
	SUP=$!
	track "$SUP"
	wait_for "$pf"
	# shellcheck disable=SC2034 # used by the .bats files
	BOX=$(cat "$pf")
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

# assert_clean: what expect_error checks after a failure: nothing_left,
# unless the calling file defined its own (hako-enter.bats, whose sandbox
# outlives each failure). Files load this from setup, after their own
# definitions, hence the check.
if ! declare -F assert_clean >/dev/null; then
	assert_clean() {
		nothing_left 100
	}
fi

# wait_for FILE: until it exists and is not empty (at most ~5 s).
wait_for() {
	local _
	for _ in $(seq 100); do
		[ -s "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

# expect_error STATUS MESSAGE COMMAND...: the command fails with exactly
# STATUS, prints nothing on stdout and exactly the line MESSAGE on stderr
# (compared byte for byte), and leaves nothing behind (the calling file's
# own assert_clean says what that means there).
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
