#!/usr/bin/env bats
# hako-run: options, the steps of hako-run(1)'s DESCRIPTION in order, exit
# statuses, errors.

bats_require_minimum_version 1.5.0

setup() {
	load helper
	sandbox_setup
}

teardown() {
	sandbox_teardown
}

# --- helpers (this file only) ---------------------------------------------

# exec_script FILE TEXT: an executable shell script.
exec_script() {
	mkdir -p "$(dirname "$1")"
	printf '#!/bin/sh\n%s\n' "$2" >"$1"
	chmod 755 "$1"
}

# --- help, version, option parsing --------------------------------------

@test "hako-run: --help/-h print the usage on stdout, -V/--version the version" {
	local opt
	for opt in --help -h; do
		run --separate-stderr "$RUN" "$opt"
		[ "$status" -eq 0 ]
		[ "$stderr" = "" ]
		[ "${lines[0]}" = "Usage: hako-run [options] <target> [command] [args]" ]
		echo "$output" | grep -q -- '--pid-file'
		echo "$output" | grep -q -- '--network'
	done
	for opt in -V --version; do
		run --separate-stderr "$RUN" "$opt"
		[ "$status" -eq 0 ]
		[ "$output" = "hako-run 0.1.0" ]
		[ "$stderr" = "" ]
	done
}

@test "hako-run: no target, unknown options, a missing argument -> 125" {
	expect_error 125 "hako-run: must provide sandbox dir" "$RUN"
	expect_error 125 "hako-run: must provide sandbox dir" "$RUN" -W
	expect_error 125 "hako-run: must provide sandbox dir" "$RUN" --
	expect_error 125 "hako-run: invalid option: -x (see --help)" "$RUN" -x "$SB" /bin/true
	expect_error 125 "hako-run: invalid option: -x (see --help)" "$RUN" -Wx "$SB" /bin/true
	expect_error 125 "hako-run: invalid option: --bogus (see --help)" "$RUN" --bogus "$SB" /bin/true
	expect_error 125 "hako-run: option requires an argument: -e (see --help)" "$RUN" -e
	expect_error 125 "hako-run: option requires an argument: --env (see --help)" "$RUN" --env
	expect_error 125 "hako-run: option requires an argument: -p (see --help)" "$RUN" -p
}

@test "hako-run: words after the target are the command, verbatim, even -n or -W" {
	run bash -c '"$1" "$2" /bin/echo -n x; echo END' _ "$RUN" "$SB"
	[ "$status" -eq 0 ]
	[ "$output" = "xEND" ]
	run "$RUN" "$SB" /bin/echo -- -e -W x
	[ "$status" -eq 0 ]
	[ "$output" = "-- -e -W x" ]
	expect_error 127 "hako-run: cannot execute -W: No such file or directory" "$RUN" "$SB" -W
}

@test "hako-run: -- ends the options" {
	run --separate-stderr "$RUN" -e A=1 -- "$SB" /bin/sh -c 'echo "$A"'
	[ "$status" -eq 0 ]
	[ "$output" = "1" ]
	[ "$stderr" = "" ]
	# a target that looks like an option
	mv "$SB" "$TMP/-W"
	cd "$TMP" || return 1
	run --separate-stderr "$RUN" -- -W /bin/echo ok
	[ "$status" -eq 0 ]
	[ "$output" = "ok" ]
	[ "$stderr" = "" ]
}

@test "hako-run: bundled short options, attached arguments, long options" {
	run "$RUN" -We A=1 -c/etc "$SB" /bin/sh -c 'touch /w && echo "$A $(pwd)"'
	[ "$status" -eq 0 ]
	[ "$output" = "1 /etc" ]
	[ -f "$SB/w" ]
	run "$RUN" --env=B=2 --chdir=/bin --writable "$SB" /bin/sh -c 'touch /v && echo "$B $(pwd)"'
	[ "$status" -eq 0 ]
	[ "$output" = "2 /bin" ]
	[ -f "$SB/v" ]
	# an unambiguous abbreviation, as getopt_long allows
	run "$RUN" --writ "$SB" /bin/touch /u
	[ "$status" -eq 0 ]
	[ -f "$SB/u" ]
}

@test "hako-run: the default command is /bin/sh" {
	run bash -c 'echo "echo hi; echo \$\$; cat /etc/marker" | "$1" "$2"' _ "$RUN" "$SB"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'hi\n1\nsandbox-file')" ]
}

# --- command lookup and environment ----------------------------------------

@test "hako-run: a command without / is looked up in the sandbox's PATH" {
	exec_script "$SB/bin/hako-probe" 'echo sandbox-bin'
	exec_script "$SB/custom/hako-probe" 'echo sandbox-custom'
	exec_script "$TMP/hostbin/hako-probe" 'echo host'
	exec_script "$TMP/hostbin/hako-host-only" 'echo host'
	exec_script "$SB/opt/hako-tool" 'echo tool'
	# the default PATH, inside the sandbox, not the caller's
	run env PATH="$TMP/hostbin:$PATH" "$RUN" "$SB" hako-probe
	[ "$status" -eq 0 ]
	[ "$output" = "sandbox-bin" ]
	expect_error 127 "hako-run: cannot execute hako-host-only: No such file or directory" \
		env PATH="$TMP/hostbin:$PATH" "$RUN" "$SB" hako-host-only
	# -e PATH=... is the one used
	run "$RUN" -e PATH=/custom "$SB" hako-probe
	[ "$status" -eq 0 ]
	[ "$output" = "sandbox-custom" ]
	run "$RUN" -e PATH=/nowhere:/custom:/bin "$SB" hako-probe
	[ "$status" -eq 0 ]
	[ "$output" = "sandbox-custom" ]
	expect_error 127 "hako-run: cannot execute ls: No such file or directory" \
		"$RUN" -e PATH=/custom "$SB" ls
	# not relative to the working directory
	expect_error 127 "hako-run: cannot execute hako-tool: No such file or directory" \
		"$RUN" -c /opt "$SB" hako-tool
	run "$RUN" -c /opt "$SB" ./hako-tool
	[ "$status" -eq 0 ]
	[ "$output" = "tool" ]
}

