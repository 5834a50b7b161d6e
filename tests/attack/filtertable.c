/*
 * filtertable: run hako's terminal filter (src/filter.c, built with prctl
 * redirected here) through a small BPF interpreter for every system call
 * number of every architecture, with ioctl requests that must and must not
 * be refused. That covers the entries no test can reach on this kernel
 * (x32, other architectures' tables, high bits in the request) and the
 * filter's jump arithmetic.
 *
 *	filtertable [-b] TIOCSTI TIOCLINUX ARCH:NR...
 *
 * ARCH:NR are the (audit architecture, ioctl number) pairs the filter must
 * cover, TIOCSTI and TIOCLINUX the architecture's request numbers, all
 * stated independently of src/filter.c (the caller derives them from the
 * kernel headers); -b lays the call's data out big-endian, as the filter
 * sees it there. Prints "checked N calls, D refused, 0 wrong" and exits 0
 * when exactly TIOCSTI and TIOCLINUX (on their low 32 bits) through those
 * entries get EPERM and everything else is allowed; else lists what is
 * wrong and exits 1.
 */
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The 32-bit word at offset K of struct seccomp_data as the filter sees
 * it: nr and arch are 32-bit, the rest are 64-bit values whose halves
 * lie in the machine's byte order. */
static unsigned int word(const struct seccomp_data *d, unsigned int k, int big)
{
	unsigned long long v;

	if (k == offsetof(struct seccomp_data, nr))
		return (unsigned int)d->nr;
	if (k == offsetof(struct seccomp_data, arch))
		return d->arch;
	v = k < offsetof(struct seccomp_data, args) ? d->instruction_pointer :
		d->args[(k - offsetof(struct seccomp_data, args)) / 8];
	return (unsigned int)((k % 8 == 0) == !big ? v : v >> 32);
}

/* The classic BPF subset a seccomp filter may use here; anything else (or
 * running off the end, or a backward jump) is reported as BAD. */
#define BAD 0xbadU
static unsigned int run(const struct seccomp_data *d, int big)
{
	unsigned int a = 0, pc = 0;

	while (pc < len) {
		const struct sock_filter *i = &prog[pc++];

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (i->k > sizeof *d - 4 || i->k % 4)
				return BAD;
			a = word(d, i->k, big);
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

static unsigned int number(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (end == s || (*end && *end != ':') || v > 0xffffffffUL) {
		fprintf(stderr, "filtertable: bad number: %s\n", s);
		exit(2);
	}
	return (unsigned int)v;
}

static int known(const unsigned int *arches, size_t n, unsigned int arch)
{
	while (n--)
		if (arches[n] == arch)
			return 1;
	return 0;
}

#define MAXIOCTLS 16

int main(int argc, char **argv)
{
	/* Every architecture a table names, and one no table does (0). */
	static const unsigned int arches[] = {
		AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64,
		AUDIT_ARCH_ARM, AUDIT_ARCH_ARMEB, AUDIT_ARCH_RISCV64,
		AUDIT_ARCH_RISCV32, AUDIT_ARCH_PPC64, AUDIT_ARCH_PPC64LE,
		AUDIT_ARCH_PPC, AUDIT_ARCH_S390X, AUDIT_ARCH_S390,
		AUDIT_ARCH_MIPSEL, AUDIT_ARCH_MIPSEL64, AUDIT_ARCH_MIPSEL64N32,
		AUDIT_ARCH_MIPS, AUDIT_ARCH_MIPS64, AUDIT_ARCH_MIPS64N32,
		AUDIT_ARCH_LOONGARCH64, AUDIT_ARCH_LOONGARCH32,
		AUDIT_ARCH_PARISC64, AUDIT_ARCH_PARISC, AUDIT_ARCH_M68K,
		AUDIT_ARCH_SHEL, AUDIT_ARCH_SH, AUDIT_ARCH_SPARC64, 0,
	};
	struct { unsigned int arch, nr; } ioctls[MAXIOCTLS];
	unsigned long long requests[10];
	const unsigned int deny = SECCOMP_RET_ERRNO | EPERM;
	unsigned long checked = 0, refused = 0, wrong = 0;
	unsigned int sti, lin;
	size_t nioctls = 0;
	struct seccomp_data d;
	int big = argc > 1 && !strcmp(argv[1], "-b");

	argv += 1 + big, argc -= 1 + big;
	if (argc < 3 || argc - 2 > MAXIOCTLS) {
		fprintf(stderr, "usage: filtertable [-b] TIOCSTI TIOCLINUX ARCH:NR...\n");
		return 2;
	}
	sti = number(argv[0]);
	lin = number(argv[1]);
	for (int i = 2; i < argc; i++, nioctls++) {
		const char *colon = strchr(argv[i], ':');

		ioctls[nioctls].arch = number(argv[i]);
		ioctls[nioctls].nr = number(colon ? colon + 1 : "");
		if (!known(arches, sizeof arches / sizeof arches[0], ioctls[nioctls].arch) ||
		    (ioctls[nioctls].nr >= 7000 && ioctls[nioctls].nr - 0x40000000U >= 1100)) {
			fprintf(stderr, "filtertable: %s is not among the calls tried\n", argv[i]);
			return 2;
		}
	}
	requests[0] = sti, requests[1] = lin;
	requests[2] = sti | 1ULL << 32;                 /* the same, high bits */
	requests[3] = lin | 0xdeadbeefULL << 32;
	requests[4] = 0x5401, requests[5] = sti + 1;    /* TCGETS, ... */
	requests[6] = sti - 1, requests[7] = 0x12, requests[8] = 0;
	requests[9] = (unsigned long long)sti << 32;

	forbid_tty_injection();
	for (size_t a = 0; a < sizeof arches / sizeof arches[0]; a++)
		for (unsigned long long nr = 0; nr < 0x40000000ULL + 1100; nr++) {
			if (nr == 7000)
				nr = 0x40000000; /* on to the x32 numbers */
			for (size_t r = 0; r < sizeof requests / sizeof requests[0]; r++) {
				unsigned int low = (unsigned int)requests[r], got, want;
				int is_ioctl = 0;

				for (size_t k = 0; k < nioctls; k++)
					if (ioctls[k].arch == arches[a] && ioctls[k].nr == nr)
						is_ioctl = 1;
				memset(&d, 0, sizeof d);
				d.arch = arches[a];
				d.nr = (int)nr;
				d.args[1] = requests[r];
				got = run(&d, big);
				want = is_ioctl && (low == sti || low == lin) ?
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
