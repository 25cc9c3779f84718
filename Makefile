# nettrace build. `make` builds ./nettrace; `make static` ./nettrace-static;
# `make test` runs unit and end-to-end tests; `make bench` the benchmarks;
# `make install` (PREFIX, DESTDIR) installs, `make deb` builds the .deb;
# `make fuzz` the fuzzers, `make asan` a sanitizer build (tests/fuzz/README.md).
CC       ?= gcc
CLANG    ?= clang
BPFTOOL  ?= bpftool
LLVM_STRIP ?= llvm-strip
ARCH     := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

BUILD    := build
CFLAGS   ?= -O2 -g
CFLAGS   += -Wall -Wextra -Werror -std=gnu11 -Isrc -I$(BUILD) -DNT_VERSION='"$(VERSION)"'
BPF_CFLAGS := -O2 -g -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror -Isrc -Isrc/bpf
LIBS     := -lbpf -lelf -lz -lnftables -lnftnl -lmnl -lmicrohttpd
STATIC_LIBS := -lbpf -lelf -lz -lzstd

BPF_SRCS := $(wildcard src/bpf/*.bpf.c)
BPF_OBJS := $(patsubst src/bpf/%.bpf.c,$(BUILD)/%.bpf.o,$(BPF_SRCS))
SKELS    := $(patsubst src/bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))
LIB_SRCS := $(filter-out src/bpf/%,$(wildcard src/*/*.c src/*/*/*.c))
HDRS     := $(wildcard src/*.h src/*/*.h src/*/*/*.h)
LIB_OBJS := $(patsubst src/%.c,$(BUILD)/%.o,$(LIB_SRCS))
TEST_PROGS := $(patsubst tests/progs/%.c,$(BUILD)/tests/progs/%.o,$(wildcard tests/progs/*.bpf.c)) \
	      $(patsubst tests/progs/%.c,$(BUILD)/tests/progs/%,$(filter-out %.bpf.c,$(wildcard tests/progs/*.c)))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

.SECONDARY:
.PHONY: all static clean test unit e2e vm-test bench format vmlinux man-reasons fuzz fuzz-smoke \
	fuzz-build asan asan-test
all: nettrace

$(BUILD)/%.bpf.o: src/bpf/%.bpf.c $(HDRS) | $(BUILD)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(LLVM_STRIP) -g $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(BPFTOOL) gen skeleton $< > $@

$(BUILD)/%.o: src/%.c $(SKELS) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# The trace catalog is data (data/catalog.txt), compiled in as nt_catalog_text.
$(BUILD)/catalog_data.o: data/catalog.txt | $(BUILD)
	printf '.section .rodata\n.global nt_catalog_text\nnt_catalog_text:\n.incbin "%s"\n.byte 0\n.section .note.GNU-stack,"",@progbits\n' $< | $(CC) -x assembler -c - -o $@

# The diagnosis knowledge base (data/diag/*.kb, format in data/diag/FORMAT.md), compiled in
# as nt_kb_reasons_text and nt_kb_rules_text.
KB_DATA := data/diag/reasons.kb data/diag/rules.kb
$(BUILD)/kb_data.o: $(KB_DATA) | $(BUILD)
	printf '.section .rodata\n.global nt_kb_reasons_text\nnt_kb_reasons_text:\n.incbin "%s"\n.byte 0\n.global nt_kb_rules_text\nnt_kb_rules_text:\n.incbin "%s"\n.byte 0\n.section .note.GNU-stack,"",@progbits\n' $(KB_DATA) | $(CC) -x assembler -c - -o $@

# dropreason(7), generated from the compiled-in knowledge base so that the two never differ.
$(BUILD)/kb2man: tools/kb2man.c $(BUILD)/libnettrace.a
	$(CC) $(CFLAGS) $< $(BUILD)/libnettrace.a $(LIBS) -o $@

man-reasons: $(BUILD)/man/dropreason.7
$(BUILD)/man/dropreason.7: $(BUILD)/kb2man
	@mkdir -p $(dir $@)
	$(BUILD)/kb2man $@

$(BUILD)/libnettrace.a: $(LIB_OBJS) $(BUILD)/catalog_data.o $(BUILD)/kb_data.o
	rm -f $@
	$(AR) rcs $@ $^

nettrace: $(BUILD)/main.o $(BUILD)/libnettrace.a
	$(CC) $(CFLAGS) $^ $(LIBS) -o $@

# Debian has no static libnftables/libnftnl/libmnl, and static libmicrohttpd
# pulls in GnuTLS: the static binary's objects are built apart, with
# -DNT_NO_NFTABLES (nft tracing stubs) and -DNT_NO_METRICS (no --metrics server).
STATIC_BUILD := $(BUILD)/static
STATIC_OBJS := $(patsubst src/%.c,$(STATIC_BUILD)/%.o,src/main.c $(LIB_SRCS))

$(STATIC_BUILD)/%.o: src/%.c $(SKELS) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DNT_NO_NFTABLES -DNT_NO_METRICS -c $< -o $@

static: nettrace-static
nettrace-static: $(STATIC_OBJS) $(BUILD)/catalog_data.o $(BUILD)/kb_data.o
	$(CC) $(CFLAGS) -static $^ $(STATIC_LIBS) -o $@

$(BUILD):
	@mkdir -p $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/*.h $(BUILD)/libnettrace.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit $< $(BUILD)/libnettrace.a $(LIBS) -lcmocka -o $@

unit: $(UNIT_BINS)
	@tests/unit/run.sh $(UNIT_BINS)

$(BUILD)/tests/progs/%.o: tests/progs/%.c
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -I/usr/include/$(shell gcc -dumpmachine) -c $< -o $@

# Helper programs the tests run, static so the qemu guests can run them too.
$(BUILD)/tests/progs/%: tests/progs/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -static $< -o $@

# factread reads facts with the library (src/facts): linked dynamically, it
# runs on the host only.
$(BUILD)/tests/progs/factread: tests/progs/factread.c $(BUILD)/libnettrace.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< $(BUILD)/libnettrace.a $(LIBS) -o $@

e2e: nettrace $(TEST_PROGS)
	@tests/e2e/run.sh

vm-test: nettrace $(TEST_PROGS)
	@tests/vm/run.sh --timeout 1800 ./nettrace

test:
	@tests/run-all.sh

# Fuzzing and sanitizer builds, with clang's ASan and UBSan, apart from the
# normal build. Harnesses: tests/fuzz/fuzz_NAME.c, seeds: tests/fuzz/corpus/NAME/.
# (clang: the GCC-only warnings some sources turn off are not an error)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	     -Wno-unknown-warning-option
FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_NAMES))
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 10

$(FUZZ_BUILD)/%.o: src/%.c $(SKELS) $(HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/libnettrace.a: $(patsubst src/%.c,$(FUZZ_BUILD)/%.o,$(LIB_SRCS)) $(BUILD)/catalog_data.o \
			     $(BUILD)/kb_data.o
	rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_BUILD)/libnettrace.a
	$(CLANG) $(CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer $< $(FUZZ_BUILD)/libnettrace.a $(LIBS) -o $@

fuzz-build: $(FUZZ_BINS)

# Each harness in turn, niced, for FUZZ_SECONDS; fuzz-smoke for FUZZ_SMOKE_SECONDS (CI).
fuzz: $(FUZZ_BINS)
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_NAMES)

fuzz-smoke: $(FUZZ_BINS)
	@tests/fuzz/run.sh $(FUZZ_SMOKE_SECONDS) $(FUZZ_NAMES)

ASAN_BUILD := $(BUILD)/asan
ASAN_UNIT_BINS := $(patsubst tests/unit/%.c,$(ASAN_BUILD)/tests/%,$(UNIT_SRCS))

$(ASAN_BUILD)/%.o: src/%.c $(SKELS) $(HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(ASAN_BUILD)/libnettrace.a: $(patsubst src/%.c,$(ASAN_BUILD)/%.o,$(LIB_SRCS)) $(BUILD)/catalog_data.o \
			     $(BUILD)/kb_data.o
	rm -f $@
	$(AR) rcs $@ $^

$(ASAN_BUILD)/nettrace: $(ASAN_BUILD)/main.o $(ASAN_BUILD)/libnettrace.a
	$(CLANG) $(CFLAGS) $(SAN_FLAGS) $^ $(LIBS) -o $@

$(ASAN_BUILD)/tests/%: tests/unit/%.c tests/unit/*.h $(ASAN_BUILD)/libnettrace.a
	@mkdir -p $(dir $@)
	$(CLANG) $(CFLAGS) $(SAN_FLAGS) -Itests/unit $< $(ASAN_BUILD)/libnettrace.a $(LIBS) -lcmocka -o $@

# An ASan+UBSan nettrace and unit tests; asan-test runs them and the host
# end-to-end tests against it (as root): any sanitizer report fails.
asan: $(ASAN_BUILD)/nettrace $(ASAN_UNIT_BINS)

asan-test: asan $(TEST_PROGS)
	@tests/asan/run.sh $(ASAN_BUILD)/nettrace $(ASAN_UNIT_BINS)

bench: nettrace nettrace-static
	@bench/run.sh

format:
	clang-format -i $(wildcard src/*.c src/*/*.c src/*/*/*.c) $(HDRS) $(wildcard tests/unit/*.c)

# Regenerates the checked-in vmlinux.h from the running kernel's BTF.
vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > src/bpf/vmlinux.h

# Installation: PREFIX (default /usr/local) and DESTDIR as usual.
PREFIX   ?= /usr/local
SBINDIR  ?= $(PREFIX)/sbin
DATADIR  ?= $(PREFIX)/share
MANDIR   ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
INSTALL  ?= install
.PHONY: install man man-reasons deb

# Manual pages: man/ holds the written ones; $(BUILD)/man the generated ones,
# each named NAME.SECTION: dropreason(7), from the diagnose knowledge base
# (the man-reasons rule above).
man: man-reasons
man-reasons:

# deploy/, when present, brings deploy/install.mk: it adds its own install
# rules as prerequisites of `install` (e.g. `install: install-deploy`), with
# the variables above. A deploy/ without it is installed as it is, to
# $(DATADIR)/nettrace/deploy.
-include deploy/install.mk

install: nettrace man
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 755 nettrace $(DESTDIR)$(SBINDIR)/nettrace
	$(INSTALL) -m 644 man/nettrace.8 $(DESTDIR)$(MANDIR)/man8/nettrace.8
	$(INSTALL) -m 644 completion/nettrace $(DESTDIR)$(BASHCOMPDIR)/nettrace
	for page in $(BUILD)/man/*.[1-9]; do \
		[ -f "$$page" ] || continue; \
		$(INSTALL) -D -m 644 "$$page" "$(DESTDIR)$(MANDIR)/man$${page##*.}/$${page##*/}" || exit 1; \
	done
	if [ -d deploy ] && [ ! -f deploy/install.mk ]; then \
		$(INSTALL) -d $(DESTDIR)$(DATADIR)/nettrace && \
		cp -R deploy $(DESTDIR)$(DATADIR)/nettrace/; \
	fi

# The Debian package, built from a copy of the tracked files (with their
# uncommitted changes) so that dpkg-buildpackage writes nothing outside
# DEB_OUT: the .deb, .buildinfo and .changes land there.
DEB_OUT  ?= $(BUILD)/deb
# (root building a checkout that another user owns: git would refuse it)
DEB_GIT  := git -c safe.directory='*'
deb:
	rm -rf $(DEB_OUT)/src
	mkdir -p $(DEB_OUT)/src
	rev=$$($(DEB_GIT) stash create) && $(DEB_GIT) archive "$${rev:-HEAD}" | tar -x -C $(DEB_OUT)/src
	cd $(DEB_OUT)/src && dpkg-buildpackage -us -uc -b
	rm -rf $(DEB_OUT)/src

clean:
	rm -rf $(BUILD) nettrace nettrace-static
