/* hygiene.c - what the command must not inherit from its caller */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"
#include "hygiene.h"

#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#define KEYCTL_JOIN_SESSION_KEYRING 1

static bool kept(int fd, const int *keep, size_t nkeep, int own)
{
	if (fd == own)
		return true;
	for (size_t i = 0; i < nkeep; i++)
		if (keep[i] == fd)
			return true;
	return false;
}

/* A directory entry as getdents64 returns it. */
struct dent64 {
	unsigned long long ino;
	long long off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* Kernels before 5.9: walk /proc/self/fd, or failing that every possible
 * descriptor number. Closing while reading is fine: the directory lists
 * the descriptors that are open when each chunk is read. */
static void close_slowly(const int *keep, size_t nkeep, int own)
{
	char buf[4096];
	struct rlimit rl;
	long n;
	int fd, dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dir >= 0) {
		while ((n = syscall(SYS_getdents64, dir, buf, sizeof buf)) > 0) {
			for (long off = 0; off < n;) {
				struct dent64 *e = (struct dent64 *)(void *)(buf + off);

				off += e->reclen;
				fd = 0;
				for (const char *p = e->name; *p >= '0' && *p <= '9'; p++)
					fd = fd * 10 + (*p - '0');
				if (fd >= 3 && fd != dir && !kept(fd, keep, nkeep, own))
					close(fd);
			}
		}
		close(dir);
		return;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		die_errno("cannot read the descriptor limit");
	for (fd = 3; (rlim_t)fd < rl.rlim_cur && fd < 1 << 20; fd++)
		if (!kept(fd, keep, nkeep, own))
			close(fd);
}

void close_inherited(const int *keep, size_t nkeep, int own)
{
	unsigned int lo = 3, next;

	/* Close the gaps between spared descriptors, lowest first. */
	for (;;) {
		next = own >= (int)lo ? (unsigned)own : ~0U;
		for (size_t i = 0; i < nkeep; i++)
			if ((unsigned)keep[i] >= lo && (unsigned)keep[i] < next)
				next = (unsigned)keep[i];
		if (next > lo &&
		    syscall(SYS_close_range, lo, next == ~0U ? ~0U : next - 1, 0) < 0) {
			if (errno != ENOSYS)
				die_errno("cannot close inherited descriptors");
			close_slowly(keep, nkeep, own);
			break;
		}
		if (next == ~0U)
			break;
		lo = next + 1;
	}
	for (size_t i = 0; i < nkeep; i++)
		if (fcntl(keep[i], F_SETFD, 0) < 0)
			die_errno("cannot keep descriptor %d", keep[i]);
}

void unblock_signals(void)
{
	sigset_t none;

	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		die_errno("cannot reset the signal mask");
}

void default_signals(void)
{
	/* The kernel's struct sigaction, all zero whatever its layout (and
	 * larger than any): SIG_DFL, no flags, an empty mask. */
	static const unsigned long dfl[8];

	/* exec resets handled signals but keeps ignored ones. The system call
	 * itself, since libc refuses its own internal signals (32 and 33 in
	 * glibc) that another caller may well have ignored. SIGKILL and
	 * SIGSTOP fail, and are default anyway. */
	for (int sig = 1; sig < NSIG; sig++)
		syscall(SYS_rt_sigaction, sig, dfl, NULL, (NSIG - 1) / 8);
}

void leave_caller_session(bool force)
{
	if (!force && isatty(STDIN_FILENO))
		return;
	/* A process group leader cannot start a session (hako-enter run as
	 * an interactive shell's job): its group is then the job's own, not
	 * the calling shell's, which is what matters here. Not for -S: the
	 * job may be a pipeline, whose other members share the group. */
	if (setsid() < 0 && (force || getpgrp() != getpid()))
		die("cannot start a new session: %s%s", strerror(errno),
		    getpgrp() == getpid() ? " (a process group leader cannot: use --fork)" : "");
}

void new_session_keyring(void)
{
	/* Without key support in the kernel there are no keys to leak. */
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0 &&
	    errno != ENOSYS)
		die_errno("cannot create a session keyring");
}

void no_new_privs(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die_errno("cannot set no_new_privs");
}
