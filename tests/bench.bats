#!/usr/bin/env bats
# The benchmark's smoke run: bench/run --quick works end to end against the
# static binaries and ends with the ratio line. Timings are not judged here.

setup() {
	ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	TMP=$(mktemp -d /tmp/hako-benchtest.XXXXXX)
}

teardown() {
	local p pid m
	[ -n "${TMP:-}" ] && [ -d "$TMP" ] || return 0
	# bench/run cleans up after itself; this is for a run cut short.
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		if [[ $(readlink "$p/root" 2>/dev/null) == "$TMP"* ]] ||
			tr '\0' ' ' < "$p/cmdline" 2>/dev/null | grep -qF "$TMP/"; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	awk -v t="$TMP" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo |
		sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
	rm -rf "$TMP"
}

@test "bench/run --quick runs end to end and prints the ratio line" {
	make -C "$ROOT" static >/dev/null
	TMPDIR=$TMP run "$ROOT/bench/run" --quick
	echo "$output"
	[ "$status" -eq 0 ]
	last=${lines[${#lines[@]} - 1]}
	if command -v bwrap >/dev/null; then
		[[ $last =~ ^ratio_vs_bwrap=[0-9.]+\ ratio_vs_floor=[0-9.]+\ ratio_vs_same=[0-9.]+$ ]]
	else
		[[ $last =~ ^ratio_vs_bwrap=NA\ ratio_vs_floor=[0-9.]+\ ratio_vs_same=[0-9.]+$ ]]
	fi
	# nothing left in the temp dir the run used
	[ -z "$(ls -A "$TMP")" ]
}
