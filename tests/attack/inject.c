/* inject MODE [TEXT]: terminal ioctls on descriptor 0.
 *   native TEXT    TIOCSTI, one character at a time, through ioctl(2)
 *   i386 TEXT      the same through the 32-bit entry (int $0x80, eax 54)
 *   highbits TEXT  the same with the request 0xdeadbeef00005412: the
 *                  kernel only looks at the low 32 bits
 *   tioclinux      TIOCLINUX (subcode 6, TIOCL_GETSHIFTSTATE)
 *   tcgets         TCGETS, which must keep working
 *   i386probe      getpid through the 32-bit entry: exits 0 where this
 *                  kernel takes int $0x80 from a 64-bit process (some
 *                  virtual machines fault it with SIGSEGV)
 * Prints "NAME: ok" or "NAME: errno N (message)"; exits 0 on success. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

#if defined(__x86_64__)
/* A 64-bit process may still enter the kernel the i386 way; pointers
 * must then fit in 32 bits. */
static long ioctl_i386(long fd, long req, char *arg)
{
	long r = 54; /* __NR_ioctl on i386 */

	__asm__ volatile("int $0x80"
			 : "+a"(r)
			 : "b"(fd), "c"(req), "d"(arg)
			 : "memory", "cc", "r8", "r9", "r10", "r11");
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}
#endif

static int report(const char *name, long r)
{
	if (r < 0) {
		printf("%s: errno %d (%s)\n", name, errno, strerror(errno));
		return 1;
	}
	printf("%s: ok\n", name);
	return 0;
}

int main(int argc, char *argv[])
{
	const char *mode = argc > 1 ? argv[1] : "";
	const char *text = argc > 2 ? argv[2] : "";
	char *c;
	long r = 0;

	if (strcmp(mode, "tcgets") == 0) {
		struct termios t;
		return report("TCGETS", ioctl(0, TCGETS, &t));
	}
#if defined(__x86_64__)
	if (strcmp(mode, "i386probe") == 0) {
		long pid = 20; /* __NR_getpid on i386 */

		__asm__ volatile("int $0x80" : "+a"(pid) : : "memory", "cc",
				 "r8", "r9", "r10", "r11");
		return pid == (long)getpid() ? 0 : 1;
	}
#endif
	if (strcmp(mode, "tioclinux") == 0) {
		char sub[2] = { 6, 0 };
		return report("TIOCLINUX", ioctl(0, TIOCLINUX, sub));
	}
	/* Low memory, so that the 32-bit entry can reach it. */
	c = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (c == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	for (const char *p = text; *p && r >= 0; p++) {
		*c = *p;
		if (strcmp(mode, "native") == 0)
			r = ioctl(0, TIOCSTI, c);
		else if (strcmp(mode, "highbits") == 0)
			r = syscall(SYS_ioctl, 0, 0xdeadbeef00005412UL, c);
#if defined(__x86_64__)
		else if (strcmp(mode, "i386") == 0)
			r = ioctl_i386(0, TIOCSTI, c);
#endif
		else {
			fprintf(stderr, "inject: unknown mode %s\n", mode);
			return 2;
		}
	}
	return report("TIOCSTI", r);
}
