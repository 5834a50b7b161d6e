/* forward.c - hako-enter --fork's waiting parent: every signal passed on */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "forward.h"
#include "supervise.h"

/* The kernel's signal set is 64 bits (bit N-1 for signal N), whatever
 * libc's sigset_t looks like. libc's own functions refuse the signals it
 * keeps for itself (32 and 33 in glibc, 32 to 34 in musl), but a caller
 * can send those too: with the default action they would end us and leave
 * the command and the caller's terminal behind. So the set is built by
 * hand and given to the system calls as it is. */
#define KERNEL_SIGSET 8

static sigset_t every_signal(void)
{
	unsigned long long bits = ~0ULL;
	sigset_t set;

	bits &= ~(1ULL << (SIGKILL - 1) | 1ULL << (SIGSTOP - 1));
	memset(&set, 0, sizeof set);
	memcpy(&set, &bits, KERNEL_SIGSET);
	return set;
}

void forward_block(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set = every_signal();

	/* An inherited SIGCHLD=SIG_IGN would reap the child behind our back.
	 * (SIG_DFL also discards a SIGCHLD already pending: this is done
	 * before there is a child.) */
	if (sigaction(SIGCHLD, &dfl, NULL) < 0)
		die_errno("cannot reset SIGCHLD");
	if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, KERNEL_SIGSET) < 0)
		die_errno("cannot block signals");
}

int forward_signalfd(int flags)
{
	sigset_t set = every_signal();
	int fd = (int)syscall(SYS_signalfd4, -1, &set, KERNEL_SIGSET, flags | SFD_CLOEXEC);

	if (fd < 0)
		die_errno("cannot create a signalfd");
	return fd;
}

void forward_stop(pid_t child, int signo)
{
	sigset_t one;

	/* The child is in a session of its own, where the stop signals of
	 * job control would be discarded (an orphaned process group): only
	 * SIGSTOP stops it. We stop with SIGNO itself, so that the shell
	 * reports what stopped the job, by letting it through for a moment:
	 * its default action then applies, or the kernel's rule for a job
	 * that no shell controls any more, which discards it. */
	kill(child, SIGSTOP);
	sigemptyset(&one);
	sigaddset(&one, signo);
	kill(getpid(), signo);
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	sigprocmask(SIG_BLOCK, &one, NULL);
	kill(child, SIGCONT);
}

int forward_signal(pid_t child, int signo, int code)
{
	if (signo == SIGCHLD) {
		/* One that a process sent (not the kernel's report of a
		 * child) is passed on like any other. */
		if (code == SI_USER || code == SI_QUEUE)
			kill(child, SIGCHLD);
		return reap(child, WNOHANG);
	}
	/* The child is not pid 1 of its namespace: what it does not catch
	 * has its default action, as it would have outside. Until we have
	 * reaped it, its pid cannot be another process's. */
	kill(child, signo);
	return -1;
}

int forward_wait(pid_t child)
{
	struct signalfd_siginfo si;
	int fd = forward_signalfd(0), code;
	ssize_t n;

	/* A signal that came before we wait is pending, and read here. */
	do {
		while ((n = read(fd, &si, sizeof si)) != (ssize_t)sizeof si)
			if (n >= 0 || errno != EINTR)
				die_errno("cannot read signals");
		if (si.ssi_signo == SIGTSTP || si.ssi_signo == SIGTTIN ||
		    si.ssi_signo == SIGTTOU) {
			forward_stop(child, (int)si.ssi_signo);
			code = -1;
		} else {
			code = forward_signal(child, (int)si.ssi_signo, si.ssi_code);
		}
	} while (code < 0);
	close(fd);
	return code;
}
