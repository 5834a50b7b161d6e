/* filter.c - the seccomp filter that stops terminal injection */
#include <errno.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "common.h"
#include "filter.h"

#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

/* Where the low 32 bits of ioctl's request argument are: the kernel
 * compares the request as an unsigned int, so a request with high bits
 * set must not slip past a 64-bit comparison. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define REQUEST_LO offsetof(struct seccomp_data, args[1])
#else
#define REQUEST_LO (offsetof(struct seccomp_data, args[1]) + 4)
#endif

/* Every (architecture, ioctl number) a process on this kernel can call
 * ioctl through: the native entry and the compatibility ones. The numbers
 * are distinct, which the filter below relies on. */
static const struct entry {
	unsigned int arch, nr;
} entries[] = {
#if defined(__x86_64__)
	{ AUDIT_ARCH_X86_64, 16 },
	{ AUDIT_ARCH_X86_64, 0x40000000 | 514 }, /* x32 */
	{ AUDIT_ARCH_X86_64, 0x40000000 | 16 },  /* x32, kernels before 5.4 */
	{ AUDIT_ARCH_I386, 54 },
#elif defined(__i386__)
	{ AUDIT_ARCH_I386, 54 },
#elif defined(__aarch64__)
	{ AUDIT_ARCH_AARCH64, 29 },
	{ AUDIT_ARCH_ARM, 54 },
#else
#error "add this architecture's ioctl entries to filter.c"
#endif
};

#define N (sizeof entries / sizeof entries[0])
#define X32_BIT 0x40000000U
#define LEN (4 * N + 10)

#define STMT(code, k) ((struct sock_filter)BPF_STMT(code, k))
#define JUMP(op, k, jt, jf) \
	((struct sock_filter)BPF_JUMP(BPF_JMP | (op) | BPF_K, k, jt, jf))
#define LOAD(field) STMT(BPF_LD | BPF_W | BPF_ABS, field)
#define RET(k) STMT(BPF_RET | BPF_K, k)

/* Forward jump from instruction AT to instruction TO. */
#define TO(at, to) ((unsigned char)((to) - (at) - 1))

/* When the filter is installed the kernel runs it through for every
 * system call number of every architecture, to cache those it always
 * allows; that pass is most of what installing costs, so the common case
 * leaves early: a number above the highest ioctl number (and below the
 * x32 ones) is allowed after four instructions. Only a number that is
 * ioctl somewhere has its architecture checked, then the request.
 *
 *	LOAD nr
 *	nr > LOW_MAX ?  go to HIGH
 *	nr == each low entry's number ?  go to its arch check
 *	ALLOW
 *   HIGH:
 *	nr >= X32_BIT ?  (else ALLOW)
 *	nr == each high entry's number ?  go to its arch check
 *	ALLOW
 *	for each entry: LOAD arch; arch == its arch ? go to CHECK : ALLOW
 *   CHECK:
 *	LOAD the request's low 32 bits
 *	TIOCSTI or TIOCLINUX ?  go to DENY
 *	ALLOW
 *   DENY:
 *	fail with EPERM
 *
 * An architecture without high entries (arm64) keeps the same shape: its
 * HIGH block then allows straight away. */
void forbid_tty_injection(void)
{
	struct sock_filter f[LEN];
	struct sock_fprog prog = { .filter = f };
	unsigned int i, n = 0, low_max = 0, high, arch, check, order[N], nlow = 0;

	/* The entries in the order the number checks are made: low first. */
	for (i = 0; i < N; i++)
		if (entries[i].nr < X32_BIT) {
			order[nlow++] = i;
			if (entries[i].nr > low_max)
				low_max = entries[i].nr;
		}
	for (i = 0, n = nlow; i < N; i++)
		if (entries[i].nr >= X32_BIT)
			order[n++] = i;
	n = 0;

	/* Where each block starts: the low checks end with an ALLOW at
	 * 2 + nlow, HIGH follows, then the arch checks, then CHECK. */
	high = 3 + nlow;
	arch = high + (N > nlow ? 2 + (N - nlow) : 1);
	check = arch + 2 * N;

	f[n++] = LOAD(offsetof(struct seccomp_data, nr));
	f[n] = JUMP(BPF_JGT, low_max, TO(n, high), 0), n++;
	for (i = 0; i < nlow; i++, n++)
		f[n] = JUMP(BPF_JEQ, entries[order[i]].nr, TO(n, arch + 2 * i), 0);
	f[n++] = RET(SECCOMP_RET_ALLOW);
	if (N > nlow) {
		f[n] = JUMP(BPF_JGE, X32_BIT, 0, TO(n, arch - 1)), n++;
		for (i = nlow; i < N; i++, n++)
			f[n] = JUMP(BPF_JEQ, entries[order[i]].nr, TO(n, arch + 2 * i), 0);
	}
	f[n++] = RET(SECCOMP_RET_ALLOW);
	for (i = 0; i < N; i++) {
		f[n++] = LOAD(offsetof(struct seccomp_data, arch));
		f[n] = JUMP(BPF_JEQ, entries[order[i]].arch, TO(n, check), TO(n, check + 3)), n++;
	}
	f[n++] = LOAD(REQUEST_LO);
	f[n] = JUMP(BPF_JEQ, TIOCSTI, TO(n, check + 4), 0), n++;
	f[n] = JUMP(BPF_JEQ, TIOCLINUX, TO(n, check + 4), 0), n++;
	f[n++] = RET(SECCOMP_RET_ALLOW);
	f[n++] = RET(SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
	prog.len = (unsigned short)n;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		die_errno("cannot install the terminal filter");
}