@test "hako-run: the environment is exactly the -e entries" {
	run env HAKO_CALLER=leak "$RUN" "$SB" /bin/env
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run env HAKO_CALLER=leak "$RUN" -e A=1 -e 'B=x=y z' -e C= "$SB" /bin/env
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'A=1\nB=x=y z\nC=')" ]
	# a name given twice is passed twice, in order (sh keeps the last)
	run "$RUN" -e A=1 -e A=2 "$SB" /bin/env
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'A=1\nA=2')" ]
	run "$RUN" -e A=1 -e A=2 "$SB" /bin/sh -c 'echo "$A"'
	[ "$status" -eq 0 ]
	[ "$output" = "2" ]
}

@test "hako-run: -e without = -> 125" {
	expect_error 125 "hako-run: invalid environment variable (want NAME=VALUE): FOO" \
		"$RUN" -e FOO "$SB" /bin/true
	expect_error 125 "hako-run: invalid environment variable (want NAME=VALUE): FOO" \
		"$RUN" --env FOO "$SB" /bin/true
	expect_error 125 "hako-run: invalid environment variable (want NAME=VALUE): " \
		"$RUN" -e '' "$SB" /bin/true
}

# --- .hako/init ---------------------------------------------------------

@test "hako-run: init runs as root in the target, with the caller's environment and the host" {
	mkdir "$TMP/out" "$TMP/hostdir" "$SB/mnt"
	echo from-the-host > "$TMP/hostdir/file"
	write_init "$SB" 'pwd > "$HAKO_OUT/pwd"
echo "$HAKO_VAR" > "$HAKO_OUT/var"
id -u > "$HAKO_OUT/uid"
mount --bind "$HAKO_OUT/../hostdir" mnt'
	run env HAKO_OUT="$TMP/out" HAKO_VAR=from-caller "$RUN" -u 65534 "$SB" /bin/cat /mnt/file
	[ "$status" -eq 0 ]
	[ "$output" = "from-the-host" ]
	[ "$(cat "$TMP/out/pwd")" = "$SB" ]
	[ "$(cat "$TMP/out/var")" = "from-caller" ]
	[ "$(cat "$TMP/out/uid")" = "0" ]
	# a relative target: the same directory
	rm "$TMP/out/pwd"
	cd "$TMP" || return 1
	run env HAKO_OUT="$TMP/out" "$RUN" sb /bin/true
	[ "$status" -eq 0 ]
	[ "$(cat "$TMP/out/pwd")" = "$SB" ]
	assert_clean
}

@test "hako-run: init missing, not executable, failing or killed -> 125" {
	mv "$SB/.hako/init" "$TMP/init"
	expect_error 125 "hako-run: cannot execute $SB/.hako/init: No such file or directory" \
		"$RUN" "$SB" /bin/echo ran
	cd "$TMP" || return 1
	# the target as given
	expect_error 125 "hako-run: cannot execute sb/.hako/init: No such file or directory" \
		"$RUN" sb /bin/echo ran
	mv "$TMP/init" "$SB/.hako/init"
	chmod 644 "$SB/.hako/init"
	expect_error 125 "hako-run: cannot execute $SB/.hako/init: Permission denied" \
		"$RUN" "$SB" /bin/echo ran
	write_init "$SB" 'exit 3'
	expect_error 125 "hako-run: $SB/.hako/init failed with exit status 3" \
		"$RUN" "$SB" /bin/echo ran
	expect_error 125 "hako-run: ./sb/.hako/init failed with exit status 3" \
		"$RUN" ./sb /bin/echo ran
	write_init "$SB" 'kill -9 $$'
	expect_error 125 "hako-run: $SB/.hako/init killed by signal 9 (Killed)" \
		"$RUN" "$SB" /bin/echo ran
}

@test "hako-run: mounts made by init stay out of the host" {
	start_bg "$TMP/pid" "$SB" sleep 100
	running_as "$BOX" sleep
	# the sandbox has them ...
	[ "$(awk '{print $5}' "/proc/$BOX/mountinfo" | tr '\n' ' ')" = "/ /proc /tmp " ]
	# ... the host does not, not even while the sandbox runs
	run grep -F -- "$SB" /proc/self/mountinfo
	[ "$status" -eq 1 ]
	kill -TERM "$SUP"
	gone "$SUP"
	assert_clean
}

# --- read-only root --------------------------------------------------------

@test "hako-run: the root is read-only, -W leaves it writable, init's tmpfs stays writable" {
	run --separate-stderr "$RUN" "$SB" /bin/touch /x
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "touch: /x: Read-only file system" ]
	[ ! -e "$SB/x" ]
	run "$RUN" "$SB" /bin/sh -c 'echo tmp-ok > /tmp/f && cat /tmp/f'
	[ "$status" -eq 0 ]
	[ "$output" = "tmp-ok" ]
	run --separate-stderr "$RUN" -W "$SB" /bin/sh -c 'echo written > /x && cat /x'
	[ "$status" -eq 0 ]
	[ "$output" = "written" ]
	[ "$stderr" = "" ]
	[ "$(cat "$SB/x")" = "written" ]
	run "$RUN" --writable "$SB" /bin/touch /y
	[ "$status" -eq 0 ]
	[ -f "$SB/y" ]
}

