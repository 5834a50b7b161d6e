#!/usr/bin/env bats
# What a sandbox's command may leave for whoever enters the sandbox or
# reads its pid. In a user namespace the command is root of one nested in
# the sandbox's, which owns only its mount namespace: it may mount there,
# over /bin say, and plant programs that hako-enter then runs. Those must
# run with no more power than the command. And a pid file must be written
# where asked, never through a link the command or anyone planted. Each
# attack has a control. The unprivileged caller is uid/gid 65534, which
# owns $TMP.

bats_require_minimum_version 1.5.0


setup_file() {
	load helper
	export ATTACK="$BATS_FILE_TMPDIR/attack"
	build_static attack forgepid
}

setup() {
	load helper
	rootless_setup
	# The command's plant: a tmpfs of its own over /bin (root of the
	# nested user namespace owns the command's mount namespace, and new
	# mounts are allowed there), holding busybox and a /bin/sh that notes
	# what it may do before it runs the real shell. hako-enter joins
	# that mount namespace and runs /bin/sh (or any program) from it: it
	# must be in the command's user namespace then, not the sandbox's.
	cat > "$SB/plant" <<'EOF'
hostname own-try && echo own-hostname-set > /tmp/own || echo own-hostname-refused > /tmp/own
grep CapEff /proc/self/status > /tmp/own-cap
cp /bin/busybox /tmp/busybox
mount -t tmpfs tmpfs /bin
cp /tmp/busybox /bin/busybox
for a in $(/bin/busybox --list); do
	[ "$a" = sh ] || [ -e "/bin/$a" ] || ln -s busybox "/bin/$a"
done
cat > /bin/sh <<'X'
#!/bin/busybox sh
{
	hostname planted && echo hostname-set
	grep CapEff /proc/self/status
	echo "userns=$(readlink /proc/self/ns/user)"
	echo "ppid=$PPID"
	[ "$PPID" -gt 0 ] && kill -0 "$PPID" && echo can-signal-parent
} > /tmp/evidence 2>&1
exec /bin/busybox sh "$@"
X
chmod 755 /bin/sh
echo ready > /tmp/ready
# the command runs until the test ends it
while :; do /bin/busybox sleep 1; done
EOF
}

teardown() {
	sandbox_teardown
}

# start_planted [as_user] [hako-run options]: start the sandbox with the
# plant as its command (start_bg) and wait until it is in place; PID is
# then the sandbox's pid.
start_planted() {
	local as=()
	if [ "${1:-}" = as_user ]; then
		as=(as_user)
		shift
	fi
	start_bg "${as[@]}" "$TMP/pid" "$@" "$SB" /bin/sh /plant
	wait_for "/proc/$PID/root/tmp/ready"
}

# evidence: what the planted /bin/sh noted; it ran (the control: the
# command could plant it).
evidence() {
	cat "/proc/$PID/root/tmp/evidence"
	grep -q '^ppid=' "/proc/$PID/root/tmp/evidence"
}

# commands_powers: the planted program ran with the command's powers, no
# more: it could not set the host name, and its capabilities are the
# command's own.
commands_powers() {
	evidence
	run -1 grep -q hostname-set "/proc/$PID/root/tmp/evidence"
	[ "$(grep CapEff "/proc/$PID/root/tmp/evidence")" = "$(cat "/proc/$PID/root/tmp/own-cap")" ]
}

@test "planted: rootless, a program the command planted runs from hako-enter with the command's powers, not the sandbox's root's (host name, capabilities)" {
	start_planted as_user
	# Control: the command itself may not set the host name.
	[ "$(cat "/proc/$PID/root/tmp/own")" = own-hostname-refused ]
	run as_user "$ENTER" "$PID" /bin/sh -c 'echo entered'
	[ "$status" -eq 0 ]
	[ "$output" = entered ]
	commands_powers
	# In the command's user namespace, not the sandbox's around it.
	grep -qxF "userns=$(readlink "/proc/$PID/ns/user")" "/proc/$PID/root/tmp/evidence"
	[ "$(readlink "/proc/$PID/ns/user")" != "$(sandbox_userns "$PID")" ]
}

