/* hako-enter(1) - run a command inside the namespaces of a running sandbox */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"
#include "exec.h"
#include "forward.h"
#include "hygiene.h"
#include "relay.h"
#include "spawn.h"
#include "supervise.h"
#include "userns.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef NS_GET_USERNS
#define NS_GET_USERNS _IO(0xb7, 0x1)
#endif
#ifndef NS_GET_PARENT
#define NS_GET_PARENT _IO(0xb7, 0x2)
#endif
/* Linux 6.11: a namespace of the process a pidfd names. */
#ifndef PIDFD_GET_MNT_NAMESPACE
#define PIDFD_GET_MNT_NAMESPACE _IO(0xFF, 3)
#endif
#ifndef PIDFD_GET_PID_NAMESPACE
#define PIDFD_GET_PID_NAMESPACE _IO(0xFF, 5)
#endif
#ifndef PIDFD_GET_USER_NAMESPACE
#define PIDFD_GET_USER_NAMESPACE _IO(0xFF, 9)
#endif
#ifndef PIDFD_GET_UTS_NAMESPACE
#define PIDFD_GET_UTS_NAMESPACE _IO(0xFF, 10)
#endif

const char progname[] = "hako-enter";

static const char usage[] =
"Usage: hako-enter [options] <pid> [command] [args]\n"
"\n"
"Run command (default /bin/sh) with an empty environment inside the\n"
"namespaces of the running sandbox whose pid is <pid>.\n"
"\n"
"Options:\n"
"  -e, --env NAME=VALUE    add a variable to the command's environment\n"
"  -u, --user USER         run the command as USER (name or uid)\n"
"  -g, --group GROUP       run the command as GROUP (name or gid)\n"
"  -c, --chdir DIR         working directory inside the sandbox (default /)\n"
"  -f, --fork              run the command as a child inside the sandbox's\n"
"                          pid namespace and wait for it\n"
"  -k, --keep-fd FD        let inherited descriptor FD through\n"
"  -S, --new-session       always a new session (no job control): nothing\n"
"                          inside can signal the caller's process group\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n";

/* The namespaces joined, in the order they are joined: the user namespace
 * first, since it grants the right to join the others. */
static const struct ns {
	const char *name;
	int flag;
} namespaces[] = {
	{ "user", CLONE_NEWUSER },
	{ "mnt", CLONE_NEWNS },
	{ "uts", CLONE_NEWUTS },
	{ "ipc", CLONE_NEWIPC },
	{ "net", CLONE_NEWNET },
	{ "pid", CLONE_NEWPID },
	{ "cgroup", CLONE_NEWCGROUP },
};
#define NNS (sizeof namespaces / sizeof namespaces[0])
#define JOINED (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | \
		CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP)

/* Whether A and B are the same file: a namespace, here. */
static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev;
}

static pid_t parse_pid(const char *arg)
{
	unsigned long long v;

	if (!parse_decimal(arg, INT_MAX, &v) || v == 0)
		die("invalid PID: %s", arg);
	return (pid_t)v;
}

/* Whether namespace I of PID (seen through PROC, its /proc directory) is
 * ours; ST gets its identity. */
static bool ours(pid_t pid, int proc, size_t i, struct stat *st)
{
	char path[32];
	struct stat self;

	snprintf(path, sizeof path, "ns/%s", namespaces[i].name);
	if (fstatat(proc, path, st, 0) < 0) {
		if (errno == ENOENT && namespaces[i].flag == CLONE_NEWCGROUP)
			return true; /* a kernel without cgroup namespaces */
		die_errno("cannot inspect the namespaces of %d", (int)pid);
	}
	snprintf(path, sizeof path, "/proc/self/ns/%s", namespaces[i].name);
	if (stat(path, &self) < 0)
		die_errno("cannot inspect %s", path);
	return same_file(st, &self);
}

/* There is nothing to enter in a process that shares our mount and pid
 * namespaces: a stale pid file naming a host process would otherwise run
 * the command on the host. */
static void __attribute__((noreturn)) not_in_sandbox(pid_t pid)
{
	die("process %d is not in a sandbox: it shares hako-enter's mount "
	    "and pid namespaces", (int)pid);
}

/* Whether namespace FD (from a PIDFD_GET_* ioctl on the pidfd of PID) is
 * the one /proc/self/ns/NAME names. */
