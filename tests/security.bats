#!/usr/bin/env bats
# Attack tests: what a command inside a sandbox must not be able to do to
# its caller or the host (SECURITY CONSIDERATIONS in hako-run(1) and
# hako-enter(1)).
# Each test is a small attack, with a control run outside hako where that
# is what proves the attack would work. The helpers are tests/attack/*.c,
# compiled static (the sandbox has only busybox).

bats_require_minimum_version 1.5.0
load helper

HELPERS="fds escape killpgrp keys keysteal inject ids procopen sigmess sigstate whereami"

# The sandbox's init: proc and a tmpfs as in helper.bash, a host name to
# recognise the sandbox by, and (when asked) the namespaces it is in.
INIT='mount -t proc proc proc && mount -t tmpfs tmpfs tmp && hostname hako-sb
[ -z "${HAKO_TEST_LINKS:-}" ] || readlink /proc/self/ns/uts /proc/self/ns/mnt > "$HAKO_TEST_LINKS"'

setup_file() {
	export ATTACK="$BATS_FILE_TMPDIR/attack"
	# shellcheck disable=SC2086 # a list of names
	build_static attack $HELPERS
	# The real interpreter, not a version manager's shim: it starts faster.
	PYTHON=$(python3 -c 'import sys; print(sys.executable)')
	export PYTHON

	# ptyrun DIR CMD...: run CMD under a fresh pseudo-terminal (its
	# controlling terminal, on 0, 1 and 2), from a bash that plays the
	# caller's interactive shell: after CMD it reads one more line from
	# the terminal, as a shell would, and runs it. So whatever CMD pushed
	# into the terminal's input with TIOCSTI gets executed, in DIR.
	cat > "$ATTACK/caller-on-tty" <<-'EOF'
		cd "$1" || exit 99
		shift
		"$@"
		echo "status $?"
		# Injected input is in the terminal's queue by the time CMD
		# has ended: whether a line is there to read, not a wait.
		if read -r -t 0 && IFS= read -r line; then
			echo "read: $line"
			eval "$line"
		fi
	EOF
	cat > "$ATTACK/ptyrun.py" <<-'EOF'
		import os, pty, sys
		pid, fd = pty.fork()
		if pid == 0:
		    caller = os.path.join(os.path.dirname(sys.argv[0]), "caller-on-tty")
		    os.execv("/bin/bash", ["bash", caller] + sys.argv[1:])
		out = b""
		while True:
		    try:
		        data = os.read(fd, 4096)
		    except OSError:  # EIO: the last holder of the terminal is gone
		        break
		    if not data:
		        break
		    out += data
		_, status = os.waitpid(pid, 0)
		sys.stdout.write(out.decode(errors="replace").replace("\r\n", "\n"))
		sys.exit(os.waitstatus_to_exitcode(status))
	EOF

	# caller CMD...: a non-interactive caller script.
	cat > "$ATTACK/caller" <<-'EOF'
		"$@"
		echo "hako: $?"
		echo "caller survived"
	EOF

	# keyring-caller CMD...: a script with a secret in its session keyring.
	cat > "$ATTACK/keyring-caller" <<-EOF
		keyctl new_session >/dev/null || exit 90
		keyctl add user k secret @s >/dev/null || exit 91
		"$ATTACK/keys"
		echo "host: \$?"
		"\$@"
		echo "hako: \$?"
	EOF
}

setup() {
	local h
	sandbox_setup
	write_init "$SB" "$INIT"
	mkdir "$SB/hostproc"
	for h in $HELPERS; do
		cp --remove-destination "$ATTACK/$h" "$SB/bin/$h"
	done
}

teardown() {
	sandbox_teardown
	if [ -n "${SUID_DUMPABLE_SAVED:-}" ]; then
		sysctl -q fs.suid_dumpable="$SUID_DUMPABLE_SAVED"
	fi
}

# The caller holds a host directory on 7 and a host file on 8.
with_fds() {
	"$@" 7</ 8</etc/hostname
}