@test "hako-run: the read-only remount keeps nosuid, nodev and noatime" {
	mkdir "$TMP/m"
	mount -t tmpfs -o nosuid,nodev,noatime tmpfs "$TMP/m"
	make_sandbox "$TMP/m/sb"
	run "$RUN" "$TMP/m/sb" /bin/awk '$5 == "/" { print $6 }' /proc/self/mountinfo
	[ "$status" -eq 0 ]
	[ "$output" = "ro,nosuid,nodev,noatime" ]
	run "$RUN" -W "$TMP/m/sb" /bin/awk '$5 == "/" { print $6 }' /proc/self/mountinfo
	[ "$status" -eq 0 ]
	[ "$output" = "rw,nosuid,nodev,noatime" ]
}

# --- pivot_root ------------------------------------------------------------

@test "hako-run: after pivot_root no host path is reachable" {
	local name=hako-host-marker-$$
	echo host > "$TMP/$name"
	run --separate-stderr "$RUN" -e "N=$name" -e "T=$TMP" "$SB" /bin/sh -c '
		find / -path /proc -prune -o -name "$N" -print
		ls -A /.hako
		awk "{ print \$5 }" /proc/1/mountinfo
		readlink /proc/1/root
		cd /.. && pwd
		cat "$T/$N"'
	echo "$output"
	echo "$stderr"
	[ "$status" -eq 1 ]
	# nothing found; .hako as in the target; the mount points are the
	# sandbox's own (field 4 of mountinfo, the root of the bind mount in
	# its file system, still names the target's host path)
	[ "$output" = "$(printf 'init\n/\n/proc\n/tmp\n/\n/')" ]
	[ "$stderr" = "cat: can't open '$TMP/$name': No such file or directory" ]
}

# --- namespaces ----------------------------------------------------------

@test "hako-run: new mnt, pid, ipc, uts, net and cgroup namespaces" {
	local n inside host id
	run "$RUN" "$SB" /bin/sh -c 'for n in mnt pid ipc uts net cgroup user; do echo "$n $(readlink /proc/self/ns/$n)"; done'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 7 ]
	for n in mnt pid ipc uts net cgroup; do
		inside=$(echo "$output" | awk -v n="$n" '$1 == n { print $2 }')
		host=$(readlink "/proc/self/ns/$n")
		echo "$n inside=$inside host=$host"
		[ -n "$inside" ]
		[ "$inside" != "$host" ]
	done
	# root without -U: no user namespace
	[ "$(echo "$output" | awk '$1 == "user" { print $2 }')" = "$(readlink /proc/self/ns/user)" ]
	# cgroup: every hierarchy is rooted at the sandbox's cgroup
	run "$RUN" "$SB" /bin/grep -c -v ':/$' /proc/self/cgroup
	[ "$status" -eq 1 ]
	[ "$output" = "0" ]
	# ipc: the host's System V objects are not there
	id=$(ipcmk -M 4096 | awk '{ print $NF }')
	run "$RUN" "$SB" /bin/sh -c 'wc -l < /proc/sysvipc/shm'
	ipcrm -m "$id"
	[ "$status" -eq 0 ]
	[ "$output" = "1" ]
}

@test "hako-run: the command is pid 1 and the hostname is its own" {
	local before
	before=$(hostname)
	run "$RUN" "$SB" /bin/sh -c 'echo $$; cat /proc/1/comm; ls /proc > /tmp/l; grep -c "^[0-9]*$" /tmp/l
		hostname; hostname inside-box && hostname'
	[ "$status" -eq 0 ]
	# pid 1 (sh), and only the ls besides it
	[ "$output" = "$(printf '1\nsh\n2\n%s\ninside-box' "$before")" ]
	[ "$(hostname)" = "$before" ]
}

@test "hako-run: a new network namespace has only lo, up" {
	run "$RUN" "$SB" /bin/sh -c 'ip -o link | cut -d: -f2; tail -n +3 /proc/net/dev | cut -d: -f1'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf ' lo\n    lo')" ]
	run "$RUN" "$SB" /bin/ip -o link show lo
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -o '<[A-Z_,]*>')" = "<LOOPBACK,UP,LOWER_UP>" ]
}

@test "hako-run: -N shares the host's network namespace" {
	run "$RUN" -N "$SB" /bin/readlink /proc/self/ns/net
	[ "$status" -eq 0 ]
	[ "$output" = "$(readlink /proc/self/ns/net)" ]
	run "$RUN" --network "$SB" /bin/sh -c 'tail -n +3 /proc/net/dev | wc -l'
	[ "$status" -eq 0 ]
	[ "$output" = "$(tail -n +3 /proc/net/dev | wc -l)" ]
}

@test "hako-run: --network=FILE and -NFILE join another network namespace" {
	local want
	start_bg "$TMP/pid" "$SB" sleep 100
	running_as "$BOX" sleep
	want=$(readlink "/proc/$BOX/ns/net")
	[ "$want" != "$(readlink /proc/self/ns/net)" ]
	run "$RUN" --network="/proc/$BOX/ns/net" "$SB" /bin/readlink /proc/self/ns/net
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
	run "$RUN" "-N/proc/$BOX/ns/net" "$SB" /bin/readlink /proc/self/ns/net
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
	# a namespace kept by a bind mount, as under /run/netns
	touch "$TMP/netns"
	unshare --net="$TMP/netns" true
	run "$RUN" --network="$TMP/netns" "$SB" /bin/readlink /proc/self/ns/net
	[ "$status" -eq 0 ]
	[ "$output" = "net:[$(stat -c %i "$TMP/netns")]" ]
}

