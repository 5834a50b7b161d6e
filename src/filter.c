/* filter.c - the seccomp filter that stops terminal injection */
#include <errno.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "common.h"
#include "filter.h"
#include "filter_arch.h"

#ifdef FILTER_CHECK_HEADERS
/* The table's requests are the headers' (a C99 compile-time check). */
#ifdef TIOCLINUX
typedef char tiocs_match_the_headers[TIOCSTI == FILTER_TIOCSTI &&
				     TIOCLINUX == FILTER_TIOCLINUX ? 1 : -1];
#else
typedef char tiocsti_matches_the_headers[TIOCSTI == FILTER_TIOCSTI ? 1 : -1];
#endif
#endif

/* Where the low 32 bits of ioctl's request argument are: the kernel
 * compares the request as an unsigned int, so a request with high bits
 * set must not slip past a 64-bit comparison. */
#if FILTER_BIG_ENDIAN
#define REQUEST_LO (offsetof(struct seccomp_data, args[1]) + 4)
#else
#define REQUEST_LO offsetof(struct seccomp_data, args[1])
#endif

/* Every (architecture, ioctl number) a process on this kernel can call
 * ioctl through: the native entry and the compatibility ones. Two
 * architectures may share a number (ppc64 and ppc both use 54). */
static const struct entry {
	unsigned int arch, nr;
} entries[] = {
#define ENTRY(arch, nr) { arch, nr },
	FILTER_ENTRIES(ENTRY)
#undef ENTRY
};

#define N (sizeof entries / sizeof entries[0])
#define X32_BIT FILTER_X32_BIT
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
 *	nr == each low number ?  go to its arch checks
 *	ALLOW
 *   HIGH:
 *	nr >= X32_BIT ?  (else ALLOW)
 *	nr == each high number ?  go to its arch checks
 *	ALLOW
 *	for each number: LOAD arch; for each of its entries:
 *	    arch == the entry's ? go to CHECK (after the last: else ALLOW)
 *   CHECK:
 *	LOAD the request's low 32 bits
 *	TIOCSTI or TIOCLINUX ?  go to DENY
 *	ALLOW
 *   DENY:
 *	fail with EPERM
 *
 * An architecture without high numbers (all but x86) keeps the same
 * shape: its HIGH block then allows straight away. */
void forbid_tty_injection(void)
{
	struct sock_filter f[LEN];
	struct sock_fprog prog = { .filter = f };
	unsigned int nums[N], at[N], nnum = 0, nlow = 0, low_max = 0;
	unsigned int i, k, n = 0, high, arch, check, pass;

	/* The distinct numbers in the order they are checked: low first. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < N; i++) {
			if ((entries[i].nr >= X32_BIT) != pass)
				continue;
			for (k = 0; k < nnum && nums[k] != entries[i].nr; k++)
				;
			if (k == nnum)
				nums[nnum++] = entries[i].nr;
			if (!pass && entries[i].nr > low_max)
				low_max = entries[i].nr;
		}
		if (!pass)
			nlow = nnum;
	}

	/* Where each block starts: the low checks end with an ALLOW at
	 * 2 + nlow, HIGH follows, then each number's arch checks (a LOAD
	 * and one check per entry), then CHECK. */
	high = 3 + nlow;
	arch = high + (nnum > nlow ? 2 + (nnum - nlow) : 1);
	for (k = 0, at[0] = arch; k + 1 < nnum; k++) {
		at[k + 1] = at[k] + 1;
		for (i = 0; i < N; i++)
			at[k + 1] += entries[i].nr == nums[k];
	}
	check = arch + nnum + N;

	f[n++] = LOAD(offsetof(struct seccomp_data, nr));
	f[n] = JUMP(BPF_JGT, low_max, TO(n, high), 0), n++;
	for (k = 0; k < nlow; k++, n++)
		f[n] = JUMP(BPF_JEQ, nums[k], TO(n, at[k]), 0);
	f[n++] = RET(SECCOMP_RET_ALLOW);
	if (nnum > nlow) {
		f[n] = JUMP(BPF_JGE, X32_BIT, 0, TO(n, arch - 1)), n++;
		for (k = nlow; k < nnum; k++, n++)
			f[n] = JUMP(BPF_JEQ, nums[k], TO(n, at[k]), 0);
	}
	f[n++] = RET(SECCOMP_RET_ALLOW);
	for (k = 0; k < nnum; k++) {
		unsigned int last = n;

		f[n++] = LOAD(offsetof(struct seccomp_data, arch));
		for (i = 0; i < N; i++)
			if (entries[i].nr == nums[k])
				f[n] = JUMP(BPF_JEQ, entries[i].arch, TO(n, check), 0), last = n++;
		f[last].jf = TO(last, check + 3);
	}
	f[n++] = LOAD(REQUEST_LO);
	f[n] = JUMP(BPF_JEQ, FILTER_TIOCSTI, TO(n, check + 4), 0), n++;
	f[n] = JUMP(BPF_JEQ, FILTER_TIOCLINUX, TO(n, check + 4), 0), n++;
	f[n++] = RET(SECCOMP_RET_ALLOW);
	f[n++] = RET(SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
	prog.len = (unsigned short)n;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		die_errno("cannot install the terminal filter");
}
