#!/usr/bin/env bats
# Rootless mode (ROOTLESS MODE in hako-run(1)): a non-root caller gets a user
# namespace in which it is root; root gets the same confinement with -U.
# The unprivileged caller here is uid/gid 65534, which owns the whole $TMP.

bats_require_minimum_version 1.5.0


setup() {
	load helper
	rootless_setup
	: > "$TMP/sandboxes"
}

teardown() {
	local pids p
	pids=$(cat "$TMP/sandboxes" 2>/dev/null || true)
	sandbox_teardown
	# Nothing left behind: every sandbox this test saw is dead (a zombie
	# still waiting for the host's init to reap it counts as dead).
	for p in $pids; do
		gone "$p" || { echo "sandbox pid $p still running" >&2; return 1; }
	done
	if grep -q "${TMP:-/nonexistent}" /proc/self/mountinfo; then
		echo "mount left under $TMP" >&2
		return 1
	fi
}

# start_watched ARGS...: start_bg ARGS, and the sandbox's pid
# remembered for teardown, which checks that it is gone.
start_watched() {
	start_bg "$@" || return 1
	echo "$BOX" >> "$TMP/sandboxes"
}

# start_sleeper: a rootless sandbox whose command is sleep, as -u 1000
# -g 1000 (SUP and BOX as start_bg sets them).
start_sleeper() {
	start_watched as_user "$TMP/pid" -u 1000 -g 1000 "$SB" /bin/sleep 100
}

ids_script='id; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; grep -E "^(CapEff|NoNewPrivs):" /proc/self/status'

# --- rootless: the caller is root of its own user namespace ----------------

@test "rootless: the command is root of a user namespace that maps only the caller" {
	# Its own namespace is nested in the sandbox's (which maps the
	# caller), with the same ids: its map, seen from inside, is 0 onto 0.
	run as_user "$RUN" "$SB" /bin/sh -c "$ids_script"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "uid=0 gid=0" ]
	[ "${lines[1]}" = "         0          0          1" ]
	[ "${lines[2]}" = "         0          0          1" ]
	[ "${lines[3]}" = "deny" ]
	[[ ${lines[4]} == CapEff:* ]]
	[ "${lines[4]}" != "CapEff:	0000000000000000" ]
	[ "${lines[5]}" = "NoNewPrivs:	1" ]
	[ "${#lines[@]}" -eq 6 ]
}

@test "rootless: init bind-mounts a host file read-only, mounts proc and tmpfs, hides .hako; the root is read-only" {
	write_init "$SB" 'touch etc/hostname-host
mount --bind /etc/hostname etc/hostname-host
mount -o remount,ro,bind etc/hostname-host
mount -t proc proc proc
mount -t tmpfs tmpfs tmp
mount -t tmpfs -o ro tmpfs .hako'
	run as_user "$RUN" "$SB" /bin/sh -c '
		cat /etc/hostname-host
		echo x > /etc/hostname-host || echo bind-ro
		grep -c "^[0-9]* [0-9]* [0-9:]* / /proc " /proc/self/mountinfo
		echo y > /tmp/y && cat /tmp/y
		ls -A /.hako | wc -l
		touch /.hako/x || echo hako-ro
		touch /x || echo root-ro'
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat /etc/hostname)
/bin/sh: can't create /etc/hostname-host: Read-only file system
bind-ro
1
y
0
touch: /.hako/x: Read-only file system
hako-ro
touch: /x: Read-only file system
root-ro" ]
	[ ! -e "$SB/x" ]
	[ ! -e "$SB/.hako/x" ]
}

@test "rootless: -W leaves the root writable; the host sees the caller own the file" {
	run as_user "$RUN" -W "$SB" /bin/sh -c 'touch /x && stat -c "%u %g" /x'
	[ "$status" -eq 0 ]
	[ "$output" = "0 0" ]
	[ "$(stat -c '%u %g' "$SB/x")" = "65534 65534" ]
}