static bool ours_fd(pid_t pid, int fd, const char *name)
{
	char path[32];
	struct stat st, self;

	if (fstat(fd, &st) < 0)
		die_errno("cannot inspect the namespaces of %d", (int)pid);
	close(fd);
	snprintf(path, sizeof path, "/proc/self/ns/%s", name);
	if (stat(path, &self) < 0)
		die_errno("cannot inspect %s", path);
	return same_file(&st, &self);
}

/* Refuse PIDFD's process when it is not in a sandbox. Asked of the pidfd,
 * which pins the process: a pid reused meanwhile cannot answer for it.
 * A sandbox differs in its mount namespace, so the common case costs one
 * ioctl and two stats. Returns false when the kernel cannot say (before
 * Linux 6.11): the namespaces are then compared through /proc. */
static bool checked_sandbox(pid_t pid, int pidfd)
{
	int fd = ioctl(pidfd, PIDFD_GET_MNT_NAMESPACE, 0);

	if (fd < 0) {
		if (errno == ESRCH)
			die_errno("cannot inspect the namespaces of %d", (int)pid);
		return false;
	}
	if (!ours_fd(pid, fd, "mnt"))
		return true;
	fd = ioctl(pidfd, PIDFD_GET_PID_NAMESPACE, 0);
	if (fd < 0) {
		if (errno == ESRCH)
			die_errno("cannot inspect the namespaces of %d", (int)pid);
		return false;
	}
	if (ours_fd(pid, fd, "pid"))
		not_in_sandbox(pid);
	return true;
}

/* The namespaces of PID that are not ours: those are the ones to join. */
static int differing(pid_t pid, int proc)
{
	struct stat st;
	int flags = 0;

	for (size_t i = 0; i < NNS; i++)
		if (!ours(pid, proc, i, &st))
			flags |= namespaces[i].flag;
	return flags;
}

/* The command of a sandbox with a user namespace runs in one nested in
 * it, which owns only its mount namespace (see hako-run.c: that locks the
 * mounts); the sandbox's other namespaces belong to the one around it,
 * which grants the right to join them. Returns a descriptor for that
 * namespace, or -1 when it is the process's own. It is only a way in:
 * join() ends in the process's own (the nested one), so that what enters
 * holds no more than the command. */
