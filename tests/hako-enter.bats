#!/usr/bin/env bats
# hako-enter: joining a running sandbox, with and without --fork.

bats_require_minimum_version 1.5.0

setup() {
	load helper
	sandbox_setup
}

teardown() {
	sandbox_teardown
}

# --- helpers (this file only) ---------------------------------------------

# start_box [hako-run options]: a sandbox in the background (start_bg)
# that sets its hostname to inside-box and then sleeps as its pid 1 (BOX),
# kept for the whole test: assert_clean then checks that it is alone.
start_box() {
	start_bg "$TMP/pid" -W "$@" "$SB" /bin/sh -c \
		'hostname inside-box && echo ok > /ready && exec sleep 100'
	wait_for "$SB/ready"
	running_as "$BOX" sleep
	KEEP=$BOX
}

# --- help, version, option parsing --------------------------------------

@test "hako-enter: --help/-h print the usage on stdout, -V/--version the version" {
	local opt
	for opt in --help -h; do
		run --separate-stderr "$ENTER" "$opt"
		[ "$status" -eq 0 ]
		[ "$stderr" = "" ]
		[ "${lines[0]}" = "Usage: hako-enter [options] <pid> [command] [args]" ]
		echo "$output" | grep -q -- '--fork'
	done
	for opt in -V --version; do
		run --separate-stderr "$ENTER" "$opt"
		[ "$status" -eq 0 ]
		[ "$output" = "hako-enter 0.1.0" ]
		[ "$stderr" = "" ]
	done
}

@test "hako-enter: no pid, unknown options, a missing argument -> 125" {
	expect_error 125 "hako-enter: must provide sandbox PID" "$ENTER"
	expect_error 125 "hako-enter: must provide sandbox PID" "$ENTER" -f
	expect_error 125 "hako-enter: must provide sandbox PID" "$ENTER" --
	expect_error 125 "hako-enter: invalid option: -x (see --help)" "$ENTER" -x 1 /bin/true
	expect_error 125 "hako-enter: invalid option: -x (see --help)" "$ENTER" -fx 1 /bin/true
	expect_error 125 "hako-enter: invalid option: --bogus (see --help)" "$ENTER" --bogus 1 /bin/true
	expect_error 125 "hako-enter: option requires an argument: -e (see --help)" "$ENTER" -e
	expect_error 125 "hako-enter: option requires an argument: --user (see --help)" "$ENTER" --user
	# hako-run's own options are not hako-enter's
	expect_error 125 "hako-enter: invalid option: -W (see --help)" "$ENTER" -W 1 /bin/true
}

@test "hako-enter: bad pids -> 125" {
	local p
	start_box
	for p in abc self 1/../1 '' 0 5x +5 ' 5' 99999999999999999999; do
		expect_error 125 "hako-enter: invalid PID: $p" "$ENTER" "$p" /bin/echo ran
		expect_error 125 "hako-enter: invalid PID: $p" "$ENTER" -f "$p" /bin/echo ran
	done
	expect_error 125 "hako-enter: invalid option: -5 (see --help)" "$ENTER" -5 /bin/echo ran
	# a pid that does not exist (any more)
	/bin/true &
	p=$!
	wait "$p"
	expect_error 125 "hako-enter: cannot open process $p: No such process" "$ENTER" "$p" /bin/echo ran
	expect_error 125 "hako-enter: cannot open process $p: No such process" "$ENTER" -f "$p" /bin/echo ran
}

# closed_stderr CMD...: CMD's status when its stderr is a pipe whose
# reader is already gone and SIGPIPE is ignored (python ignores it, and
# restore_signals=False leaves it so for CMD).
closed_stderr() {
	python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
print(subprocess.call(sys.argv[1:], stderr=w, restore_signals=False))' "$@"
}