# The caller holds $TMP/host on 7: a host directory with a marker command
# in it (usr/bin/id) that writes $TMP/host/ran when it runs.
with_hostdir() {
	"$@" 7<"$TMP/host"
}

make_hostdir() {
	mkdir -p "$TMP/host/usr/bin"
	printf '#!/bin/sh\necho ran > "${0%%/usr/bin/id}/ran"\n' > "$TMP/host/usr/bin/id"
	chmod 755 "$TMP/host/usr/bin/id"
}

no_marker() {
	if [ -e "$TMP/host/ran" ]; then
		echo "the command ran on the host"
		return 1
	fi
}

# ---------------------------------------------------------------------------
# Inherited descriptors (runc CVE-2024-21626)

@test "inherited fds 7 and 8 are closed in hako-run" {
	run with_fds "$RUN" "$SB" /bin/fds 7 8
	expect 0 $'7: closed\n8: closed'
	# What the sandbox's own ls sees: only 0, 1, 2 and ls's own directory.
	run with_fds "$RUN" "$SB" ls /proc/self/fd
	expect 0 $'0\n1\n2\n3'
}

@test ".hako/init gets the caller's descriptors; the command only --keep-fd ones, the supervisor none" {
	local sup
	echo config-data > "$TMP/config"
	write_init "$SB" "$INIT
cat <&7 > tmp/from-init
bin/fds 8 > tmp/init-fds"
	run "$RUN" "$SB" /bin/sh -c 'cat /tmp/from-init /tmp/init-fds; /bin/fds 7 8' 7<"$TMP/config" 8</etc/hostname
	expect 0 "config-data
8: file: $(head -n1 /etc/hostname)
7: closed
8: closed"
	run "$RUN" -k 8 "$SB" /bin/sh -c 'cat /tmp/from-init; /bin/fds 7 8' 7<"$TMP/config" 8</etc/hostname
	expect 0 "config-data
7: closed
8: file: $(head -n1 /etc/hostname)"
	# Neither the waiting supervisor nor the sandbox keeps fd 7.
	write_init "$SB" "$INIT"
	"$RUN" -p "$TMP/pid" "$SB" sleep 1000 </dev/null >/dev/null 2>&1 7<"$TMP/config" &
	sup=$!
	track "$sup"
	wait_for "$TMP/pid"
	[ ! -e "/proc/$sup/fd/7" ]
	[ ! -e "/proc/$(cat "$TMP/pid")/fd/7" ]
}

@test "inherited fds 7 and 8 are closed in hako-enter and hako-enter --fork" {
	start_sandbox
	run with_fds "$ENTER" "$PID" /bin/fds 7 8
	expect 0 $'7: closed\n8: closed'
	run with_fds "$ENTER" --fork "$PID" /bin/fds 7 8
	expect 0 $'7: closed\n8: closed'
}

@test "fchdir(7)+chroot and /proc/self/fd/7 do not escape (hako-run, hako-enter, --fork)" {
	local expected=$'fchdir(7): Bad file descriptor\nopen(/proc/self/fd/7/etc/hostname): No such file or directory'
	# Control: on the host the same helper does get out through fd 7.
	local host
	host=$(head -n1 /etc/hostname)
	run with_fds "$ATTACK/escape"
	expect 1 "fchdir(7)+chroot(.): ESCAPED: $host
open(/proc/self/fd/7/etc/hostname): ESCAPED: $host"

	run with_fds "$RUN" "$SB" /bin/escape
	expect 0 "$expected"
	start_sandbox
	run with_fds "$ENTER" "$PID" /bin/escape
	expect 0 "$expected"
	run with_fds "$ENTER" --fork "$PID" /bin/escape
	expect 0 "$expected"
}

