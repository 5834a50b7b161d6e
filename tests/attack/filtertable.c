/*
 * filtertable: run hako's terminal filter (src/filter.c, built with prctl
 * redirected here) through a small BPF interpreter for every system call
 * number of every architecture, with ioctl requests that must and must not
 * be refused. That covers the entries no test can reach on this kernel
 * (x32, high bits in the request) and the filter's jump arithmetic.
 *
 * Prints "checked N calls, D refused, 0 wrong" and exits 0 when exactly
 * TIOCSTI and TIOCLINUX (on their low 32 bits) through the ioctl entries
 * below get EPERM and everything else is allowed; else lists what is wrong
 * and exits 1.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

const char progname[] = "filtertable";

static struct sock_filter prog[BPF_MAXINSNS];
static unsigned int len;

/* What src/filter.c calls for prctl. */
int capture_prctl(int op, ...)
{
	va_list ap;
	struct sock_fprog *p;

	va_start(ap, op);
	(void)va_arg(ap, unsigned long);
	p = va_arg(ap, struct sock_fprog *);
	va_end(ap);
	if (op != PR_SET_SECCOMP || p->len > BPF_MAXINSNS)
		return -1;
	memcpy(prog, p->filter, p->len * sizeof prog[0]);
	len = p->len;
	return 0;
}

void die_errno(const char *fmt, ...)
{
	fprintf(stderr, "filtertable: %s\n", fmt);
	_exit(2);
}

void forbid_tty_injection(void);

/* The classic BPF subset a seccomp filter may use here; anything else (or
 * running off the end, or a backward jump) is reported as BAD. */
#define BAD 0xbadU
static unsigned int run(const struct seccomp_data *d)
{
	unsigned int a = 0, pc = 0;

	while (pc < len) {
		const struct sock_filter *i = &prog[pc++];

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (i->k > sizeof *d - 4 || i->k % 4)
				return BAD;
			memcpy(&a, (const char *)d + i->k, 4);
			break;
		case BPF_RET | BPF_K:
			return i->k;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			pc += a > i->k ? i->jt : i->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= i->k ? i->jt : i->jf;
			break;
		default:
			return BAD;
		}
	}
	return BAD;
}

/* Where ioctl is, stated independently of src/filter.c. */
static const struct { unsigned int arch, nr; } ioctls[] = {
#if defined(__x86_64__)
	{ AUDIT_ARCH_X86_64, 16 },
	{ AUDIT_ARCH_X86_64, 0x40000000 | 514 },
	{ AUDIT_ARCH_X86_64, 0x40000000 | 16 },
	{ AUDIT_ARCH_I386, 54 },
#elif defined(__aarch64__)
	{ AUDIT_ARCH_AARCH64, 29 },
	{ AUDIT_ARCH_ARM, 54 },
#else
#error "state this architecture's ioctl entries"
#endif
};

int main(void)
{
	static const unsigned int arches[] = {
		AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64,
		AUDIT_ARCH_ARM, 0,
	};
	static const unsigned long long requests[] = {
		0x5412, 0x541c,                         /* TIOCSTI, TIOCLINUX */
		0x100005412ULL, 0xdeadbeef0000541cULL,  /* the same, high bits */
		0x5401, 0x5413, 0x5411, 0x12, 0,        /* TCGETS, ... */
		0x5412ULL << 32,
	};
	const unsigned int deny = SECCOMP_RET_ERRNO | EPERM;
	unsigned long checked = 0, refused = 0, wrong = 0;
	struct seccomp_data d;

	forbid_tty_injection();
	for (size_t a = 0; a < sizeof arches / sizeof arches[0]; a++)
		for (unsigned long long nr = 0; nr < 0x40000000ULL + 1100; nr++) {
			if (nr == 1100)
				nr = 0x40000000; /* on to the x32 numbers */
			for (size_t r = 0; r < sizeof requests / sizeof requests[0]; r++) {
				unsigned int low = (unsigned int)requests[r], got, want;
				int is_ioctl = 0;

				for (size_t k = 0; k < sizeof ioctls / sizeof ioctls[0]; k++)
					if (ioctls[k].arch == arches[a] && ioctls[k].nr == nr)
						is_ioctl = 1;
				memset(&d, 0, sizeof d);
				d.arch = arches[a];
				d.nr = (int)nr;
				d.args[1] = requests[r];
				got = run(&d);
				want = is_ioctl && (low == 0x5412 || low == 0x541c) ?
					deny : SECCOMP_RET_ALLOW;
				checked++;
				refused += got == deny;
				if (got != want && wrong++ < 20)
					printf("arch %#x nr %#llx request %#llx: got %#x, want %#x\n",
					       arches[a], nr, requests[r], got, want);
			}
		}
	printf("checked %lu calls, %lu refused, %lu wrong\n", checked, refused, wrong);
	return wrong != 0;
}
