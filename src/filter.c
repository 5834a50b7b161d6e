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
#define LEN (3 * N + 7)

#define STMT(code, k) ((struct sock_filter)BPF_STMT(code, k))
#define JEQ(k, jt, jf) \
	((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, jt, jf))

/* The system call number is looked at first, so that every call but the
 * few that can be ioctl leaves after N + 2 instructions: the kernel runs
 * the filter through for each number when it is installed (to cache the
 * calls it always allows), and that is most of what installing costs.
 * Only a number that is ioctl somewhere has its architecture checked.
 *
 *	0		load nr
 *	1 .. N		nr == entries[i].nr ?  go to arch check i
 *	N+1		allow
 *	N+2+2i		load arch
 *	N+3+2i		arch == entries[i].arch ?  go to CHECK : go to ALLOW
 *	3N+2 (CHECK)	load the request's low 32 bits
 *	3N+3, 3N+4	TIOCSTI or TIOCLINUX ?  go to DENY
 *	3N+5 (ALLOW)	allow
 *	3N+6 (DENY)	fail with EPERM
 */
void forbid_tty_injection(void)
{
	struct sock_filter f[LEN];
	struct sock_fprog prog = { .len = LEN, .filter = f };
	unsigned int i;

	f[0] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (i = 0; i < N; i++)
		f[1 + i] = JEQ(entries[i].nr, (unsigned char)(N + i), 0);
	f[N + 1] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	for (i = 0; i < N; i++) {
		f[N + 2 + 2 * i] = STMT(BPF_LD | BPF_W | BPF_ABS,
					offsetof(struct seccomp_data, arch));
		f[N + 3 + 2 * i] = JEQ(entries[i].arch, (unsigned char)(2 * N - 2 - 2 * i),
				       (unsigned char)(2 * N + 1 - 2 * i));
	}
	f[3 * N + 2] = STMT(BPF_LD | BPF_W | BPF_ABS, REQUEST_LO);
	f[3 * N + 3] = JEQ(TIOCSTI, 2, 0);
	f[3 * N + 4] = JEQ(TIOCLINUX, 1, 0);
	f[3 * N + 5] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[3 * N + 6] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		die_errno("cannot install the terminal filter");
}
