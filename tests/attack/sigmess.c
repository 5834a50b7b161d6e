/* sigmess CMD [ARG...]: ignore every signal that can be ignored, block
 * every signal that can be blocked, then execute CMD: both survive exec.
 * Raw system calls, so that libc's own signals (32, 33) are included and
 * the result does not depend on what the caller inherited. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	/* the kernel's struct sigaction: handler, flags, restorer, mask */
	unsigned long ign[4] = { (unsigned long)SIG_IGN, 0, 0, 0 };
	unsigned long all = ~0UL;

	if (argc < 2) {
		fprintf(stderr, "usage: sigmess CMD [ARG...]\n");
		return 2;
	}
	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, ign, NULL, 8);
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all, NULL, 8);
	execv(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
