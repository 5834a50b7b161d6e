#!/usr/bin/env bats
# Everyday use: lo is up in a new network namespace, init may mount a new
# root over the target, init is told how it was started, hako-enter
# refuses a process that is in no sandbox, and messages that say what to do.

bats_require_minimum_version 1.5.0


setup() {
	load helper
	sandbox_setup
	# /dev/null for the shell's background jobs, as a real init gives it
	mkdir -p "$SB/dev"
	: > "$SB/dev/null"
	write_init "$SB" 'mount -t proc proc proc && mount -t tmpfs tmpfs tmp && mount --bind /dev/null dev/null'
}

teardown() {
	sandbox_teardown
}

# A server on 127.0.0.1:8000 that sends "served", and a client that
# tries until it connects (the server may not listen yet).
serve='echo served > /tmp/m && nc -l -p 8000 < /tmp/m'
connect='for i in $(seq 200); do nc 127.0.0.1 8000 < /dev/null 2>/dev/null && exit 0; sleep 0.05; done; exit 1'

# start_server [hako-run options]: a sandbox whose command is a server
# like that, for every client, in the background (start_bg: SUP its
# supervisor, BOX its pid 1).
start_server() {
	start_bg "$TMP/pid" -W "$@" "$SB" /bin/sh -c 'echo served > /tmp/m && exec nc -ll -p 8000 -e cat /tmp/m'
	running_as "$BOX" nc
}

# --- lo is up in a new network namespace ----------------------------------

@test "lo: up in a new network namespace; a server and a client talk over 127.0.0.1" {
	run --separate-stderr "$RUN" "$SB" /bin/sh -c 'ip -o link show lo | grep -o "<[A-Z_,]*>"'
	[ "$status" -eq 0 ]
	[ "$output" = "<LOOPBACK,UP,LOWER_UP>" ]
	run --separate-stderr "$RUN" "$SB" /bin/sh -c "$serve & $connect"
	[ "$status" -eq 0 ]
	[ "$output" = "served" ]
	# control: with lo down the same client cannot connect
	run --separate-stderr "$RUN" "$SB" /bin/sh -c 'ip link set lo down && nc -w 2 127.0.0.1 8000 < /dev/null'
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	assert_clean
}

@test "lo: hako-enter --fork and a sandbox on the first one's network reach its server on 127.0.0.1" {
	start_server
	run --separate-stderr "$ENTER" --fork "$BOX" /bin/sh -c "$connect"
	[ "$status" -eq 0 ]
	[ "$output" = "served" ]
	run --separate-stderr "$RUN" --network="/proc/$BOX/ns/net" "$SB" /bin/sh -c "$connect"
	[ "$status" -eq 0 ]
	[ "$output" = "served" ]
	kill "$SUP"
	wait "$SUP" || true
	assert_clean
}

@test "lo: -N and --network=FILE leave the network namespace's lo as it is" {
	# a network namespace of our own whose lo is down, shared or joined
	run --separate-stderr unshare -n sh -c '
		"$1" -N "$2" /bin/sh -c "ip -o link show lo | grep -o \"<[A-Z_,]*>\""
		"$1" --network=/proc/self/ns/net "$2" /bin/sh -c "ip -o link show lo | grep -o \"<[A-Z_,]*>\""
		ip -o link show lo | grep -o "<[A-Z_,]*>"' _ "$RUN" "$SB"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '<LOOPBACK>\n<LOOPBACK>\n<LOOPBACK>')" ]
	assert_clean
}

@test "lo: rootless, up too; a server and a client talk over 127.0.0.1" {
	require_unpriv_userns
	chown -R $UNPRIV:$UNPRIV "$TMP"
	chmod 755 "$TMP"
	run --separate-stderr "${AS_USER[@]}" "$RUN" "$SB" /bin/sh -c "ip -o link show lo | grep -o '<[A-Z_,]*>' && { $serve & $connect; }"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '<LOOPBACK,UP,LOWER_UP>\nserved')" ]
	assert_clean
}

# --- init may put a new root over the target ------------------------------

# overlay_init UPPER_PARENT [LOWER]: an init that mounts an overlay of
# LOWER (default the target) with its upper layer in UPPER_PARENT/u over
# the target, then proc on it.
overlay_init() {
	mkdir -p "$1/u" "$1/w"
	write_init "$SB" "mount -t overlay overlay -o lowerdir=${2:-\$PWD},upperdir=$1/u,workdir=$1/w \"\$PWD\"
mount -t proc proc proc"
}

