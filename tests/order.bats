#!/usr/bin/env bats
# The command's last steps (see src/exec.h, and hako-run(1) step 6,
# hako-enter(1)): the same calls in the same order in both tools, watched
# with strace, and what the order is for (the session keyring belongs to
# the command's user).

bats_require_minimum_version 1.5.0
load helper

setup_file() {
	export PROGS_DIR="$BATS_FILE_TMPDIR/progs"
	build_static progs keyowner
}

setup() {
	sandbox_setup
	cp "$PROGS_DIR/keyowner" "$SB/bin/keyowner"
}

teardown() {
	sandbox_teardown
}

TRACED=prctl,setgroups,setresgid,setresuid,seccomp,keyctl,rt_sigaction,close_range,chdir,rt_sigprocmask,setsid,execve,clone,clone3

# traced CMD...: CMD under strace -f (in $TMP/trace), its status checked.
traced() {
	strace -f -qq -o "$TMP/trace" -e trace="$TRACED" "$@" </dev/null
}

# steps PID: what PID did of the command's steps, one word each, repeats
# folded: the first (its last reset of the signal
# dispositions), then everything from its last setgroups (the identity),
# or from its start when it has none (a child that executes the command),
# until it starts a child or executes the command.
steps() {
	awk -v pid="$1" '
	$1 != pid || stop { next }
	{ s = "" }
	/ rt_sigaction\(SIGHUP, \{sa_handler=SIG_DFL/ { s = "dispositions"; e = 0; early = 1 }
	/ prctl\(PR_SET_NO_NEW_PRIVS, 1/ { s = "no_new_privs" }
	/ (prctl\(PR_SET_SECCOMP|seccomp\()/ { s = "filter" }
	/ setgroups\(/ { s = "groups"; n = 0; last = ""; early = 0; id = 1 }
	/ setresgid\(/ { s = "gid" }
	/ setresuid\(/ { s = "uid" }
	/ prctl\(PR_SET_DUMPABLE, SUID_DUMP_DISABLE/ { s = "not-dumpable" }
	/ prctl\(PR_SET_PDEATHSIG, SIGKILL/ { s = "death-signal" }
	/ keyctl\(KEYCTL_JOIN_SESSION_KEYRING/ { s = "keyring" }
	/ close_range\(/ { s = "close" }
	/ chdir\(/ { s = "chdir" }
	/ rt_sigprocmask\(SIG_SETMASK, \[\]/ && !cred { s = "mask" }
	/ setsid\(/ { s = "session" }
	/ execve\("\/bin\/keyowner"/ { s = "exec"; stop = 1 }
	/ (clone|clone3)\(/ { s = "child"; if (id) stop = 1 }
	# musl restores the mask right after each credential call.
	{ cred = s ~ /^(groups|gid|uid)$/ }
	s == "" { next }
	early && s != elast { ev[++e] = s; elast = s }
	s == "dispositions" { early = 0 }
	s != last { out[++n] = s; last = s }
	END {
		for (i = 1; i <= e; i++) printf "%s ", ev[i]
		for (i = 1; i <= n; i++) printf "%s%s", out[i], i < n ? " " : "\n"
	}
	' "$TMP/trace"
}

# last_steps: the steps of the process that made the command's keyring,
# then those of the process that executed the command when that is
# another one (its child).
last_steps() {
	local prep cmd
	prep=$(awk '/keyctl\(KEYCTL_JOIN_SESSION_KEYRING/ { print $1 }' "$TMP/trace")
	cmd=$(awk '/execve\("\/bin\/keyowner"/ { print $1; exit }' "$TMP/trace")
	steps "$prep"
	[ "$prep" = "$cmd" ] || steps "$cmd"
}

# The steps in exec.h: the first ones and the identity's in the process
# that holds the namespaces, the last ones in the process that executes
# the command.
EARLY="dispositions"
PREPARE="groups gid uid not-dumpable no_new_privs filter death-signal keyring close chdir"
FINISH="mask session exec"
# A child sets its own death signal.
CHILD_FINISH="mask session death-signal exec"
USER_KEYRING="keyring uid 1000 gid 1000"

# in_order STEPS CMD...: CMD, traced, runs the command as user 1000 and
# takes STEPS (see last_steps).
in_order() {
	local want=$1
	shift
	run traced "$@"
	[ "$status" -eq 0 ]
	[ "$output" = "$USER_KEYRING" ]
	run last_steps
	printf 'got:  %s\nwant: %s\n' "$output" "$want"
	[ "$output" = "$want" ]
}

@test "hako-run: the command's steps in the documented order" {
	in_order "$EARLY $PREPARE $FINISH" \
		"$RUN" -u 1000 -g 1000 -c /tmp "$SB" /bin/keyowner
}

@test "hako-run -I: the same steps, the last ones in init's child" {
	in_order "$EARLY $PREPARE child
$CHILD_FINISH" "$RUN" -I -u 1000 -g 1000 -c /tmp "$SB" /bin/keyowner
}

@test "hako-enter: the same steps as hako-run, with no parent to die with" {
	start_sandbox
	in_order "$EARLY ${PREPARE/death-signal /} $FINISH" \
		"$ENTER" -u 1000 -g 1000 -c /tmp "$PID" /bin/keyowner
}

@test "hako-enter --fork: the same steps, the last ones in the child" {
	start_sandbox
	in_order "$EARLY ${PREPARE/death-signal /} child
$CHILD_FINISH" "$ENTER" --fork -u 1000 -g 1000 -c /tmp "$PID" /bin/keyowner
}

@test "the command's session keyring is its user's: made after the identity" {
	# Control: a keyring made before the uid changes stays root's.
	run --separate-stderr keyctl session - setpriv --reuid=1000 \
		--regid=1000 --clear-groups "$PROGS_DIR/keyowner"
	[ "$status" -eq 0 ]
	[ "$output" = "keyring uid 0 gid 0" ]
	run "$RUN" -u 1000 -g 1000 "$SB" /bin/keyowner </dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "$USER_KEYRING" ]
	start_sandbox
	run "$ENTER" -u 1000 -g 1000 "$PID" /bin/keyowner </dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "$USER_KEYRING" ]
	run "$ENTER" --fork -u 1000 -g 1000 "$PID" /bin/keyowner </dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "$USER_KEYRING" ]
}
