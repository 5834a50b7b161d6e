/* forward.c - hako-enter --fork's waiting parent: every signal passed on */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "forward.h"
#include "supervise.h"

void forward_stop_self(int signo)
{
	sigset_t one;

	/* Let it through for a moment: its default action then applies, or
	 * the kernel's rule for a job that no shell controls any more,
	 * which discards it. */
	sigemptyset(&one);
	sigaddset(&one, signo);
	kill(getpid(), signo);
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	sigprocmask(SIG_BLOCK, &one, NULL);
}

void forward_stop(pid_t child, int signo)
{
	/* The child is in a session of its own, where the stop signals of
	 * job control would be discarded (an orphaned process group): only
	 * SIGSTOP stops it. We stop with SIGNO itself, so that the shell
	 * reports what stopped the job. */
	kill(child, SIGSTOP);
	forward_stop_self(signo);
	kill(child, SIGCONT);
}

int forward_signal(pid_t child, const siginfo_t *si)
{
	if (si->si_signo == SIGCHLD) {
		/* One that a process sent (not the kernel's report of a
		 * child) is passed on like any other. */
		if (si->si_code == SI_USER || si->si_code == SI_QUEUE)
			kill(child, SIGCHLD);
		return reap(child, WNOHANG);
	}
	/* The child is not pid 1 of its namespace: what it does not catch
	 * has its default action, as it would have outside. Until we have
	 * reaped it, its pid cannot be another process's. */
	kill(child, si->si_signo);
	return -1;
}

int forward_wait(pid_t child)
{
	siginfo_t si;
	int code;

	/* A signal that came before we wait is pending, and taken here. */
	do {
		take_signal(catchable_signals(), &si, true);
		if (si.si_signo == SIGTSTP || si.si_signo == SIGTTIN ||
		    si.si_signo == SIGTTOU) {
			forward_stop(child, si.si_signo);
			code = -1;
		} else {
			code = forward_signal(child, &si);
		}
	} while (code < 0);
	return code;
}
