#!/usr/bin/env bats
# hako-enter --fork on a terminal: the command gets a pseudo-terminal of
# its own, which hako-enter relays, and no process of the sandbox ever
# holds a descriptor of the caller's terminal. Driven by a user typing at
# a real pseudo-terminal (tests/ptydrive.py).

bats_require_minimum_version 1.5.0
load helper

setup_file() {
	export STEAL="$BATS_FILE_TMPDIR/attack/ttysteal"
	export FLOOD="$BATS_FILE_TMPDIR/attack/flood"
	build_static attack ttysteal flood
}

setup() {
	sandbox_setup
	cp "$STEAL" "$SB/bin/ttysteal"
	cp "$FLOOD" "$SB/bin/flood"
	start_sandbox
	running_as "$PID" sleep
	ROOT=/proc/$PID/root
}

teardown() {
	sandbox_teardown
}

# The entered command, as a user's shell would be: a process (a child, so
# that it is in the sandbox's pid namespace also without --fork) that
# publishes its pid and waits until the attacker has its descriptor.
VICTIM='/bin/sh -c "echo \$\$ > /tmp/victim.pid; i=0; until [ -e /tmp/grabbed ] || [ \$i -ge 200 ]; do sleep 0.05; i=\$((i+1)); done; echo entered"; :'

# steal HOW ENTER...: a process of the sandbox (ttysteal, HOW: pidfd or
# proc) takes fd 0 of the command that ENTER runs from an interactive
# caller; once ENTER has returned, the user types a secret line and then
# another. The caller reads one line after the attacker has given up or
# read one. Leaves the attacker's verdict in VERDICT and what the caller
# read in READ.
steal() {
	local how=$1
	shift
	"$ENTER" -f "$PID" /bin/ttysteal /tmp/victim.pid /tmp/verdict "$how" \
		</dev/null >"$TMP/steal.log" 2>&1 &
	track $!
	cat > "$TMP/caller" <<-'CALLER'
		root=$1 out=$2
		shift 2
		"$@"
		echo "returned: $?"
		for _ in $(seq 200); do [ -s "$root/tmp/verdict" ] && break; sleep 0.05; done
		IFS= read -r line
		echo "$line" > "$out"
	CALLER
	run ptydrive expect='returned: 0' send='secret\n' file="$ROOT/tmp/verdict" \
		send='after\n' -- bash "$TMP/caller" "$ROOT" "$TMP/read" "$@" "$PID" /bin/sh -c "$VICTIM"
	ended_well
	VERDICT=$(cat "$ROOT/tmp/verdict")
	READ=$(cat "$TMP/read")
	echo "verdict: $VERDICT; the caller read: $READ"
	rm -f "$ROOT/tmp/verdict" "$ROOT/tmp/grabbed" "$ROOT/tmp/victim.pid"
}

# ended_well: the driven command (see ptydrive) exited 0, and the caller's
# terminal got its mode back.
ended_well() {
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[-2]}" = "status 0" ]
	[ "${lines[-1]}" = "mode restored" ]
}

@test "control: without --fork, and with nsenter, a process of the sandbox takes the command's fd 0 and reads the caller's next line" {
	steal pidfd "$ENTER"
	[ "$VERDICT" = "stolen: secret" ]
	[ "$READ" = "after" ]
	steal proc "$ENTER"
	[ "$VERDICT" = "stolen: secret" ]
	[ "$READ" = "after" ]
	steal pidfd nsenter -a -t
	[ "$VERDICT" = "stolen: secret" ]
	[ "$READ" = "after" ]
}

@test "hako-enter --fork on a terminal: a process of the sandbox that takes the command's fd 0 reads nothing of the caller's terminal" {
	local how
	for how in pidfd proc; do
		steal "$how" "$ENTER" --fork
		# It had the command's own terminal, which ended with
		# hako-enter (read while it ends, or after).
		case $VERDICT in
		"nothing: Input/output error" | "nothing: end of file") ;;
		*) return 1 ;;
		esac
		[ "$READ" = "secret" ]
	done
}

