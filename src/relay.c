/* relay.c - hako-enter --fork on a terminal: a pseudo-terminal of its own */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "common.h"
#include "forward.h"
#include "relay.h"
#include "spawn.h"
#include "supervise.h"

/* Linux 4.13: open the other end from the master, without a path. */
#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* Reads of 4 KiB that cover what a pseudo-terminal can hold for its
 * master, many times over (about 12 KiB measured on Linux 6: what its
 * buffers queue and what its line discipline has read). */
#define LEFT_READS 32

struct relay {
	int master, sigfd;
	int in;          /* the caller's terminal on 0, read from, or -1 */
	int out;         /* where the pseudo-terminal's output goes, or -1 */
	int term;        /* the caller's terminal: modes and window size */
	pid_t child;
	bool raw;        /* IN is ours, in raw mode, SAVED its modes before */
	bool parked;     /* IN had input in the background and we stayed
			  * there: not looked at again until a SIGCONT */
	bool in_open;    /* IN has not reached end of file */
	bool pty_open;   /* the pseudo-terminal can still be read */
	struct termios saved;
	char buf[4096];  /* input read from IN, not yet written to MASTER */
	size_t len, off;
};

int relay_open(void)
{
	int master;

	if (!isatty(STDIN_FILENO) && !isatty(STDOUT_FILENO) && !isatty(STDERR_FILENO))
		return -1;
	/* On the host, before any namespace is joined: the pseudo-terminal
	 * lives in the host's devpts, which the sandbox need not see. */
	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
		die_errno("cannot open a pseudo-terminal");
	return master;
}

void relay_take(int slave)
{
	/* The caller's terminal goes first: from here on no descriptor of
	 * it is left in the sandbox. Other descriptors pass as they are. */
	for (int fd = 0; fd < 3; fd++)
		if (isatty(fd) && dup2(slave, fd) < 0)
			die_errno("cannot give the command its terminal");
	if (setsid() < 0)
		die_errno("cannot start a new session");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		die_errno("cannot give the command its terminal");
	if (slave > 2)
		close(slave);
}

/* Whether the caller's terminal has a foreground job other than ours:
 * then it is its shell's, in the shell's modes. (tcgetpgrp() fails once
 * it is hung up: then it is nobody's.) */
static bool background(const struct relay *r)
{
	pid_t fg = tcgetpgrp(r->in);

	return fg > 0 && fg != getpgrp();
}

/* Started in the background (`&`): the caller's terminal has the modes
 * its shell reads the next command in (a line editor's: no echo, no
 * lines), no start for the command's terminal. We stop first, as a job
 * that touches its terminal there would (the kernel does not stop us:
 * SIGTTOU is blocked), and start the command once continued: by `fg`,
 * normally; `bg` or `kill %1` continue us in the background, and the
 * kernel discards the stop when no shell controls the job any more. */
static void wait_foreground(const struct relay *r)
{
	if (r->in >= 0 && background(r))
		forward_stop_self(SIGTTOU);
}

static void resize(struct relay *r)
{
	struct winsize ws;

	/* The pseudo-terminal signals its foreground job when it changes. */
	if (ioctl(r->term, TIOCGWINSZ, &ws) == 0)
		ioctl(r->master, TIOCSWINSZ, &ws);
}

/* The caller's terminal is ours while we are its foreground job: raw, so
 * that every key goes to the command's terminal, which interprets it
 * (Ctrl-C, Ctrl-Z, Ctrl-D) as over ssh, and its size passed on (it may
 * have changed while we were not there to hear of it). The shell hands it
 * over with its own modes and takes it back with them: this is called
 * whenever that may have happened (we start, are continued, or see the
 * terminal while it is not ours: `fg` of a job that runs sends no
 * SIGCONT). Ours or not is decided by asking, not by the order of the
 * shell's tcsetpgrp() and SIGCONT. */
static void take(struct relay *r)
{
	struct termios t;

	if (r->in >= 0 && background(r)) {
		r->raw = false; /* the shell's modes are not ours to restore */
		return;
	}
	if (r->in >= 0 && (r->raw || tcgetattr(r->in, &r->saved) == 0)) {
		t = r->saved;
		cfmakeraw(&t);
		r->raw = tcsetattr(r->in, TCSADRAIN, &t) == 0;
	}
	resize(r);
}

static void leave_raw(struct relay *r)
{
	if (r->raw)
		tcsetattr(r->in, TCSADRAIN, &r->saved);
	r->raw = false;
}

/* A failure of our own while the caller's terminal is raw. */
static void __attribute__((noreturn)) fail(struct relay *r, const char *what)
{
	int err = errno;

	leave_raw(r);
	errno = err;
	die_errno("%s", what);
}

static void put(struct relay *r, const char *p, size_t n)
{
	struct pollfd w = { .fd = r->out, .events = POLLOUT };
	ssize_t k;

	while (n > 0 && r->out >= 0) {
		k = write(r->out, p, n);
		if (k > 0) {
			p += k;
			n -= (size_t)k;
		} else if (k < 0 && errno == EAGAIN) {
			poll(&w, 1, -1);
		} else if (k < 0 && errno != EINTR) {
			r->out = -1; /* the caller's terminal is gone */
		}
	}
}