@test "-c /proc/self/fd/7 fails with 125 and runs nothing on the host" {
	make_hostdir
	run with_hostdir "$RUN" -c /proc/self/fd/7 "$SB" /bin/sh -c 'echo ran > ran'
	expect 125 "hako-run: cannot change directory to /proc/self/fd/7: No such file or directory"
	no_marker
	start_sandbox
	run with_hostdir "$ENTER" -c /proc/self/fd/7 "$PID" /bin/sh -c 'echo ran > ran'
	expect 125 "hako-enter: cannot change directory to /proc/self/fd/7: No such file or directory"
	no_marker
	run with_hostdir "$ENTER" --fork -c /proc/self/fd/7 "$PID" /bin/sh -c 'echo ran > ran'
	expect 125 "hako-enter: cannot change directory to /proc/self/fd/7: No such file or directory"
	no_marker
}

@test "a command path through /proc/self/fd/7 fails with 127 and runs nothing on the host" {
	make_hostdir
	# Control: through an open fd 7 the marker command does run.
	run with_hostdir /proc/self/fd/7/usr/bin/id
	[ "$status" -eq 0 ]
	[ "$(cat "$TMP/host/ran")" = ran ]
	rm "$TMP/host/ran"

	run -127 with_hostdir "$RUN" "$SB" /proc/self/fd/7/usr/bin/id
	expect 127 "hako-run: cannot execute /proc/self/fd/7/usr/bin/id: No such file or directory"
	no_marker
	start_sandbox
	run -127 with_hostdir "$ENTER" "$PID" /proc/self/fd/7/usr/bin/id
	expect 127 "hako-enter: cannot execute /proc/self/fd/7/usr/bin/id: No such file or directory"
	no_marker
	run -127 with_hostdir "$ENTER" --fork "$PID" /proc/self/fd/7/usr/bin/id
	expect 127 "hako-enter: cannot execute /proc/self/fd/7/usr/bin/id: No such file or directory"
	no_marker
}

@test "--keep-fd 8 lets the host file through, and fd 7 stays closed" {
	local expected="7: closed
8: file: $(head -n1 /etc/hostname)"
	run with_fds "$RUN" --keep-fd 8 "$SB" /bin/fds 7 8
	expect 0 "$expected"
	start_sandbox
	run with_fds "$ENTER" -k 8 "$PID" /bin/fds 7 8
	expect 0 "$expected"
	run with_fds "$ENTER" --fork --keep-fd 8 "$PID" /bin/fds 7 8
	expect 0 "$expected"
}

# ---------------------------------------------------------------------------
# Signals to the caller's process group, and the caller's keys

@test "a non-interactive caller survives kill(0) and kill(-getpgrp()) from inside hako-run" {
	# setsid: the caller script leads a process group of its own, which
	# the attack would kill (and not bats with it).
	run setsid -w bash "$ATTACK/caller" \
		"$RUN" "$SB" /bin/sh -c 'kill -TERM 0; /bin/killpgrp; echo inside' </dev/null
	expect 0 $'sent\ninside\nhako: 0\ncaller survived'
}

@test "a non-interactive caller survives kill(0) and kill(-getpgrp()) from inside hako-enter" {
	start_sandbox
	# The command ignores SIGTERM itself: in hako-enter it is not pid 1.
	run setsid -w bash "$ATTACK/caller" \
		"$ENTER" "$PID" /bin/sh -c 'trap "" TERM; kill -TERM 0; /bin/killpgrp; echo inside' </dev/null
	expect 0 $'sent\ninside\nhako: 0\ncaller survived'
	run setsid -w bash "$ATTACK/caller" \
		"$ENTER" --fork "$PID" /bin/sh -c 'trap "" TERM; kill -TERM 0; /bin/killpgrp; echo inside' </dev/null
	expect 0 $'sent\ninside\nhako: 0\ncaller survived'
}

