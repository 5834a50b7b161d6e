/* sigstate: our signal mask and ignored signals, in the format of the
 * SigBlk and SigIgn lines of /proc/self/status, asked of the kernel
 * directly (a command that hako-enter runs without --fork is not in the
 * sandbox's /proc). Raw system calls, so that no libc-reserved signal is
 * hidden. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

struct kernel_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long long mask;
};

int main(void)
{
	unsigned long long blocked = 0, ignored = 0;
	struct kernel_sigaction sa;

	if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &blocked, 8) < 0)
		perror("rt_sigprocmask");
	for (int sig = 1; sig <= 64; sig++)
		if (syscall(SYS_rt_sigaction, sig, NULL, &sa, 8) == 0 &&
		    sa.handler == SIG_IGN)
			ignored |= 1ULL << (sig - 1);
	printf("SigBlk:\t%016llx\nSigIgn:\t%016llx\n", blocked, ignored);
	return 0;
}
