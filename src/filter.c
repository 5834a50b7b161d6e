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
 * ioctl through: the native entry and the compatibility ones. */
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

#define NENTRIES (sizeof entries / sizeof entries[0])
#define LEN (4 * NENTRIES + 6)

void forbid_tty_injection(void)
{
	struct sock_filter f[LEN];
	struct sock_fprog prog = { .len = LEN, .filter = f };
	unsigned int i, n = 0, check = 4 * NENTRIES + 1;

	/* Per entry: right architecture and system call? Then go and look
	 * at the request; otherwise try the next entry. */
	for (i = 0; i < NENTRIES; i++) {
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, arch));
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			entries[i].arch, 0, 2);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, nr));
		f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			entries[i].nr, (unsigned char)(check - n - 1), 0);
		n++;
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	/* n == check */
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, REQUEST_LO);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI, 2, 0);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCLINUX, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		die_errno("cannot install the terminal filter");
}