@test "-S on a terminal: kill(0) and kill(-getpgrp()) from inside do not reach the caller (hako-run, hako-enter, --fork); without -S they do, but for --fork's own terminal" {
	local cmd='trap "" TERM; kill -TERM 0; /bin/killpgrp; echo inside'
	# Control: on a terminal, without -S, the sandbox shares the
	# caller's process group, and the caller is killed.
	run ptyrun "$RUN" "$SB" /bin/sh -c "$cmd"
	[ "$status" -ne 0 ]
	[[ $output != *"status "* ]]
	run ptyrun "$RUN" -S "$SB" /bin/sh -c "$cmd"
	expect 0 $'sent\ninside\nstatus 0'
	start_sandbox
	# hako-enter without --fork stays in the caller's process group too;
	# with --fork on a terminal the command has a terminal and a session
	# of its own, -S or not.
	run ptyrun "$ENTER" "$PID" /bin/sh -c "$cmd"
	[ "$status" -ne 0 ]
	[[ $output != *"status "* ]]
	run ptyrun "$ENTER" --fork "$PID" /bin/sh -c "$cmd"
	expect 0 $'sent\ninside\nstatus 0'
	run ptyrun "$ENTER" -S --fork "$PID" /bin/sh -c "$cmd"
	expect 0 $'sent\ninside\nstatus 0'
	run ptyrun "$ENTER" --new-session "$PID" /bin/sh -c "$cmd"
	expect 0 $'sent\ninside\nstatus 0'
}

@test "hako-enter -S without --fork as a process group leader -> 125, nothing run" {
	start_sandbox
	run setsid -w "$ENTER" -S "$PID" /bin/echo ran
	expect 125 "hako-enter: cannot start a new session: Operation not permitted (a process group leader cannot: use --fork)"
	run setsid -w "$ENTER" -S --fork "$PID" /bin/echo ran
	expect 0 ran
}

@test "the caller's session keyring is not reachable from inside (hako-run, hako-enter, --fork)" {
	local expected=$'search @s: found, read: secret\nrequest_key: found, read: secret\nhost: 1
search @s: Required key not available\nrequest_key: Required key not available\nhako: 0'
	run bash "$ATTACK/keyring-caller" "$RUN" "$SB" /bin/keys
	expect 0 "$expected"
	start_sandbox
	run bash "$ATTACK/keyring-caller" "$ENTER" "$PID" /bin/keys
	expect 0 "$expected"
	run bash "$ATTACK/keyring-caller" "$ENTER" --fork "$PID" /bin/keys
	expect 0 "$expected"
}

@test "rootless: the caller's session keyring stays out of reach, also for a command that links every keyring it may (hako-run, hako-enter --fork); control: the caller itself reads it" {
	require_unpriv_userns
	chmod 755 "$TMP"
	mkdir "$TMP/run"
	chown $UNPRIV "$TMP/run"
	# In a rootless sandbox the command is the caller's uid on the host:
	# /proc/keys lists the caller's keyrings, and their "user"
	# permissions are its own. Its session keyring grants that user no
	# link and its keys no read; only possession does, which the
	# command's new session keyring takes away. (The caller's user
	# keyring grants its user everything: see hako-run(1), SECURITY
	# CONSIDERATIONS.)
	cat > "$TMP/caller" <<-EOF
		keyctl new_session >/dev/null || exit 90
		keyctl add user k secret @s >/dev/null || exit 91
		"$SB/bin/keysteal" | sed 's/linked [0-9]*/linked N/'
		"\$@" | sed 's/linked [0-9]*/linked N/'
		echo "hako: \${PIPESTATUS[0]}"
	EOF
	local expected=$'linked N, found, read: secret\nlinked N, search: Required key not available\nhako: 0'
	run as_user bash "$TMP/caller" "$RUN" "$SB" /bin/keysteal
	expect 0 "$expected"
	start_bg as_user "$TMP/run/pid" "$SB" sleep 1000
	run as_user bash "$TMP/caller" "$ENTER" --fork "$PID" /bin/keysteal
	expect 0 "$expected"
}

# ---------------------------------------------------------------------------
# Terminal injection (TIOCSTI, TIOCLINUX) under a real pseudo-terminal

ptyrun() {
	"$PYTHON" "$ATTACK/ptyrun.py" "$TMP" "$@"
}

INJECT=$'touch INJECTED\n'
EPERM_OUTPUT=$'TIOCSTI: errno 1 (Operation not permitted)\nstatus 1'

