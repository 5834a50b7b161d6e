#!/usr/bin/env bats
# Building and installing: the musl build line from a clean tree, the
# kernel headers a compiler is given, make install and make uninstall.

bats_require_minimum_version 1.5.0
load helper

# A clean copy of what the build reads, built once with the musl line.
setup_file() {
	require_commands musl-gcc
	export TREE=$BATS_FILE_TMPDIR/tree
	mkdir -p "$TREE"
	(cd "$BATS_TEST_DIRNAME/.." && cp -r Makefile mk src man completion "$TREE")
	rm -f "$TREE"/src/*.o
	(cd "$TREE" && CC='musl-gcc -static' make >"$BATS_FILE_TMPDIR/make.log" 2>&1) ||
		{ cat "$BATS_FILE_TMPDIR/make.log"; return 1; }
}

setup() {
	TMP=$(mktemp -d /tmp/hako-test.XXXXXX)
	: > "$TMP/pids"
}

teardown() {
	sandbox_teardown
}

# files DIR: what is under DIR that is not a directory, one per line.
files() {
	(cd "$1" && find . ! -type d | sort)
}

@test "CC='musl-gcc -static' make builds static binaries from a clean tree" {
	# No program interpreter: static.
	run readelf -lW "$TREE/hako-run" "$TREE/hako-enter"
	[ "$status" -eq 0 ]
	[[ $output == *"Elf file type is EXEC"* ]]
	[[ $output != *INTERP* ]]
	run "$TREE/hako-run" --version
	[ "$status" -eq 0 ]
	[[ $output == "hako-run "* ]]
	# The kernel headers came through links, to just these.
	run ls "$TREE/kinclude"
	[ "$output" = "$(printf '%s\n' asm asm-generic linux)" ]
	[ "$(readlink "$TREE/kinclude/linux")" = /usr/include/linux ]
	[ "$(readlink "$TREE/kinclude/asm")" = "/usr/include/$(gcc -print-multiarch)/asm" ]
}

@test "kernel headers: none added for gcc or clang, the host's for musl-gcc" {
	cd "$BATS_TEST_DIRNAME/.."
	run sh mk/kernel-headers gcc
	[ "$status" -eq 0 ] && [ "$output" = "" ]
	run sh mk/kernel-headers clang
	[ "$status" -eq 0 ] && [ "$output" = "" ]
	run sh mk/kernel-headers musl-gcc -static
	[ "$status" -eq 0 ]
	[ "$output" = "/usr/include /usr/include/$(gcc -print-multiarch)" ]
	# A gcc build makes no links.
	cp -r "$TREE" "$TMP/gcc"
	make -C "$TMP/gcc" clean >/dev/null
	run make -C "$TMP/gcc" CC=gcc src/filter.o
	[ "$status" -eq 0 ]
	[ ! -e "$TMP/gcc/kinclude" ]
	# make CC=musl-gcc from a clean tree: dynamically linked with musl.
	make -C "$TMP/gcc" clean >/dev/null
	run make -C "$TMP/gcc" CC=musl-gcc
	[ "$status" -eq 0 ]
	[ -L "$TMP/gcc/kinclude/linux" ]
	run readelf -lW "$TMP/gcc/hako-enter"
	[[ $output == *"interpreter: /lib/ld-musl-"* ]]
}

@test "make install puts down binaries, man pages and completions; make uninstall removes them" {
	local stage=$TMP/stage
	run make -C "$TREE" install DESTDIR="$stage" PREFIX=/usr
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(files "$stage")" = "$(printf '%s\n' \
		./usr/bin/hako-enter ./usr/bin/hako-run \
		./usr/share/bash-completion/completions/hako-enter \
		./usr/share/bash-completion/completions/hako-run \
		./usr/share/man/man1/hako-enter.1 ./usr/share/man/man1/hako-run.1 \
		./usr/share/zsh/site-functions/_hako)" ]
	cmp "$TREE/hako-run" "$stage/usr/bin/hako-run"
	cmp "$TREE/completion/hako.bash" "$stage/usr/share/bash-completion/completions/hako-run"
	[ "$(readlink "$stage/usr/share/bash-completion/completions/hako-enter")" = hako-run ]
	cmp "$TREE/completion/_hako" "$stage/usr/share/zsh/site-functions/_hako"
	run make -C "$TREE" uninstall DESTDIR="$stage" PREFIX=/usr
	[ "$status" -eq 0 ]
	[ "$(files "$stage")" = "" ]
}

@test "install and uninstall follow BINDIR, MANDIR, BASHCOMPDIR and ZSHCOMPDIR" {
	local stage=$TMP/stage
	local dirs=(BINDIR=/b MANDIR=/m BASHCOMPDIR=/bc ZSHCOMPDIR=/z)
	run make -C "$TREE" install DESTDIR="$stage" "${dirs[@]}"
	[ "$status" -eq 0 ]
	[ "$(files "$stage")" = "$(printf '%s\n' ./b/hako-enter ./b/hako-run \
		./bc/hako-enter ./bc/hako-run ./m/man1/hako-enter.1 ./m/man1/hako-run.1 \
		./z/_hako)" ]
	run make -C "$TREE" uninstall DESTDIR="$stage" "${dirs[@]}"
	[ "$status" -eq 0 ]
	[ "$(files "$stage")" = "" ]
}

@test "make uninstall removes what make install-static put down" {
	local stage=$TMP/stage
	run make -C "$TREE" install-static DESTDIR="$stage" PREFIX=/usr
	[ "$status" -eq 0 ]
	cmp "$TREE/static/hako-enter" "$stage/usr/bin/hako-enter"
	[ "$(files "$stage" | wc -l)" -eq 7 ]
	run make -C "$TREE" uninstall DESTDIR="$stage" PREFIX=/usr
	[ "$status" -eq 0 ]
	[ "$(files "$stage")" = "" ]
}
