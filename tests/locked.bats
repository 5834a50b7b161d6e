#!/usr/bin/env bats
# Sealing the sandbox: a command that is root of the sandbox's user
# namespace (rootless, or root with -U) cannot undo a mount it finds at
# exec, nor rewrite .hako/init for the next run; and nothing .hako/init
# left running survives into the sandbox with a way to the host. Each
# attack has a control showing the step works where hako's protection is
# absent. The unprivileged caller is uid/gid 65534, which owns $TMP.

bats_require_minimum_version 1.5.0


setup() {
	load helper
	rootless_setup
	mkdir "$SB/mnt"
	chown $UNPRIV:$UNPRIV "$SB/mnt"
}

teardown() {
	sandbox_teardown
}

# The init of the issue's attack: proc, a tmpfs, and .hako covered by a
# read-only tmpfs.
COVER_INIT='mount -t proc proc proc && mount -t tmpfs tmpfs tmp && mount -t tmpfs -o ro tmpfs .hako'

# The attack, one step at a time so that each refusal shows; the payload
# would create ESCAPED in the target when the next run's init runs.
ATTACK='umount /.hako || echo umount-refused
umount -l /.hako || echo detach-refused
mount -o remount,bind,rw / || echo remount-refused
echo "touch ESCAPED" >> /.hako/init || echo init-unchanged
mount --rbind / /mnt && mount -o remount,bind,rw /mnt || echo rebind-refused
echo "touch ESCAPED" >> /mnt/.hako/init || echo still-unchanged'

ATTACK_OUTPUT="umount: can't unmount /.hako: Invalid argument
umount-refused
umount: can't unmount /.hako: Invalid argument
detach-refused
mount: permission denied (are you root?)
remount-refused
/bin/sh: can't create /.hako/init: Read-only file system
init-unchanged
mount: permission denied (are you root?)
rebind-refused
/bin/sh: can't create /mnt/.hako/init: Read-only file system
still-unchanged"

# The issue's exact attack, in one line: it stops at the first step.
ONE_LINE='umount /.hako && mount -o remount,bind,rw / && echo "touch ESCAPED" >> /.hako/init'

# not_escaped: .hako/init is what the test wrote, and a following run did
# not execute a payload.
not_escaped() {
	cmp "$TMP/init.orig" "$SB/.hako/init"
	run "$@" "$SB" /bin/true
	[ "$status" -eq 0 ]
	[ ! -e "$SB/ESCAPED" ]
}