@test "hako-enter: an error is 125 even for a caller that ignores SIGPIPE and closed stderr" {
	# The caller's dispositions hold until hako-enter is inside: a write
	# to a closed pipe then fails instead of killing it (141).
	local p
	/bin/true &
	p=$!
	wait "$p"
	run closed_stderr "$ENTER" "$p" /bin/true
	[ "$status" -eq 0 ]
	[ "$output" = 125 ]
	run closed_stderr "$ENTER" -f "$p" /bin/true
	[ "$status" -eq 0 ]
	[ "$output" = 125 ]
}

@test "hako-enter: a sandbox that has ended cannot be entered" {
	start_box
	kill -TERM "$SUP"
	gone "$SUP"
	gone "$BOX"
	wait "$SUP" || true
	local box=$BOX
	KEEP=
	expect_error 125 "hako-enter: cannot open process $box: No such process" "$ENTER" "$box" /bin/echo ran
}

# --- joining -------------------------------------------------------------

@test "hako-enter: sees the sandbox's files and hostname, cwd /, empty environment" {
	start_box
	run --separate-stderr env HAKO_CALLER=leak "$ENTER" "$BOX" /bin/sh -c \
		'cat /etc/marker; hostname; pwd; cat /ready; ls /.hako'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'sandbox-file\ninside-box\n/\nok\ninit')" ]
	[ "$stderr" = "" ]
	run env HAKO_CALLER=leak "$ENTER" "$BOX" /bin/env
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$(hostname)" != "inside-box" ]
}

@test "hako-enter: without --fork it joins every namespace but the pid namespace" {
	local e n box_ns self_ns got
	start_box
	"$ENTER" "$BOX" sleep 100 </dev/null >/dev/null 2>"$TMP/enter.err" 3>&- &
	e=$!
	track "$e"
	running_as "$e" sleep
	# the command is hako-enter itself, exec'd: not a child, not pid 1
	got=$(ns_links "$e")
	box_ns=$(ns_links "$BOX")
	self_ns=$(ns_links self)
	for n in mnt uts ipc net cgroup; do
		echo "$n: enter=$(echo "$got" | grep "^$n ") box=$(echo "$box_ns" | grep "^$n ")"
		[ "$(echo "$got" | grep "^$n ")" = "$(echo "$box_ns" | grep "^$n ")" ]
	done
	[ "$(echo "$got" | grep "^pid ")" = "$(echo "$self_ns" | grep "^pid ")" ]
	[ "$(echo "$got" | grep "^user ")" = "$(echo "$self_ns" | grep "^user ")" ]
	[ "$(awk '/^NSpid:/ { print NF }' "/proc/$e/status")" = "2" ]
	# root and working directory are the sandbox's /
	[ "$(cat "/proc/$e/root/etc/marker")" = "sandbox-file" ]
	[ "$(cat "/proc/$e/cwd/etc/marker")" = "sandbox-file" ]
	[ "$(cat "/proc/$e/root/ready")" = "ok" ]
	run "$ENTER" "$BOX" /bin/sh -c 'echo $$'
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx '[0-9]*'
	[ "$output" -gt 1 ]
}

@test "hako-enter: namespaces shared with the caller are not an error; a process in all of them is refused" {
	start_box -N
	run "$ENTER" -f "$BOX" /bin/sh -c 'readlink /proc/self/ns/net; hostname'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\ninside-box' "$(readlink /proc/self/ns/net)")" ]
	# a process in all of our namespaces is in no sandbox
	expect_error 125 "hako-enter: process $BASHPID is not in a sandbox: it shares hako-enter's mount and pid namespaces" \
		"$ENTER" "$BASHPID" /bin/true
}

