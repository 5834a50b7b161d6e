#!/usr/bin/env bats
# Signals and the terminal: once the command runs, hako-run passes signals
# on to the sandbox's pid 1 as the command would get them outside a
# sandbox (Ctrl-C, Ctrl-Z, kill, supervisors); -I puts a minimal init in
# as pid 1. Terminal tests drive a real pseudo-terminal (ptydrive.py).

bats_require_minimum_version 1.5.0
load helper

PROGS="abort sigfd"

setup_file() {
	export PROGS_DIR="$BATS_FILE_TMPDIR/progs"
	# shellcheck disable=SC2086 # a list of names
	build_static progs $PROGS
	# The real interpreter, not a version manager's shim: it starts faster.
	PYTHON=$(python3 -c 'import sys; print(sys.executable)')
	export PYTHON
}

setup() {
	local p
	sandbox_setup
	for p in $PROGS; do
		cp "$PROGS_DIR/$p" "$SB/bin/$p"
	done
	# catcher [SIG[:ACTION]...]: trap each SIG, printing "got SIG" and
	# then running ACTION; "ready" once the traps are set; then loops.
	cat > "$SB/bin/catcher" <<-'EOF2'
		#!/bin/sh
		for a in "$@"; do
			trap "echo got ${a%%:*}; ${a#*:}" "${a%%:*}"
		done
		echo ready
		while :; do sleep 0.05; done  # runs until a signal ends it
	EOF2
	chmod 755 "$SB/bin/catcher"
}

teardown() {
	sandbox_teardown
}