static int owning_userns(pid_t pid, int proc, const struct stat *user)
{
	struct stat owner, self;
	int uts = openat(proc, "ns/uts", O_RDONLY | O_CLOEXEC), fd;

	if (uts < 0)
		die_errno("cannot open the uts namespace of %d", (int)pid);
	fd = ioctl(uts, NS_GET_USERNS);
	close(uts);
	if (fd < 0)
		return -1; /* the kernel cannot say: join the process's own */
	if (fstat(fd, &owner) < 0)
		die_errno("cannot inspect the namespaces of %d", (int)pid);
	/* The process's own, or ours (it shares our mounts): nothing nested. */
	if (same_file(&owner, user) ||
	    (stat("/proc/self/ns/user", &self) == 0 && same_file(&owner, &self))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The namespaces to join with one setns on PIDFD, or 0 when that cannot
 * be decided so: all but the user namespace when the process's is ours
 * (the kernel refuses to re-enter it), all of them when its user
 * namespace owns its other ones. Not when it is a nested one (see
 * owning_userns()): the others are joined through the namespace around
 * it, the nested one last (see join_each()). Asked of the pidfd (Linux
 * 6.11). */
static int one_setns(int pidfd)
{
	struct stat user_st, owner_st;
	int user, parent, uts, owner = -1, flags = 0;

	user = ioctl(pidfd, PIDFD_GET_USER_NAMESPACE, 0);
	if (user < 0)
		return 0;
	/* EPERM: no parent we can see, so ours (or one above ours, whose
	 * namespaces the setns then refuses). */
	parent = ioctl(user, NS_GET_PARENT, 0);
	if (parent < 0) {
		if (errno == EPERM)
			flags = JOINED & ~CLONE_NEWUSER;
	} else {
		close(parent);
		uts = ioctl(pidfd, PIDFD_GET_UTS_NAMESPACE, 0);
		if (uts >= 0) {
			owner = ioctl(uts, NS_GET_USERNS, 0);
			close(uts);
		}
		if (owner >= 0 && fstat(user, &user_st) == 0 &&
		    fstat(owner, &owner_st) == 0 && same_file(&user_st, &owner_st))
			flags = JOINED;
		if (owner >= 0)
			close(owner);
	}
	close(user);
	return flags;
}

/* Without setns on a pidfd (before Linux 5.8), or for a nested user
 * namespace: every namespace file is opened, through the /proc directory
 * of the one process, before the first setns. USERFD, when not -1, is the
 * user namespace joined first (see owning_userns()); the process's own,
 * nested in it, is then joined last. */
static void join_each(pid_t pid, int pidfd, int proc, int flags, int userfd)
{
	int fd[NNS], nested = -1;
	char path[32];

	for (size_t i = 0; i < NNS; i++) {
		fd[i] = -1;
		if (!(flags & namespaces[i].flag))
			continue;
		if (i == 0 && userfd >= 0) {
			fd[i] = userfd;
			nested = openat(proc, "ns/user", O_RDONLY | O_CLOEXEC);
			if (nested < 0)
				die_errno("cannot open the user namespace of %d",
					  (int)pid);
			continue;
		}
		snprintf(path, sizeof path, "ns/%s", namespaces[i].name);
		fd[i] = openat(proc, path, O_RDONLY | O_CLOEXEC);
		if (fd[i] < 0)
			die_errno("cannot open the %s namespace of %d",
				  namespaces[i].name, (int)pid);
	}
	/* Opened through PROC, they all belong to the one process it names;
	 * with a pidfd, that process must also be the one asked for. */
	if (pidfd >= 0 && syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0 &&
	    errno != EPERM)
		die_errno("cannot join the namespaces of %d", (int)pid);
	for (size_t i = 0; i < NNS; i++) {
		if (fd[i] < 0)
			continue;
		if (setns(fd[i], namespaces[i].flag) < 0)
			die_errno("cannot join the %s namespace of %d",
				  namespaces[i].name, (int)pid);
		close(fd[i]);
	}
	/* Root of the namespace around it may enter the nested one, and
	 * leaves its own powers behind: there the host name, the network
	 * and the pid namespace are as far out of reach as they are for the
	 * command, whose programs (a planted /bin/sh among them) we may be
	 * about to run. In one setns on a pidfd, the kernel would ask the
	 * nested namespace for the right to join the others, which it has
	 * not: so it comes last, on its own. */
	if (nested >= 0) {
		if (setns(nested, CLONE_NEWUSER) < 0)
			die_errno("cannot join the user namespace of %d", (int)pid);
		close(nested);
	}
}

/* Before a user namespace is joined: the host's /proc (see userns.h). And
 * root's supplementary groups (gid 0 among them) would go along where
 * they map to nothing and, in a rootless sandbox, could not be cleared
 * any more: they go now. */
static int before_userns(void)
{
	if (geteuid() == 0 && setgroups(0, NULL) < 0)
		die_errno("cannot clear supplementary groups");
	return userns_proc();
}

/* Join every namespace of PID that differs from ours, all at once through
 * a pidfd where the kernel can: a pid reused after the sandbox died can
 * then not be half-entered. When a user namespace was joined, returns a
 * descriptor for the host's /proc (see userns.h), else -1. */
static int join(pid_t pid)
{
	char path[32];
	struct stat user;
	int pidfd, proc, flags, userfd = -1, self;

	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0 && errno != ENOSYS && errno != EINVAL)
		die_errno("cannot open process %d", (int)pid);
	/* Kept for speed: asked of the pidfd, most often all of them can be
	 * joined at once (joining one we are in already changes nothing),
	 * and looking at /proc/PID/ns one by one costs more than the join.
	 * The host's /proc is opened first when a user namespace is joined. */
	flags = pidfd >= 0 && checked_sandbox(pid, pidfd) ? one_setns(pidfd) : 0;
	if (flags) {
		self = flags & CLONE_NEWUSER ? before_userns() : -1;
		if (setns(pidfd, flags) == 0) {
			close(pidfd);
			return self;
		}
		if (self >= 0)
			close(self);
	}
	/* One we cannot join may be one we share (a rootless sandbox on the
	 * host's network), or the user namespace of PID may not be the one
	 * that owns the others (see owning_userns()), or the kernel may be
	 * too old to say: look at each. Should PID have been reused in
	 * between, the setns on the pidfd fails: the process it names is
	 * gone. */
	snprintf(path, sizeof path, "/proc/%d", (int)pid);
	proc = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (proc < 0)
		die_errno("cannot open process %d", (int)pid);
	self = -1;
	if (!ours(pid, proc, 0, &user)) {
		self = before_userns();
		userfd = owning_userns(pid, proc, &user);
	}
	flags = differing(pid, proc);
	if (!(flags & (CLONE_NEWNS | CLONE_NEWPID)))
		not_in_sandbox(pid);
	if (pidfd >= 0 && userfd < 0 && (flags == 0 || setns(pidfd, flags) == 0)) {
		close(pidfd);
		close(proc);
		return self;
	}
	/* Before Linux 5.8, or to say which namespace the kernel refuses:
	 * one at a time. */
	join_each(pid, pidfd, proc, flags, userfd);
	if (pidfd >= 0)
		close(pidfd);
	close(proc);
	return self;
}

/* The identity the command takes. In a joined user namespace (HOST_PROC,
 * the host's /proc, not -1) it is that namespace's root unless told
 * otherwise: our own ids may mean nothing (or host root) there. It is
 * then taken here, before there is a child: outside the sandbox's pid
 * namespace nothing in it can see us, also not while a nested user
 * namespace is being made (see userns_nest()). The waiting parent then
 * holds no more privilege than the command. */
static struct ident command_ident(const struct opts *o, int host_proc)
{
	struct ident id = o->id;

	if (host_proc < 0)
		return id;
	id.set_uid = id.set_gid = true;
	if (!o->id.set_uid)
		id.uid = 0;
	if (!o->id.set_gid)
		id.gid = 0;
	if (!userns_maps(&id, host_proc)) {
		/* A new user namespace needs our ids mapped in this one,
		 * which host root's are not in a rootless sandbox's, nor is
		 * its root in the command's when it was started with -u. */
		userns_become_mapped(host_proc);
		userns_nest(&id, host_proc);
	}
	close(host_proc);
	return id;
}

/* The options into O and FORK_MODE, the sandbox's pid into PID; returns
 * the command. */
static char **parse(struct opts *o, bool *fork_mode, pid_t *pid, int argc,
		    char *argv[])
{
	static char sh[] = "/bin/sh";
	static char *default_cmd[] = { sh, NULL };
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "fork", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opts_init(o, argc);
	while ((c = getopt_long(argc, argv, "+:" COMMON_SHORTOPTS "f",
				longopts, NULL)) != -1) {
		if (opts_common(o, c, optarg, usage))
			continue;
		if (c == 'f')
			*fork_mode = true;
		else
			bad_option(c, argc, argv);
	}
	if (optind >= argc)
		die("must provide sandbox PID");
	*pid = parse_pid(argv[optind]);
	opts_finish(o);
	return optind + 1 < argc ? argv + optind + 1 : default_cmd;
}

int main(int argc, char *argv[])
{
	struct opts o;
	struct exec_plan plan;
	bool fork_mode = false;
	char **cmd;
	int host_proc, master = -1;
	pid_t pid, child;

	cmd = parse(&o, &fork_mode, &pid, argc, argv);
	close_inherited(o.keep, o.nkeep, -1);
	/* The command's own terminal, when it would otherwise get ours. */
	if (fork_mode)
		master = relay_open();

	not_dumpable();
	host_proc = join(pid);
	/* The command's steps (see exec.h), the same as hako-run's. With
	 * --fork they are taken here, where the child inherits them, but the
	 * last ones, which the child takes itself. */
	exec_prepare_early();
	plan = (struct exec_plan){
		.id = command_ident(&o, host_proc), .in_userns = host_proc >= 0,
		.start_fd = -1, .own = master, .keep = o.keep, .nkeep = o.nkeep,
		.dir = o.dir,
	};
	exec_prepare(&plan);
	if (!fork_mode)
		exec_finish(cmd, o.env, o.new_session, -1, -1);
	/* Every signal blocked before the child exists, so that one that
	 * exits at once, or a signal that comes before we wait, is still
	 * seen. A child that fails says why and exits 125, 126 or 127.
	 * Until it has executed the command we are suspended, every signal
	 * pending; SIGKILL still ends us (and it, see spawn.h). */
	supervise_block_all();
	if (master >= 0)
		return relay_run(master, cmd, o.env);
	child = spawn_command(cmd, o.env, o.new_session, -1);
	return forward_wait(child);
}