@test "hako-enter: --fork runs the command inside the pid namespace" {
	local e c n
	start_box
	run "$ENTER" --fork "$BOX" /bin/sh -c 'echo $$; cut -d" " -f4 /proc/self/stat; tr "\0" " " < /proc/1/cmdline; echo; ls /proc > /tmp/l; grep -c "^[0-9]*$" /tmp/l'
	[ "$status" -eq 0 ]
	echo "$output"
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[0]}" -gt 1 ]
	[ "${lines[0]}" -lt 100 ]
	[ "${lines[1]}" = "${lines[0]}" ]
	[ "${lines[2]}" = "sleep 100 " ]
	# sleep, sh and ls: nothing from the host
	[ "${lines[3]}" = "3" ]
	# from the host: every namespace is the box's
	"$ENTER" -f "$BOX" sleep 100 </dev/null >/dev/null 2>"$TMP/enter.err" 3>&- &
	e=$!
	track "$e"
	c=$(child_of "$e")
	running_as "$c" sleep
	for n in mnt uts ipc net pid cgroup; do
		[ "$(readlink "/proc/$c/ns/$n")" = "$(readlink "/proc/$BOX/ns/$n")" ]
	done
	[ "$(awk '/^NSpid:/ { print NF }' "/proc/$c/status")" = "3" ]
}

@test "hako-enter: exit status: passed on, with --fork 128+N when killed" {
	local s
	start_box
	for s in 0 7 42; do
		run "$ENTER" "$BOX" /bin/sh -c "exit $s"
		[ "$status" -eq "$s" ]
		run "$ENTER" --fork "$BOX" /bin/sh -c "exit $s"
		[ "$status" -eq "$s" ]
	done
	run "$ENTER" -f "$BOX" /bin/sh -c 'kill -9 $$; echo alive'
	[ "$status" -eq 137 ]
	[ "$output" = "" ]
	run "$ENTER" -f "$BOX" /bin/sh -c 'kill -TERM $$; echo alive'
	[ "$status" -eq 143 ]
	[ "$output" = "" ]
	assert_clean
}

@test "hako-enter --fork: SIGINT, SIGTERM, SIGHUP, SIGQUIT to the parent reach a command that does not catch them: it dies of them, 128+N" {
	# It exits with 128+N itself (a parent that died of the signal would
	# show as killed, -N), and the command is gone.
	start_box
	run python3 - "$ENTER" "$BOX" <<-'EOF'
		import os, signal, subprocess, sys, time
		enter, box = sys.argv[1:]
		for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1):
		    p = subprocess.Popen([enter, "-f", box, "sleep", "100"],
		                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
		    child = None
		    for _ in range(400):
		        try:
		            kids = open("/proc/%d/task/%d/children" % (p.pid, p.pid)).read().split()
		            if kids and open("/proc/%s/comm" % kids[0]).read().strip() == "sleep":
		                child = kids[0]
		                break
		        except OSError:
		            pass
		        time.sleep(0.01)
		    p.send_signal(sig)
		    rc = p.wait()
		    alive = child is not None and os.path.exists("/proc/" + child) and \
		        open("/proc/%s/stat" % child).read().split(") ")[1][0] != "Z"
		    print(sig.name, child is not None, rc, "alive" if alive else "gone")
	EOF
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "SIGINT True 130 gone
SIGTERM True 143 gone
SIGHUP True 129 gone
SIGQUIT True 131 gone
SIGUSR1 True 138 gone" ]
	[ "$(cat "/proc/$BOX/comm")" = "sleep" ]
}