@test "new root: -W, an overlay init: the command's writes land in the upper layer, the target is untouched" {
	overlay_init "$TMP/ov"
	run --separate-stderr "$RUN" -W "$SB" /bin/sh -c 'echo new > /x && echo changed > /etc/marker && cat /x /etc/marker && ls /.hako'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'new\nchanged\ninit')" ]
	[ "$stderr" = "" ]
	[ "$(cat "$TMP/ov/u/x")" = new ]
	[ "$(cat "$TMP/ov/u/etc/marker")" = changed ]
	[ ! -e "$SB/x" ]
	[ "$(cat "$SB/etc/marker")" = sandbox-file ]
	# a relative target is found again too
	cd "$TMP"
	run --separate-stderr "$RUN" -W sb /bin/sh -c 'echo again > /y'
	[ "$status" -eq 0 ]
	[ "$(cat "$TMP/ov/u/y")" = again ]
	[ ! -e "$SB/y" ]
	assert_clean
}

@test "new root: without -W the overlay is read-only" {
	overlay_init "$TMP/ov"
	run --separate-stderr "$RUN" "$SB" /bin/sh -c 'echo new > /x'
	[ "$status" -eq 1 ]
	[ "$stderr" = "/bin/sh: can't create /x: Read-only file system" ]
	[ -z "$(ls "$TMP/ov/u")" ]
	[ ! -e "$SB/x" ]
	assert_clean
}

@test "new root: an overlay without .hako fails with 125 and says so" {
	mkdir -p "$TMP/lower/bin"
	cp "$BUSYBOX" "$TMP/lower/bin/sh"
	overlay_init "$TMP/ov" "$TMP/lower"
	expect_error 125 "hako-run: cannot use the root init mounted on $SB: .hako: No such file or directory" \
		"$RUN" "$SB" /bin/true
	cd "$TMP"
	expect_error 125 "hako-run: cannot use the root init mounted on sb: .hako: No such file or directory" \
		"$RUN" -W sb /bin/true
}

@test "new root: an init that fails after mounting its overlay: 125, nothing mounted on the host" {
	mkdir -p "$TMP/ov/u" "$TMP/ov/w"
	write_init "$SB" "mount -t overlay overlay -o lowerdir=\$PWD,upperdir=$TMP/ov/u,workdir=$TMP/ov/w \"\$PWD\"
mount -t tmpfs tmpfs tmp
exit 3"
	expect_error 125 "hako-run: $SB/.hako/init failed with exit status 3" "$RUN" -W "$SB" /bin/true
	[ -z "$(ls "$TMP/ov/u")" ]
}

@test "new root: a tmpfs with a copy of the target; read-only without -W, a throw-away root with it" {
	mkdir "$TMP/copy"
	write_init "$SB" "mount -t tmpfs tmpfs $TMP/copy
cp -a \"\$PWD/.\" $TMP/copy/
mount --move $TMP/copy \"\$PWD\"
mount -t proc proc proc"
	run --separate-stderr "$RUN" "$SB" /bin/sh -c 'cat /etc/marker; grep -c " / tmpfs " /proc/self/mounts; echo x > /x'
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'sandbox-file\n1')" ]
	[ "$stderr" = "/bin/sh: can't create /x: Read-only file system" ]
	run --separate-stderr "$RUN" -W "$SB" /bin/sh -c 'echo x > /x && cat /x'
	[ "$status" -eq 0 ]
	[ "$output" = "x" ]
	[ ! -e "$SB/x" ]
	assert_clean
}

@test "new root: rootless, an overlay init; -W writes land in the upper layer" {
	require_unpriv_userns
	overlay_init "$TMP/ov"
	chown -R $UNPRIV:$UNPRIV "$TMP"
	chmod 755 "$TMP"
	run --separate-stderr "${AS_USER[@]}" "$RUN" -W "$SB" /bin/sh -c 'echo new > /x && cat /x'
	[ "$status" -eq 0 ]
	[ "$output" = "new" ]
	[ "$(cat "$TMP/ov/u/x")" = new ]
	[ ! -e "$SB/x" ]
	run --separate-stderr "${AS_USER[@]}" "$RUN" "$SB" /bin/sh -c 'echo new > /z'
	[ "$status" -eq 1 ]
	[ "$stderr" = "/bin/sh: can't create /z: Read-only file system" ]
	assert_clean
}