@test "hako-run: -N FILE (with a space) does not attach FILE; a bad FILE -> 125" {
	# FILE is the target
	expect_error 125 "hako-run: cannot use sandbox /proc/self/ns/net: Not a directory (a network namespace to join is given as --network=/proc/self/ns/net)" \
		"$RUN" -N /proc/self/ns/net "$SB" /bin/true
	expect_error 125 "hako-run: cannot use sandbox /proc/self/ns/net: Not a directory (a network namespace to join is given as --network=/proc/self/ns/net)" \
		"$RUN" --network /proc/self/ns/net "$SB" /bin/true
	expect_error 125 "hako-run: cannot open network namespace $TMP/nonet: No such file or directory" \
		"$RUN" --network="$TMP/nonet" "$SB" /bin/echo ran
	expect_error 125 "hako-run: cannot join network namespace $SB/etc/marker: Invalid argument" \
		"$RUN" --network="$SB/etc/marker" "$SB" /bin/echo ran
	expect_error 125 "hako-run: cannot join network namespace /proc/self/ns/uts: Invalid argument" \
		"$RUN" -N/proc/self/ns/uts "$SB" /bin/echo ran
}

# --- identity ------------------------------------------------------------

@test "hako-run: -u and -g by name and by number" {
	require_host_ids
	run "$RUN" -u daemon -g nogroup "$SB" /bin/id
	[ "$status" -eq 0 ]
	[ "$output" = "uid=1 gid=65534" ]
	run "$RUN" --user=nobody --group=daemon "$SB" /bin/id
	[ "$status" -eq 0 ]
	[ "$output" = "uid=65534 gid=1" ]
	run "$RUN" -g daemon "$SB" /bin/id
	[ "$status" -eq 0 ]
	[ "$output" = "uid=0 gid=1" ]
	run "$RUN" -u 1000 -g 1001 "$SB" /bin/id
	[ "$status" -eq 0 ]
	[ "$output" = "uid=1000 gid=1001" ]
	run "$RUN" -u 0 -g 0 "$SB" /bin/id
	[ "$status" -eq 0 ]
	[ "$output" = "uid=0 gid=0" ]
	# the largest valid id
	run "$RUN" -u 4294967294 -g 4294967294 "$SB" /bin/id
	[ "$status" -eq 0 ]
	[ "$output" = "uid=4294967294 gid=4294967294" ]
}

@test "hako-run: -u without -g takes the user's primary group" {
	require_host_ids
	run "$RUN" -u nobody "$SB" /bin/id
	[ "$status" -eq 0 ]
	[ "$output" = "uid=65534 gid=65534" ]
	run "$RUN" -u 65534 "$SB" /bin/id
	[ "$status" -eq 0 ]
	[ "$output" = "uid=65534 gid=65534" ]
	run "$RUN" -u daemon "$SB" /bin/id
	[ "$status" -eq 0 ]
	[ "$output" = "uid=1 gid=1" ]
	# no entry in the host's user database: the group stays
	run getent passwd 4242
	[ "$status" -eq 2 ]
	run "$RUN" -u 4242 "$SB" /bin/id
	[ "$status" -eq 0 ]
	[ "$output" = "uid=4242 gid=0" ]
}

@test "hako-run: supplementary groups cleared with -u or -g, no_new_privs always" {
	require_host_ids
	run setpriv --groups 4,20 -- "$RUN" -u nobody "$SB" /bin/grep -E '^(Groups|NoNewPrivs):' /proc/self/status
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'Groups:\t \nNoNewPrivs:\t1')" ]
	run setpriv --groups 4,20 -- "$RUN" -g 5 "$SB" /bin/sh -c 'grep -E "^(Groups|NoNewPrivs):" /proc/self/status; id'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'Groups:\t \nNoNewPrivs:\t1\nuid=0 gid=5')" ]
	run "$RUN" "$SB" /bin/grep NoNewPrivs: /proc/self/status
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'NoNewPrivs:\t1')" ]
}

@test "hako-run: the supervisor drops to -u/-g as well" {
	# the pid file goes to TMP, a directory only root may write to
	start_bg "$TMP/pid" -u 65534 -g 1 "$SB" sleep 100
	running_as "$BOX" sleep
	[ "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$SUP/status")" = "65534 65534 65534 65534" ]
	[ "$(awk '/^Gid:/ { print $2, $3, $4, $5 }' "/proc/$SUP/status")" = "1 1 1 1" ]
	[ "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$BOX/status")" = "65534 65534 65534 65534" ]
	[ "$(awk '/^Gid:/ { print $2, $3, $4, $5 }' "/proc/$BOX/status")" = "1 1 1 1" ]
}

@test "hako-run: bad users and groups -> 125, nothing started" {
	local v
	mkdir "$TMP/out"
	write_init "$SB" 'touch "$HAKO_OUT/init-ran"'
	export HAKO_OUT=$TMP/out
	for v in '' 4294967295 4294967296 -1 1x 123456789012345678901234567890 no-such-user-hk; do
		expect_error 125 "hako-run: invalid user: $v" "$RUN" -u "$v" "$SB" /bin/echo ran
		expect_error 125 "hako-run: invalid user: $v" "$RUN" --user="$v" -g 1 "$SB" /bin/echo ran
	done
	for v in '' 4294967295 4294967296 -1 1x 123456789012345678901234567890 no-such-group-hk; do
		expect_error 125 "hako-run: invalid group: $v" "$RUN" -g "$v" "$SB" /bin/echo ran
		expect_error 125 "hako-run: invalid group: $v" "$RUN" -u 1 --group="$v" "$SB" /bin/echo ran
	done
	[ ! -e "$TMP/out/init-ran" ]
}