# signals_to_enter: a python3 script, run with hako-enter and the box: it
# starts `hako-enter -f BOX sh -c SCRIPT` (no terminal anywhere), waits for
# "ready", then for each step either sends a signal to hako-enter and
# waits for the line the command prints for it, or writes a line to its
# input; prints the command's output and hako-enter's status.
SIGNALS_TO_ENTER='
import signal, subprocess, sys
enter, box, script = sys.argv[1:4]
p = subprocess.Popen([enter, "-f", box, "/bin/sh", "-c", script], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
def line():
    l = p.stdout.readline().decode()
    sys.stdout.write(l)
    return l
assert line() == "ready\n"
for step in sys.argv[4:]:
    if step.startswith("SIG"):
        p.send_signal(getattr(signal, step.split(":")[0]))
        if ":" in step:
            assert line() == step.split(":")[1] + "\n"
    else:
        p.stdin.write(step.encode() + b"\n")
        p.stdin.flush()
sys.stdout.write(p.stdout.read().decode())
print("status", p.wait())
'

@test "hako-enter --fork: a signal to the parent reaches a command that catches it, once; the command decides how it ends" {
	start_box
	# TERM trapped, then exit 7: 7, and the trap ran
	run python3 -c "$SIGNALS_TO_ENTER" "$ENTER" "$BOX" \
		'trap "echo trapped TERM; exit 7" TERM; echo ready; until read -r l; do :; done' SIGTERM
	[ "$status" -eq 0 ]
	[ "$output" = $'ready\ntrapped TERM\nstatus 7' ]
	# USR1, HUP, INT, ALRM, USR2 caught and the command goes on; WINCH,
	# URG and CONT, which it ignores, change nothing: hako-enter waits
	# until the command ends by itself
	run python3 -c "$SIGNALS_TO_ENTER" "$ENTER" "$BOX" \
		'for s in USR1 HUP INT ALRM USR2; do trap "echo got $s" $s; done; echo ready; until read -r l; do :; done; echo "read $l"; exit 3' \
		SIGUSR1:'got USR1' SIGHUP:'got HUP' SIGWINCH SIGURG SIGCONT SIGINT:'got INT' SIGALRM:'got ALRM' SIGUSR2:'got USR2' line
	[ "$status" -eq 0 ]
	[ "$output" = $'ready\ngot USR1\ngot HUP\ngot INT\ngot ALRM\ngot USR2\nread line\nstatus 3' ]
	assert_clean
}

@test "hako-enter --fork: SIGTSTP to the parent stops the command and then the parent; SIGCONT continues both" {
	local e c rc
	start_box
	# In a process group of its own (as a shell's job), whose stop the
	# kernel does not discard.
	set -m
	"$ENTER" -f "$BOX" sleep 100 </dev/null >/dev/null 2>&1 &
	e=$!
	set +m
	track "$e"
	c=$(child_of "$e")
	running_as "$c" sleep
	kill -TSTP "$e"
	state_is "$e" T
	state_is "$c" T
	kill -CONT "$e"
	state_is "$e" S
	state_is "$c" S
	kill -TERM "$e"
	rc=0
	wait "$e" || rc=$?
	[ "$rc" -eq 143 ]
	# A job no shell controls (an orphaned process group: here a session
	# of its own) is not stopped by SIGTSTP, so neither is the command: a
	# real-time signal sent after it (and so taken after it) is caught.
	# (No sleep: an orphan would stay a zombie under the box's pid 1.)
	setsid "$ENTER" -f "$BOX" /bin/sh -c 'trap "echo got 34; exit 5" 34; echo ready; while :; do :; done' \
		</dev/null >"$TMP/orphan.out" 2>&1 &
	e=$!
	track "$e"
	wait_for "$TMP/orphan.out"
	kill -TSTP "$e"
	kill -34 "$e"
	wait_grep "$TMP/orphan.out" "got 34"
	rc=0
	wait "$e" || rc=$?
	[ "$(cat "$TMP/orphan.out")" = $'ready\ngot 34' ]
	[ "$rc" -eq 5 ]
	assert_clean
}

@test "hako-enter --fork: a command that exits at once is always seen to end, 200 times in a row" {
	# Its SIGCHLD may come before the parent waits: it must not be lost.
	start_box
	run bash -c 'for i in $(seq 200); do timeout 10 "$1" --fork "$2" /bin/true || echo "run $i: $?"; done' _ "$ENTER" "$BOX"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "hako-enter: the default command is /bin/sh" {
	start_box
	run bash -c 'echo "cat /etc/marker; hostname" | "$1" "$2"' _ "$ENTER" "$BOX"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'sandbox-file\ninside-box')" ]
	run bash -c 'echo "echo \$\$ > /tmp/x; cat /tmp/x; exit 5" | "$1" -f "$2"' _ "$ENTER" "$BOX"
	[ "$status" -eq 5 ]
	[ "$output" -gt 1 ]
}

@test "hako-enter: words after the pid are the command, verbatim; --" {
	start_box
	run bash -c '"$1" "$2" /bin/echo -n x; echo END' _ "$ENTER" "$BOX"
	[ "$status" -eq 0 ]
	[ "$output" = "xEND" ]
	run "$ENTER" -- "$BOX" /bin/echo -- -f -e x
	[ "$status" -eq 0 ]
	[ "$output" = "-- -f -e x" ]
	expect_error 127 "hako-enter: cannot execute -f: No such file or directory" "$ENTER" "$BOX" -f
}

@test "hako-enter: commands are looked up in the sandbox; 126 and 127" {
	start_box
	printf '#!/bin/sh\necho sandbox-bin\n' > "$SB/bin/hako-probe"
	chmod 755 "$SB/bin/hako-probe"
	mkdir "$SB/custom"
	printf '#!/bin/sh\necho sandbox-custom\n' > "$SB/custom/hako-probe"
	chmod 755 "$SB/custom/hako-probe"
	run "$ENTER" "$BOX" hako-probe
	[ "$status" -eq 0 ]
	[ "$output" = "sandbox-bin" ]
	run "$ENTER" -e PATH=/custom "$BOX" hako-probe
	[ "$status" -eq 0 ]
	[ "$output" = "sandbox-custom" ]
	printf '#!/bin/sh\necho ran\n' > "$SB/bin/noexec"
	chmod 644 "$SB/bin/noexec"
	expect_error 126 "hako-enter: cannot execute /bin/noexec: Permission denied" "$ENTER" "$BOX" /bin/noexec
	expect_error 126 "hako-enter: cannot execute /bin/noexec: Permission denied" "$ENTER" -f "$BOX" /bin/noexec
	expect_error 127 "hako-enter: cannot execute /bin/missing: No such file or directory" "$ENTER" "$BOX" /bin/missing
	expect_error 127 "hako-enter: cannot execute missing-cmd: No such file or directory" "$ENTER" -f "$BOX" missing-cmd
}

# --- options -----------------------------------------------------------------

@test "hako-enter: -e, -u, -g and -c" {
	require_host_ids
	start_box
	run "$ENTER" -e A=1 -e 'B=x y' -u 65534 -g 1 -c /etc "$BOX" /bin/sh -c 'echo "$A|$B"; id; pwd'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1|x y\nuid=65534 gid=1\n/etc')" ]
	run "$ENTER" --fork --env=A=2 --user=daemon --group=nogroup --chdir=etc "$BOX" /bin/sh -c 'echo "$A"; id; pwd'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '2\nuid=1 gid=65534\n/etc')" ]
	run "$ENTER" -fe A=3 "$BOX" /bin/sh -c 'echo "$A"'
	[ "$status" -eq 0 ]
	[ "$output" = "3" ]
	run "$ENTER" -e A=1 -e B=2 "$BOX" /bin/env
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'A=1\nB=2')" ]
	run "$ENTER" -c /tmp "$BOX" /bin/pwd
	[ "$status" -eq 0 ]
	[ "$output" = "/tmp" ]
	expect_error 125 "hako-enter: cannot change directory to /nodir: No such file or directory" \
		"$ENTER" -c /nodir "$BOX" /bin/echo ran
	expect_error 125 "hako-enter: cannot change directory to /nodir: No such file or directory" \
		"$ENTER" -f -c /nodir "$BOX" /bin/echo ran
	expect_error 125 "hako-enter: invalid environment variable (want NAME=VALUE): FOO" \
		"$ENTER" -e FOO "$BOX" /bin/echo ran
}