@test "planted: rootless, hako-enter --fork runs a planted program with the command's powers too" {
	start_planted as_user
	run as_user "$ENTER" -f "$PID" /bin/sh -c 'echo entered'
	[ "$status" -eq 0 ]
	[ "$output" = entered ]
	commands_powers
}

@test "planted: root -U, host root's hako-enter runs a planted program with the command's powers" {
	chown -R 0:0 "$SB"
	start_planted -U
	[ "$(cat "/proc/$PID/root/tmp/own")" = own-hostname-refused ]
	run "$ENTER" "$PID" /bin/sh -c 'echo entered'
	[ "$status" -eq 0 ]
	[ "$output" = entered ]
	commands_powers
}

@test "planted: rootless, with --fork a planted program is in the sandbox's pid namespace and cannot name the caller; control: without --fork it can signal the caller (the man page says to use --fork)" {
	start_planted as_user
	# The caller: a shell of the unprivileged user, which runs hako-enter
	# as its child (not exec).
	run as_user sh -c '"$0" -f "$1" /bin/sh -c "echo entered"' "$ENTER" "$PID"
	[ "$status" -eq 0 ]
	[ "$output" = entered ]
	evidence
	grep -qx 'ppid=0' "/proc/$PID/root/tmp/evidence"
	run -1 grep -q can-signal-parent "/proc/$PID/root/tmp/evidence"
	# Control: without --fork it runs in the caller's pid namespace, with
	# the caller's uid on the host (the command's): kill -0 on the
	# caller's shell works, kill -9 -1 would too.
	run as_user sh -c '"$0" "$1" /bin/sh -c "echo entered"; echo caller=$$' "$ENTER" "$PID"
	[ "$status" -eq 0 ]
	evidence
	grep -qx "ppid=${lines[1]#caller=}" "/proc/$PID/root/tmp/evidence"
	grep -qx can-signal-parent "/proc/$PID/root/tmp/evidence"
}

