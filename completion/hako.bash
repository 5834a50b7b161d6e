# bash completion for hako-run and hako-enter                -*- shell-script -*-
# Installed as completions/hako-run, with hako-enter a link to it, where
# bash-completion looks a command's completion up by the command's name.
#
# Nothing here runs anything from a target directory: directories are only
# listed and tested, and an unreadable one completes to nothing.

# _hako_names FILE: the first field of each line of FILE (/etc/passwd,
# /etc/group), matching $cur.
_hako_names()
{
	local name _
	[[ -r $1 ]] || return 0
	while IFS=: read -r name _; do
		[[ -n $name && $name != [#+-]* && $name == "$cur"* ]] && COMPREPLY+=("$name")
	done 2>/dev/null <"$1"
}

# _hako_fds: the shell's open descriptors a command it starts inherits
# (not those closed on exec, such as bash's own 255), matching $cur.
_hako_fds()
{
	local f fd key value flags
	for f in "/proc/$$/fd/"*; do
		fd=${f##*/}
		# The directory listing's own descriptor is gone by now.
		[[ -h $f && $fd == "$cur"* ]] || continue
		flags=0
		while read -r key value; do
			[[ $key == flags: ]] && flags=$value
		done 2>/dev/null <"/proc/$$/fdinfo/$fd"
		((8#$flags & 8#2000000)) && continue # O_CLOEXEC
		COMPREPLY+=("$fd")
	done
}

# _hako_targets: directories matching $cur; those that hold an executable
# .hako/init (sandboxes) only, if there are any.
_hako_targets()
{
	local d all=() boxes=()
	compopt -o filenames 2>/dev/null
	while IFS= read -r d; do
		all+=("$d")
		[[ -x $d/.hako/init && -f $d/.hako/init ]] && boxes+=("$d")
	done < <(compgen -d -- "$cur" 2>/dev/null)
	if ((${#boxes[@]})); then
		COMPREPLY=("${boxes[@]}")
	else
		COMPREPLY=("${all[@]}")
	fi
}

# _hako_sandbox_pids: pids of running sandboxes, matching $cur: processes
# that are pid 1 of a pid namespace below this one (the last of the pids
# NSpid lists, one per namespace, is 1, and there is more than one).
_hako_sandbox_pids()
{
	local status key ids
	for status in /proc/[0-9]*/status; do
		while read -r key ids; do
			[[ $key == NSpid: ]] || continue
			[[ $ids == *[[:space:]]* && $ids == *[[:space:]]1 ]] || break
			[[ ${ids%%[[:space:]]*} == "$cur"* ]] && COMPREPLY+=("${ids%%[[:space:]]*}")
			break
		done 2>/dev/null <"$status"
	done
}

# _hako TOOL: the completion of both tools, which differ in their options
# and in their operand.
_hako()
{
	local tool=$1 cur prev words cword split
	_init_completion -s -n : || return

	local opts with_arg
	if [[ $tool == hako-run ]]; then
		opts='-e --env -u --user -g --group -c --chdir -W --writable -N
			--network --network= -p --pid-file -U --userns --userns= -k
			--keep-fd -S --new-session -I --init -h --help -V --version'
		with_arg=eugcpk
	else
		opts='-e --env -u --user -g --group -c --chdir -f --fork -k
			--keep-fd -S --new-session -h --help -V --version'
		with_arg=eugck
	fi

	# Read the words before the cursor as getopt does: options (short ones
	# may be bundled, and one that takes an argument takes the rest of the
	# word or else the next word) up to the first operand or --.
	local i w j c operand=0 argof=
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		if [[ $w == -- ]]; then
			operand=$((i + 1))
			break
		elif [[ $w == --* ]]; then
			case $w in
			--env | --user | --group | --chdir | --pid-file | --keep-fd)
				((++i == cword)) && argof=$w ;;
			esac
		elif [[ $w == -?* ]]; then
			for ((j = 1; j < ${#w}; j++)); do
				c=${w:j:1}
				[[ $c == N && $tool == hako-run ]] && break # -NFILE
				if [[ $with_arg == *"$c"* ]]; then
					((j == ${#w} - 1)) && ((++i == cword)) && argof=-$c
					break
				fi
			done
		else
			operand=$i
			break
		fi
	done
	[[ $split == true ]] && argof=$prev

	if ((operand && cword > operand)); then
		_command_offset $((operand + 1))
		return
	fi
	case $argof in
	-u | --user) _hako_names /etc/passwd ;;
	-g | --group) _hako_names /etc/group ;;
	-p | --pid-file | --network) _filedir ;;
	-k | --keep-fd) _hako_fds ;;
	-?*) ;; # -c, -e, --userns=: nothing of the host's is an answer
	*)
		if ((!operand)) && [[ $cur == -N?* && $tool == hako-run ]]; then
			cur=${cur#-N}
			_filedir
			COMPREPLY=("${COMPREPLY[@]/#/-N}")
		elif ((!operand)) && [[ $cur == -* ]]; then
			# shellcheck disable=SC2207 # the options have no blanks
			COMPREPLY=($(compgen -W "$opts" -- "$cur"))
			[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace
		elif [[ $tool == hako-run ]]; then
			_hako_targets
		else
			_hako_sandbox_pids
		fi
		;;
	esac
}

_hako_run() { _hako hako-run; }
_hako_enter() { _hako hako-enter; }
complete -F _hako_run hako-run
complete -F _hako_enter hako-enter

# ex: filetype=sh