/* Returns false once nothing more is to be read now. */
static bool from_pty(struct relay *r)
{
	char b[4096];
	ssize_t n = read(r->master, b, sizeof b);

	if (n > 0) {
		put(r, b, (size_t)n);
		return true;
	}
	/* EIO: every process that had the pseudo-terminal has closed it. */
	if (n == 0 || (errno != EAGAIN && errno != EINTR))
		r->pty_open = false;
	return false;
}

static void to_pty(struct relay *r)
{
	ssize_t n = write(r->master, r->buf + r->off, r->len - r->off);

	if (n > 0)
		r->off += (size_t)n;
	else if (n < 0 && errno != EAGAIN && errno != EINTR)
		r->off = r->len; /* nobody reads it any more */
	if (r->off == r->len)
		r->len = r->off = 0;
}

static void from_caller(struct relay *r)
{
	struct termios t;
	ssize_t n;

	if (!r->raw) {
		/* Input while the terminal is not ours: in the background,
		 * stop as a job that reads its terminal there would (the
		 * kernel does not stop us: SIGTTIN is blocked), until `fg`. */
		if (background(r))
			forward_stop(r->child, SIGTTIN);
		take(r);
		if (!r->raw && background(r)) {
			r->parked = true;
			return;
		}
	}
	n = read(r->in, r->buf, sizeof r->buf);
	if (n > 0) {
		r->len = (size_t)n;
	} else if (n < 0 && errno == EIO && background(r)) {
		/* Another job was made the foreground one while we read:
		 * the terminal is the shell's again (the kernel says EIO
		 * where it would send SIGTTIN). */
		r->raw = false;
		return;
	} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		/* End of input (a hang-up): the command's terminal says
		 * end of file too, with its own character for it. */
		r->buf[0] = 4;
		if (tcgetattr(r->master, &t) == 0 && t.c_cc[VEOF] != _POSIX_VDISABLE)
			r->buf[0] = (char)t.c_cc[VEOF];
		r->len = 1;
		r->in_open = false;
	}
	r->off = 0;
	to_pty(r);
}

/* Returns -1 while the command runs, else its status. */
static int on_signals(struct relay *r)
{
	siginfo_t si;
	int code;

	while (take_signal(catchable_signals(), &si, false)) {
		switch (si.si_signo) {
		case SIGWINCH:
			resize(r);
			break;
		case SIGTSTP:
		case SIGTTIN:
		case SIGTTOU:
			leave_raw(r);
			forward_stop(r->child, si.si_signo);
			take(r);
			break;
		case SIGCONT:
			/* `fg` gives us the terminal, `bg` (or `kill %1`)
			 * does not: we relay output, and stop again only when
			 * there is input (see from_caller()). */
			kill(r->child, SIGCONT);
			r->parked = false;
			take(r);
			break;
		default:
			code = forward_signal(r->child, &si);
			if (code >= 0) {
				/* What it wrote before it ended is still to come;
				 * others in the sandbox may hold its terminal
				 * open, and write on as fast as we read: so only
				 * what the terminal can hold, which is all the
				 * command can have left there. */
				for (int n = 0; n < LEFT_READS && r->pty_open &&
				     from_pty(r); n++)
					;
				return code;
			}
		}
	}
	return -1;
}

static int relay(struct relay *r)
{
	struct pollfd p[3];
	int code;

	for (;;) {
		p[0].fd = r->sigfd;
		p[0].events = POLLIN;
		p[1].fd = r->pty_open ? r->master : -1;
		p[1].events = r->len ? POLLIN | POLLOUT : POLLIN;
		p[2].fd = r->len || !r->in_open || r->parked ? -1 : r->in;
		p[2].events = POLLIN;
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			fail(r, "cannot poll");
		}
		if (p[0].revents && (code = on_signals(r)) >= 0)
			return code;
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (!r->raw && r->in_open)
				take(r);
			from_pty(r);
		}
		if (r->len && (p[1].revents & POLLOUT))
			to_pty(r);
		if (p[2].revents)
			from_caller(r);
	}
}

int relay_run(int master, char *const argv[], char *const env[])
{
	struct relay r = { .master = master, .in = -1, .out = -1, .pty_open = true };
	struct termios t;
	int slave, code;

	if (isatty(STDIN_FILENO)) {
		r.in = STDIN_FILENO;
		r.in_open = true;
	}
	if (isatty(STDOUT_FILENO))
		r.out = STDOUT_FILENO;
	else if (isatty(STDERR_FILENO))
		r.out = STDERR_FILENO;
	else
		r.out = r.in;
	r.term = r.in >= 0 ? r.in : r.out;
	wait_foreground(&r);

	/* Opened from the master, which knows its devpts: none may be
	 * mounted where we are now. */
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		die_errno("cannot open the pseudo-terminal");
	/* The command's terminal starts with the caller's modes (its erase
	 * and end-of-file keys...) and size. When we only relay output, the
	 * caller's terminal translates line ends itself. */
	if (tcgetattr(r.term, &t) == 0) {
		if (r.in < 0)
			t.c_oflag &= ~(tcflag_t)OPOST;
		tcsetattr(master, TCSANOW, &t);
	}
	resize(&r);
	r.sigfd = pending_fd(catchable_signals());
	r.child = spawn_command(argv, env, true, slave);
	close(slave);
	if (fcntl(master, F_SETFL, O_RDWR | O_NONBLOCK) < 0)
		die_errno("cannot relay the pseudo-terminal");
	take(&r);
	code = relay(&r);
	leave_raw(&r);
	close(r.sigfd);
	close(master);
	return code;
}