# --- init is told how it was started --------------------------------------

# init saves its HAKO_ variables where the command can read them.
env_init='mount -t tmpfs tmpfs tmp && env | grep -E "^HAKO_(NETWORK|WRITABLE|USERNS|OTHER)=" | sort > tmp/env'

@test "init env: HAKO_NETWORK, HAKO_WRITABLE, HAKO_USERNS as given; the caller's values never reach init" {
	write_init "$SB" "$env_init"
	run --separate-stderr env HAKO_NETWORK=evil HAKO_WRITABLE=evil HAKO_USERNS=evil HAKO_OTHER=kept \
		"$RUN" "$SB" /bin/cat /tmp/env
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'HAKO_NETWORK=new\nHAKO_OTHER=kept\nHAKO_USERNS=0\nHAKO_WRITABLE=0')" ]
	chmod 755 "$TMP" # for -U's root, a host id of no privilege
	run --separate-stderr env HAKO_WRITABLE=0 "$RUN" -W -N -U "$SB" /bin/cat /tmp/env
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'HAKO_NETWORK=host\nHAKO_USERNS=1\nHAKO_WRITABLE=1')" ]
	run --separate-stderr "$RUN" --network=/proc/self/ns/net "$SB" /bin/cat /tmp/env
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'HAKO_NETWORK=/proc/self/ns/net\nHAKO_USERNS=0\nHAKO_WRITABLE=0')" ]
	chown -R $UNPRIV:$UNPRIV "$TMP"
	chmod 755 "$TMP"
	run --separate-stderr "${AS_USER[@]}" env HAKO_USERNS=0 "$RUN" "$SB" /bin/cat /tmp/env
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'HAKO_NETWORK=new\nHAKO_USERNS=rootless\nHAKO_WRITABLE=0')" ]
	assert_clean
}

@test "init env: a long environment (pages of its own) still reaches init whole, with hako's values" {
	local vars=() i
	for i in $(seq 600); do vars+=("V$i=$i"); done
	write_init "$SB" 'mount -t tmpfs tmpfs tmp && env | grep -c "^V[0-9]*=" > tmp/n && env | grep -E "^HAKO_(NETWORK|WRITABLE|USERNS|OTHER)=" | sort >> tmp/n'
	run --separate-stderr env "${vars[@]}" HAKO_NETWORK=evil "$RUN" -N "$SB" /bin/cat /tmp/n
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '600\nHAKO_NETWORK=host\nHAKO_USERNS=0\nHAKO_WRITABLE=0')" ]
}

@test "init env: the command never gets them; its environment is only -e" {
	write_init "$SB" "$env_init"
	run --separate-stderr env HAKO_NETWORK=evil "$RUN" -e A=1 "$SB" /bin/env
	[ "$status" -eq 0 ]
	[ "$output" = "A=1" ]
}

# --- hako-enter refuses a process that is not in a sandbox ----------------

@test "hako-enter: its caller's own pid is not a sandbox: 125, nothing runs" {
	expect_error 125 "hako-enter: process $$ is not in a sandbox: it shares hako-enter's mount and pid namespaces" \
		"$ENTER" --fork $$ /bin/touch "$TMP/ran"
	expect_error 125 "hako-enter: process $$ is not in a sandbox: it shares hako-enter's mount and pid namespaces" \
		"$ENTER" $$ /bin/touch "$TMP/ran"
	[ ! -e "$TMP/ran" ]
}

@test "hako-enter: pid 1 is not a sandbox (or cannot even be inspected): 125" {
	if readlink /proc/1/ns/mnt >/dev/null 2>&1; then
		expect_error 125 "hako-enter: process 1 is not in a sandbox: it shares hako-enter's mount and pid namespaces" \
			"$ENTER" --fork 1 /bin/true
	else
		expect_error 125 "hako-enter: cannot inspect the namespaces of 1: Permission denied" \
			"$ENTER" --fork 1 /bin/true
	fi
}