@test "pid file: root's, a symbolic link planted at the pid file's path is replaced, not followed to a character device; control: the terminal named itself gets the pid" {
	# An earlier run (say with -W, or any process that can write the pid
	# file's directory) planted a symlink to a terminal there; followed,
	# root's hako-run would write the pid into that character device.
	mkdir "$SB/run"
	run python3 -c '
import os, pty, select, subprocess, sys
m, s = pty.openpty()
os.symlink(os.ttyname(s), sys.argv[3])
p = subprocess.run([sys.argv[1], "-p", sys.argv[3], sys.argv[2], "/bin/true"])
r, _, _ = select.select([m], [], [], 1)
print("rc=%d tty=%r" % (p.returncode, os.read(m, 64) if r else b""))
p = subprocess.run([sys.argv[1], "-p", os.ttyname(s), sys.argv[2], "/bin/true"])
r, _, _ = select.select([m], [], [], 10)
print("rc=%d tty-written=%s" % (p.returncode, bool(r) and os.read(m, 64).strip().isdigit()))' "$RUN" "$SB" "$SB/run/sb.pid"
	echo "$output"
	[ "$status" -eq 0 ]
	# Promised: a planted symlink is replaced, not followed; the terminal
	# behind it gets nothing. Control: named itself, it gets the pid.
	[ "$output" = "rc=0 tty=b''
rc=0 tty-written=True" ]
	[ ! -L "$SB/run/sb.pid" ]
	grep -qx '[1-9][0-9]*' "$SB/run/sb.pid"
}

@test "pid file: -p /dev/fd/3 3>&1 >/dev/null | read pid: only hako-run writes into the pipe; control: with -p /dev/stdout the command's own output goes there too" {
	cp "$ATTACK/forgepid" "$SB/forgepid"
	# Control: the command shares the supervisor's standard output, the
	# pid file, and writes a pid of its own (-1) there; which line comes
	# first is a race a reader of the first line may lose.
	{ "$RUN" -p /dev/stdout "$SB" /forgepid & echo $! > "$TMP/sup"; wait; } |
		{ read -r a; read -r b; echo "$a $b" > "$TMP/lines"; wait_for "$TMP/sup"; kill -TERM "$(cat "$TMP/sup")"; cat > /dev/null; }
	run cat "$TMP/lines"
	[[ $output =~ ^(-1\ [1-9][0-9]*|[1-9][0-9]*\ -1)$ ]]
	# The recipe: descriptor 3 is not passed to the command, so the
	# pipe holds the pid alone; the command's output goes to /dev/null.
	rm -f "$TMP/sup"
	{ "$RUN" -p /dev/fd/3 "$SB" /forgepid 3>&1 >/dev/null & echo $! > "$TMP/sup"; wait; } |
		{ read -r a; echo "$a" > "$TMP/first"; wait_for "$TMP/sup"; kill -TERM "$(cat "$TMP/sup")"; cat > "$TMP/rest"; }
	run cat "$TMP/first"
	[[ $output =~ ^[1-9][0-9]*$ ]]
	[ ! -s "$TMP/rest" ]
}

@test "pid file: root's -p through a symlink to /proc/self/fd/1 with output on a file writes the pid there and keeps the symlink (as -p /dev/stdout > log must keep the host's /dev/stdout)" {
	# Never with the real /dev/stdout here: that run replaced the host's
	# /dev/stdout symlink with a regular file holding the pid. The same
	# with a symlink of the test's own.
	ln -s /proc/self/fd/1 "$TMP/stdout"
	"$RUN" -p "$TMP/stdout" "$SB" /bin/true > "$TMP/log"
	ls -l "$TMP/stdout" "$TMP/log"
	# Expected of /dev/stdout: the pid goes to standard output (here the
	# log); the symlink stays what it was.
	[ -L "$TMP/stdout" ]
	grep -qx '[0-9][0-9]*' "$TMP/log"
}

@test "pid file: -p /dev/fd/N for a descriptor the caller has not open is an error, also through a planted symlink, never hako-run's own start pipe; control: open, the pid goes there" {
	# The caller has 0, 1 and 2 only: hako-run's own pipes take the next
	# numbers. Naming one of those must not write into it (the start
	# report would then never end, and the pid file never be written).
	ln -s /dev/fd/4 "$TMP/planted.pid"
	run python3 -c '
import subprocess, sys
for f in ("/dev/fd/4", sys.argv[3]):
    p = subprocess.run(["timeout", "20", sys.argv[1], "-p", f, sys.argv[2], "/bin/true"],
                       stdin=subprocess.DEVNULL, stderr=subprocess.STDOUT, stdout=subprocess.PIPE, close_fds=True)
    print("rc=%d %s" % (p.returncode, p.stdout.decode().strip()))
' "$RUN" "$SB" "$TMP/planted.pid"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "rc=125 hako-run: cannot use pid file /dev/fd/4: Bad file descriptor
rc=125 hako-run: cannot use pid file $TMP/planted.pid: Bad file descriptor" ]
	[ -L "$TMP/planted.pid" ]
	# Control: the caller's own descriptor 4 gets the pid.
	"$RUN" -p /dev/fd/4 "$SB" /bin/true 4> "$TMP/fd4"
	grep -qx '[1-9][0-9]*' "$TMP/fd4"
}

@test "pid file: root's, a FIFO another user planted in a shared sticky directory (say /tmp) is not the pid file its reader will trust; control: root's own FIFO there gets the pid" {
	# In a sticky, world-writable directory root's pid file, once renamed
	# there, cannot be replaced by anyone else; a FIFO planted before the
	# run is written into instead, and stays its planter's: whoever reads
	# the pid file later reads whatever number the planter writes.
	mkdir -m 1777 "$TMP/shared"
	run python3 -c '
import os, subprocess, sys
out = []
for owner in (65534, 0):
    f = "%s/%d.pid" % (sys.argv[3], owner)
    os.mkfifo(f, 0o644)
    os.chown(f, owner, owner)
    r = os.open(f, os.O_RDWR | os.O_NONBLOCK)
    p = subprocess.run(["timeout", "20", sys.argv[1], "-p", f, sys.argv[2], "/bin/true"],
                       stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)
    try:
        got = os.read(r, 64).strip().isdigit()
    except BlockingIOError:
        got = False
    out.append("owner=%d rc=%d written=%s" % (owner, p.returncode, got))
print("\n".join(out))
' "$RUN" "$SB" "$TMP/shared"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "owner=65534 rc=125 written=False
owner=0 rc=0 written=True" ]
}