not_injected() {
	if [ -e "$TMP/INJECTED" ]; then
		echo "the caller's shell ran the injected command"
		return 1
	fi
}

# i386_entry: whether this kernel takes int $0x80 from a 64-bit process
# (IA32 emulation on; some virtual machines fault it even so).
i386_entry() {
	"$ATTACK/inject" i386probe 2>/dev/null
}

@test "control: on the host, TIOCSTI through each entry does inject into the caller's shell" {
	require_tiocsti
	local mode modes="native highbits"
	if i386_entry; then modes="native i386 highbits"; fi
	for mode in $modes; do
		run ptyrun "$ATTACK/inject" "$mode" "$INJECT"
		expect 0 $'touch INJECTED\nTIOCSTI: ok\nstatus 0\nread: touch INJECTED'
		[ -e "$TMP/INJECTED" ]
		rm "$TMP/INJECTED"
	done
	run ptyrun "$ATTACK/inject" tioclinux
	expect 0 $'TIOCLINUX: errno 25 (Inappropriate ioctl for device)\nstatus 1'
}

@test "TIOCSTI fails with EPERM inside hako-run and nothing is injected" {
	require_tiocsti
	run ptyrun "$RUN" "$SB" /bin/inject native "$INJECT"
	expect 0 "$EPERM_OUTPUT"
	not_injected
}

@test "TIOCSTI fails with EPERM inside hako-enter and hako-enter --fork" {
	require_tiocsti
	start_sandbox
	run ptyrun "$ENTER" "$PID" /bin/inject native "$INJECT"
	expect 0 "$EPERM_OUTPUT"
	not_injected
	run ptyrun "$ENTER" --fork "$PID" /bin/inject native "$INJECT"
	expect 0 "$EPERM_OUTPUT"
	not_injected
}

@test "TIOCSTI through the 32-bit entry (int \$0x80) fails with EPERM" {
	require_tiocsti
	i386_entry || skip "this kernel faults int \$0x80 from a 64-bit process"
	run ptyrun "$RUN" "$SB" /bin/inject i386 "$INJECT"
	expect 0 "$EPERM_OUTPUT"
	not_injected
	start_sandbox
	run ptyrun "$ENTER" --fork "$PID" /bin/inject i386 "$INJECT"
	expect 0 "$EPERM_OUTPUT"
	not_injected
}

@test "TIOCSTI with high bits set in the request (0xdeadbeef00005412) fails with EPERM" {
	require_tiocsti
	run ptyrun "$RUN" "$SB" /bin/inject highbits "$INJECT"
	expect 0 "$EPERM_OUTPUT"
	not_injected
	start_sandbox
	run ptyrun "$ENTER" "$PID" /bin/inject highbits "$INJECT"
	expect 0 "$EPERM_OUTPUT"
	not_injected
}

@test "TIOCLINUX fails with EPERM (not ENOTTY) and TCGETS still works" {
	run ptyrun "$RUN" "$SB" /bin/sh -c '/bin/inject tioclinux; /bin/inject tcgets'
	expect 0 $'TIOCLINUX: errno 1 (Operation not permitted)\nTCGETS: ok\nstatus 0'
	start_sandbox
	run ptyrun "$ENTER" --fork "$PID" /bin/sh -c '/bin/inject tioclinux; /bin/inject tcgets'
	expect 0 $'TIOCLINUX: errno 1 (Operation not permitted)\nTCGETS: ok\nstatus 0'
}

@test "the terminal filter, run for every call number of every entry, refuses exactly TIOCSTI and TIOCLINUX on ioctl (x32 too)" {
	# The entries this kernel cannot be made to take (x32) are checked by
	# running the filter src/filter.c builds through an interpreter, told
	# the ioctl numbers by the kernel headers (tests/filter-tables; CI
	# runs it for every architecture's table).
	case $(uname -m) in
	x86_64) table=FILTER_X86 refused=16 ;; # native, i386, x32 and x32 before Linux 5.4
	aarch64) table=FILTER_ARM refused=8 ;; # native and arm
	esac
	run "$BATS_TEST_DIRNAME/filter-tables" "$table"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == "$table: checked 2187000 calls, $refused refused, 0 wrong ("*")" ]]
}

