/* filter_arch.h - where ioctl is, for each architecture with seccomp */
#ifndef HAKO_FILTER_ARCH_H
#define HAKO_FILTER_ARCH_H

#include <linux/audit.h>

/*
 * A filter has to name every (audit architecture, call number) through
 * which a process can reach ioctl on the kernel it runs on. That is more
 * than the ABI hako is built for: an i386 hako may run on an x86_64
 * kernel, where the sandboxed command can exec a 64-bit program, so each
 * table below holds the whole family the kernel may offer (its native
 * entry and its compatibility ones).
 *
 * The table is chosen from the compiler's predefined macros. A test names
 * one instead (-DFILTER_TABLE=FILTER_MIPS -DFILTER_BIG_ENDIAN=0) to check
 * any architecture's table on any host; a real build checks below that
 * the kernel headers' __NR_ioctl is in the table it got.
 */
#define FILTER_X86       1  /* x86_64, x32 and i386 */
#define FILTER_ARM       2  /* arm64 and 32-bit arm (EABI) */
#define FILTER_RISCV     3  /* riscv64 and riscv32 */
#define FILTER_PPC64LE   4  /* ppc64el and 32-bit powerpc */
#define FILTER_PPC64     5  /* big-endian ppc64 and 32-bit powerpc */
#define FILTER_S390      6  /* s390x and 31-bit s390 */
#define FILTER_MIPSEL    7  /* little-endian mips: n64, n32 and o32 */
#define FILTER_MIPS      8  /* big-endian mips: n64, n32 and o32 */
#define FILTER_LOONGARCH 9  /* loongarch64 and loongarch32 */
#define FILTER_PARISC    10 /* 64- and 32-bit hppa */
#define FILTER_M68K      11
#define FILTER_SHEL      12 /* little-endian sh (sh4) */
#define FILTER_SH        13 /* big-endian sh */

#ifndef FILTER_TABLE
#if defined(__x86_64__) || defined(__i386__)
#define FILTER_TABLE FILTER_X86
#elif defined(__aarch64__)
#define FILTER_TABLE FILTER_ARM
#elif defined(__arm__)
/* An old-ABI (OABI) kernel has no seccomp filters at all. */
#ifndef __ARM_EABI__
#error "seccomp filters need the ARM EABI"
#endif
#define FILTER_TABLE FILTER_ARM
#elif defined(__riscv)
#define FILTER_TABLE FILTER_RISCV
#elif defined(__powerpc__) && defined(__LITTLE_ENDIAN__)
#define FILTER_TABLE FILTER_PPC64LE
#elif defined(__powerpc__)
#define FILTER_TABLE FILTER_PPC64
#elif defined(__s390__)
#define FILTER_TABLE FILTER_S390
#elif defined(__mips__) && defined(__MIPSEL__)
#define FILTER_TABLE FILTER_MIPSEL
#elif defined(__mips__)
#define FILTER_TABLE FILTER_MIPS
#elif defined(__loongarch__)
#define FILTER_TABLE FILTER_LOONGARCH
#elif defined(__hppa__)
#define FILTER_TABLE FILTER_PARISC
#elif defined(__m68k__)
#define FILTER_TABLE FILTER_M68K
#elif defined(__sh__) && defined(__LITTLE_ENDIAN__)
#define FILTER_TABLE FILTER_SHEL
#elif defined(__sh__)
#define FILTER_TABLE FILTER_SH
#else
/* alpha, sparc and the rest: Linux has no seccomp filters there, so
 * the filter that stops terminal injection cannot be built. */
#error "Linux has no seccomp filters on this architecture"
#endif
#define FILTER_CHECK_HEADERS 1
#endif

#ifndef FILTER_BIG_ENDIAN
#define FILTER_BIG_ENDIAN (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
#endif

/* The values linux/audit.h documents, for headers older than the
 * architecture. */
#ifndef EM_RISCV
#define EM_RISCV 243
#endif
#ifndef EM_LOONGARCH
#define EM_LOONGARCH 258
#endif
#ifndef AUDIT_ARCH_RISCV32
#define AUDIT_ARCH_RISCV32 (EM_RISCV | __AUDIT_ARCH_LE)
#endif
#ifndef AUDIT_ARCH_RISCV64
#define AUDIT_ARCH_RISCV64 (EM_RISCV | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE)
#endif
#ifndef AUDIT_ARCH_LOONGARCH32
#define AUDIT_ARCH_LOONGARCH32 (EM_LOONGARCH | __AUDIT_ARCH_LE)
#endif
#ifndef AUDIT_ARCH_LOONGARCH64
#define AUDIT_ARCH_LOONGARCH64 (EM_LOONGARCH | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE)
#endif

/* x32 calls are x86_64 calls with this bit set in the number. */
#define FILTER_X32_BIT 0x40000000U