@test "rootless: files created in a writable bind are owned by the caller on the host" {
	mkdir "$TMP/share" "$SB/share"
	chown $UNPRIV:$UNPRIV "$TMP/share" "$SB/share"
	write_init "$SB" 'mount -t proc proc proc && mount -t tmpfs tmpfs tmp
mount --bind "$SHARE" share'
	SHARE=$TMP/share run as_user "$RUN" "$SB" /bin/sh -c 'echo a > /share/by-root && stat -c "%u %g" /share/by-root'
	[ "$status" -eq 0 ]
	[ "$output" = "0 0" ]
	[ "$(stat -c '%u %g' "$TMP/share/by-root")" = "65534 65534" ]
	[ "$(cat "$TMP/share/by-root")" = a ]

	# -u/-g: the command's ids are mapped onto the caller as well.
	SHARE=$TMP/share run as_user "$RUN" -u 1000 -g 1000 "$SB" /bin/sh -c 'echo b > /share/by-1000 && stat -c "%u %g" /share/by-1000'
	[ "$status" -eq 0 ]
	[ "$output" = "1000 1000" ]
	[ "$(stat -c '%u %g' "$TMP/share/by-1000")" = "65534 65534" ]
}

@test "rootless -u 1000 -g 1000: ids, maps, no capabilities, no new privileges" {
	run as_user "$RUN" -u 1000 -g 1000 "$SB" /bin/sh -c "$ids_script"
	[ "$status" -eq 0 ]
	[ "$output" = "uid=1000 gid=1000
      1000          0          1
      1000          0          1
deny
CapEff:	0000000000000000
NoNewPrivs:	1" ]
}

@test "rootless -u 1000: exit statuses 0, 3, 42, 126, 127 and 128+N" {
	run as_user "$RUN" -u 1000 -g 1000 "$SB" /bin/sh -c 'exit 0'
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run as_user "$RUN" -u 1000 -g 1000 "$SB" /bin/sh -c 'exit 3'
	[ "$status" -eq 3 ]
	run as_user "$RUN" -u 1000 -g 1000 "$SB" /bin/sh -c 'exit 42'
	[ "$status" -eq 42 ]
	run -126 as_user "$RUN" -u 1000 -g 1000 "$SB" /etc/marker
	[ "$output" = "hako-run: cannot execute /etc/marker: Permission denied" ]
	run -127 as_user "$RUN" -u 1000 -g 1000 "$SB" /nonexistent
	[ "$output" = "hako-run: cannot execute /nonexistent: No such file or directory" ]

	# Killed by a signal: the caller SIGKILLs its own sandbox from the host
	# (pid 1 of a pid namespace ignores other signals it has no handler for).
	start_sleeper
	as_user /bin/sh -c 'kill -KILL "$1"' sh "$BOX"
	local st=0
	wait "$SUP" || st=$?
	[ "$st" -eq 137 ]
}

@test "rootless -u 1000: SIGTERM to hako-run exits 143 and the sandbox is gone" {
	start_sleeper
	[ "$(cat "/proc/$BOX/comm")" = sleep ]
	# The supervisor dropped to the caller too.
	[ "$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$SUP/status")" = "65534 65534 65534 65534" ]
	kill -TERM "$SUP"
	local st=0
	wait "$SUP" || st=$?
	[ "$st" -eq 143 ]
	gone "$BOX"
}

@test "rootless -u 1000: kill -9 of hako-run kills the sandbox (parent-death signal)" {
	start_sleeper
	[ "$(cat "/proc/$BOX/comm")" = sleep ]
	kill -KILL "$SUP"
	local st=0
	wait "$SUP" || st=$?
	[ "$st" -eq 137 ]
	gone "$BOX"
}

@test "rootless -u 1000: the pid file is the caller's, the pid and a newline" {
	start_sleeper
	[ "$(stat -c '%u %g' "$TMP/pid")" = "65534 65534" ]
	[ "$(cat "$TMP/pid"; echo .)" = "$BOX
." ]
	[[ $BOX =~ ^[1-9][0-9]*$ ]]
	# It is the sandbox's pid 1 as the host sees it, running as the caller.
	[ "$(awk '/^NSpid:/ {print $NF}' "/proc/$BOX/status")" = 1 ]
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$BOX/status")" = 65534 ]
	kill -TERM "$SUP"
	local st=0
	wait "$SUP" || st=$?
	[ "$st" -eq 143 ]
}

@test "rootless -u 1000: -N shares the host's network namespace, the default is a new one" {
	local host
	host=$(readlink /proc/self/ns/net)
	run as_user "$RUN" -u 1000 -g 1000 -N "$SB" /bin/readlink /proc/self/ns/net
	[ "$status" -eq 0 ]
	[ "$output" = "$host" ]
	run as_user "$RUN" -u 1000 -g 1000 "$SB" /bin/readlink /proc/self/ns/net
	[ "$status" -eq 0 ]
	[[ $output == net:\[* ]]
	[ "$output" != "$host" ]
}

@test "rootless -u 1000: -e sets the whole environment, -c the working directory" {
	run as_user "$RUN" -u 1000 -g 1000 -e FOO=bar -e A=b=c "$SB" /bin/env
	[ "$status" -eq 0 ]
	[ "$output" = "FOO=bar
A=b=c" ]
	run as_user "$RUN" -u 1000 -g 1000 -c /etc "$SB" /bin/pwd
	[ "$status" -eq 0 ]
	[ "$output" = /etc ]
}

@test "rootless: --network=FILE of a network namespace the caller has no rights over fails with 125" {
	local rpid
	start_watched "$TMP/rootpid" "$SB" /bin/sleep 100
	rpid=$BOX

	# /proc/PID/ns/net of root's sandbox: not even openable by the user.
	run as_user "$RUN" --network="/proc/$rpid/ns/net" "$SB" /bin/true
	[ "$status" -eq 125 ]
	[ "$output" = "hako-run: cannot open network namespace /proc/$rpid/ns/net: Permission denied" ]

	# The same namespace bind-mounted where the user can open it: setns
	# is refused. Both spellings of the option.
	touch "$TMP/netns"
	mount --bind "/proc/$rpid/ns/net" "$TMP/netns"
	run as_user "$RUN" --network="$TMP/netns" "$SB" /bin/true
	[ "$status" -eq 125 ]
	[ "$output" = "hako-run: cannot join network namespace $TMP/netns: Operation not permitted" ]
	run as_user "$RUN" -N"$TMP/netns" "$SB" /bin/true
	[ "$status" -eq 125 ]
	[ "$output" = "hako-run: cannot join network namespace $TMP/netns: Operation not permitted" ]
}

# --- hako-enter by the same user ----------------------------------------------

start_rootless_with_hostname() {
	# init names the sandbox: the command has no power over the
	# namespaces the sandbox's user namespace owns.
	write_init "$SB" 'mount -t proc proc proc && mount -t tmpfs tmpfs tmp && bin/hostname inside'
	start_watched as_user "$TMP/pid" "$SB" /bin/sh -c \
		'echo hello > /tmp/f && echo 1 > /tmp/ready && exec sleep 100'
	wait_for "/proc/$PID/root/tmp/ready"
	[ "$(cat "/proc/$PID/root/tmp/f")" = hello ]
}

@test "rootless hako-enter without --fork: joins the user namespace as its root, sees hostname and files" {
	start_rootless_with_hostname
	run as_user "$ENTER" "$PID" /bin/sh -c 'hostname; cat /tmp/f /etc/marker; id; echo $$'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = inside ]
	[ "${lines[1]}" = hello ]
	[ "${lines[2]}" = sandbox-file ]
	[ "${lines[3]}" = "uid=0 gid=0" ]
	# Not in the sandbox's pid namespace: its pid is the host's.
	[ "${lines[4]}" -gt 1 ]
	[ "${#lines[@]}" -eq 5 ]
	[ "$(hostname)" != inside ]
}

@test "rootless hako-enter --fork: in the sandbox's user and pid namespaces" {
	start_rootless_with_hostname
	local userns pidns
	# The command's own user namespace, nested in the sandbox's: the
	# entered process holds no more than the command.
	userns=$(readlink "/proc/$PID/ns/user")
	[ "$userns" != "$(sandbox_userns "$PID")" ]
	pidns=$(readlink "/proc/$PID/ns/pid")
	run as_user "$ENTER" --fork "$PID" /bin/sh -c \
		'hostname; cat /tmp/f /etc/marker; id; echo $$; readlink /proc/self/ns/user; readlink /proc/self/ns/pid; cat /proc/self/uid_map; exit 5'
	[ "$status" -eq 5 ]
	[ "${lines[0]}" = inside ]
	[ "${lines[1]}" = hello ]
	[ "${lines[2]}" = sandbox-file ]
	[ "${lines[3]}" = "uid=0 gid=0" ]
	[ "${lines[4]}" -gt 1 ]
	[ "${lines[4]}" -lt 50 ]
	[ "${lines[5]}" = "$userns" ]
	[ "${lines[6]}" = "$pidns" ]
	[ "${lines[7]}" = "         0          0          1" ]
	[ "${#lines[@]}" -eq 8 ]
}

@test "rootless hako-enter -u 1000: into a rootless sandbox and into one started with -u 1000" {
	start_rootless_with_hostname
	run as_user "$ENTER" --fork -u 1000 -g 1000 "$PID" /bin/sh -c 'id; hostname; cat /proc/self/uid_map; grep CapEff /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$output" = "uid=1000 gid=1000
inside
      1000          0          1
CapEff:	0000000000000000" ]
	run as_user "$ENTER" -u 1000 -g 1000 "$PID" /bin/sh -c 'id; cat /tmp/f'
	[ "$status" -eq 0 ]
	[ "$output" = "uid=1000 gid=1000
hello" ]

	# A sandbox whose command runs as 1000: init (root there) names it.
	write_init "$SB" 'mount -t proc proc proc && mount -t tmpfs tmpfs tmp && bin/hostname inside2'
	local pid2
	start_watched as_user "$TMP/pid2" -u 1000 -g 1000 "$SB" /bin/sh -c 'echo mine > /tmp/g && exec sleep 100'
	pid2=$BOX
	wait_for "/proc/$pid2/root/tmp/g"
	run as_user "$ENTER" --fork -u 1000 "$pid2" /bin/sh -c 'id -u; hostname; stat -c %u /tmp/g; cat /tmp/g; echo $$'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = inside2 ]
	[ "${lines[2]}" = 1000 ]
	[ "${lines[3]}" = mine ]
	[ "${lines[4]}" -lt 50 ]
	[ "${#lines[@]}" -eq 5 ]
}

@test "root hako-enter -u 5 -g 5 into a rootless sandbox runs the command as 5, without root's groups; without -u as the sandbox's root" {
	start_rootless_with_hostname
	run "$ENTER" --fork -u 5 -g 5 "$PID" /bin/sh -c 'id; hostname; cat /proc/self/uid_map; grep -E "^(CapEff|Groups):" /proc/self/status | sed "s/[[:space:]]*\$//"'
	[ "$status" -eq 0 ]
	[ "$output" = "uid=5 gid=5
inside
         5          0          1
Groups:
CapEff:	0000000000000000" ]
	run "$ENTER" -u 5 -g 5 "$PID" /bin/id -u
	[ "$status" -eq 0 ]
	[ "$output" = 5 ]
	run "$ENTER" --fork "$PID" /bin/sh -c 'id; cat /proc/self/uid_map; grep "^Groups:" /proc/self/status | sed "s/[[:space:]]*\$//"'
	[ "$status" -eq 0 ]
	[ "$output" = "uid=0 gid=0
         0          0          1
Groups:" ]
}

@test "hako-enter without -u into a sandbox started with -u 1000 is root of a namespace nested in the command's: no more power than the command (caller and root)" {
	# The command (the pid in the pid file) runs as 1000 in a nested user
	# namespace that maps nothing else; hako-enter joins that one and
	# nests one more mapping its root onto 1000. Control: init, root of
	# the sandbox's namespace, named the sandbox.
	write_init "$SB" 'mount -t proc proc proc && mount -t tmpfs tmpfs tmp && bin/hostname nested'
	start_sleeper
	run as_user "$ENTER" --fork "$BOX" /bin/sh -c 'id; cat /proc/self/uid_map; hostname; hostname renamed 2>&1 || echo no-hostname; mount -t tmpfs tmpfs /tmp 2>&1 || echo no-mount'
	[ "$status" -eq 0 ]
	[ "$output" = "uid=0 gid=0
         0       1000          1
nested
hostname: sethostname: Operation not permitted
no-hostname
mount: permission denied (are you root?)
no-mount" ]
	run "$ENTER" "$BOX" /bin/sh -c 'id; cat /proc/self/uid_map; hostname'
	[ "$status" -eq 0 ]
	[ "$output" = "uid=0 gid=0
         0       1000          1
nested" ]
}

# --- root with -U ---------------------------------------------------------------

# host_maps [hako-run options]: the uid and gid maps of a sandbox's
# command as the host sees them.
host_maps() {
	rm -f "$TMP/pm"
	start_watched "$TMP/pm" "$@" "$SB" /bin/sleep 100
	cat "/proc/$BOX/uid_map" "/proc/$BOX/gid_map"
	kill "$SUP"
	wait "$SUP" || true
}

@test "root -U: the sandbox's root is host uid $USERNS_BASE; -U and --userns set the base, base 0 and ids past the range refused" {
	# The command's own user namespace is nested in the sandbox's with
	# the same ids: from inside, its map is the identity.
	run "$RUN" -U "$SB" /bin/sh -c 'id; cat /proc/self/uid_map /proc/self/gid_map'
	[ "$status" -eq 0 ]
	[ "$output" = "uid=0 gid=0
         0          0      65536
         0          0      65536" ]
	run host_maps -U
	[ "$status" -eq 0 ]
	[ "$output" = "         0 1879048192      65536
         0 1879048192      65536" ]
	run host_maps --userns
	[ "$status" -eq 0 ]
	[ "$output" = "         0 1879048192      65536
         0 1879048192      65536" ]
	run host_maps -UW
	[ "$status" -eq 0 ]
	[ "$output" = "         0 1879048192      65536
         0 1879048192      65536" ]
	run "$RUN" --userns=0 "$SB" /bin/true
	[ "$status" -eq 125 ]
	[ "$output" = "hako-run: invalid user namespace base: 0" ]
	run "$RUN" -U -u 65536 "$SB" /bin/true
	[ "$status" -eq 125 ]
	[ "$output" = "hako-run: invalid user: 65536 (-U maps ids 0-65535)" ]
	run host_maps --userns=5000000
	[ "$status" -eq 0 ]
	[ "$output" = "         0    5000000      65536
         0    5000000      65536" ]

	# As the host sees it.
	local pid
	start_watched "$TMP/pid" -U "$SB" /bin/sleep 100
	pid=$BOX
	[ "$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")" = "$USERNS_BASE $USERNS_BASE $USERNS_BASE $USERNS_BASE" ]
	[ "$(awk '/^Gid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")" = "$USERNS_BASE $USERNS_BASE $USERNS_BASE $USERNS_BASE" ]
	[ "$(awk '/^Groups:/ {print $2}' "/proc/$pid/status")" = "" ]
	[ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/self/ns/user)" ]
}

@test "root -U: root inside holds no host capability; init's bind mounts still work" {
	require_block_root
	local rootdev host_hostname swappiness
	rootdev=$(awk '$2 == "/" { print $1 }' /proc/mounts | tail -1)
	[ -b "$rootdev" ]
	host_hostname=$(hostname)
	swappiness=$(cat /proc/sys/vm/swappiness)
	# The sandbox's root (host uid 1879048192) cannot write the sandbox
	# owned by 65534: the mount points are made here, as host root.
	mkdir "$SB/dev" "$SB/mnt"
	touch "$SB/etc/hostname-host"
	write_init "$SB" 'mount -t proc proc proc
mount -t tmpfs tmpfs tmp
mount --rbind /dev dev
mount --bind /etc/hostname etc/hostname-host'
	run "$RUN" -U -e ROOTDEV="$rootdev" "$SB" /bin/sh -c '
		cat /etc/hostname-host
		[ -b "$ROOTDEV" ] && echo has-disk
		mknod /tmp/blk b 8 0 || echo mknod-failed
		mount -t ext4 "$ROOTDEV" /mnt || echo mount-failed
		grep -c " /mnt " /proc/mounts
		echo "$(cat /proc/sys/vm/swappiness)" > /proc/sys/vm/swappiness || echo sysctl-failed
		renice -n -5 $$ || echo renice-failed
		ionice -c 1 -p $$ || echo ionice-failed
		date -s "@$(date +%s)" > /dev/null
		hostname sandboxed || echo hostname-failed'
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat /etc/hostname)
has-disk
mknod: /tmp/blk: Operation not permitted
mknod-failed
mount: permission denied (are you root?)
mount-failed
0
/bin/sh: can't create /proc/sys/vm/swappiness: Permission denied
sysctl-failed
renice: setpriority: Permission denied
renice-failed
ionice: ioprio_set: Operation not permitted
ionice-failed
date: can't set date: Operation not permitted
hostname: sethostname: Operation not permitted
hostname-failed" ]
	[ "$(hostname)" = "$host_hostname" ]
	[ "$(cat /proc/sys/vm/swappiness)" = "$swappiness" ]
	! grep -q " $SB/mnt " /proc/mounts
}

@test "root -U: loading a kernel module fails" {
	run "$RUN" -U "$SB" /bin/sh -c 'echo not-a-module > /tmp/x.ko && insmod /tmp/x.ko'
	if [ -e /proc/modules ]; then
		# busybox insmod exits with the errno: EPERM, not ENOEXEC for
		# the junk module nor ENOENT.
		[ "$status" -eq 1 ]
		[ "$output" = "insmod: can't insert '/tmp/x.ko': Operation not permitted" ]
	else
		# CONFIG_MODULES=n: init_module is ENOSYS for everyone, host
		# root included, so this kernel cannot tell EPERM apart.
		[ "$status" -eq 38 ]
		[ "$output" = "insmod: can't insert '/tmp/x.ko': kernel does not support requested operation" ]
	fi
}

@test "root -U and rootless: init cannot write the hako-run binary, directly or through /proc/PID/exe" {
	local sum
	sum=$(cksum < "$RUN")
	# Init sees the host's files and, with a fresh proc, the hako-run
	# process that is the sandbox's pid 1 at that point.
	write_init "$SB" 'mount -t proc proc proc
mount -t tmpfs tmpfs tmp
{ echo x >> proc/1/exe; } 2> tmp/exe-err || true
{ echo x >> "$HAKO_RUN"; } 2> tmp/bin-err || true
cat proc/1/comm > tmp/comm'
	HAKO_RUN=$RUN run "$RUN" -U "$SB" /bin/cat /tmp/comm /tmp/exe-err /tmp/bin-err
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = hako-run ]
	[[ ${lines[1]} == *"proc/1/exe: Permission denied" ]]
	[[ ${lines[2]} == *"$RUN: Permission denied" ]]
	[ "${#lines[@]}" -eq 3 ]
	HAKO_RUN=$RUN run as_user "$RUN" "$SB" /bin/cat /tmp/comm /tmp/exe-err /tmp/bin-err
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = hako-run ]
	[[ ${lines[1]} == *"proc/1/exe: Permission denied" ]]
	[[ ${lines[2]} == *"$RUN: Permission denied" ]]
	[ "${#lines[@]}" -eq 3 ]
	[ "$(cksum < "$RUN")" = "$sum" ]
}

# --- user namespaces unavailable ------------------------------------------------
# user.max_user_namespaces is per user namespace and its limit holds for
# every namespace below: set it in a throw-away namespace of our own.

@test "no user namespaces left: -U fails with 125 and names the sysctl" {
	RUN=$RUN SB=$SB run unshare --user --map-root-user sh -c \
		'echo 0 > /proc/sys/user/max_user_namespaces && exec "$RUN" -U "$SB" /bin/true'
	[ "$status" -eq 125 ]
	[ "$output" = "hako-run: cannot create namespaces: No space left on device (namespace limit reached: check sysctl user.max_user_namespaces)" ]
	[ "$(cat /proc/sys/user/max_user_namespaces)" -gt 0 ]
}

@test "no user namespaces left: a rootless caller fails with 125 and names the sysctl" {
	# Limit 1: the nested namespace that makes us uid 65534 is the last one.
	RUN=$RUN SB=$SB run unshare --user --map-root-user sh -c \
		'echo 1 > /proc/sys/user/max_user_namespaces &&
		 exec unshare --user --map-user=65534 --map-group=65534 sh -c "[ \$(id -u) = 65534 ] && exec \"\$RUN\" \"\$SB\" /bin/true"'
	[ "$status" -eq 125 ]
	[ "$output" = "hako-run: cannot create namespaces: No space left on device (namespace limit reached: check sysctl user.max_user_namespaces)" ]
}