@test "hako-enter: a stale pid file whose pid a host process now has is refused; the sandbox it named was entered" {
	start_server
	run --separate-stderr "$ENTER" --fork "$(cat "$TMP/pid")" /bin/cat /etc/marker
	[ "$status" -eq 0 ]
	[ "$output" = "sandbox-file" ]
	kill "$SUP"
	wait "$SUP" || true
	# the pid is reused by a host process: simulated by writing its pid
	sleep 100 &
	track $!
	echo $! > "$TMP/pid"
	expect_error 125 "hako-enter: process $! is not in a sandbox: it shares hako-enter's mount and pid namespaces" \
		"$ENTER" --fork "$(cat "$TMP/pid")" /bin/cat /etc/marker
}

@test "hako-enter: a process that is gone by the time its namespaces are compared: 125, one clear line" {
	# A zombie: its pid and pidfd still exist, its namespaces do not.
	python3 -c 'import os, sys
pid = os.fork()
if pid == 0:
    os._exit(0)
print(pid, flush=True)
sys.stdin.read()' < <(sleep 100) > "$TMP/zombie" &
	track $!
	wait_for "$TMP/zombie"
	local z
	z=$(cat "$TMP/zombie")
	gone "$z"
	expect_error 125 "hako-enter: cannot inspect the namespaces of $z: No such process" "$ENTER" --fork "$z" /bin/true
	expect_error 125 "hako-enter: cannot inspect the namespaces of $z: No such process" "$ENTER" "$z" /bin/true
}

# --- messages that say what to do -----------------------------------------

@test "messages: -U with a base attached, -N FILE apart, -k below 3, a base rootless" {
	require_unpriv_userns
	expect_error 125 "hako-run: invalid option: -U200000 (a user namespace base is given as --userns=200000)" \
		"$RUN" -U200000 "$SB" /bin/true
	expect_error 125 "hako-run: invalid option: -WU200000 (a user namespace base is given as --userns=200000)" \
		"$RUN" -WU200000 "$SB" /bin/true
	expect_error 125 "hako-run: invalid option: -2 (see --help)" "$RUN" -2 "$SB" /bin/true
	expect_error 125 "hako-run: cannot use sandbox /proc/self/ns/net: Not a directory (a network namespace to join is given as --network=/proc/self/ns/net)" \
		"$RUN" -N /proc/self/ns/net "$SB" /bin/true
	expect_error 125 "hako-run: cannot use sandbox $TMP/none: No such file or directory (a network namespace to join is given as --network=$TMP/none)" \
		"$RUN" -N "$TMP/none" "$SB" /bin/true
	# not after a directory that is no sandbox, nor without -N
	expect_error 125 "hako-run: cannot use sandbox /proc/self/ns/net: Not a directory" \
		"$RUN" -N /proc/self/ns/net "$TMP" /bin/true
	expect_error 125 "hako-run: cannot use sandbox /proc/self/ns/net: Not a directory" \
		"$RUN" /proc/self/ns/net "$SB" /bin/true
	expect_error 125 "hako-run: invalid descriptor to keep: 2 (it must be 3 or more: 0, 1 and 2 are always passed)" \
		"$RUN" -k 2 "$SB" /bin/true
	expect_error 125 "hako-enter: invalid descriptor to keep: 0 (it must be 3 or more: 0, 1 and 2 are always passed)" \
		"$ENTER" -k 0 1 /bin/true
	expect_error 125 "hako-run: invalid descriptor to keep: x" "$RUN" -k x "$SB" /bin/true
	chown -R $UNPRIV:$UNPRIV "$TMP"
	expect_error 125 "hako-run: invalid user namespace base: 200000 (only root chooses one; rootless, the sandbox's root is the caller)" \
		"${AS_USER[@]}" "$RUN" --userns=200000 "$SB" /bin/true
	# the original's wording stays
	expect_error 125 "hako-run: must provide sandbox dir" "$RUN" -W
	expect_error 125 "hako-run: invalid user: nosuchuser" "$RUN" -u nosuchuser "$SB" /bin/true
}

