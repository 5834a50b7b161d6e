# hako: chroot with Linux namespaces, as two chain-loading tools.
VERSION  = 0.1.0
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
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

COMMON  = src/common.o src/format.o src/userdb.o src/hygiene.o src/filter.o src/supervise.o src/userns.o src/spawn.o src/pidone.o
HEADERS = $(wildcard src/*.h)

all: $(O)/hako-run $(O)/hako-enter

$(O)/hako-run: $(O)/src/hako-run.o $(addprefix $(O)/,$(COMMON))
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(O)/hako-enter: $(O)/src/hako-enter.o $(addprefix $(O)/,$(COMMON))
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(O)/src/%.o: src/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -c -o $@ $<

# Static, stripped binaries with musl. Debian's musl-gcc has no kernel
# headers on its path, so point it at the host's linux/ and asm/ only.
# No RELRO: only a dynamic loader makes it read-only, and in a static
# binary it is just padding to a page boundary (4 KiB).
MUSL_INC = static/include
static:
	@mkdir -p $(MUSL_INC)
	@for d in linux asm-generic; do ln -sfn /usr/include/$$d $(MUSL_INC)/$$d; done
	@ln -sfn /usr/include/$$(gcc -print-multiarch)/asm $(MUSL_INC)/asm
	$(MAKE) O=static CC='musl-gcc -static' \
		CFLAGS='-Os -isystem $(MUSL_INC) -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables' \
		LDFLAGS='-s -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,--build-id=none'

check: all
	bats tests

install: all
	$(MAKE) install-files

# The fast build: the static musl binaries (see README, Building).
install-static: static
	$(MAKE) O=static install-files

install-files:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(O)/hako-run $(O)/hako-enter $(DESTDIR)$(BINDIR)
	install -m 644 man/hako-run.1 man/hako-enter.1 $(DESTDIR)$(MANDIR)/man1

demo: all
	./example/start

bench: static
	./bench/run

clean:
	rm -rf hako-run hako-enter src/*.o static asan

.PHONY: all static check install install-static install-files demo bench clean