# --- ids from the user database ----------------------------------------------

# with_userdb CMD...: CMD where /etc/passwd and /etc/group are copies in
# TMP with test entries added (in a mount namespace of its own).
with_userdb() {
	unshare -m sh -c 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && shift 2 && exec "$@"' \
		_ "$TMP/passwd" "$TMP/group" "$@"
}

@test "hako-run, hako-enter: a name whose uid or gid is 4294967295 is invalid (it would keep root)" {
	cp /etc/passwd "$TMP/passwd"
	cp /etc/group "$TMP/group"
	printf '%s\n' 'hk-max:x:4294967295:5::/:/bin/sh' 'hk-maxgid:x:5:4294967295::/:/bin/sh' \
		'hk-ok:x:5:5::/:/bin/sh' >> "$TMP/passwd"
	printf '%s\n' 'hk-max:x:4294967295:' 'hk-ok:x:5:' >> "$TMP/group"
	# Control: the sane entries of the same database work.
	run with_userdb "$RUN" -u hk-ok "$SB" /bin/id
	[ "$status" -eq 0 ]
	[ "$output" = "uid=5 gid=5" ]
	run with_userdb "$RUN" -g hk-ok "$SB" /bin/id
	[ "$output" = "uid=0 gid=5" ]
	expect_error 125 "hako-run: invalid user: hk-max" with_userdb "$RUN" -u hk-max "$SB" /bin/echo ran
	expect_error 125 "hako-run: invalid user: hk-maxgid" with_userdb "$RUN" -u hk-maxgid "$SB" /bin/echo ran
	expect_error 125 "hako-run: invalid group: hk-max" with_userdb "$RUN" -g hk-max "$SB" /bin/echo ran
	expect_error 125 "hako-enter: invalid user: hk-max" with_userdb "$ENTER" -u hk-max 1 /bin/echo ran
	expect_error 125 "hako-enter: invalid group: hk-max" with_userdb "$ENTER" -g hk-max 1 /bin/echo ran
}

# --- pid file ----------------------------------------------------------------

@test "hako-run: the pid file holds the sandbox's host pid and a newline" {
	start_bg "$TMP/pid" "$SB" sleep 100
	echo "$BOX" | grep -qx '[1-9][0-9]*'
	printf '%s\n' "$BOX" | cmp - "$TMP/pid"
	# the sandbox's pid 1, child of the supervisor, the command started
	[ "$(pgrep -P "$SUP")" = "$BOX" ]
	[ "$(awk '/^NSpid:/ { print $2, $3 }' "/proc/$BOX/status")" = "$BOX 1" ]
	[ "$(tr '\0' ' ' < "/proc/$BOX/cmdline")" = "sleep 100 " ]
	# no temporary file left beside it
	[ "$(ls -A "$TMP" | tr '\n' ' ')" = "bg.err bg.out pid pids sb " ]
}

@test "hako-run: the pid file replaces a planted symlink instead of following it" {
	echo original > "$TMP/victim"
	ln -s "$TMP/victim" "$TMP/pid"
	run "$RUN" -p "$TMP/pid" "$SB" /bin/true
	[ "$status" -eq 0 ]
	[ "$(cat "$TMP/victim")" = "original" ]
	[ ! -L "$TMP/pid" ]
	[ -f "$TMP/pid" ]
	grep -qx '[1-9][0-9]*' "$TMP/pid"
	[ "$(ls -A "$TMP" | tr '\n' ' ')" = "pid pids sb victim " ]
}

@test "hako-run: the pid file is created with the caller's umask" {
	(umask 027 && "$RUN" -p "$TMP/pid" "$SB" /bin/true)
	[ "$(stat -c %a "$TMP/pid")" = 640 ]
	(umask 002 && "$RUN" -p "$TMP/pid2" "$SB" /bin/true)
	[ "$(stat -c %a "$TMP/pid2")" = 664 ]
	# Replacing an existing file takes the umask too, not the old mode.
	chmod 600 "$TMP/pid2"
	(umask 022 && "$RUN" -p "$TMP/pid2" "$SB" /bin/true)
	[ "$(stat -c %a "$TMP/pid2")" = 644 ]
	grep -qx '[1-9][0-9]*' "$TMP/pid2"
}

@test "hako-run: a pid file that is a FIFO or a character device is written into, never replaced" {
	local fd pid
	# /dev/null stays the system's.
	run "$RUN" -p /dev/null "$SB" /bin/true
	[ "$status" -eq 0 ]
	[ -c /dev/null ]
	# Standard output into a pipe, by its two names.
	run bash -c '"$1" -p /dev/stdout "$2" /bin/true | head -1' _ "$RUN" "$SB"
	[ "$status" -eq 0 ]
	[[ $output =~ ^[1-9][0-9]*$ ]]
	run bash -c '"$1" -p /proc/self/fd/1 "$2" /bin/true | cat' _ "$RUN" "$SB"
	[ "$status" -eq 0 ]
	[[ $output =~ ^[1-9][0-9]*$ ]]
	# A FIFO someone reads: the pid of the sandbox that is running.
	mkfifo "$TMP/fifo"
	exec {fd}<>"$TMP/fifo"
	"$RUN" -p "$TMP/fifo" "$SB" /bin/sleep 100 </dev/null >/dev/null 2>&1 3>&- &
	track $!
	read -r -t 10 pid <&"$fd"
	exec {fd}<&-
	[ -p "$TMP/fifo" ]
	[ "$(tr '\0' ' ' < "/proc/$pid/cmdline")" = "/bin/sleep 100 " ]
	[ "$(pgrep -P $!)" = "$pid" ]
}