@test "messages: an init with CRLF line ends names its interpreter; one with no #! and no ELF header says so" {
	printf '#!/bin/sh\r\nexit 0\r\n' > "$SB/.hako/init"
	expect_error 125 "hako-run: cannot execute $SB/.hako/init: bad interpreter /bin/sh^M: No such file or directory" \
		"$RUN" "$SB" /bin/true
	printf '#! /no/such/shell -e\nexit 0\n' > "$SB/.hako/init"
	expect_error 125 "hako-run: cannot execute $SB/.hako/init: bad interpreter /no/such/shell: No such file or directory" \
		"$RUN" "$SB" /bin/true
	printf 'exit 0\n' > "$SB/.hako/init"
	expect_error 125 "hako-run: cannot execute $SB/.hako/init: neither a #! line nor an ELF header: Exec format error" \
		"$RUN" "$SB" /bin/true
	: > "$SB/.hako/init"
	expect_error 125 "hako-run: cannot execute $SB/.hako/init: neither a #! line nor an ELF header: Exec format error" \
		"$RUN" "$SB" /bin/true
	# an ELF binary for another machine is only a format error
	printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\002\000\377\377' > "$SB/.hako/init"
	expect_error 125 "hako-run: cannot execute $SB/.hako/init: Exec format error" "$RUN" "$SB" /bin/true
	rm "$SB/.hako/init"
	expect_error 125 "hako-run: cannot execute $SB/.hako/init: No such file or directory" "$RUN" "$SB" /bin/true
}

@test "messages: no doubled slash after a target that ends with one, or /" {
	expect_error 125 "hako-run: cannot execute /.hako/init: No such file or directory" "$RUN" / /bin/true
	write_init "$SB" 'exit 4'
	expect_error 125 "hako-run: $SB/.hako/init failed with exit status 4" "$RUN" "$SB/" /bin/true
	write_init "$SB" 'kill -TERM $$'
	expect_error 125 "hako-run: $SB/.hako/init killed by signal 15 (Terminated)" "$RUN" "$SB/" /bin/true
}

# --- the README's sandbox, copied as is -----------------------------------

# readme_sandbox DIR: the README's layout commands and its complete init,
# run and written in DIR, as a reader would copy them.
readme_sandbox() {
	local readme=$BATS_TEST_DIRNAME/../README.md
	mkdir -p "$1"
	(cd "$1" && eval "$(sed -n 's/^    \(mkdir -p sb\/.*\)$/\1/p; s/^    \(for f in .*sb\/dev.*\)$/\1/p' "$readme")")
	awk '/This one, as `sb\/.hako\/init`/ { f = 1 }
		f && /^```sh$/ { p = 1; next }
		p && /^```$/ { exit }
		p' "$readme" > "$1/sb/.hako/init"
	chmod 755 "$1/sb/.hako/init"
	[ "$(head -1 "$1/sb/.hako/init")" = "#!/bin/sh" ]
	[ -f "$1/sb/dev/null" ] && [ -f "$1/sb/dev/console" ] && [ -d "$1/sb/dev/pts" ]
}

readme_check='echo gone > /dev/null && head -c 3 /dev/zero | wc -c && ls -A /.hako | wc -l &&
touch /tmp/ok && echo tmp-ok && test -r /proc/1/status && echo proc-ok &&
ip -o link show lo | grep -o "<[A-Z_,]*>"; touch /x'

@test "README: its init, copied as is, gives devices, proc, a scratch /tmp and lo; the root is read-only" {
	require_unpriv_userns
	readme_sandbox "$TMP/readme"
	run --separate-stderr "$RUN" -e PATH=/usr/bin:/bin "$TMP/readme/sb" /bin/sh -c "$readme_check"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '3\n0\ntmp-ok\nproc-ok\n<LOOPBACK,UP,LOWER_UP>')" ]
	[ "$stderr" = "touch: cannot touch '/x': Read-only file system" ]
	# rootless, the same
	chown -R $UNPRIV:$UNPRIV "$TMP"
	chmod 755 "$TMP"
	run --separate-stderr "${AS_USER[@]}" "$RUN" -e PATH=/usr/bin:/bin "$TMP/readme/sb" /bin/sh -c "$readme_check"
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '3\n0\ntmp-ok\nproc-ok\n<LOOPBACK,UP,LOWER_UP>')" ]
	assert_clean
}

@test "README: its init on a terminal: tty names /dev/console, new terminals can be opened" {
	readme_sandbox "$TMP/readme"
	run --separate-stderr python3 -c 'import pty, sys; pty.spawn(sys.argv[1:])' \
		"$RUN" -e PATH=/usr/bin:/bin "$TMP/readme/sb" /bin/sh -c 'tty && script -qc "tty" /dev/null'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'/dev/console\r' ]
	[ "${lines[1]}" = $'/dev/pts/0\r' ]
	assert_clean
}