# ---------------------------------------------------------------------------
# Privileges

@test "a setuid-root helper run as -u 65534 stays uid 65534 with no capabilities" {
	# The sandbox is on a filesystem that honours setuid bits...
	require_tmp_suid
	cp "$ATTACK/ids" "$SB/bin/ids-suid"
	chmod 4755 "$SB/bin/ids-suid"
	chmod 755 "$TMP"
	# ... as the control shows: on the host the helper becomes root.
	run "${AS_USER[@]}" "$SB/bin/ids-suid"
	expect 0 "uid=65534 euid=0 suid=0 caps=some"

	run "$RUN" -u 65534 "$SB" /bin/ids-suid
	expect 0 "uid=65534 euid=65534 suid=65534 caps=none"
	start_sandbox
	run "$ENTER" -u 65534 "$PID" /bin/ids-suid
	expect 0 "uid=65534 euid=65534 suid=65534 caps=none"
	run "$ENTER" --fork -u 65534 "$PID" /bin/ids-suid
	expect 0 "uid=65534 euid=65534 suid=65534 caps=none"
}

# The sandbox sees the host's /proc at /hostproc (its init binds it before
# pivot_root), so that it can name the waiting hako-enter, which is
# outside its pid namespace.
HOSTPROC_INIT="$INIT
mount --rbind /proc hostproc"

# enter_and_wait [hako-enter options]: hako-enter --fork running sleep in
# the background; the waiting parent's pid in ENTERED.
enter_and_wait() {
	"$ENTER" --fork "$@" "$PID" sleep 1000 </dev/null >"$TMP/enter.log" 2>&1 3>&- &
	ENTERED=$!
	track "$ENTERED"
	# The parent waits once the command runs: its child's name is sleep.
	running_as "$(child_of "$ENTERED")" sleep
}

@test "hako-enter --fork: the sandbox cannot open the waiting parent's exe or mem (-u 65534)" {
	write_init "$SB" "$HOSTPROC_INIT"
	start_sandbox
	enter_and_wait -u 65534
	run "$ENTER" --fork -u 65534 "$PID" /bin/procopen "/hostproc/$ENTERED/exe" "/hostproc/$ENTERED/mem"
	expect 0 "/hostproc/$ENTERED/exe: Permission denied
/hostproc/$ENTERED/mem: Permission denied"
}

@test "hako-enter --fork -u 65534: the waiting parent stays non-dumpable even with fs.suid_dumpable=1" {
	write_init "$SB" "$HOSTPROC_INIT"
	start_sandbox
	SUID_DUMPABLE_SAVED=$(sysctl -n fs.suid_dumpable)
	sysctl -q fs.suid_dumpable=1
	enter_and_wait -u 65534
	run "$ENTER" --fork -u 65534 "$PID" /bin/procopen "/hostproc/$ENTERED/exe" "/hostproc/$ENTERED/mem"
	sysctl -q fs.suid_dumpable="$SUID_DUMPABLE_SAVED"
	expect 0 "/hostproc/$ENTERED/exe: Permission denied
/hostproc/$ENTERED/mem: Permission denied"
}

@test "hako-enter --fork: the sandbox cannot open the waiting parent's exe or mem (rootless)" {
	require_unpriv_userns
	# An unprivileged user's sandbox: its root is that user, and so is
	# the waiting hako-enter; only PR_SET_DUMPABLE 0 keeps them apart.
	write_init "$SB" "$HOSTPROC_INIT"
	chmod 755 "$TMP"
	mkdir "$TMP/run"
	chown $UNPRIV "$TMP/run"
	start_bg as_user "$TMP/run/pid" "$SB" sleep 1000
	"${AS_USER[@]}" "$ENTER" --fork "$PID" sleep 1000 </dev/null >"$TMP/enter.log" 2>&1 3>&- &
	ENTERED=$!
	track "$ENTERED"
	running_as "$(child_of "$ENTERED")" sleep
	run as_user "$ENTER" --fork "$PID" /bin/procopen "/hostproc/$ENTERED/exe" "/hostproc/$ENTERED/mem"
	expect 0 "/hostproc/$ENTERED/exe: Permission denied
/hostproc/$ENTERED/mem: Permission denied"
}

