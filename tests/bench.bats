#!/usr/bin/env bats
# The benchmark: bench/run --quick works end to end against the static
# binaries, with the bare and the same-precautions floor's rows and ratios;
# floor -s does give the command the precautions it is measured for.
# Timings are not judged here.

load helper

setup() {
	ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	sandbox_setup
}

teardown() {
	local p pid
	# bench/run cleans up after itself, and tracks nothing here: this is
	# for a run cut short, whose processes are found by their root or
	# command line.
	if [ -n "${TMP:-}" ] && [ -d "$TMP" ]; then
		for p in /proc/[0-9]*; do
			pid=${p#/proc/}
			if [[ $(readlink "$p/root" 2>/dev/null) == "$TMP"* ]] ||
				{ tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null | grep -qF "$TMP/"; then
				kill -KILL "$pid" 2>/dev/null || true
			fi
		done
	fi
	sandbox_teardown
}

# has_row LABEL: a line of $output is LABEL followed by a figure
has_row() {
	local re
	re=$(printf '%s' "$1" | sed 's/[][().*+?^$|\\/]/\\&/g')
	grep -qE "^  $re +[0-9]+\.[0-9]{3} " <<<"$output"
}

@test "bench/run --quick runs end to end and prints the ratio line" {
	require_commands musl-gcc
	make -C "$ROOT" static >/dev/null
	mkdir "$TMP/bench"
	TMPDIR=$TMP/bench run "$ROOT/bench/run" --quick
	echo "$output"
	[ "$status" -eq 0 ]
	last=${lines[${#lines[@]} - 1]}
	if command -v bwrap >/dev/null; then
		[[ $last =~ ^ratio_vs_bwrap=[0-9.]+\ ratio_vs_floor=[0-9.]+\ ratio_vs_same=[0-9.]+$ ]]
	else
		[[ $last =~ ^ratio_vs_bwrap=NA\ ratio_vs_floor=[0-9.]+\ ratio_vs_same=[0-9.]+$ ]]
	fi
	# the same-precautions floor's rows and ratios, beside the bare floor's
	for row in "floor -s -i (same precautions)" "floor -i (runs init)" \
		"floor -s -i -n (same precautions, host net)" "floor -i -n (runs init, host net)" \
		"floor -s -e (same precautions)" "floor -e"; do
		has_row "$row"
	done
	for row in "hako-run / floor -s -i (same precautions)" \
		"hako-run -N / floor -s -i -n (same precautions, host net)" \
		"hako-enter --fork / floor -s -e (same precautions)" \
		"floor -s -i (same precautions) / floor -i (runs init)" \
		"floor -s -e (same precautions) / floor -e"; do
		has_row "$row"
	done
	[[ $output != *"did not build"* ]]
	# nothing left in the temp dir the run used
	[ -z "$(ls -A "$TMP/bench")" ]
}

# What the command sees: its signal state, the two flags, its descriptors
# and its session (0: one outside the sandbox's pid namespace).
probe='grep -E "^(SigBlk|SigIgn|NoNewPrivs|Seccomp):" /proc/self/status | tr -s "\t" " "
ls /proc/self/fd | tr "\n" " "; echo
cut -d" " -f6 /proc/self/stat'

@test "floor -s gives the command the precautions, the bare floor does not" {
	cc -std=c99 -Wall -Wextra -Werror -D_GNU_SOURCE -o "$TMP/floor" \
		"$ROOT/bench/floor.c" "$ROOT/src/filter.c"
	# the caller ignores SIGUSR1 and has descriptor 5 open
	run bash -c 'trap "" USR1; exec 5</dev/null; "$1" -s -i -n "$2" /bin/sh -c "$3" </dev/null' \
		_ "$TMP/floor" "$SB" "$probe"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "SigBlk: 0000000000000000
SigIgn: 0000000000000000
NoNewPrivs: 1
Seccomp: 2
0 1 2 3 
1" ]
	# the control: without -s all of it comes from the caller
	run bash -c 'trap "" USR1; exec 5</dev/null; "$1" -i -n "$2" /bin/sh -c "$3" </dev/null' \
		_ "$TMP/floor" "$SB" "$probe"
	echo "$output"
	[ "$status" -eq 0 ]
	# SIGUSR1's bit (whatever else a background caller ignores)
	[[ ${lines[1]} == "SigIgn: "* ]]
	(( 0x${lines[1]#SigIgn: } & 0x200 ))
	[ "${lines[2]}" = "$(grep '^NoNewPrivs:' /proc/self/status | tr -s '\t' ' ')" ]
	[ "${lines[3]}" = "$(grep '^Seccomp:' /proc/self/status | tr -s '\t' ' ')" ]
	[[ " ${lines[4]}" == *" 5 "* ]]
	[ "${lines[5]}" = 0 ]
}