@test "control: where the mounts are not locked, the same steps uncover a directory and make a read-only bind writable" {
	# The unprivileged user's own user and mount namespace: the mounts
	# it makes there it may undo.
	mkdir "$TMP/c" "$TMP/c/cover"
	echo original > "$TMP/c/f"
	chown -R $UNPRIV:$UNPRIV "$TMP/c"
	run as_user unshare -Urm sh -c '
		mount --bind "$1" "$1"
		cd "$1"
		mount -t tmpfs -o ro tmpfs cover
		mount -o remount,bind,ro "$1"
		echo x >> f || echo ro
		umount cover && echo uncovered
		mount -o remount,bind,rw "$1" && echo rewritable
		echo rewritten >> f && cat f' _ "$TMP/c"
	[ "$status" -eq 0 ]
	[ "$output" = "_: 6: cannot create f: Read-only file system
ro
uncovered
rewritable
original
rewritten" ]
}

@test "rootless: the command cannot uncover .hako, remount the root read-write or rewrite .hako/init" {
	write_init "$SB" "$COVER_INIT"
	cp "$SB/.hako/init" "$TMP/init.orig"
	run as_user "$RUN" "$SB" /bin/sh -c "$ONE_LINE"
	[ "$status" -eq 1 ]
	[ "$output" = "umount: can't unmount /.hako: Invalid argument" ]
	run as_user "$RUN" "$SB" /bin/sh -c "$ATTACK"
	[ "$status" -eq 0 ]
	[ "$output" = "$ATTACK_OUTPUT" ]
	not_escaped as_user "$RUN"
}

@test "rootless -W: the root stays writable, but .hako's cover stays and cannot be bypassed by a bind" {
	write_init "$SB" "$COVER_INIT"
	cp "$SB/.hako/init" "$TMP/init.orig"
	# A bind of the root without what is mounted below it would show
	# .hako/init uncovered: refused.
	run as_user "$RUN" -W "$SB" /bin/sh -c 'umount /.hako || echo umount-refused
mount --bind / /mnt || echo bind-refused
echo "touch ESCAPED" >> /mnt/.hako/init || echo init-unchanged
touch /written && echo written'
	[ "$status" -eq 0 ]
	[ "$output" = "umount: can't unmount /.hako: Invalid argument
umount-refused
mount: mounting / on /mnt failed: Invalid argument
bind-refused
/bin/sh: can't create /mnt/.hako/init: nonexistent directory
init-unchanged
written" ]
	rm "$SB/written"
	not_escaped as_user "$RUN"
}

@test "rootless: a read-only bind init makes of the caller's own file stays read-only" {
	echo original > "$TMP/owned"
	chown $UNPRIV:$UNPRIV "$TMP/owned"
	touch "$SB/etc/owned"
	write_init "$SB" 'mount -t proc proc proc && mount -t tmpfs tmpfs tmp
mount --bind "$OWNED" etc/owned
mount -o remount,bind,ro etc/owned'
	# Control: the file itself is the caller's to write.
	as_user sh -c 'echo x >> "$1"' _ "$TMP/owned"
	echo original > "$TMP/owned"
	OWNED=$TMP/owned run as_user "$RUN" "$SB" /bin/sh -c '
		mount -o remount,bind,rw /etc/owned || echo remount-refused
		umount /etc/owned || echo umount-refused
		echo evil >> /etc/owned || echo ro
		cat /etc/owned'
	[ "$status" -eq 0 ]
	[ "$output" = "mount: permission denied (are you root?)
remount-refused
umount: can't unmount /etc/owned: Invalid argument
umount-refused
/bin/sh: can't create /etc/owned: Read-only file system
ro
original" ]
	[ "$(cat "$TMP/owned")" = original ]
}

@test "root -U: a sandbox owned by the mapped range cannot rewrite its own .hako/init" {
	chown -R $USERNS_BASE:$USERNS_BASE "$SB"
	write_init "$SB" "$COVER_INIT"
	chown $USERNS_BASE:$USERNS_BASE "$SB/.hako/init"
	cp "$SB/.hako/init" "$TMP/init.orig"
	# Control: the sandbox's root owns the file it would rewrite.
	run "$RUN" -U "$SB" /bin/stat -c '%u %g' / /etc/marker
	[ "$output" = "0 0
0 0" ]
	run "$RUN" -U "$SB" /bin/sh -c "$ONE_LINE"
	[ "$status" -eq 1 ]
	[ "$output" = "umount: can't unmount /.hako: Invalid argument" ]
	run "$RUN" -U "$SB" /bin/sh -c "$ATTACK"
	[ "$status" -eq 0 ]
	[ "$output" = "$ATTACK_OUTPUT" ]
	not_escaped "$RUN" -U
}

# start_covered [as_user] [hako-run options]: start_sandbox with .hako
# covered (its supervisor in SUP, its pid in PID).
start_covered() {
	write_init "$SB" "$COVER_INIT"
	cp "$SB/.hako/init" "$TMP/init.orig"
	start_sandbox "$@"
}

@test "rootless: the attack through hako-enter and hako-enter --fork fails too" {
	start_covered as_user
	run as_user "$ENTER" "$PID" /bin/sh -c "$ATTACK"
	[ "$status" -eq 0 ]
	[ "$output" = "$ATTACK_OUTPUT" ]
	run as_user "$ENTER" --fork "$PID" /bin/sh -c "$ATTACK"
	[ "$status" -eq 0 ]
	[ "$output" = "$ATTACK_OUTPUT" ]
	# Entered as -u 1000 too (a user namespace nested once more).
	run as_user "$ENTER" --fork -u 1000 "$PID" /bin/sh -c 'umount /.hako || echo refused'
	[ "$output" = "umount: can't unmount /.hako: Operation not permitted
refused" ]
	# What entered is in the command's mount namespace.
	run as_user "$ENTER" --fork "$PID" /bin/readlink /proc/self/ns/mnt
	[ "$output" = "$(readlink "/proc/$PID/ns/mnt")" ]
	kill "$SUP"
	wait "$SUP" || true
	not_escaped as_user "$RUN"
}

@test "root -U: the attack through hako-enter and hako-enter --fork fails too (also as host root)" {
	chown -R $USERNS_BASE:$USERNS_BASE "$SB"
	start_covered -U
	run "$ENTER" "$PID" /bin/sh -c "$ATTACK"
	[ "$status" -eq 0 ]
	[ "$output" = "$ATTACK_OUTPUT" ]
	run "$ENTER" --fork "$PID" /bin/sh -c "$ATTACK"
	[ "$status" -eq 0 ]
	[ "$output" = "$ATTACK_OUTPUT" ]
	kill "$SUP"
	wait "$SUP" || true
	not_escaped "$RUN" -U
}

@test "rootless and root -U: the command can still mount a tmpfs of its own" {
	run as_user "$RUN" "$SB" /bin/sh -c 'mount -t tmpfs tmpfs /mnt && echo x > /mnt/x && cat /mnt/x && umount /mnt && echo unmounted'
	[ "$status" -eq 0 ]
	[ "$output" = "x
unmounted" ]
	run "$RUN" -U "$SB" /bin/sh -c 'mount -t tmpfs tmpfs /mnt && echo x > /mnt/x && cat /mnt/x'
	[ "$status" -eq 0 ]
	[ "$output" = x ]
}

# --- what .hako/init leaves running -------------------------------------------

# An init that leaves KIND of process behind, with its working directory
# on the host's /etc; once it is there, init notes its pid and reads the
# host's hostname through it (the path the command must not have).
leftover_init() {
	local start
	case $1 in
	plain) start='(cd /etc && exec sleep 2718281) >/dev/null 2>&1 </dev/null &' ;;
	deaf) start='(trap "" HUP INT QUIT TERM USR1 && cd /etc && exec sleep 2718281) >/dev/null 2>&1 </dev/null &' ;;
	orphan) start='( (cd /etc && exec sleep 2718281) >/dev/null 2>&1 </dev/null & echo $! > tmp/leftover )' ;;
	esac
	write_init "$SB" "mount -t proc proc proc && mount -t tmpfs tmpfs tmp
echo \$\$ > tmp/init
$start
[ -s tmp/leftover ] || echo \$! > tmp/leftover
p=\$(cat tmp/leftover) i=0
until [ \"\$(readlink proc/\$p/cwd)\" = /etc ]; do
	i=\$((i + 1)); [ \$i -lt 500 ]; sleep 0.01
done
cat proc/\$p/cwd/hostname > tmp/seen-by-init"
}

LEFTOVER_CMD='cat /tmp/seen-by-init
cd /proc && echo [0-9]*
cat /proc/$(cat /tmp/leftover)/cwd/hostname || echo gone'

left_on_host() {
	pgrep -f -x 'sleep 2718281' || true
}

@test "processes .hako/init leaves running are killed before the command runs (root, rootless; plain, ignoring signals, double-forked)" {
	local kind host
	host=$(cat /etc/hostname)
	for kind in plain deaf orphan; do
		leftover_init $kind
		run "$RUN" "$SB" /bin/sh -c "$LEFTOVER_CMD"
		echo "$kind: $output"
		[ "$status" -eq 0 ]
		# init saw the host through the leftover (the control); the
		# command is alone in its pid namespace, and the path is gone.
		[ "${lines[0]}" = "$host" ]
		[ "${lines[1]}" = 1 ]
		[[ ${lines[2]} == "cat: can't open '/proc/"*"/cwd/hostname': No such file or directory" ]]
		[ "${lines[3]}" = gone ]
		[ -z "$(left_on_host)" ]
		chown -R $UNPRIV:$UNPRIV "$SB"
		run as_user "$RUN" "$SB" /bin/sh -c "$LEFTOVER_CMD"
		echo "rootless $kind: $output"
		[ "$status" -eq 0 ]
		[ "${lines[0]}" = "$host" ]
		[ "${lines[1]}" = 1 ]
		[ "${lines[3]}" = gone ]
		[ -z "$(left_on_host)" ]
	done
}

@test "a leftover of init is killed before the sandbox is sealed: the command never sees it, also with -p" {
	leftover_init plain
	run "$RUN" -p "$TMP/pid" "$SB" /bin/sh -c 'cd /proc && echo [0-9]*'
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
	[ -z "$(left_on_host)" ]
}
