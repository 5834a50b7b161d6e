/* supervise.c - the waiting parent: start report, signals, exit status */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "supervise.h"

/* Signal sets as the kernel takes them (64 bits): libc's own refuse the
 * signals it keeps for itself (32 and 33 in glibc), and a supervisor
 * passes those on too. */
#define SIGBIT(sig) (1ULL << ((sig) - 1))
#define KERNEL_SIGSET 8
#define STOP_SIGNALS (SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))

/* What the start waits on: the four are handled even when the caller
 * ignores them (a script's background job ignores SIGINT and SIGQUIT): a
 * blocked signal is queued whatever its disposition, so that the four
 * kill the sandbox for every caller. */
#define START_SIGNALS (SIGBIT(SIGCHLD) | SIGBIT(SIGINT) | SIGBIT(SIGTERM) | \
		       SIGBIT(SIGHUP) | SIGBIT(SIGQUIT))

int exit_status(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int reap(pid_t child, int options)
{
	int status;
	pid_t r;

	while ((r = waitpid(child, &status, options)) < 0 && errno == EINTR)
		;
	if (r < 0)
		die_errno("cannot wait for process %d", (int)child);
	return r == 0 ? -1 : exit_status(status);
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

int await_start(pid_t child, int start_fd)
{
	struct pollfd p[2] = {
		{ .fd = start_fd, .events = POLLIN },
		{ .fd = pending_fd(START_SIGNALS), .events = POLLIN },
	};
	siginfo_t si;
	char byte;
	ssize_t n;
	int code = -1;

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die_errno("cannot poll");
		}
		/* The start first: a signal that came with it is one for the
		 * command, left pending for supervise(). */
		if (p[0].revents) {
			n = read(start_fd, &byte, 1);
			if (n == 0)
				break;
			if (n > 0) {
				code = reap(child, 0);
				break;
			}
			if (errno != EINTR)
				die_errno("cannot read the start report");
		}
		if (p[1].revents && take_signal(START_SIGNALS, &si, false) &&
		    (code = on_signal(child, si.si_signo)) >= 0)
			break;
	}
	close(p[1].fd);
	return code;
}

uint64_t catchable_signals(void)
{
	return ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
}

void block_signals(uint64_t set)
{
	if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, KERNEL_SIGSET) < 0)
		die_errno("cannot block signals");
}

static void unblock_signal(int sig)
{
	uint64_t set = SIGBIT(sig);

	if (syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, NULL, KERNEL_SIGSET) < 0)
		die_errno("cannot unblock signal %d", sig);
}

static uint64_t pending_signals(void)
{
	uint64_t set = 0;

	if (syscall(SYS_rt_sigpending, &set, KERNEL_SIGSET) < 0)
		die_errno("cannot read pending signals");
	return set;
}

int pending_fd(uint64_t set)
{
	int fd = (int)syscall(SYS_signalfd4, -1, &set, KERNEL_SIGSET,
			      SFD_NONBLOCK | SFD_CLOEXEC);

	if (fd < 0)
		die_errno("cannot create a signalfd");
	return fd;
}

int take_signal(uint64_t set, siginfo_t *si, bool wait)
{
	static const struct timespec now = { 0, 0 };
	long r;

	while ((r = syscall(SYS_rt_sigtimedwait, &set, si, wait ? NULL : &now,
			    KERNEL_SIGSET)) < 0) {
		if (errno == EAGAIN && !wait)
			return 0;
		if (errno != EINTR)
			die_errno("cannot wait for signals");
	}
	return (int)r;
}

bool delivered_by_terminal(pid_t to, const siginfo_t *si)
{
	/* The terminal sends to a whole process group, and the kernel marks
	 * what it sends itself: TO had its copy if it is in our group. */
	return si->si_code == SI_KERNEL && getpgid(to) == getpgrp();
}

void pass_on(pid_t to, const siginfo_t *si)
{
	/* sigqueue's value goes with it; the rest is the sender's, which
	 * from outside TO's pid namespace would say nothing anyway. */
	if (si->si_code == SI_QUEUE)
		sigqueue(to, si->si_signo, si->si_value);
	else
		kill(to, si->si_signo);
}

void supervise_block_all(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	if (sigaction(SIGCHLD, &dfl, NULL) < 0)
		die_errno("cannot reset SIGCHLD");
	block_signals(catchable_signals());
}

/* Whether pid 1 takes SIG itself: a handler, or the signal blocked (read
 * with sigwaitinfo or a signalfd, as daemons do). Looked up when the
 * signal comes, since both change; /proc/PID/status is readable whoever
 * we are now. Unreadable (a /proc mounted hidepid): as if not, which
 * ends the sandbox as before. */