@test "hako-run: a pid file that is a directory, a socket or a FIFO nobody reads -> 125, nothing started" {
	mkdir "$TMP/out" "$TMP/dir"
	write_init "$SB" 'touch "$HAKO_OUT/init-ran"'
	export HAKO_OUT=$TMP/out
	expect_error 125 "hako-run: cannot use pid file $TMP/dir: Is a directory" \
		"$RUN" -p "$TMP/dir" "$SB" /bin/echo ran
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$TMP/sock"
	expect_error 125 "hako-run: cannot use pid file $TMP/sock: not a regular file, FIFO or character device" \
		"$RUN" -p "$TMP/sock" "$SB" /bin/echo ran
	mkfifo "$TMP/fifo"
	expect_error 125 "hako-run: cannot open pid file $TMP/fifo: No such device or address" \
		timeout 10 "$RUN" -p "$TMP/fifo" "$SB" /bin/echo ran
	[ ! -e "$TMP/out/init-ran" ]
	[ -d "$TMP/dir" ] && [ -S "$TMP/sock" ] && [ -p "$TMP/fifo" ]
	[ "$(ls -A "$TMP" | tr '\n' ' ')" = "dir fifo out pids sb sock " ]
}

@test "hako-run: a pid file naming a closed, read-only or socket descriptor -> 125, nothing started, the link untouched" {
	mkdir "$TMP/out"
	write_init "$SB" 'touch "$HAKO_OUT/init-ran"'
	export HAKO_OUT=$TMP/out
	expect_error 125 "hako-run: cannot use pid file /dev/fd/7: Bad file descriptor" \
		"$RUN" -p /dev/fd/7 "$SB" /bin/echo ran
	# A symlink to a closed descriptor is not replaced either: it may be
	# the host's /dev/stdout.
	ln -s /proc/self/fd/7 "$TMP/seven"
	expect_error 125 "hako-run: cannot use pid file $TMP/seven: Bad file descriptor" \
		"$RUN" -p "$TMP/seven" "$SB" /bin/echo ran
	[ "$(readlink "$TMP/seven")" = /proc/self/fd/7 ]
	expect_error 125 "hako-run: cannot use pid file /dev/fd/7: descriptor 7 is not open for writing" \
		"$RUN" -p /dev/fd/7 "$SB" /bin/echo ran 7</dev/null
	run python3 -c '
import socket, subprocess, sys
a, b = socket.socketpair()
p = subprocess.run([sys.argv[1], "-p", "/dev/stdout", sys.argv[2], "/bin/echo", "ran"], stdout=a, stderr=subprocess.PIPE)
print(p.returncode, p.stderr.decode().strip())' "$RUN" "$SB"
	[ "$status" -eq 0 ]
	[ "$output" = "125 hako-run: cannot use pid file /dev/stdout: not a regular file, FIFO or character device" ]
	[ ! -e "$TMP/out/init-ran" ]
}

@test "hako-run: -p /proc/self/fd/1 with standard output on a file appends the pid to it; /proc/thread-self/fd/N and /dev/fd/N name the descriptor too" {
	# Not /dev/stdout itself: should this break, the host's would be
	# replaced (tests/untrusted.bats has the same through a link).
	echo before > "$TMP/log"
	"$RUN" -p /proc/self/fd/1 "$SB" /bin/echo ran >> "$TMP/log"
	run cat "$TMP/log"
	[[ $output =~ ^before$'\n'([1-9][0-9]*$'\n'ran|ran$'\n'[1-9][0-9]*)$ ]]
	"$RUN" -p /proc/thread-self/fd/5 "$SB" /bin/true 5> "$TMP/five"
	grep -qx '[1-9][0-9]*' "$TMP/five"
	"$RUN" -p /dev/fd/6 "$SB" /bin/true 6> "$TMP/six"
	grep -qx '[1-9][0-9]*' "$TMP/six"
}

@test "hako-run: a pid file in a missing directory -> 125, nothing started" {
	mkdir "$TMP/out"
	write_init "$SB" 'touch "$HAKO_OUT/init-ran"'
	export HAKO_OUT=$TMP/out
	expect_error 125 "hako-run: cannot create pid file $TMP/nodir/pid: No such file or directory" \
		"$RUN" -p "$TMP/nodir/pid" "$SB" /bin/echo ran
	[ ! -e "$TMP/out/init-ran" ]
	[ ! -e "$TMP/nodir" ]
	# An empty name is no pid file either (not "./.XXXXXX").
	(cd "$TMP/out" && expect_error 125 "hako-run: cannot create pid file : No such file or directory" \
		"$RUN" --pid-file= "$SB" /bin/echo ran)
	[ ! -e "$TMP/out/init-ran" ]
	[ -z "$(ls -A "$TMP/out")" ]
	# A FIFO given as the network namespace does not hang.
	mkfifo "$TMP/fifo"
	run timeout 10 "$RUN" --network="$TMP/fifo" "$SB" /bin/true
	[ "$status" -eq 125 ]
	[ "$output" = "hako-run: cannot join network namespace $TMP/fifo: Invalid argument" ]
}

# --- exit status ----------------------------------------------------------------