@test "hako-enter: -u takes the primary group; groups cleared; no_new_privs" {
	require_host_ids
	start_box
	run "$ENTER" -u nobody "$BOX" /bin/id
	[ "$status" -eq 0 ]
	[ "$output" = "uid=65534 gid=65534" ]
	run setpriv --groups 4,20 -- "$ENTER" -f -u daemon "$BOX" /bin/sh -c 'id; grep -E "^(Groups|NoNewPrivs):" /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'uid=1 gid=1\nGroups:\t \nNoNewPrivs:\t1')" ]
	run "$ENTER" -f "$BOX" /bin/grep NoNewPrivs: /proc/self/status
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'NoNewPrivs:\t1')" ]
	run "$ENTER" -g 5 "$BOX" /bin/id
	[ "$status" -eq 0 ]
	[ "$output" = "uid=0 gid=5" ]
}

@test "hako-enter: bad users and groups -> 125" {
	local v
	start_box
	for v in '' 4294967295 4294967296 -1 1x 123456789012345678901234567890 no-such-user-hk; do
		expect_error 125 "hako-enter: invalid user: $v" "$ENTER" -u "$v" "$BOX" /bin/echo ran
		expect_error 125 "hako-enter: invalid user: $v" "$ENTER" -f --user="$v" "$BOX" /bin/echo ran
	done
	for v in '' 4294967295 4294967296 -1 1x 123456789012345678901234567890 no-such-group-hk; do
		expect_error 125 "hako-enter: invalid group: $v" "$ENTER" -g "$v" "$BOX" /bin/echo ran
		expect_error 125 "hako-enter: invalid group: $v" "$ENTER" -f --group="$v" "$BOX" /bin/echo ran
	done
}

