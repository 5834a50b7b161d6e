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

	/* An inherited SIGCHLD=SIG_IGN would reap the child behind our back. */
	if (sigaction(SIGCHLD, &dfl, NULL) < 0)
		die_errno("cannot reset SIGCHLD");
	handled(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die_errno("cannot block signals");
}

int supervise_fd(void)
{
	sigset_t set;
	int fd;

	handled(&set);
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		die_errno("cannot create a signalfd");
	return fd;
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

/* A signal arrived: -1 if nothing is decided yet, else the exit status. */
static int on_signal(pid_t child, int sigfd)
{
	struct signalfd_siginfo si;
	ssize_t n = read(sigfd, &si, sizeof si);

	if (n != (ssize_t)sizeof si) {
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return -1;
		die_errno("cannot read signals");
	}
	if (si.ssi_signo == SIGCHLD)
		return reap(child, WNOHANG);
	kill(child, SIGKILL);
	reap(child, 0);
	return 128 + (int)si.ssi_signo;
}

int await_start(pid_t child, int status_fd, int sigfd)
{
	struct pollfd p[2] = {
		{ .fd = status_fd, .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
	};
	char byte;
	ssize_t n;
	int code;

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die_errno("cannot poll");
		}
		if (p[1].revents && (code = on_signal(child, sigfd)) >= 0)
			return code;
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

int await_exit(pid_t child, int sigfd)
{
	int code;

	/* The child may have exited before we got here; SIGCHLD is then
	 * pending on the signalfd already. */
	while ((code = on_signal(child, sigfd)) < 0)
		;
	return code;
}