@test "hako-enter --fork on a terminal: the command leads a session on a terminal of its own, on 0, 1 and 2" {
	# Inside: the device of fds 0, 1 and 2, the session and the
	# controlling terminal of the command (pid, session, tty_nr). The
	# caller's terminal is another device.
	cat > "$TMP/caller" <<-'EOF2'
		stat -L -c '%t:%T' /proc/self/fd/0 > "$1"
		shift
		"$@"
	EOF2
	run ptydrive -- bash "$TMP/caller" "$TMP/outer" "$ENTER" --fork "$PID" /bin/sh -c \
		'stat -L -c %t:%T /proc/$$/fd/0 /proc/$$/fd/1 /proc/$$/fd/2 | uniq -c; cut -d" " -f1,6 /proc/$$/stat; echo $(($(cut -d" " -f7 /proc/$$/stat) >> 8)):$(($(cut -d" " -f7 /proc/$$/stat) & 255))'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	inner=${lines[0]##* }
	[ "${lines[0]}" = "      3 $inner" ]
	# pid = session: a session leader
	set -- ${lines[1]}
	[ "$1" = "$2" ]
	# its controlling terminal is that device (tty_nr, major:minor in
	# decimal; stat gave hex)
	[ "${lines[2]}" = "$((0x${inner%:*})):$((0x${inner#*:}))" ]
	[ "$inner" != "$(cat "$TMP/outer")" ]
	[ "${lines[3]}" = "status 0" ]
	[ "${lines[4]}" = "mode restored" ]
}

@test "hako-enter --fork on a terminal: a line typed reaches cat and comes back; Ctrl-D ends it with 0; the caller's modes are restored" {
	run ptydrive expect='ready\n' send='hello there\n' expect='hello there\nhello there\n' \
		send='\x04' -- "$ENTER" --fork "$PID" /bin/sh -c 'echo ready; exec cat'
	expect 0 $'ready\nhello there\nhello there\nstatus 0\nmode restored'
}

@test "hako-enter --fork on a terminal: Ctrl-C ends cat with 130" {
	run ptydrive expect='ready\n' send='\x03' -- "$ENTER" --fork "$PID" /bin/sh -c 'echo ready; exec cat'
	expect 0 $'ready\n^Cstatus 130\nmode restored'
}

@test "hako-enter --fork on a terminal: Ctrl-C to a command that traps INT runs the trap once each time, and hako-enter goes on" {
	run ptydrive expect='ready\n' send='\x03' expect='caught\n' send='\x03' expect='caught\n' \
		send='done\n' -- "$ENTER" --fork "$PID" /bin/sh -c \
		'trap "echo caught" INT; echo ready; until read -r l; do :; done; echo "read $l"; exit 4'
	expect 0 $'ready\n^Ccaught\n^Ccaught\ndone\nread done\nstatus 4\nmode restored'
}

@test "hako-enter --fork on a terminal: the command sees the caller's window size, and the new one after a resize" {
	run ptydrive size=33x111 expect='ready\n' size=44x122 expect='resized\n' send='x\n' -- \
		"$ENTER" --fork "$PID" /bin/sh -c \
		'trap "stty size; echo resized" WINCH; stty size; echo ready; until read -r l; do :; done'
	expect 0 $'33 111\nready\n44 122\nresized\nx\nstatus 0\nmode restored'
}

@test "hako-enter --fork on a terminal: SIGTERM to hako-enter ends the command (143) and restores the caller's modes; a command that traps it decides" {
	run ptydrive expect='ready\n' kill=SIGTERM -- "$ENTER" --fork "$PID" /bin/sh -c 'echo ready; exec cat'
	expect 0 $'ready\nstatus 143\nmode restored'
	run ptydrive expect='ready\n' kill=SIGTERM -- "$ENTER" --fork "$PID" /bin/sh -c \
		'trap "echo trapped; exit 7" TERM; echo ready; while :; do sleep 0.05; done'
	expect 0 $'ready\ntrapped\nstatus 7\nmode restored'
	run ptydrive expect='ready\n' kill=SIGHUP -- "$ENTER" --fork "$PID" /bin/sh -c 'echo ready; exec cat'
	expect 0 $'ready\nstatus 129\nmode restored'
}

@test "hako-enter --fork: standard input a terminal, standard output a pipe: the pipe is passed as it is" {
	cat > "$TMP/caller" <<-'EOF2'
		"$@" | { cat > "$TMP/piped"; }
		echo "pipeline: ${PIPESTATUS[*]}"
	EOF2
	run ptydrive expect='ready\n' send='typed\n' -- env TMP="$TMP" bash "$TMP/caller" \
		"$ENTER" --fork "$PID" /bin/sh -c \
		'echo ready >&2; read -r l; echo "got $l"; [ -t 0 ] && [ -t 2 ] && ! [ -t 1 ] && echo "0 and 2 are terminals, 1 is not"; exit 3'
	expect 0 $'ready\ntyped\npipeline: 3 0\nstatus 0\nmode restored'
	[ "$(cat "$TMP/piped")" = $'got typed\n0 and 2 are terminals, 1 is not' ]
}

@test "hako-enter --fork: standard input a pipe, standard output a terminal: the output is relayed, the input passed as it is" {
	cat > "$TMP/caller" <<-'EOF2'
		echo piped | "$@"
		echo "hako-enter: $?"
	EOF2
	run ptydrive -- bash "$TMP/caller" "$ENTER" --fork "$PID" /bin/sh -c \
		'read -r l; echo "got $l"; ! [ -t 0 ] && [ -t 1 ] && echo "1 is a terminal, 0 is not"; exit 5'
	expect 0 $'got piped\n1 is a terminal, 0 is not\nhako-enter: 5\nstatus 0\nmode restored'
}

@test "hako-enter --fork on a terminal: no pseudo-terminal to be had -> 125, nothing started" {
	# A host without /dev/ptmx (in a mount namespace of the test's own).
	run ptydrive -- unshare -m sh -c 'mount -t tmpfs none /dev && exec "$@"' _ \
		"$ENTER" --fork "$PID" /bin/sh -c 'echo ran'
	expect 0 $'hako-enter: cannot open a pseudo-terminal: No such file or directory\nstatus 125\nmode restored'
	[ "$(pgrep --ns "$PID" --nslist pid)" = "$PID" ]
}

@test "hako-enter --fork on a terminal, as a background job: it stops before taking the terminal; fg takes it (raw) and relays; kill %1 ends it with 143" {
	local stopped='for i in $(seq 200); do [ "$(cut -d" " -f3 /proc/$!/stat)" = T ] && break; sleep 0.05; done'
	# bash's wait returns at once for a job it still has as stopped: it
	# learns of the SIGCONT that kill %1 sent only when it reaps the news.
	local waited='for i in $(seq 100); do wait %1; r=$?; [ $r -ne 150 ] && break; sleep 0.05; done; echo "waited $r"'
	# The commands are files: at fg the shell prints the job's command
	# line, which then holds none of their output.
	echo 'echo done at once' > "$ROOT/tmp/once"
	printf '%s\n' 'echo ready' 'while read -r l; do echo "got <$l>"; done' 'echo end' > "$ROOT/tmp/job"
	run ptydrive expect='$ ' send="$ENTER --fork $PID /bin/sh /tmp/once &\\n" expect='$ ' \
		send="$stopped; jobs -l\\n" expect='Stopped (tty output)' expect='$ ' \
		send='fg\n' expect='done at once' expect='$ ' \
		send="$ENTER --fork $PID /bin/sh /tmp/job &\\n" expect='$ ' \
		send="$stopped; jobs -l\\n" expect='Stopped (tty output)' expect='$ ' \
		send='fg\n' expect='ready' send='typed line\n' expect='got <typed line>' \
		send='\x04' expect='end' expect='$ ' \
		send="$ENTER --fork $PID cat &\\n" expect='$ ' \
		send="$stopped; kill %1; $waited\\n" expect='waited 143' expect='$ ' \
		send='exit\n' -- env PS1='$ ' bash --norc --noprofile -i
	ended_well
	# Relayed in raw mode, line ends pass as they are (a terminal not raw
	# adds a carriage return to each): the line alone, also from a
	# command that has ended before its output is relayed.
	[ "$(printf '%s\n' "${lines[@]}" | grep -c 'done at once')" -eq 1 ]
	printf '%s\n' "${lines[@]}" | grep -qx 'done at once'
	# The typed line is echoed once, by the command's own terminal (a
	# caller's terminal not raw would echo it too), and read once; the
	# command's terminal has the modes the shell gives its jobs, not
	# those of its line editor (no echo, no lines), which the terminal
	# may have while the shell reads the next command.
	after=${output#*$'\n'ready$'\n'}
	[ "${after%%$'\n'end$'\n'*}" = $'typed line\ngot <typed line>' ]
}

@test "hako-enter --fork on a terminal: bg relays in the background; input there stops it, or fg (no SIGCONT for a running job) gives it the terminal" {
	# Started by bg, the command's terminal has the modes the shell's
	# line editor may have then: it sets its own.
	printf '%s\n' 'stty icanon echo' 'echo ready' 'while read -r l; do echo "got <$l>"; done' 'echo end' > "$ROOT/tmp/job"
	local stopped='for i in $(seq 200); do [ "$(cut -d" " -f3 /proc/$!/stat)" = T ] && break; sleep 0.05; done'
	# Whether the keys of `fg` stop it first (tty input) is a race; the
	# terminal is the job's once it has read a line after fg.
	run ptydrive expect='$ ' send="$ENTER --fork $PID /bin/sh /tmp/job &\\n" expect='$ ' \
		send="$stopped; jobs -l\\n" expect='Stopped (tty output)' expect='$ ' \
		send='bg\n' expect='ready' send='fg\n' expect='/tmp/job\n' \
		send='typed line\n' expect='got <typed line>\n' send='second\n' expect='got <second>' \
		send='\x04' expect='end' expect='$ ' \
		send='exit\n' -- env PS1='$ ' bash --norc --noprofile -i
	ended_well
	after=${output#*$'\n'got <typed line>$'\n'}
	[ "${after%%$'\n'end$'\n'*}" = $'second\ngot <second>' ]
}

@test "hako-enter --fork on a terminal: stopped by SIGSTOP (the shell restores its modes), fg takes the terminal again" {
	# The command says when it is continued: hako-enter has taken the
	# terminal by then. (Stopped, it may not have relayed "ready" yet.)
	cat > "$ROOT/tmp/job" <<-'EOF2'
		trap 'echo continued' CONT
		echo ready
		touch /tmp/ready
		# read returns early when the trap runs
		i=0
		while [ $i -lt 100 ]; do
			i=$((i + 1)) l=
			read -r l
			[ "$l" = quit ] && break
			[ -n "$l" ] && echo "got <$l>"
		done
		echo end
	EOF2
	(
		for _ in $(seq 600); do
			[ -e "$ROOT/tmp/ready" ] && [ -s "$TMP/job.pid" ] && break
			sleep 0.05
		done
		kill -STOP "$(cat "$TMP/job.pid")"
	) &
	track $!
	local stopped='for i in $(seq 200); do [ "$(cut -d" " -f3 /proc/$!/stat)" = T ] && break; sleep 0.05; done'
	# fg once the shell knows that the job stopped in the background: it
	# then continues it (else it only hands the terminal over).
	run ptydrive expect='$ ' \
		send="$ENTER --fork $PID /bin/sh /tmp/job & echo \$! > $TMP/job.pid; $stopped; jobs -l; fg\\n" \
		expect='Stopped (tty output)' expect='Stopped' expect='$ ' send='fg\n' expect='continued\n' \
		send='typed line\n' expect='got <typed line>' send='quit\n' expect='end' expect='$ ' \
		send='exit\n' -- env PS1='$ ' bash --norc --noprofile -i
	ended_well
	# After the last fg: echoed once, by the command's terminal; line
	# ends as they are.
	after=${output##*$'\n'continued$'\n'}
	[ "${after%%$'\n'end$'\n'*}" = $'typed line\ngot <typed line>\nquit' ]
}

@test "hako-enter --fork on a terminal: writers the command left behind on its terminal do not keep hako-enter relaying once the command has ended" {
	# Two processes that ignore the hang-up write to the command's
	# terminal faster than the caller's terminal (read slowly) takes it,
	# for 30 s; the command ends once both terminals are full. Relaying
	# until no output is left would last as long, with the caller's
	# terminal raw and its keys unread.
	run ptydrive slow -- "$ENTER" --fork "$PID" /bin/flood 2 30 /tmp/hungup
	# (What they wrote has no line end before ptydrive's last lines.)
	echo "${output: -80}"
	[[ "$output" == *$'ystatus 3\nmode restored' ]]
	# Control: they were still writing when hako-enter ended, which hung
	# their terminal up under them.
	wait_until test -e "$ROOT/tmp/hungup"
}