@test "hako-enter: --keep-fd lets a descriptor through, the others are closed" {
	local e c
	start_box
	[ ! -e "/proc/$BASHPID/fd/57" ]
	expect_error 125 "hako-enter: invalid descriptor to keep: 2 (it must be 3 or more: 0, 1 and 2 are always passed)" "$ENTER" -k 2 "$BOX" /bin/true
	expect_error 125 "hako-enter: invalid descriptor to keep: abc" "$ENTER" -k abc "$BOX" /bin/true
	expect_error 125 "hako-enter: invalid descriptor to keep: 57: Bad file descriptor" \
		"$ENTER" -k 57 "$BOX" /bin/true
	echo kept-content > "$TMP/kept"
	exec 8< "$TMP/kept" 9< "$TMP/kept"
	run "$ENTER" -k 8 "$BOX" /bin/sh -c 'cat <&8'
	[ "$status" -eq 0 ]
	[ "$output" = "kept-content" ]
	run "$ENTER" -f --keep-fd=9 "$BOX" /bin/sh -c 'cat <&9'
	[ "$status" -eq 0 ]
	[ "$output" = "kept-content" ]
	"$ENTER" "$BOX" sleep 100 </dev/null >/dev/null 2>&1 &
	e=$!
	track "$e"
	running_as "$e" sleep
	[ "$(ls "/proc/$e/fd" | sort -n | tr '\n' ' ')" = "0 1 2 " ]
	"$ENTER" -f -k 9 "$BOX" sleep 100 </dev/null >/dev/null 2>&1 &
	e=$!
	track "$e"
	exec 8<&- 9<&-
	c=$(child_of "$e")
	running_as "$c" sleep
	[ "$(ls "/proc/$c/fd" | sort -n | tr '\n' ' ')" = "0 1 2 9 " ]
}

# --- the --fork parent ------------------------------------------------------

@test "hako-enter: the --fork parent drops to -u/-g; kill -9 of it kills the child" {
	local e c
	start_box
	"$ENTER" -f -u 65534 -g 1 "$BOX" sleep 100 </dev/null >/dev/null 2>&1 &
	e=$!
	track "$e"
	c=$(child_of "$e")
	running_as "$c" sleep
	[ "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$e/status")" = "65534 65534 65534 65534" ]
	[ "$(awk '/^Gid:/ { print $2, $3, $4, $5 }' "/proc/$e/status")" = "1 1 1 1" ]
	[ "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$c/status")" = "65534 65534 65534 65534" ]
	kill -KILL "$e"
	gone "$e"
	gone "$c"
	# without -u/-g too
	"$ENTER" -f "$BOX" sleep 100 </dev/null >/dev/null 2>&1 &
	e=$!
	track "$e"
	c=$(child_of "$e")
	running_as "$c" sleep
	kill -KILL "$e"
	gone "$e"
	gone "$c"
	# the box itself is untouched
	[ "$(cat "/proc/$BOX/comm")" = "sleep" ]
}