# drive STEP... -- COMMAND...: COMMAND under a pseudo-terminal (ptydrive);
# status and output are COMMAND's, as bats' run would give them, without
# ptydrive's last two lines (a timeout leaves status 99 and all of it).
drive() {
	local text
	run ptydrive "$@"
	echo "ptydrive: status=$status"
	echo "$output"
	[ "$status" -eq 0 ] || return 0
	text=${output%$'\n'mode *}
	status=${text##*status }
	text=${text%status *}
	output=${text%$'\n'}
	mapfile -t lines <<<"$output"
}

# catch_bg [as_user] [hako-run options] -- [catcher args]: a catcher in
# the background (SUP, BOX as start_bg sets them), ready.
catch_bg() {
	local as=() opts=()
	if [ "$1" = as_user ]; then
		as=(as_user)
		shift
	fi
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	start_bg "${as[@]}" "$TMP/pid" "${opts[@]}" "$SB" /bin/catcher "$@"
	wait_grep "$TMP/bg.out" '^ready$'
}

# ended_with STATUS: the supervisor ended with STATUS, the sandbox is gone.
ended_with() {
	local rc=0
	wait "$SUP" || rc=$?
	echo "hako-run: $rc, want $1; output: $(cat "$TMP/bg.out" "$TMP/bg.err")"
	[ "$rc" -eq "$1" ]
	gone "$BOX"
}

# start_job ARGS...: hako-run ARGS as a job, as a shell with job control
# starts one: in a process group of its own, whose parent in the same
# session keeps it from being orphaned (the kernel discards SIGTSTP sent
# to an orphaned group, and the test's own group may well be one). Sets
# SUP; output in $TMP/bg.out; job_status gives the exit status.
start_job() {
	rm -f "$TMP/job.sup" "$TMP/job.rc"
	"$PYTHON" -c '
import os, sys
tmp = sys.argv[1]
os.setsid()
pid = os.fork()
if pid == 0:
    os.setpgid(0, 0)
    out = os.open(tmp + "/bg.out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(os.open("/dev/null", os.O_RDONLY), 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.execv(sys.argv[2], sys.argv[2:])
with open(tmp + "/job.sup", "w") as f:
    f.write("%d\n" % pid)
_, status = os.waitpid(pid, 0)  # stops are not reported: only the end
with open(tmp + "/job.rc", "w") as f:
    f.write("%d\n" % os.waitstatus_to_exitcode(status))
' "$TMP" "$RUN" "$@" &
	track $!
	wait_for "$TMP/job.sup"
	SUP=$(cat "$TMP/job.sup")
	track "$SUP"
}

# job_status STATUS: the job ended with STATUS.
job_status() {
	wait_for "$TMP/job.rc"
	echo "job: $(cat "$TMP/job.rc"), want $1"
	[ "$(cat "$TMP/job.rc")" -eq "$1" ]
}

# bash_i STEP...: an interactive bash under a pseudo-terminal, with a
# plain prompt, driven by STEPs; it ends with `exit`.
bash_i() {
	drive 'match=\$ $' "$@" 'send=exit\n' -- \
		env -i PATH="$PATH" PS1='$ ' TERM=dumb INPUTRC=/dev/null \
		bash --norc --noprofile -i
}

# --- under a terminal ------------------------------------------------------

@test "terminal: Ctrl-C to a command that catches SIGINT runs its handler once a key, the sandbox goes on" {
	drive 'match=ready' 'send=\x03' 'match=caught' 'send=\x03' 'match=caught' \
		'send=x\n' 'match=end x' -- \
		"$RUN" "$SB" /bin/sh -c 'trap "echo caught" INT; echo ready; until read x; do :; done; echo end $x'
	[ "$status" -eq 0 ]
	[ "$(grep -c caught <<<"$output")" -eq 2 ]
	[ "${lines[-1]}" = "end x" ]
	assert_clean
}

@test "terminal: Ctrl-C to cat ends with 130, Ctrl-\\ with 131" {
	# The key once cat runs (it echoes a line typed): the shell before
	# it, as pid 1 with no handler, would not die of it.
	drive 'send=x\n' 'match=x\n(.*\n)?x\n' 'send=\x03' -- \
		"$RUN" "$SB" /bin/sh -c 'exec cat'
	[ "$status" -eq 130 ]
	drive 'send=x\n' 'match=x\n(.*\n)?x\n' 'send=\x1c' -- \
		"$RUN" "$SB" /bin/sh -c 'exec cat'
	[ "$status" -eq 131 ]
	assert_clean
}

@test "terminal: Ctrl-\\ to a command that catches SIGQUIT reaches its handler once, the sandbox goes on" {
	drive 'match=ready' 'send=\x1c' 'match=caught' 'send=x\n' 'match=end x' -- \
		"$RUN" "$SB" /bin/sh -c 'trap "echo caught" QUIT; echo ready; until read x; do :; done; echo end $x'
	[ "$status" -eq 0 ]
	[ "$(grep -c caught <<<"$output")" -eq 1 ]
	assert_clean
}

@test "terminal: Ctrl-Z under an interactive bash stops the job, pid 1 in state T; fg resumes it; Ctrl-C then gives 130" {
	bash_i "send=$RUN -p $TMP/pid $SB /bin/sh -c 'echo re\"\"ady; exec cat'\n" \
		'match=ready' 'send=hello\n' 'match=hello\n(.*\n)?hello' \
		'send=\x1a' 'match=\[1\]\+ +Stopped' \
		'send=jobs -l\n' 'match=\[1\]\+ +[0-9]+ Stopped' \
		"send=sed -n 's/.*) \\\\(.\\\\).*/pid1=\\\\1/p' /proc/\$(cat $TMP/pid)/stat\n" \
		'match=pid1=T' \
		'send=fg\n' 'match=fg\n[^\n]*exec cat' 'send=again\n' 'match=again\n(.*\n)?again' \
		'send=\x03' 'match=\$ $' 'send=echo "status=$?"\n' 'match=status=130'
	[ "$status" -eq 0 ]
	assert_clean
}

@test "terminal: Ctrl-Z, bg and fg with -I: the command stops and goes on as outside a sandbox; Ctrl-C gives 130" {
	bash_i "send=$RUN -I -p $TMP/pid $SB /bin/sh -c 'echo re\"\"ady; exec cat'\n" \
		'match=ready' 'send=\x1a' 'match=\[1\]\+ +Stopped' \
		'send=fg\n' 'match=fg\n[^\n]*exec cat' 'send=again\n' 'match=again\n(.*\n)?again' \
		'send=\x03' 'match=\$ $' 'send=echo "status=$?"\n' 'match=status=130'
	[ "$status" -eq 0 ]
	assert_clean
}

@test "terminal: with -I, Ctrl-C to a command that catches it runs the handler once; to cat, 130" {
	drive 'match=ready' 'send=\x03' 'match=caught' 'send=x\n' 'match=end x' -- \
		"$RUN" -I "$SB" /bin/sh -c 'trap "echo caught" INT; echo ready; until read x; do :; done; echo end $x'
	[ "$status" -eq 0 ]
	[ "$(grep -c caught <<<"$output")" -eq 1 ]
	drive 'match=ready' 'send=\x03' -- \
		"$RUN" -I "$SB" /bin/sh -c 'echo ready; exec cat'
	[ "$status" -eq 130 ]
	assert_clean
}

# --- kill --------------------------------------------------------------------

@test "kill -TERM: a command that traps it and exits 7 gives 7, the trap ran" {
	catch_bg -- 'TERM:exit 7'
	kill -TERM "$SUP"
	ended_with 7
	[ "$(cat "$TMP/bg.out")" = $'ready\ngot TERM' ]
	assert_clean
}

@test "kill -TERM: a command that does not trap it: 143" {
	catch_bg -- 'USR1:'
	kill -TERM "$SUP"
	ended_with 143
	assert_clean
}

@test "kill -TERM: a command that traps it and goes on keeps hako-run waiting; kill -9 of hako-run leaves nothing" {
	catch_bg -- 'TERM:'
	kill -TERM "$SUP"
	wait_grep "$TMP/bg.out" '^got TERM$'
	kill -HUP "$SUP" # no trap: ends the sandbox as before, 129
	ended_with 129
	[ "$(cat "$TMP/bg.out")" = $'ready\ngot TERM' ]
	catch_bg -- 'TERM:'
	kill -TERM "$SUP"
	wait_grep "$TMP/bg.out" '^got TERM$'
	kill -0 "$SUP"
	[ "$(proc_state "$BOX")" != Z ]
	kill -KILL "$SUP"
	gone "$SUP"
	gone "$BOX"
	assert_clean
}

@test "kill: INT, QUIT and HUP reach a command that traps them, each once" {
	local sig
	catch_bg -- INT: QUIT: HUP: 'TERM:exit 3'
	for sig in INT QUIT HUP; do
		kill -"$sig" "$SUP"
		wait_grep "$TMP/bg.out" "^got $sig\$"
	done
	kill -TERM "$SUP"
	ended_with 3
	[ "$(cat "$TMP/bg.out")" = $'ready\ngot INT\ngot QUIT\ngot HUP\ngot TERM' ]
}

@test "kill: USR1, USR2, HUP, ALRM, WINCH reach a command that catches them" {
	local sig
	catch_bg -- USR1: USR2: HUP: ALRM: WINCH: 'TERM:exit 5'
	for sig in USR1 USR2 HUP ALRM WINCH; do
		kill -"$sig" "$SUP"
		wait_grep "$TMP/bg.out" "^got $sig\$"
	done
	kill -TERM "$SUP"
	ended_with 5
	[ "$(cat "$TMP/bg.out")" = $'ready\ngot USR1\ngot USR2\ngot HUP\ngot ALRM\ngot WINCH\ngot TERM' ]
}

@test "kill: other signals to a command that does not catch them end neither hako-run nor the sandbox" {
	local sig
	catch_bg -- 'TERM:exit 4'
	for sig in USR1 USR2 ALRM WINCH PIPE CONT URG VTALRM PROF IO SYS TRAP RTMIN RTMAX 32 33; do
		kill -"$sig" "$SUP"
	done
	# They are taken in order; TERM comes after them all.
	kill -TERM "$SUP"
	ended_with 4
	[ "$(cat "$TMP/bg.out")" = $'ready\ngot TERM' ]
}

@test "kill: a command that blocks SIGTERM and reads it from a signalfd gets it (no handler needed)" {
	start_bg "$TMP/pid" "$SB" /bin/sigfd
	wait_grep "$TMP/bg.out" '^ready$'
	kill -HUP "$SUP"
	wait_grep "$TMP/bg.out" '^got 1$'
	kill -TERM "$SUP"
	ended_with 7
	[ "$(cat "$TMP/bg.out")" = $'ready\ngot 1\ngot 15' ]
}

@test "kill: during setup, signals other than the four wait for the start: USR1 does not end hako-run, TSTP stops the command once it runs" {
	local rc
	# init waits for a file that the test makes once the signals are sent.
	write_init "$SB" "mount -t proc proc proc && mount -t tmpfs tmpfs tmp
		echo x > '$TMP/in-init'
		while [ ! -e '$TMP/go' ]; do sleep 0.02; done"
	start_job -p "$TMP/pid" "$SB" /bin/catcher 'TERM:exit 6'
	wait_for "$TMP/in-init"
	kill -USR1 "$SUP"
	kill -TSTP "$SUP"
	touch "$TMP/go"
	wait_for "$TMP/pid"
	BOX=$(cat "$TMP/pid")
	state_is "$BOX" T
	state_is "$SUP" T
	kill -CONT "$SUP"
	wait_grep "$TMP/bg.out" '^ready$'
	kill -TERM "$SUP"
	job_status 6
	gone "$BOX"
	[ "$(cat "$TMP/bg.out")" = $'ready\ngot TERM' ]
	# The four end it during setup, as before: 143 and nothing ran.
	rm "$TMP/go" "$TMP/in-init" "$TMP/pid"
	"$RUN" "$SB" /bin/catcher 'TERM:exit 6' </dev/null >"$TMP/bg.out" 2>&1 &
	SUP=$!
	track "$SUP"
	wait_for "$TMP/in-init"
	kill -TERM "$SUP"
	rc=0
	wait "$SUP" || rc=$?
	[ "$rc" -eq 143 ]
	[ ! -s "$TMP/bg.out" ]
	assert_clean
}

@test "kill -TSTP, -TTIN, -TTOU stop pid 1 and hako-run; kill -CONT continues both" {
	local sig
	for sig in TSTP TTIN TTOU; do
		rm -f "$TMP/pid"
		start_job -p "$TMP/pid" "$SB" /bin/catcher 'TERM:exit 2'
		wait_for "$TMP/pid"
		BOX=$(cat "$TMP/pid")
		wait_grep "$TMP/bg.out" '^ready$'
		kill -"$sig" "$SUP"
		state_is "$BOX" T
		state_is "$SUP" T
		kill -CONT "$SUP"
		state_is "$SUP" S
		[ "$(proc_state "$BOX")" != T ]
		kill -TERM "$SUP"
		job_status 2
		gone "$BOX"
	done
	assert_clean
}

@test "kill -TSTP in an orphaned process group stops nothing, as the kernel does for any process there" {
	# setsid: hako-run leads a session and group whose parent is outside.
	setsid "$RUN" -p "$TMP/pid" "$SB" /bin/catcher 'TERM:exit 2' USR1: </dev/null >"$TMP/bg.out" 2>&1 &
	SUP=$!
	track "$SUP"
	wait_for "$TMP/pid"
	BOX=$(cat "$TMP/pid")
	wait_grep "$TMP/bg.out" '^ready$'
	# Control: a plain process in such a group ignores SIGTSTP too.
	setsid sleep 100 </dev/null &
	track $!
	running_as $! sleep
	kill -TSTP $!
	kill -TSTP "$SUP"
	# hako-run deals with a stop signal before any other: once pid 1
	# has USR1, it was stopped and continued, as hako-run could not stop.
	kill -USR1 "$SUP"
	wait_grep "$TMP/bg.out" '^got USR1$'
	state_is "$SUP" S
	[ "$(proc_state "$BOX")" != T ]
	[ "$(proc_state "$!")" = S ]
	kill -TERM "$SUP"
	ended_with 2
	kill -KILL $!
	assert_clean
}

@test "kill: with -u/-g, signals reach a pid 1 that runs as that user, and with -g only, as root" {
	local opts
	for opts in "-u 65534 -g 65534" "-g 65534"; do
		rm -f "$TMP/pid"
		# shellcheck disable=SC2086
		catch_bg $opts -- USR1: 'TERM:exit 9'
		grep -E '^Uid:' "/proc/$BOX/status"
		if [ "$opts" = "-g 65534" ]; then
			grep -qE '^Uid:\s+0\s' "/proc/$BOX/status"
		else
			grep -qE '^Uid:\s+65534\s' "/proc/$BOX/status"
			grep -qE '^Uid:\s+65534\s' "/proc/$SUP/status"
		fi
		kill -USR1 "$SUP"
		wait_grep "$TMP/bg.out" '^got USR1$'
		kill -TERM "$SUP"
		ended_with 9
	done
	assert_clean
}

@test "kill: rootless (as an ordinary user) and -U, signals behave the same" {
	require_unpriv_userns
	local mode
	chown -R $UNPRIV:$UNPRIV "$TMP"
	chmod 755 "$TMP"
	for mode in as_user -U "as_user -u 1000 -g 1000"; do
		rm -f "$TMP/pid"
		# shellcheck disable=SC2086 # the words of a mode
		catch_bg $mode -- USR1: 'TERM:exit 8'
		kill -USR1 "$SUP"
		wait_grep "$TMP/bg.out" '^got USR1$'
		kill -TERM "$SUP"
		ended_with 8
		# Not caught: 129, as before.
		rm -f "$TMP/pid"
		start_bg as_user "$TMP/pid" "$SB" /bin/sleep 100
		running_as "$BOX" sleep
		kill -HUP "$SUP"
		ended_with 129
	done
	# -I as an ordinary user
	run as_user "$RUN" -I "$SB" /bin/sh -c 'kill -TERM $$; echo alive'
	[ "$status" -eq 143 ]
	[ "$output" = "" ]
	assert_clean
}

# --- -I, --init ----------------------------------------------------------------

@test "-I: a command that signals itself dies of it: kill -TERM \$\$ gives 143, abort() 134 (without -I: 0 and 134)" {
	run "$RUN" -I "$SB" /bin/sh -c 'kill -TERM $$; echo alive'
	[ "$status" -eq 143 ]
	[ "$output" = "" ]
	run "$RUN" -I "$SB" /bin/abort
	[ "$status" -eq 134 ]
	# Control: as pid 1, the signal it sends itself is dropped.
	run "$RUN" "$SB" /bin/sh -c 'kill -TERM $$; echo alive'
	[ "$status" -eq 0 ]
	[ "$output" = "alive" ]
	run "$RUN" -I "$SB" /bin/sh -c 'exit 42'
	[ "$status" -eq 42 ]
	assert_clean
}

@test "-I: the command is pid 2; pid 1 is hako's init with its identity, no descriptors, not dumpable" {
	# Pid 2 even after an init that started processes of its own.
	write_init "$SB" 'mount -t proc proc proc && mount -t tmpfs tmpfs tmp
for i in 1 2 3; do /bin/true; done; sleep 100 &'
	run "$RUN" -I "$SB" /bin/sh -c 'echo $$; cat /proc/1/comm'
	[ "$status" -eq 0 ]
	[ "$output" = $'2\nhako-run' ]
	chmod 755 "$TMP"
	run "$RUN" -I -U "$SB" /bin/sh -c 'echo $$'
	[ "$output" = 2 ]
	run "$RUN" -I -u 65534 "$SB" /bin/sh -c 'echo $$'
	[ "$output" = 2 ]
	run "$RUN" "$SB" /bin/sh -c 'echo $$'
	[ "$output" = 1 ]
	start_bg "$TMP/pid" -I -u 65534 -g 65534 "$SB" sleep 100
	running_as "$(cat "/proc/$BOX/task/$BOX/children" | cut -d' ' -f1)" sleep
	grep -qE '^Uid:\s+65534\s+65534\s+65534\s+65534$' "/proc/$BOX/status"
	grep -qE '^NoNewPrivs:\s+1$' "/proc/$BOX/status"
	grep -qE '^Seccomp:\s+2$' "/proc/$BOX/status"
	# Not dumpable: its /proc files belong to root, not to its user.
	[ "$(stat -c %u "/proc/$BOX/status")" -eq 0 ]
	[ "$(ls "/proc/$BOX/fd" | wc -l)" -eq 0 ]
	kill -TERM "$SUP"
	ended_with 143
	assert_clean
}

@test "-I: a failing command is reported as without it (127, 126, 125 for a bad directory)" {
	expect_error 127 "hako-run: cannot execute /bin/missing: No such file or directory" \
		"$RUN" -I "$SB" /bin/missing
	expect_error 126 "hako-run: cannot execute /etc: Permission denied" \
		"$RUN" -I "$SB" /etc
	expect_error 125 "hako-run: cannot change directory to /nowhere: No such file or directory" \
		"$RUN" -I -c /nowhere "$SB" /bin/true
}

# orphans50 [-I]: a sandbox whose command leaves 50 orphans waiting for
# /tmp/go, then becomes a sleep that never reaps; the test makes /tmp/go
# (through the sandbox's root) and prints "COUNT STATE" of pid 1's children
# once they have settled as expected ($1 = what to wait for).
orphans50() {
	local want=$1
	shift
	# busybox sh gives a background job /dev/null: a plain file will do.
	mkdir -p "$SB/dev"
	: > "$SB/dev/null"
	start_bg "$TMP/pid" "$@" "$SB" /bin/sh -c 'for i in $(seq 50); do
		sh -c "(until [ -e /tmp/go ]; do sleep 0.02; done) &"
	done; exec sleep 100'
	running_as "$BOX" "$([ "$1" = -I ] && echo hako-run || echo sleep)"
	wait_until waiting_orphans "$BOX"
	echo x > "/proc/$BOX/root/tmp/go"
	wait_until children_are "$BOX" "$want" || { echo "children of pid 1: $(children "$BOX")"; return 1; }
}

# children PID: "COUNT STATE COMM" of PID's children, comma-separated.
children() {
	ps -o state=,comm= --ppid "$1" | sort | uniq -c | awk '{$1=$1; print}' | paste -sd,
}

children_are() {
	[ "$(children "$1")" = "$2" ]
}

# waiting_orphans PID: PID has all 50 of orphans50's shells as children.
waiting_orphans() {
	[ "$(ps -o comm= --ppid "$1" | grep -c '^sh$')" -ge 50 ]
}

@test "-I: 50 orphans that exit leave no zombie (without -I they stay zombies of pid 1)" {
	orphans50 "1 S sleep" -I
	kill -TERM "$SUP"
	ended_with 143
	# Control: the command as pid 1 (sleep) never reaps them.
	rm -f "$TMP/pid"
	orphans50 "50 Z sh"
	kill -TERM "$SUP"
	ended_with 143
	assert_clean
}

@test "-I: kill -TERM to hako-run: no trap 143, a trap that exits 7 gives 7; USR1 reaches the command, not caught it ends it (138)" {
	catch_bg -I -- 'TERM:exit 7' USR2:
	kill -USR2 "$SUP"
	wait_grep "$TMP/bg.out" '^got USR2$'
	kill -TERM "$SUP"
	ended_with 7
	rm -f "$TMP/pid"
	catch_bg -I -- USR2:
	kill -TERM "$SUP"
	ended_with 143
	rm -f "$TMP/pid"
	catch_bg -I -- USR2:
	kill -USR1 "$SUP"
	ended_with 138
	assert_clean
}

@test "-I: kill -9 of hako-run leaves nothing, also when the command changes its own ids" {
	start_bg "$TMP/pid" -I "$SB" /bin/sh -c 'sleep 100 & sleep 100'
	kill -KILL "$SUP"
	gone "$SUP"
	gone "$BOX"
	assert_clean
}

@test "-I: bad input: --init takes no value, -I bundles with other options" {
	expect_error 125 "hako-run: invalid option: --init=x (see --help)" \
		"$RUN" --init=x "$SB" /bin/true
	expect_error 125 "hako-run: invalid option: -x (see --help)" \
		"$RUN" -Ix "$SB" /bin/true
	run "$RUN" -IW "$SB" /bin/sh -c 'touch /w && echo ok'
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	run "$RUN" --in "$SB" /bin/sh -c 'echo $$'
	[ "$status" -eq 0 ]
	[ "$output" != 1 ]
}

# --- storm ---------------------------------------------------------------------

# HAKO_STORM_RUNS (default 500): fewer under the sanitizers in CI.
@test "storm: random catchable signals at random moments (500 runs by default), half with -u: no hang, allowed statuses, nothing left" {
	local seed=$RANDOM runs=${HAKO_STORM_RUNS:-500}
	run timeout 300 "$PYTHON" "$BATS_TEST_DIRNAME/storm.py" "$RUN" "$SB" "$runs" "$seed"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" == "$runs runs, 0 bad, "* ]]
	assert_clean
}
