/* supervise.c - the waiting parent: start report, signals, exit status */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "supervise.h"

/* The four are handled even when the caller ignores them (a script's
 * background job ignores SIGINT and SIGQUIT): a blocked signal is queued
 * whatever its disposition, so SPEC's "kill the sandbox" holds for every
 * caller. */
static void handled(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
}

void supervise_block(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;

	/* An inherited SIGCHLD=SIG_IGN would reap the child behind our back.
	 * (SIG_DFL also discards a SIGCHLD already pending: this is done
	 * before there is a child.) */
	if (sigaction(SIGCHLD, &dfl, NULL) < 0)
		die_errno("cannot reset SIGCHLD");
	handled(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die_errno("cannot block signals");
}

void die_with_parent(int status_fd)
{
	struct pollfd p = { .fd = status_fd, .events = POLLOUT };

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		die_errno("cannot set the parent-death signal");
	/* In a new pid namespace getppid() says 0 whatever happened; a pipe
	 * with no reader left says POLLERR. */
	if (poll(&p, 1, 0) == 1 && (p.revents & POLLERR))
		_exit(EXIT_HAKO);
}

static int exit_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static int reap(pid_t child, int options)
{
	int status;
	pid_t r;

	while ((r = waitpid(child, &status, options)) < 0 && errno == EINTR)
		;
	if (r < 0)
		die_errno("cannot wait for process %d", (int)child);
	return r == 0 ? -1 : exit_code(status);
}

/* Signal SIGNO arrived: -1 if nothing is decided yet, else the status to
 * exit with. */
static int on_signal(pid_t child, int signo)
{
	if (signo == SIGCHLD)
		return reap(child, WNOHANG);
	kill(child, SIGKILL);
	reap(child, 0);
	return 128 + signo;
}

static int wait_start(pid_t child, int status_fd, int sigfd)
{
	struct pollfd p[2] = {
		{ .fd = status_fd, .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
	};
	struct signalfd_siginfo si;
	char byte;
	ssize_t n;
	int code;

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die_errno("cannot poll");
		}
		if (p[1].revents) {
			n = read(sigfd, &si, sizeof si);
			if (n == (ssize_t)sizeof si) {
				if ((code = on_signal(child, (int)si.ssi_signo)) >= 0)
					return code;
			} else if (n >= 0 || (errno != EINTR && errno != EAGAIN)) {
				die_errno("cannot read signals");
			}
		}
		if (p[0].revents) {
			n = read(status_fd, &byte, 1);
			if (n == 0)
				return -1;
			if (n > 0)
				return reap(child, 0);
			if (errno != EINTR)
				die_errno("cannot read the start report");
		}
	}
}

int await_start(pid_t child, int status_fd)
{
	sigset_t set;
	int sigfd, code;

	/* Signals and the start report at once, hence a signalfd; one that
	 * came before it is read from it too. */
	handled(&set);
	sigfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sigfd < 0)
		die_errno("cannot create a signalfd");
	code = wait_start(child, status_fd, sigfd);
	close(sigfd);
	return code;
}

int await_exit(pid_t child)
{
	sigset_t set;
	int signo, code;

	/* They are blocked: one that came before is pending, and taken. */
	handled(&set);
	do {
		while ((signo = sigwaitinfo(&set, NULL)) < 0)
			if (errno != EINTR)
				die_errno("cannot wait for signals");
	} while ((code = on_signal(child, signo)) < 0);
	return code;
}