# ---------------------------------------------------------------------------
# hako's own descriptors (the host's /proc it keeps for user namespaces)

# no_own_fd_dir TOOL-AND-ARGS...: for every descriptor number a hako
# process could still hold, "-c /proc/self/fd/N" must fail with 125: at
# that point nothing but the start pipe (not a directory) may be open.
no_own_fd_dir() {
	local fd
	for fd in 3 4 5 6 7 8 9 10; do
		run "$@" -c "/proc/self/fd/$fd" "${TARGET[@]}" /bin/pwd
		echo "fd $fd: status $status: $output"
		[ "$status" -eq 125 ]
		[[ $output == *"cannot change directory to /proc/self/fd/$fd: "* ]]
	done
}

@test "no descriptor of hako's reaches -c: root -U, rootless -u, hako-enter --fork into both" {
	require_unpriv_userns
	chmod 755 "$TMP"
	TARGET=("$SB")
	no_own_fd_dir "$RUN" -U
	no_own_fd_dir "$RUN" -U -u 1000

	chown -R 65534:65534 "$SB"
	no_own_fd_dir "${AS_USER[@]}" "$RUN" -u 1000

	start_bg as_user "$SB/tmp/pid" -u 1000 "$SB" sleep 1000
	TARGET=("$BOX")
	no_own_fd_dir "${AS_USER[@]}" "$ENTER" --fork -u 1000
	no_own_fd_dir "${AS_USER[@]}" "$ENTER" --fork
}

# ---------------------------------------------------------------------------
# Signal mask and dispositions

@test "the command's signal mask and ignored signals are empty (hako-run)" {
	local zero=$'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000'
	# Control: the caller's state does survive exec.
	run "$ATTACK/sigmess" "$ATTACK/sigstate"
	expect 0 $'SigBlk:\tfffffffffffbfeff\nSigIgn:\tfffffffffffbfeff'

	run bash -c 'trap "" INT HUP; exec "$@"' _ "$RUN" "$SB" grep -E '^Sig(Blk|Ign)' /proc/self/status
	expect 0 "$zero"
	run "$ATTACK/sigmess" "$RUN" "$SB" grep -E '^Sig(Blk|Ign)' /proc/self/status
	expect 0 "$zero"
	run "$ATTACK/sigmess" "$RUN" "$SB" /bin/sigstate
	expect 0 "$zero"
}

@test "the command's signal mask and ignored signals are empty (hako-enter, --fork)" {
	local zero=$'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000'
	start_sandbox
	run bash -c 'trap "" INT HUP; exec "$@"' _ "$ENTER" "$PID" /bin/sigstate
	expect 0 "$zero"
	run "$ATTACK/sigmess" "$ENTER" "$PID" /bin/sigstate
	expect 0 "$zero"
	run bash -c 'trap "" INT HUP; exec "$@"' _ "$ENTER" --fork "$PID" grep -E '^Sig(Blk|Ign)' /proc/self/status
	expect 0 "$zero"
	run "$ATTACK/sigmess" "$ENTER" --fork "$PID" grep -E '^Sig(Blk|Ign)' /proc/self/status
	expect 0 "$zero"
}

# ---------------------------------------------------------------------------
# hako-enter joins every namespace, all at once