/* FILTER_ENTRIES(E): the table, E(audit architecture, ioctl's number)
 * for each entry.
 * FILTER_TIOCSTI, FILTER_TIOCLINUX: the requests to refuse, which mips
 * and sh number differently (checked against the headers in filter.c). */
#if FILTER_TABLE == FILTER_X86
#define FILTER_ENTRIES(E) \
	E(AUDIT_ARCH_X86_64, 16) \
	E(AUDIT_ARCH_X86_64, FILTER_X32_BIT | 514) \
	E(AUDIT_ARCH_X86_64, FILTER_X32_BIT | 16) /* x32 before Linux 5.4 */ \
	E(AUDIT_ARCH_I386, 54)
#elif FILTER_TABLE == FILTER_ARM
/* arm64 reports its 32-bit tasks as little-endian arm whatever the byte
 * order, and a 32-bit arm kernel does the same. */
#define FILTER_ENTRIES(E) E(AUDIT_ARCH_AARCH64, 29) E(AUDIT_ARCH_ARM, 54)
#elif FILTER_TABLE == FILTER_RISCV
#define FILTER_ENTRIES(E) E(AUDIT_ARCH_RISCV64, 29) E(AUDIT_ARCH_RISCV32, 29)
#elif FILTER_TABLE == FILTER_PPC64LE
/* A 32-bit task is AUDIT_ARCH_PPC even on a little-endian kernel. */
#define FILTER_ENTRIES(E) E(AUDIT_ARCH_PPC64LE, 54) E(AUDIT_ARCH_PPC, 54)
#elif FILTER_TABLE == FILTER_PPC64
#define FILTER_ENTRIES(E) E(AUDIT_ARCH_PPC64, 54) E(AUDIT_ARCH_PPC, 54)
#elif FILTER_TABLE == FILTER_S390
#define FILTER_ENTRIES(E) E(AUDIT_ARCH_S390X, 54) E(AUDIT_ARCH_S390, 54)
#elif FILTER_TABLE == FILTER_MIPSEL
/* Each mips ABI numbers its calls from its own base. */
#define FILTER_ENTRIES(E) \
	E(AUDIT_ARCH_MIPSEL, 4000 + 54) \
	E(AUDIT_ARCH_MIPSEL64, 5000 + 15) \
	E(AUDIT_ARCH_MIPSEL64N32, 6000 + 15)
#define FILTER_TIOCSTI 0x5472U
#define FILTER_TIOCLINUX 0x5483U
#elif FILTER_TABLE == FILTER_MIPS
#define FILTER_ENTRIES(E) \
	E(AUDIT_ARCH_MIPS, 4000 + 54) \
	E(AUDIT_ARCH_MIPS64, 5000 + 15) \
	E(AUDIT_ARCH_MIPS64N32, 6000 + 15)
#define FILTER_TIOCSTI 0x5472U
#define FILTER_TIOCLINUX 0x5483U
#elif FILTER_TABLE == FILTER_LOONGARCH
#define FILTER_ENTRIES(E) E(AUDIT_ARCH_LOONGARCH64, 29) E(AUDIT_ARCH_LOONGARCH32, 29)
#elif FILTER_TABLE == FILTER_PARISC
#define FILTER_ENTRIES(E) E(AUDIT_ARCH_PARISC64, 54) E(AUDIT_ARCH_PARISC, 54)
#elif FILTER_TABLE == FILTER_M68K
#define FILTER_ENTRIES(E) E(AUDIT_ARCH_M68K, 54)
#elif FILTER_TABLE == FILTER_SHEL
#define FILTER_ENTRIES(E) E(AUDIT_ARCH_SHEL, 54)
#define FILTER_TIOCSTI 0x40015412U /* _IOW('T', 18, char) */
#define FILTER_TIOCLINUX 0x4001541CU /* _IOW('T', 28, char) */
#elif FILTER_TABLE == FILTER_SH
#define FILTER_ENTRIES(E) E(AUDIT_ARCH_SH, 54)
#define FILTER_TIOCSTI 0x40015412U /* _IOW('T', 18, char) */
#define FILTER_TIOCLINUX 0x4001541CU /* _IOW('T', 28, char) */
#else
#error "FILTER_TABLE names no table"
#endif
#ifndef FILTER_TIOCSTI
#define FILTER_TIOCSTI 0x5412U
#define FILTER_TIOCLINUX 0x541CU
#endif

#ifdef FILTER_CHECK_HEADERS
#include <asm/unistd.h>
#define FILTER_IS_NR(arch, nr) || (nr) == __NR_ioctl
#if !(0 FILTER_ENTRIES(FILTER_IS_NR))
#error "this architecture's ioctl number is missing from its table"
#endif
#endif

#endif