static bool takes(pid_t child, int sig)
{
	static const char *const fields[] = { "\nSigBlk:\t", "\nSigCgt:\t" };
	char path[32], buf[4096];
	ssize_t n, len = 0;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/status", (int)child);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	while (len < (ssize_t)sizeof buf - 1 &&
	       (n = read(fd, buf + len, sizeof buf - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		const char *p = strstr(buf, fields[i]);
		uint64_t mask = 0;

		if (!p)
			continue;
		for (p += strlen(fields[i]); isxdigit((unsigned char)*p); p++)
			mask = mask << 4 | (uint64_t)(isdigit((unsigned char)*p) ?
				*p - '0' : (*p | 0x20) - 'a' + 10);
		if (mask & SIGBIT(sig))
			return true;
	}
	return false;
}

/* Whether CHILD is stopped now; its exit stays to be reaped. */
static bool stopped(pid_t child)
{
	siginfo_t si;

	memset(&si, 0, sizeof si);
	if (waitid(P_PID, (id_t)child, &si, WSTOPPED | WNOHANG | WNOWAIT) < 0)
		return false;
	return si.si_pid == child && si.si_code == CLD_STOPPED;
}

/* Stop ourselves with SIG, which is still pending: unblocked, its default
 * action stops us, as it would have stopped the command (and the shell
 * reports it the same). A SIGCONT that came since has taken it away (the
 * kernel drops pending stop signals then), and we go on. The kernel also
 * drops it in an orphaned process group, as for any process: then pid 1
 * is continued, and nothing happened. */
static void stop_self(pid_t child, int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	if (sigaction(sig, &dfl, NULL) < 0)
		die_errno("cannot reset signal %d", sig);
	unblock_signal(sig);
	block_signals(SIGBIT(sig));
	if (!(pending_signals() & (SIGBIT(SIGCONT) | STOP_SIGNALS)))
		kill(child, SIGCONT);
}

/* SIG ends the sandbox: pid 1 is killed, and 128+SIG is the status,
 * unless the command exited first (it may have ended in its handler
 * for the very signal, before we looked): then its own. */
static int end_sandbox(pid_t child, int sig)
{
	int status;

	kill(child, SIGKILL);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			die_errno("cannot wait for process %d", (int)child);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		return 128 + sig;
	return exit_status(status);
}

/* Signal SI came once the command runs: -1 to keep waiting, else the
 * status to exit with. */
static int after_start(pid_t child, bool init, const siginfo_t *si)
{
	int sig = si->si_signo;

	switch (sig) {
	case SIGCHLD:
		return reap(child, WNOHANG);
	case SIGCONT:
		kill(child, SIGCONT);
		return -1;
	case SIGINT: case SIGTERM: case SIGHUP: case SIGQUIT:
		if (!init && !takes(child, sig))
			return end_sandbox(child, sig);
		break;
	}
	if (!delivered_by_terminal(child, si))
		pass_on(child, si);
	return -1;
}

int supervise(pid_t child, int start_fd, bool init)
{
	uint64_t all = catchable_signals(), pend;
	struct pollfd p = { .fd = -1, .events = POLLIN };
	siginfo_t si;
	int stop = 0, code;

	if (start_fd >= 0) {
		if ((code = await_start(child, start_fd)) >= 0)
			return code;
		close(start_fd);
	}
	/* Stop signals are left pending, never taken: the kernel drops them
	 * when a SIGCONT comes, and so decides for us, without a race, which
	 * of the two came last. */
	p.fd = pending_fd(all);
	for (;;) {
		pend = pending_signals();
		if (stop && !(pend & SIGBIT(stop))) {
			stop = 0; /* a SIGCONT came: it goes to pid 1 next */
		} else if (stop && stopped(child)) {
			stop_self(child, stop);
			stop = 0;
			continue;
		} else if (!stop && (pend & STOP_SIGNALS)) {
			stop = __builtin_ctzll(pend & STOP_SIGNALS) + 1;
			kill(child, SIGSTOP);
			continue;
		}
		/* While pid 1 stops, its SIGCHLD says when. */
		if (stop) {
			take_signal(all & ~STOP_SIGNALS, &si, true);
		} else {
			while (poll(&p, 1, -1) < 0)
				if (errno != EINTR)
					die_errno("cannot poll");
			if (!take_signal(all & ~STOP_SIGNALS, &si, false))
				continue;
		}
		if ((code = after_start(child, init, &si)) >= 0) {
			close(p.fd);
			return code;
		}
	}
}
