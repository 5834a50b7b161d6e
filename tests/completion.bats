#!/usr/bin/env bats
# Shell completion (completion/): bash's through bash-completion's own
# functions, as a shell calls them, and zsh's helpers.

bats_require_minimum_version 1.5.0
load helper

COMPLETION=$BATS_TEST_DIRNAME/../completion

setup() {
	sandbox_setup
}

teardown() {
	sandbox_teardown
}

# bash_complete WORD...: what bash completes for the command line WORD... (the
# last word is the one being completed; an = splits words as in bash),
# one reply per line, sorted, in "output". Anything on stderr fails.
bash_complete() {
	local script=$TMP/complete.sh
	cat > "$script" <<-'EOF'
		. /usr/share/bash-completion/bash_completion
		. "$COMPLETION/hako.bash"
		# Only 0, 1 and 2 inherited, and 7 opened here; bash's own 255
		# (for the script) is closed on exec.
		for fd in /proc/$$/fd/*; do
			fd=${fd##*/}
			if [ "$fd" -gt 2 ] && [ "$fd" != 255 ]; then eval "exec $fd>&-"; fi 2>/dev/null
		done
		exec 7</dev/null
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		# The line as typed: no blanks around an = (bash splits there).
		COMP_LINE=$1
		for ((i = 1; i < $#; i++)); do
			if [ "${COMP_WORDS[i]}" = = ] || [ "${COMP_WORDS[i - 1]}" = = ]; then
				COMP_LINE+=${COMP_WORDS[i]}
			else
				COMP_LINE+=" ${COMP_WORDS[i]}"
			fi
		done
		COMP_POINT=${#COMP_LINE}
		COMPREPLY=()
		complete -p "$1" >/dev/null || exit 9
		func=$(complete -p "$1" | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
		"$func" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf '%s\n' "${COMPREPLY[@]}"
	EOF
	run --separate-stderr env COMPLETION="$COMPLETION" bash "$script" "$@"
	echo "status $status, stderr [$stderr], output:"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	output=$(sort <<<"$output")
}

@test "bash: options, long and short, for each tool" {
	require_files /usr/share/bash-completion/bash_completion
	bash_complete hako-run --n
	[ "$output" = "$(printf '%s\n' --network --network= --new-session)" ]
	bash_complete hako-run -
	[ "$output" = "$(printf '%s\n' -I -N -S -U -V -W -c -e -g -h -k -p -u \
		--chdir --env --group --help --init --keep-fd --network --network= \
		--new-session --pid-file --user --userns --userns= --version --writable | sort)" ]
	bash_complete hako-enter --
	[ "$output" = "$(printf '%s\n' --chdir --env --fork --group --help --keep-fd \
		--new-session --user --version | sort)" ]
	bash_complete hako-enter --f
	[ "$output" = "--fork" ]
}

@test "bash: -u completes users of /etc/passwd, -g groups of /etc/group, -c nothing" {
	require_files /usr/share/bash-completion/bash_completion
	bash_complete hako-run -u roo
	[ "$output" = root ]
	bash_complete hako-run --user = roo
	[ "$output" = root ]
	bash_complete hako-run -Wu roo
	[ "$output" = root ]
	bash_complete hako-enter -g roo
	[ "$output" = root ]
	bash_complete hako-run -c ""
	[ "$output" = "" ]
	bash_complete hako-enter --chdir /
	[ "$output" = "" ]
	# An option's argument is not an option.
	bash_complete hako-run -e -u
	[ "$output" = "" ]
}

@test "bash: -p and -N complete files, -k the shell's inheritable descriptors" {
	require_files /usr/share/bash-completion/bash_completion
	touch "$TMP/pidfile" "$TMP/netns"
	bash_complete hako-run -p "$TMP/pidf"
	[ "$output" = "$TMP/pidfile" ]
	bash_complete hako-run --pid-file "$TMP/pidf"
	[ "$output" = "$TMP/pidfile" ]
	bash_complete hako-run --network = "$TMP/net"
	[ "$output" = "$TMP/netns" ]
	bash_complete hako-run -N"$TMP/net"
	[ "$output" = "-N$TMP/netns" ]
	bash_complete hako-run -k ""
	[ "$output" = "$(printf '%s\n' 0 1 2 7)" ]
	bash_complete hako-enter --keep-fd ""
	[ "$output" = "$(printf '%s\n' 0 1 2 7)" ]
}

@test "bash: the target completes directories, only the sandboxes where there are some" {
	require_files /usr/share/bash-completion/bash_completion
	local d=$TMP/boxes
	mkdir -p "$d/plain/sub" "$d/box/.hako" "$d/notexec/.hako" "$d/\$(touch pwned)"
	touch "$d/file"
	printf '#!/bin/sh\ntouch %s/ran\n' "$TMP" > "$d/box/.hako/init"
	chmod 755 "$d/box/.hako/init"
	cp "$d/box/.hako/init" "$d/notexec/.hako/init"
	chmod 644 "$d/notexec/.hako/init"
	bash_complete hako-run "$d/"
	[ "$output" = "$d/box" ]
	bash_complete hako-run -W -- "$d/p"
	[ "$output" = "$d/plain" ]
	bash_complete hako-run "$d/\$"
	[ "$output" = "$d/\$(touch pwned)" ]
	bash_complete hako-run "$d/n"
	[ "$output" = "$d/notexec" ]
	# Nothing ran from the target directories.
	[ ! -e "$TMP/ran" ]
	[ ! -e pwned ] && [ ! -e "$d/pwned" ]
}

@test "bash: a directory it cannot read completes to nothing, quietly" {
	require_files /usr/share/bash-completion/bash_completion
	mkdir -p "$TMP/locked/box/.hako"
	chmod 711 "$TMP"
	chmod 311 "$TMP/locked"
	cp "$SB/.hako/init" "$TMP/locked/box/.hako/init"
	# As a user who can enter but not list it (root can list anything).
	as_nobody() {
		run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
			bash -c '. /usr/share/bash-completion/bash_completion; . "$1"
				COMP_WORDS=(hako-run "$2"); COMP_CWORD=1; COMPREPLY=()
				COMP_LINE="hako-run $2"; COMP_POINT=${#COMP_LINE}
				_hako_run hako-run "$2" hako-run; printf "[%s]" "${COMPREPLY[@]}"' \
			_ "$COMPLETION/hako.bash" "$TMP/locked/"
		echo "status $status stderr [$stderr] output [$output]"
		[ "$status" -eq 0 ]
		[ -z "$stderr" ]
	}
	as_nobody
	[ "$output" = "[]" ]
	# The control: readable, it completes.
	chmod 755 "$TMP/locked"
	as_nobody
	[ "$output" = "[$TMP/locked/box]" ]
}

@test "bash: hako-enter's pid completes running sandboxes, not other processes" {
	require_files /usr/share/bash-completion/bash_completion
	start_sandbox
	bash_complete hako-enter "$PID"
	[ "$output" = "$PID" ]
	bash_complete hako-enter -f -u root "$PID"
	[ "$output" = "$PID" ]
	# The supervisor is no sandbox's pid 1, nor is this shell.
	bash_complete hako-enter "$$"
	[ "$output" = "" ]
}

@test "bash: after the operand, the command's own completion" {
	require_files /usr/share/bash-completion/bash_completion
	start_sandbox
	bash_complete hako-run -W "$SB" hako-enter --fo
	[ "$output" = "--fork" ]
	bash_complete hako-enter -f "$PID" hako-run --wr
	[ "$output" = "--writable" ]
	bash_complete hako-run -- "$SB" hako-run -u roo
	[ "$output" = root ]
}

# zsh: the completion function with zsh's completion builtins replaced by
# ones that print what they were given.
zsh_complete() {
	cat > "$TMP/complete.zsh" <<-'EOF'
		fpath=("$COMPLETION" $fpath)
		autoload -Uz _hako
		_arguments() { print -rl -- "$@"; }
		_describe() { print -rl -- "${(@P)${@[-1]}}"; }
		_wanted() { print -rl -- "${(@P)${@[-1]}}"; }
		_alternative() { print -rl -- "$@"; }
		service=$1
		_hako
		shift
		"$@"
	EOF
	run --separate-stderr env COMPLETION="$COMPLETION" zsh -f "$TMP/complete.zsh" "$@"
	echo "status $status, stderr [$stderr], output:"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "zsh: options and operands of both tools, sandbox pids described by their command" {
	require_commands zsh
	start_sandbox
	zsh_complete hako-enter _hako_sandbox_pids
	grep -qx '1:sandbox pid:_hako_sandbox_pids' <<<"$output"
	grep -q -- '^(-f --fork)--fork\[' <<<"$output"
	grep -qx "$PID:sleep" <<<"$output"
	# Only sandboxes: every pid offered is pid 1 of its namespace (other
	# tests' sandboxes may have ended since).
	for p in $(sed -n 's/^\([0-9][0-9]*\):.*/\1/p' <<<"$output"); do
		grep -qs '^NSpid:.*[[:space:]]1$' "/proc/$p/status" || [ ! -e "/proc/$p" ]
	done
	zsh_complete hako-run _hako_names users /etc/passwd
	grep -qx '1:sandbox directory:_hako_targets' <<<"$output"
	grep -q -- '^(-I --init)--init\[' <<<"$output"
	grep -q -- '^(-S --new-session)-S\[' <<<"$output"
	[ "$(grep -cx root <<<"$output")" -eq 1 ]
	# After the specification, the names: all of /etc/passwd's.
	[ "$(sed '1,/^\*::command:_normal$/d' <<<"$output")" = "$(cut -d: -f1 /etc/passwd)" ]
}

@test "zsh: completing in an interactive zsh lists the options and the sandbox's pid with its command" {
	require_commands zsh
	start_sandbox
	cat > "$TMP/zpty.zsh" <<-'EOF'
		zmodload zsh/zpty
		zpty z 'zsh -f -i'
		zpty -w z "PS1='%% '; fpath=(${(q)COMPLETION} \$fpath); autoload -Uz compinit; compinit -u -D"
		zpty -w -n z $'hako-run --wr\t'
		# Until the word is completed (the pattern bounds the wait, the
		# caller's timeout the whole).
		zpty -r z out '*--writable*'
		zpty -w -n z $'\C-u'
		# ^D lists the choices (with their descriptions) for the word.
		zpty -w -n z "hako-enter $PID"$'\C-d'
		zpty -r z out "*-- sleep*"
		print -r -- "$out" | tr -d '\r'
		zpty -d z
	EOF
	run timeout 20 env COMPLETION="$COMPLETION" PID="$PID" zsh -f "$TMP/zpty.zsh"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"$PID"*"-- sleep"* ]]
}
