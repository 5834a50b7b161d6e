# hako: chroot with Linux namespaces, as two chain-loading tools.
VERSION  = 0.1.0
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
DESTDIR ?=

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c99 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wpointer-arith -Wcast-qual \
           -Wwrite-strings -Wundef -Wvla
CPPFLAGS += -D_GNU_SOURCE -DHAKO_VERSION='"$(VERSION)"'
LDFLAGS ?=

# Where the binaries go: "." by default, "static" for `make static`.
O ?= .

# A compiler without the kernel's headers on its path (Debian's musl-gcc,
# a musl cross compiler) gets its target's through a directory of links
# to just linux/, asm-generic/ and asm/, so no other libc's headers come
# along. Nothing to do for gcc and clang.
KHDRS := $(shell sh mk/kernel-headers $(CC))
ifneq ($(KHDRS),)
KINC = $(O)/kinclude
KCPPFLAGS = -isystem $(KINC)
endif

COMMON  = src/common.o src/userdb.o src/hygiene.o src/exec.o src/filter.o src/supervise.o src/userns.o src/spawn.o src/loopback.o src/init.o src/forward.o src/relay.o src/pidone.o
HEADERS = $(wildcard src/*.h)

all: $(O)/hako-run $(O)/hako-enter

$(O)/hako-run: $(O)/src/hako-run.o $(addprefix $(O)/,$(COMMON))
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(O)/hako-enter: $(O)/src/hako-enter.o $(addprefix $(O)/,$(COMMON))
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(O)/src/%.o: src/%.c $(HEADERS) | $(KINC)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(KCPPFLAGS) $(WARN) $(CFLAGS) -c -o $@ $<

# Remade every time: the compiler, and so the headers, may have changed.
$(KINC):
	@mkdir -p $@
	@ln -sfn $(word 1,$(KHDRS))/linux $@/linux
	@ln -sfn $(word 1,$(KHDRS))/asm-generic $@/asm-generic
	@ln -sfn $(word 2,$(KHDRS))/asm $@/asm

# Static, stripped binaries with musl (the kernel headers as above).
# No RELRO: only a dynamic loader makes it read-only, and in a static
# binary it is just padding to a page boundary (4 KiB).
static:
	$(MAKE) O=static CC='musl-gcc -static' \
		CFLAGS='-Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables' \
		LDFLAGS='-s -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,--build-id=none'

check: all
	bats tests

install: all
	$(MAKE) install-files

# The fast build: the static musl binaries (see README, Building).
install-static: static
	$(MAKE) O=static install-files

# bash-completion looks a completion up by the command's name: one file
# serves both, hako-enter's name a link to it.
install-files:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(O)/hako-run $(O)/hako-enter $(DESTDIR)$(BINDIR)
	install -m 644 man/hako-run.1 man/hako-enter.1 $(DESTDIR)$(MANDIR)/man1
	install -m 644 completion/hako.bash $(DESTDIR)$(BASHCOMPDIR)/hako-run
	ln -sf hako-run $(DESTDIR)$(BASHCOMPDIR)/hako-enter
	install -m 644 completion/_hako $(DESTDIR)$(ZSHCOMPDIR)/_hako

# Removes what install and install-static put down (the directories stay:
# they may hold other things).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/hako-run $(DESTDIR)$(BINDIR)/hako-enter \
		$(DESTDIR)$(MANDIR)/man1/hako-run.1 $(DESTDIR)$(MANDIR)/man1/hako-enter.1 \
		$(DESTDIR)$(BASHCOMPDIR)/hako-run $(DESTDIR)$(BASHCOMPDIR)/hako-enter \
		$(DESTDIR)$(ZSHCOMPDIR)/_hako

demo: all
	./example/start

bench: static
	./bench/run

clean:
	rm -rf hako-run hako-enter src/*.o kinclude static asan

.PHONY: $(KINC) all static check install install-static install-files uninstall demo bench clean