@test "hako-run: the command's exit status is passed on" {
	local s
	for s in 0 3 42 255; do
		run "$RUN" "$SB" /bin/sh -c "exit $s"
		[ "$status" -eq "$s" ]
		[ "$output" = "" ]
	done
	run "$RUN" "$SB" /bin/false
	[ "$status" -eq 1 ]
	# a caller that ignores SIGCHLD does not lose the status
	run bash -c 'trap "" CHLD; exec "$1" "$2" /bin/sh -c "exit 42"' _ "$RUN" "$SB"
	[ "$status" -eq 42 ]
	# pid 1 without a handler ignores signals sent from inside
	run "$RUN" "$SB" /bin/sh -c 'kill -TERM $$; kill -9 $$; echo alive'
	[ "$status" -eq 0 ]
	[ "$output" = "alive" ]
}

@test "hako-run: a command killed by a signal gives 128+N" {
	local rc=0
	start_bg "$TMP/pid" "$SB" sleep 100
	running_as "$BOX" sleep
	kill -KILL "$BOX"
	gone "$SUP"
	wait "$SUP" || rc=$?
	[ "$rc" -eq 137 ]
}

@test "hako-run: cannot execute -> 126, not found -> 127" {
	printf '#!/bin/sh\necho ran\n' > "$SB/bin/noexec"
	chmod 644 "$SB/bin/noexec"
	expect_error 126 "hako-run: cannot execute /bin/noexec: Permission denied" \
		"$RUN" "$SB" /bin/noexec
	expect_error 126 "hako-run: cannot execute noexec: Permission denied" \
		"$RUN" "$SB" noexec
	expect_error 126 "hako-run: cannot execute /etc: Permission denied" \
		"$RUN" "$SB" /etc
	expect_error 127 "hako-run: cannot execute /bin/missing: No such file or directory" \
		"$RUN" "$SB" /bin/missing
	expect_error 127 "hako-run: cannot execute missing-cmd: No such file or directory" \
		"$RUN" "$SB" missing-cmd
	rm "$SB/bin/sh"
	expect_error 127 "hako-run: cannot execute /bin/sh: No such file or directory" \
		"$RUN" "$SB"
}

# --- signals to the supervisor -----------------------------------------------

