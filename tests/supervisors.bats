#!/usr/bin/env bats
# A daemon in a sandbox under real process supervisors, as a user deploys
# one: example/service/run under s6-supervise and under runit's runsv.
# Stop, reload and restart reach the daemon; nothing is left afterwards.

bats_require_minimum_version 1.5.0
load helper

setup() {
	sandbox_setup
	SVC=$TMP/svc
	cp -r "$BATS_TEST_DIRNAME/../example/service" "$SVC"
	rm -f "$SVC/daemon.log" "$SVC/hako.pid"
	export HAKO_RUN=$RUN
	export HAKO_SANDBOX
	HAKO_SANDBOX=$(cd "$BATS_TEST_DIRNAME/../example/sandbox" && pwd)
	SUPERVISOR=
}

teardown() {
	# Stop the supervisor the test started, whatever happened; the
	# tracked pid is the last resort.
	case $SUPERVISOR in
	s6) s6-svc -dx "$SVC" 2>/dev/null || true ;;
	runit) sv -w 10 exit "$SVC" >/dev/null 2>&1 || true ;;
	esac
	if [ -n "${SUP_PID:-}" ]; then
		gone "$SUP_PID" || kill -KILL "$SUP_PID" 2>/dev/null || true
	fi
	sandbox_teardown
}

# started N: the daemon has said "started" N times; BOX is the sandbox.
started() {
	wait_until started_times "$1" || { echo "log: $(cat "$SVC/daemon.log")"; return 1; }
	wait_for "$SVC/hako.pid"
	BOX=$(cat "$SVC/hako.pid")
}

started_times() {
	[ "$(grep -c '^started' "$SVC/daemon.log" 2>/dev/null)" = "$1" ]
}

# log_is TEXT: the daemon's whole log, once it has that many lines.
log_is() {
	wait_until log_now "$(printf '%s\n' "$@")" && return 0
	echo "log: $(cat "$SVC/daemon.log")"
	echo "want: $(printf '%s\n' "$@")"
	return 1
}

log_now() {
	[ "$(sed 's/, pid [0-9]*$//' "$SVC/daemon.log")" = "$1" ]
}

@test "s6: s6-supervise runs the example service; -h and -1 reach the daemon, -d stops it gracefully, -u starts it again, -t restarts it, -dx leaves nothing" {
	require_commands s6-supervise s6-svc s6-svstat s6-svok
	SUPERVISOR=s6
	s6-supervise "$SVC" &
	SUP_PID=$!
	track "$SUP_PID"
	started 1
	s6-svc -h "$SVC"
	log_is started reloading
	s6-svc -1 "$SVC"
	log_is started reloading "reopening logs"
	s6-svc -wd -T 10000 -d "$SVC"
	log_is started reloading "reopening logs" "stopping: state saved"
	run s6-svstat -o up,exitcode "$SVC"
	[ "$output" = "false 0" ]
	gone "$BOX"
	s6-svc -wu -T 10000 -u "$SVC"
	started 2
	s6-svc -t "$SVC"
	started 3
	log_is started reloading "reopening logs" "stopping: state saved" \
		started "stopping: state saved" started
	s6-svc -wD -T 10000 -dx "$SVC"
	gone "$SUP_PID"
	gone "$BOX"
	assert_clean
}

@test "runit: runsv runs the example service; sv hup and sv 1 reach the daemon, sv down stops it gracefully, sv up and restart, sv exit leaves nothing" {
	require_commands runsv sv
	SUPERVISOR=runit
	runsv "$SVC" &
	SUP_PID=$!
	track "$SUP_PID"
	started 1
	sv hup "$SVC"
	log_is started reloading
	sv 1 "$SVC"
	log_is started reloading "reopening logs"
	run sv -w 10 down "$SVC"
	[ "$status" -eq 0 ]
	[[ "$output" == "ok: down: $SVC: "* ]]
	log_is started reloading "reopening logs" "stopping: state saved"
	gone "$BOX"
	sv -w 10 up "$SVC"
	started 2
	sv -w 10 restart "$SVC"
	started 3
	log_is started reloading "reopening logs" "stopping: state saved" \
		started "stopping: state saved" started
	sv -w 10 exit "$SVC"
	gone "$SUP_PID"
	gone "$BOX"
	assert_clean
}

@test "s6: kill of the service (s6-svc -k) kills hako-run and the sandbox with it" {
	require_commands s6-supervise s6-svc s6-svstat s6-svok
	SUPERVISOR=s6
	touch "$SVC/down"
	s6-supervise "$SVC" &
	SUP_PID=$!
	track "$SUP_PID"
	wait_until s6-svok "$SVC"
	s6-svc -u "$SVC"
	started 1
	s6-svc -wd -T 10000 -k -d "$SVC"
	gone "$BOX"
	log_is started
	s6-svc -wD -T 10000 -x "$SVC"
	gone "$SUP_PID"
	gone "$BOX"
	assert_clean
}