check_joined() {
	local sandbox entered child
	# The namespaces of the sandbox's command, its user namespace too:
	# with a user namespace that is one nested in the sandbox's (see
	# hako-run.c), which hako-enter passes through but does not stay in.
	sandbox=$(ns_links "$PID")
	# --fork: the command (the waiting parent's child) is in all seven.
	enter_and_wait
	child=$(cat "/proc/$ENTERED/task/$ENTERED/children")
	entered=$(ns_links "${child% }")
	[ "$entered" = "$sandbox" ]
	# Without --fork: six, and its children go to the sandbox's pid one.
	"$ENTER" "$PID" sleep 1000 </dev/null >"$TMP/enter.log" 2>&1 3>&- &
	ENTERED=$!
	track "$ENTERED"
	wait_until grep -qx sleep "/proc/$ENTERED/comm"
	entered=$(ns_links "$ENTERED" pid_for_children)
	[ "$entered" = "$(ns_links "$PID" pid_for_children)" ]
	# ... while it stays in the host's pid namespace itself.
	[ "$(readlink "/proc/$ENTERED/ns/pid")" = "$(readlink /proc/self/ns/pid)" ]
}

@test "hako-enter joins all seven namespaces of the sandbox" {
	start_sandbox
	# Every namespace but the user one differs from the host's.
	[ "$(readlink "/proc/$PID/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ]
	check_joined
}

@test "hako-enter joins all seven namespaces of a -U sandbox (user namespace first)" {
	chmod 755 "$TMP"
	start_sandbox -U
	[ "$(readlink "/proc/$PID/ns/user")" != "$(readlink /proc/self/ns/user)" ]
	[ "$(readlink "/proc/$PID/ns/user")" != "$(sandbox_userns "$PID")" ]
	check_joined
}

@test "hako-enter into a sandbox that is dying joins fully or fails with 125, never half" {
	local i pf pid fork sup links expected tracked full=0 refused=0 killed=0
	tracked=$(<"$TMP/pids")
	# The pid file is a FIFO the test holds open: each sandbox's pid is
	# read the moment hako-run writes it (the sandbox lives 40 ms).
	mkfifo "$TMP/pf"
	exec {pf}<>"$TMP/pf"
	for i in $(seq 200); do
		rm -f "$TMP/links"
		# sleep 0.04 is the sandbox's short life, under test.
		HAKO_TEST_LINKS="$TMP/links" "$RUN" -p "$TMP/pf" "$SB" sleep 0.04 \
			</dev/null >/dev/null 2>&1 3>&- &
		sup=$!
		track "$sup"
		read -r -t 10 -u "$pf" pid || { echo "attempt $i: the sandbox did not start"; false; }
		links=$(<"$TMP/links")
		fork=
		[ $((i % 2)) -eq 0 ] || fork=--fork
		# Enter at a different moment of the sandbox's short life each
		# time: this delay is what the test varies, not a wait.
		[ $((i % 6)) -eq 0 ] || sleep "0.0$((i % 6))"
		run "$ENTER" $fork "$pid" /bin/whereami
		if [ -n "$fork" ]; then
			expected="hako-sb sandbox-file ${links//$'\n'/ }"
		else
			# Outside the sandbox's pid namespace its /proc cannot
			# show the command itself.
			expected="hako-sb sandbox-file ? ?"
		fi
		if [ "$status" -eq 0 ] && [ "$output" = "$expected" ]; then
			full=$((full + 1))
		elif [ "$status" -eq 125 ] && [[ "$output" == "hako-enter: "* ]] &&
		     [ "${#lines[@]}" -eq 1 ]; then
			refused=$((refused + 1))
		elif [ -n "$fork" ] && [ "$status" -eq 137 ] &&
		     { [ -z "$output" ] || [ "$output" = "$expected" ]; }; then
			# Joined, then killed with the pid namespace it joined.
			killed=$((killed + 1))
		else
			echo "attempt $i ($fork): status $status, output: $output"
			echo "expected: $expected"
			false
		fi
		# Reaped: untrack it, so that teardown cannot hit a reused pid.
		wait "$sup" || true
		printf '%s\n' "$tracked" > "$TMP/pids"
	done
	exec {pf}<&-
	echo "joined $full, refused $refused, killed $killed"
	echo "# joined $full, refused $refused, killed $killed" >&3
	[ "$full" -gt 0 ]
	[ $((refused + killed)) -gt 0 ]
}