@test "hako-run: SIGINT, SIGTERM, SIGHUP, SIGQUIT kill the sandbox, exit 128+N" {
	local sig num rc
	for sig in INT:2 TERM:15 HUP:1 QUIT:3; do
		num=${sig#*:}
		sig=${sig%:*}
		rm -f "$TMP/pid"
		start_bg "$TMP/pid" "$SB" sleep 100
		running_as "$BOX" sleep
		kill -"$sig" "$SUP"
		gone "$SUP"
		rc=0
		wait "$SUP" || rc=$?
		echo "$sig: rc=$rc"
		[ "$rc" -eq $((128 + num)) ]
		gone "$BOX"
	done
	assert_clean
}

@test "hako-run: SIGINT and SIGHUP kill the sandbox even when the caller ignores them" {
	local rc sig num
	# A script's background job ignores SIGINT and SIGQUIT; nohup, SIGHUP.
	for sig in INT HUP; do
		num=$(kill -l "$sig")
		env --ignore-signal="$sig" "$RUN" -p "$TMP/pid.$sig" "$SB" sleep 100 \
			</dev/null >/dev/null 2>&1 3>&- &
		SUP=$!
		track "$SUP"
		wait_for "$TMP/pid.$sig"
		BOX=$(cat "$TMP/pid.$sig")
		running_as "$BOX" sleep
		kill "-$sig" "$SUP"
		rc=0
		wait "$SUP" || rc=$?
		echo "$sig: rc=$rc"
		[ "$rc" -eq $((128 + num)) ]
		gone "$BOX"
	done
}

@test "hako-run: kill -9 of hako-run kills the sandbox, also with -u/-g" {
	start_bg "$TMP/pid" "$SB" sleep 100
	running_as "$BOX" sleep
	kill -KILL "$SUP"
	gone "$SUP"
	gone "$BOX"
	assert_clean
	start_bg "$TMP/pid2" -u 65534 -g 65534 "$SB" sleep 100
	running_as "$BOX" sleep
	kill -KILL "$SUP"
	gone "$SUP"
	gone "$BOX"
	assert_clean
}

# --- no hang ----------------------------------------------------------------------

@test "hako-run: 200 back-to-back runs of /bin/true end" {
	run timeout 60 bash -c 'for i in $(seq 200); do "$1" "$2" /bin/true || exit 1; done' _ "$RUN" "$SB"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "hako-run: 200 back-to-back runs with a failing init end, each 125" {
	write_init "$SB" 'exit 1'
	run --separate-stderr timeout 60 bash -c '
		for i in $(seq 200); do
			rc=0
			"$1" "$2" /bin/true || rc=$?
			[ "$rc" -eq 125 ] || exit 1
		done' _ "$RUN" "$SB"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$(echo "$stderr" | wc -l)" -eq 200 ]
	[ "$(echo "$stderr" | sort -u)" = "hako-run: $SB/.hako/init failed with exit status 1" ]
	assert_clean
}

# --- bad input ---------------------------------------------------------------------

@test "hako-run: a missing target, a file, a directory without .hako -> 125" {
	mkdir "$TMP/plain"
	expect_error 125 "hako-run: cannot use sandbox $TMP/nope: No such file or directory" \
		"$RUN" "$TMP/nope" /bin/true
	expect_error 125 "hako-run: cannot use sandbox : No such file or directory" \
		"$RUN" '' /bin/true
	expect_error 125 "hako-run: cannot use sandbox $SB/etc/marker: Not a directory" \
		"$RUN" "$SB/etc/marker" /bin/true
	expect_error 125 "hako-run: cannot execute $TMP/plain/.hako/init: No such file or directory" \
		"$RUN" "$TMP/plain" /bin/true
}

@test "hako-run: 20000 arguments and 10000 -e options get through" {
	local -a args envs
	mapfile -t args < <(seq 20000)
	run "$RUN" "$SB" /bin/echo "${args[@]}"
	[ "$status" -eq 0 ]
	[ "$output" = "${args[*]}" ]
	mapfile -t envs < <(seq 10000 | awk '{ print "-e"; print "V" $1 "=" $1 }')
	"$RUN" "${envs[@]}" "$SB" /bin/env > "$TMP/env.out"
	[ "$(wc -l < "$TMP/env.out")" -eq 10000 ]
	seq 10000 | awk '{ print "V" $1 "=" $1 }' | cmp - "$TMP/env.out"
	run "$RUN" "${envs[@]}" "$SB" /bin/sh -c 'env | wc -l'
	[ "$status" -eq 0 ]
	[ "$output" -ge 10000 ]
}

# --- working directory ---------------------------------------------------------

@test "hako-run: the default working directory is /, -c DIR absolute or relative" {
	cd "$SB/etc" || return 1
	run "$RUN" "$SB" /bin/pwd
	[ "$status" -eq 0 ]
	[ "$output" = "/" ]
	run "$RUN" -c /etc "$SB" /bin/sh -c 'pwd; cat marker'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '/etc\nsandbox-file')" ]
	run "$RUN" -c etc "$SB" /bin/pwd
	[ "$status" -eq 0 ]
	[ "$output" = "/etc" ]
	run "$RUN" --chdir /tmp "$SB" /bin/pwd
	[ "$status" -eq 0 ]
	[ "$output" = "/tmp" ]
}

@test "hako-run: -c to a missing directory -> 125" {
	expect_error 125 "hako-run: cannot change directory to /nodir: No such file or directory" \
		"$RUN" -c /nodir "$SB" /bin/echo ran
	expect_error 125 "hako-run: cannot change directory to /etc/marker: Not a directory" \
		"$RUN" -c /etc/marker "$SB" /bin/echo ran
	# a host directory is not there
	mkdir "$TMP/hostonly"
	expect_error 125 "hako-run: cannot change directory to $TMP/hostonly: No such file or directory" \
		"$RUN" -c "$TMP/hostonly" "$SB" /bin/pwd
}

# --- descriptors -------------------------------------------------------------------

@test "hako-run: --keep-fd lets a descriptor through, the others are closed" {
	echo kept-content > "$TMP/kept"
	exec 8< "$TMP/kept"
	run "$RUN" -k 8 "$SB" /bin/sh -c 'cat <&8'
	[ "$status" -eq 0 ]
	[ "$output" = "kept-content" ]
	# inside, only 0 1 2 and the directory ls reads (3)
	run "$RUN" "$SB" /bin/ls /proc/self/fd
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | tr '\n' ' ')" = "0 1 2 3 " ]
	exec 9< "$SB/etc/marker"
	start_bg "$TMP/pid" "$SB" sleep 100
	running_as "$BOX" sleep
	[ "$(ls "/proc/$BOX/fd" | sort -n | tr '\n' ' ')" = "0 1 2 " ]
	start_bg "$TMP/pid2" --keep-fd 9 "$SB" sleep 100
	exec 8<&- 9<&-
	running_as "$BOX" sleep
	[ "$(ls "/proc/$BOX/fd" | sort -n | tr '\n' ' ')" = "0 1 2 9 " ]
	[ "$(readlink "/proc/$BOX/fd/9")" = "$SB/etc/marker" ]
}

@test "hako-run: bad --keep-fd values -> 125" {
	expect_error 125 "hako-run: invalid descriptor to keep: 2 (it must be 3 or more: 0, 1 and 2 are always passed)" "$RUN" -k 2 "$SB" /bin/true
	expect_error 125 "hako-run: invalid descriptor to keep: 0 (it must be 3 or more: 0, 1 and 2 are always passed)" "$RUN" -k 0 "$SB" /bin/true
	expect_error 125 "hako-run: invalid descriptor to keep: abc" "$RUN" -k abc "$SB" /bin/true
	expect_error 125 "hako-run: invalid descriptor to keep: 8x" "$RUN" -k 8x "$SB" /bin/true
	expect_error 125 "hako-run: invalid descriptor to keep: " "$RUN" -k '' "$SB" /bin/true
	expect_error 125 "hako-run: invalid descriptor to keep: -3" "$RUN" --keep-fd=-3 "$SB" /bin/true
	[ ! -e "/proc/$BASHPID/fd/57" ]
	expect_error 125 "hako-run: invalid descriptor to keep: 57: Bad file descriptor" \
		"$RUN" -k 57 "$SB" /bin/true
}

# --- user namespace (smoke; see rootless.bats) ---------------------------------

@test "hako-run: -U maps the sandbox's ids from an unprivileged base" {
	chmod 755 "$TMP"
	# Inside, the command's own user namespace maps the sandbox's ids as
	# they are; the host sees them from the base.
	run "$RUN" -U "$SB" /bin/sh -c 'awk "{ print \$1, \$2, \$3 }" /proc/self/uid_map /proc/self/gid_map; id'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '0 0 65536\n0 0 65536\nuid=0 gid=0')" ]
	start_bg "$TMP/pid" --userns=200000 "$SB" /bin/sleep 100
	[ "$(awk '{ print $1, $2, $3 }' "/proc/$BOX/uid_map" "/proc/$BOX/gid_map")" = "$(printf '0 200000 65536\n0 200000 65536')" ]
}
