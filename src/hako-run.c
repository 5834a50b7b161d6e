/* hako-run(1) - start a sandbox from a directory and run a command in it */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "exec.h"
#include "hygiene.h"
#include "init.h"
#include "loopback.h"
#include "pidone.h"
#include "supervise.h"
#include "userns.h"

const char progname[] = "hako-run";

static const char usage[] =
"Usage: hako-run [options] <target> [command] [args]\n"
"\n"
"Start a sandbox from the directory <target> and run command in it\n"
"(default /bin/sh) with an empty environment.\n"
"\n"
"Options:\n"
"  -e, --env NAME=VALUE    add a variable to the command's environment\n"
"  -u, --user USER         run the command as USER (name or uid)\n"
"  -g, --group GROUP       run the command as GROUP (name or gid)\n"
"  -c, --chdir DIR         working directory inside the sandbox (default /)\n"
"  -W, --writable          leave the sandbox root writable\n"
"  -N, --network[=FILE]    share the host's network, or join the network\n"
"                          namespace FILE names (default: a new, empty one)\n"
"  -p, --pid-file FILE     write the sandbox's pid to FILE\n"
"  -U, --userns[=BASE]     also create a user namespace (implied when not\n"
"                          root); root maps it from host id BASE\n"
"  -I, --init              run the command under a minimal init of hako's\n"
"                          own, as pid 1, that reaps and passes signals on\n"
"  -k, --keep-fd FD        let inherited descriptor FD through\n"
"  -S, --new-session       always a new session (no job control): nothing\n"
"                          inside can signal the caller's process group\n"
"  -h, --help              show this help and exit\n"
"  -V, --version           show the version and exit\n";

struct run {
	struct opts o;
	const char *target;
	char **argv;         /* the command */
	bool writable;
	bool host_net;       /* -N */
	const char *netns;   /* -N FILE */
	int netfd;
	const char *pidfile;
	bool userns, rootless;
	bool base_set;       /* --userns=BASE given */
	bool init;           /* -I */
	unsigned long base;  /* -U BASE */
	dev_t dev;           /* the target as found before init: a root */
	ino_t ino;           /* that differs later, init mounted */
};

static unsigned long parse_base(const char *arg)
{
	unsigned long long v;

	/* Host id 0 must not be in the range: the sandbox's root would be
	 * the host's. */
	if (!parse_decimal(arg, 0xffffffffULL - USERNS_RANGE, &v) || v == 0)
		die("invalid user namespace base: %s", arg);
	return (unsigned long)v;
}

/* -U takes no value of its own ("-U200000" reads as -U -2 -0 …): an
 * unknown digit after a U in a word of short options is that mistake. */
static void base_not_bundled(int c, int argc, char *argv[])
{
	const char *u;

	if (c != '?' || optopt < '0' || optopt > '9')
		return;
	for (int i = optind - 1; i <= optind && i < argc; i++) {
		if (i < 1 || argv[i][0] != '-' || argv[i][1] == '-')
			continue;
		u = strchr(argv[i], 'U');
		if (u && u[1] >= '0' && u[1] <= '9')
			die("invalid option: %s (a user namespace base is given "
			    "as --userns=%s)", argv[i], u + 1);
	}
}

/* A user namespace, implied when not root: rootless, the sandbox's root
 * is the caller and there is no base to choose; root's -U maps
 * USERNS_RANGE ids, and others would have no host id. */
static void check_userns(struct run *r)
{
	r->rootless = geteuid() != 0;
	if (r->rootless)
		r->userns = true;
	if (r->rootless && r->base_set)
		die("invalid user namespace base: %lu (only root chooses one; "
		    "rootless, the sandbox's root is the caller)", r->base);
	if (!r->userns || r->rootless)
		return;
	if (r->o.id.set_uid && r->o.id.uid >= USERNS_RANGE)
		die("invalid user: %u (-U maps ids 0-%lu)",
		    (unsigned)r->o.id.uid, USERNS_RANGE - 1);
	if (r->o.id.set_gid && r->o.id.gid >= USERNS_RANGE)
		die("invalid group: %u (-U maps ids 0-%lu)",
		    (unsigned)r->o.id.gid, USERNS_RANGE - 1);
}

static void parse(struct run *r, int argc, char *argv[])
{
	static char sh[] = "/bin/sh";
	static char *default_cmd[] = { sh, NULL };
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "writable", no_argument, NULL, 'W' },
		{ "network", optional_argument, NULL, 'N' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "userns", optional_argument, NULL, 'U' },
		{ "init", no_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opts_init(&r->o, argc);
	r->netfd = -1;
	r->base = USERNS_BASE;
	while ((c = getopt_long(argc, argv, "+:" COMMON_SHORTOPTS "WN::p:UI",
				longopts, NULL)) != -1) {
		if (opts_common(&r->o, c, optarg, usage))
			continue;
		switch (c) {
		case 'W':
			r->writable = true;
			break;
		case 'N':
			r->host_net = !optarg;
			r->netns = optarg;
			break;
		case 'p':
			if (*optarg == '\0')
				die("cannot create pid file : %s", strerror(ENOENT));
			r->pidfile = optarg;
			break;
		case 'U':
			r->userns = true;
			if (optarg) {
				r->base = parse_base(optarg);
				r->base_set = true;
			}
			break;
		case 'I':
			r->init = true;
			break;
		default:
			base_not_bundled(c, argc, argv);
			bad_option(c, argc, argv);
		}
	}
	if (optind >= argc)
		die("must provide sandbox dir");
	r->target = argv[optind];
	r->argv = optind + 1 < argc ? argv + optind + 1 : default_cmd;
	opts_finish(&r->o);
	check_userns(r);
}

/* Step 3: .hako/init, as root, in the target, with the caller's
 * environment and the host still in view. posix_spawn is libc's fork and
 * exec: it reports a failed exec itself, and costs no copy of our address
 * space. */
static pid_t start_init(const struct run *r)
{
	static char init[] = ".hako/init";
	char *argv[] = { init, NULL };
	struct init_env e;
	pid_t pid;
	int err = posix_spawn(&pid, init, NULL, NULL, argv,
			      init_environ(&e, r->host_net ? "host" :
					   r->netns ? r->netns : "new",
					   r->writable, r->rootless ? "rootless" :
					   r->userns ? "1" : "0"));

	if (err)
		init_exec_failed(r->target, err);
	return pid;
}

static void finish_init(const char *target, pid_t pid)
{
	const char *sep = init_sep(target);
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die_errno("cannot wait for %s%s.hako/init", target, sep);
	if (WIFSIGNALED(status))
		die("%s%s.hako/init killed by signal %d (%s)", target, sep,
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	if (WEXITSTATUS(status) != 0)
		die("%s%s.hako/init failed with exit status %d", target, sep,
		    WEXITSTATUS(status));
}

/* After step 3: init may have left processes behind (a daemon started in
 * the background). Their working directory and descriptors would still be
 * on the host after pivot_root, and nothing of the command's hygiene
 * applies to them. As pid 1 of the namespace, kill(-1) reaches every
 * other process in it; they are then our children, to reap. A fork racing
 * the kill fails: the kernel refuses one with a fatal signal pending. */
static void kill_leftovers(void)
{
	if (kill(-1, SIGKILL) < 0 && errno != ESRCH)
		die_errno("cannot kill what .hako/init left running");
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	if (errno != ECHILD)
		die_errno("cannot reap what .hako/init left running");
}

/* Step 4. A bind remount sets all the per-mount flags at once, so the
 * ones the mount has (nosuid, nodev, noexec, atime) are restated: the
 * original lost them, and in a user namespace the kernel refuses to drop
 * locked ones. */
static void remount_readonly(const char *target)
{
	static const struct {
		unsigned long st, ms;
	} flags[] = {
		{ ST_NOSUID, MS_NOSUID },
		{ ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC },
		{ ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME },
		{ ST_RELATIME, MS_RELATIME },
#if defined(ST_NOSYMFOLLOW) && defined(MS_NOSYMFOLLOW)
		{ ST_NOSYMFOLLOW, MS_NOSYMFOLLOW },
#endif
	};
	unsigned long ms = MS_REMOUNT | MS_BIND | MS_RDONLY;
	struct statvfs sv;

	if (statvfs(".", &sv) < 0)
		die_errno("cannot read the mount flags of %s", target);
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (sv.f_flag & flags[i].st)
			ms |= flags[i].ms;
	if (!(sv.f_flag & (ST_NOATIME | ST_RELATIME)))
		ms |= MS_STRICTATIME;
	if (mount(NULL, ".", NULL, ms, NULL) < 0)
		die_errno("cannot remount %s read-only", target);
}

/* pivot_root failed. When init mounted a root of its own that lacks
 * .hako, that is the reason to give. */
static void __attribute__((noreturn)) pivot_failed(const struct run *r)
{
	int err = errno;
	struct stat st;

	if (stat(".", &st) == 0 && (st.st_dev != r->dev || st.st_ino != r->ino) &&
	    stat(".hako", &st) < 0)
		die_errno("cannot use the root init mounted on %s: .hako",
			  r->target);
	errno = err;
	die_errno("cannot pivot_root into %s", r->target);
}

/* Step 2: nothing propagates back to the host; the target becomes a
 * mount of its own, and the working directory. Returns a descriptor for
 * the caller's working directory when the target is relative to it (step
 * 4 finds it from there again), else -1. */
static int bind_target(const struct run *r)
{
	int up = -1;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die_errno("cannot make mounts private");
	if (mount(r->target, r->target, NULL, MS_BIND | MS_REC, NULL) < 0)
		die_errno("cannot bind-mount %s", r->target);
	if (r->target[0] != '/' &&
	    (up = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		die_errno("cannot open the working directory");
	if (chdir(r->target) < 0)
		die_errno("cannot change directory to %s", r->target);
	if (r->netfd >= 0 && setns(r->netfd, CLONE_NEWNET) < 0)
		die_errno("cannot join network namespace %s", r->netns);
	if (!r->host_net && !r->netns)
		loopback_up();
	return up;
}

/* Steps 4 and 5. init may have mounted a new root over the target (an
 * overlay, a tmpfs): "." is still the bind mount underneath, so the path
 * is walked again (from UP, when not -1) to reach what is on top. The old
 * root goes on .hako, then is detached: afterwards no host path can be
 * reached. */
static void seal(const struct run *r, int up)
{
	if (up >= 0 && fchdir(up) < 0)
		die_errno("cannot change directory back to the caller's");
	if (chdir(r->target) < 0)
		die_errno("cannot change directory to %s", r->target);
	if (up >= 0)
		close(up);
	if (!r->writable)
		remount_readonly(r->target);
	if (syscall(SYS_pivot_root, ".", ".hako") < 0)
		pivot_failed(r);
	if (chdir("/") < 0)
		die_errno("cannot change directory to /");
	if (umount2("/.hako", MNT_DETACH) < 0)
		die_errno("cannot detach the old root");
}

/* The sandbox: pid 1 of its namespaces, steps 2 to 6 of hako-run(1)'s
 * DESCRIPTION, in that order. START_FD is the start pipe; SYNC_FD says
 * when the supervisor has written our id maps. */
static void __attribute__((noreturn))
sandbox(const struct run *r, int start_fd, int sync_fd)
{
	struct exec_plan plan = {
		.id = r->o.id, .in_userns = r->userns, .start_fd = start_fd,
		.own = start_fd, .keep = r->o.keep, .nkeep = r->o.nkeep,
		.dir = r->o.dir,
	};
	char go;
	int nested = -1, up, counter = -1;
	pid_t init;

	die_notify(start_fd);
	/* init must not inherit the supervisor's blocked signals. */
	unblock_signals();
	if (r->userns) {
		if (read(sync_fd, &go, 1) != 1)
			_exit(EXIT_HAKO);
		close(sync_fd);
		userns_become_root(r->rootless);
	}
	die_with_parent(start_fd);
	not_dumpable();
	leave_caller_session(r->o.new_session);

	up = bind_target(r);
	if (r->init)
		counter = pidone_counter();
	/* The command's own user namespace (see step 6), made now, before
	 * anything else runs in the sandbox to watch it being made. */
	if (r->userns)
		nested = userns_prepare(&r->o.id, r->rootless);

	/* 3. init, and nothing it left running; the command's first steps
	 * meanwhile (see exec.h). */
	init = start_init(r);
	exec_prepare_early();
	finish_init(r->target, init);
	kill_leftovers();
	pidone_next_is_2(counter);

	seal(r, up);

	/* 6. In a user namespace the command is root of one, with every
	 * capability there: in a mount namespace that namespace owned, it
	 * could unmount .hako's cover, remount the root read-write and
	 * rewrite .hako/init, which the next run executes with the host in
	 * view. A new mount namespace owned by a user namespace nested in
	 * the sandbox's gets every mount copied locked: nobody in it can
	 * unmount one or change its flags, the command and whatever enters
	 * later alike, while the ids and their rights over files stay.
	 * Then the command's other steps (see exec.h); of hako's own
	 * descriptors only the start pipe is left when the working
	 * directory and the command are looked up. */
	if (nested >= 0) {
		userns_join(nested);
		if (unshare(CLONE_NEWNS) < 0)
			die_errno("cannot lock the sandbox's mounts");
	}
	exec_prepare(&plan);
	if (r->init)
		pidone(r->argv, r->o.env, start_fd);
	/* Our session, -S's too, was started for init already: not forced
	 * again, where it would fail. */
	exec_finish(r->argv, r->o.env, false, -1, -1);
}

/* The descriptor FILE names when it is one of the caller's own
 * (/dev/stdout, /dev/stderr, /dev/stdin, /dev/fd/N, /proc/self/fd/N,
 * /proc/thread-self/fd/N), else -1. Decided on the text: following such a
 * link from here would name the file behind the descriptor, and a
 * symlink there would then be replaced, not written through. */
static int caller_fd(const char *file)
{
	static const char *const std[] = { "/dev/stdin", "/dev/stdout", "/dev/stderr" };
	static const char *const dirs[] = { "/dev/fd/", "/proc/self/fd/",
					    "/proc/thread-self/fd/" };
	unsigned long long n;

	for (int i = 0; i < 3; i++)
		if (strcmp(file, std[i]) == 0)
			return i;
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (strncmp(file, dirs[i], strlen(dirs[i])) == 0 &&
		    parse_decimal(file + strlen(dirs[i]), INT_MAX, &n))
			return (int)n;
	return -1;
}

/* The pid file is one of the caller's descriptors, FD: a copy of it,
 * never the link that named it (with the descriptor closed, FILE, say the
 * host's /dev/stdout, would be replaced). */
static int pidfile_caller(const char *file, int fd)
{
	struct stat st;
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fstat(fd, &st) < 0)
		die_errno("cannot use pid file %s", file);
	if ((fl & O_ACCMODE) == O_RDONLY)
		die("cannot use pid file %s: descriptor %d is not open "
		    "for writing", file, fd);
	if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode) && !S_ISREG(st.st_mode))
		die("cannot use pid file %s: not a regular file, FIFO "
		    "or character device", file);
	fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		die_errno("cannot use pid file %s", file);
	return fd;
}

/* The pid file is FILE itself, which is neither a regular file nor a
 * symlink (its kind is MODE): a FIFO or a character device is opened. */
static int pidfile_special(const char *file, mode_t mode)
{
	struct stat st;
	int fd;

	if (!S_ISFIFO(mode) && !S_ISCHR(mode))
		die("cannot use pid file %s: %s", file, S_ISDIR(mode) ?
		    strerror(EISDIR) : "not a regular file, FIFO or character device");
	/* O_NOFOLLOW: a symlink swapped in since is not followed. */
	fd = open(file, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || fcntl(fd, F_SETFL, 0) < 0)
		die_errno("cannot open pid file %s", file);
	if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode))
		die("cannot use pid file %s: changed while opened", file);
	/* Another user's, planted in a shared directory, would let them
	 * read our pid and put theirs in its place. */
	if (st.st_uid != geteuid() && st.st_uid != 0)
		die("cannot use pid file %s: a FIFO or device of user %u",
		    file, (unsigned)st.st_uid);
	return fd;
}

/* The temporary file beside FILE, named in TMP, renamed over FILE later. */
static int pidfile_temp(const char *file, char tmp[PATH_MAX])
{
	size_t len = strlen(file);
	mode_t mask;
	int fd;

	if (len + sizeof ".XXXXXX" > PATH_MAX) {
		errno = ENAMETOOLONG;
		die_errno("cannot create pid file %s", file);
	}
	memcpy(tmp, file, len);
	memcpy(tmp + len, ".XXXXXX", sizeof ".XXXXXX");
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		die_errno("cannot create pid file %s", file);
	/* mkostemp makes it 0600; a file the caller creates gets what the
	 * umask leaves of 0666. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0) {
		unlink(tmp);
		die_errno("cannot create pid file %s", file);
	}
	return fd;
}

/* The pid file, decided before the sandbox exists, so that a bad path
 * fails before anything runs. One of the caller's own descriptors (see
 * caller_fd(), also through a symlink to one) is written into when it is
 * a FIFO, a pipe, a character device or a regular file, as the original
 * did. A FIFO or a character device at FILE itself (/dev/null, a named
 * pipe) is written into too: opened now, without waiting for a reader,
 * which would hang us. Anything else that is not a regular file, a
 * symlink or missing is refused. Those get a temporary file beside FILE,
 * renamed over it once the command runs: a reader never sees half a pid,
 * and a planted symlink is replaced, never followed; TMP is then its
 * name, else empty. Whoever may write FILE's directory may replace that
 * temporary file before the rename, but could as well replace FILE after
 * it: the pid file is as trustworthy as its directory. */
static int pidfile_create(const char *file, char tmp[PATH_MAX])
{
	struct stat st;
	char link[PATH_MAX];
	ssize_t n;
	int fd;

	tmp[0] = '\0';
	fd = caller_fd(file);
	if (fd < 0 && lstat(file, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (n = readlink(file, link, sizeof link - 1)) > 0) {
		link[n] = '\0';
		fd = caller_fd(link);
	}
	if (fd >= 0)
		return pidfile_caller(file, fd);
	if (lstat(file, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
		return pidfile_special(file, st.st_mode);
	return pidfile_temp(file, tmp);
}

/* A failure before the clone: the temporary pid file TMP (or NULL) goes
 * too. WHAT, then NAME when there is one, say what failed. */
static void __attribute__((noreturn))
die_unlinking(const char *tmp, const char *what, const char *name)
{
	int err = errno;

	if (tmp)
		unlink(tmp);
	errno = err;
	if (name)
		die_errno("%s %s", what, name);
	die_errno("%s", what);
}

/* TMP is NULL for a pid file written in place. */
static int pidfile_commit(int fd, const char *tmp, const char *file, pid_t pid)
{
	char buf[16];
	size_t len = (size_t)snprintf(buf, sizeof buf, "%d\n", (int)pid);

	if (write(fd, buf, len) != (ssize_t)len || close(fd) < 0 ||
	    (tmp && rename(tmp, file) < 0)) {
		int err = errno;

		if (tmp)
			unlink(tmp);
		errno = err;
		return -1;
	}
	return 0;
}

static bool must_drop_privileges(const struct run *r)
{
	return !r->rootless && (r->o.id.set_uid || r->o.id.set_gid);
}

/* The supervisor takes the command's identity too, as the host sees it. */
static void drop_privileges(const struct run *r)
{
	struct ident host = r->o.id;

	if (!must_drop_privileges(r))
		return;
	if (r->userns) {
		host.uid = (uid_t)(r->base + (host.set_uid ? host.uid : 0));
		host.gid = (gid_t)(r->base + (host.set_gid ? host.gid : 0));
	}
	become(&host, false);
}

/* The target is not a directory. After a bare -N, "-N FILE sb" is the
 * likely mistake: a network namespace file is only taken attached. */
static void __attribute__((noreturn)) bad_target(const struct run *r, int err)
{
	char hako[PATH_MAX];
	struct stat st;

	if (r->host_net &&
	    (size_t)snprintf(hako, sizeof hako, "%s/.hako", r->argv[0]) < sizeof hako - 1 &&
	    stat(hako, &st) == 0 && S_ISDIR(st.st_mode))
		die("cannot use sandbox %s: %s (a network namespace to join is "
		    "given as --network=%s)", r->target, strerror(err), r->target);
	errno = err;
	die_errno("cannot use sandbox %s", r->target);
}

/* The supervisor failed after the clone: take the sandbox and the
 * temporary pid file (TMP, or NULL) down with it. */
static void __attribute__((noreturn))
abandon(pid_t child, const char *tmp, const char *what)
{
	int err = errno;

	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	if (tmp)
		unlink(tmp);
	errno = err;
	die_errno("%s", what);
}

/* Before the sandbox exists: the target, then the pid file (before
 * anything of our own is open: /dev/fd/N must name one of the caller's
 * descriptors, never ours), then the network namespace to join. PIDTMP
 * gets the name of a temporary pid file, else is emptied. Returns the
 * pid file's descriptor, or -1. */
static int open_outside(struct run *r, char pidtmp[PATH_MAX])
{
	struct stat st;
	int pidfile_fd = -1;

	pidtmp[0] = '\0';
	if (stat(r->target, &st) < 0)
		bad_target(r, errno);
	if (!S_ISDIR(st.st_mode))
		bad_target(r, ENOTDIR);
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	if (r->pidfile)
		pidfile_fd = pidfile_create(r->pidfile, pidtmp);
	if (!r->netns)
		return pidfile_fd;
	/* O_NONBLOCK: a FIFO given by mistake must not hang us. */
	r->netfd = open(r->netns, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (r->netfd < 0)
		die_unlinking(pidtmp[0] ? pidtmp : NULL,
			      "cannot open network namespace", r->netns);
	/* In its own user namespace the sandbox has no say over a network
	 * namespace that exists already: join it here, with the caller's
	 * rights, and the clone stays in it. */
	if (r->userns) {
		if (setns(r->netfd, CLONE_NEWNET) < 0)
			die_unlinking(pidtmp[0] ? pidtmp : NULL,
				      "cannot join network namespace", r->netns);
		close(r->netfd);
		r->netfd = -1;
	}
	return pidfile_fd;
}

/* Step 1: fork semantics (no stack to size) straight into the new
 * namespaces; the child is pid 1 of its own and never returns. START and
 * SYNC are the start pipe and, with a user namespace, the pipe that
 * tells the child its id maps are written. */
static pid_t clone_sandbox(const struct run *r, const int start[2],
			   const int sync[2], const char *pidtmp)
{
	unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC |
			      CLONE_NEWUTS | CLONE_NEWCGROUP;
	pid_t child;
	int err;

	if (!r->host_net && !r->netns)
		flags |= CLONE_NEWNET;
	if (r->userns)
		flags |= CLONE_NEWUSER;
	child = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
	if (child < 0) {
		err = errno;
		if (pidtmp)
			unlink(pidtmp);
		die("cannot create namespaces: %s%s", strerror(err),
		    r->userns ? userns_hint(err) : "");
	}
	if (child == 0) {
		close(start[0]);
		if (r->userns)
			close(sync[1]);
		sandbox(r, start[1], sync[0]);
	}
	return child;
}

/* Once the command runs: the pid file, then our own privileges dropped.
 * Returns the status to exit with when the command never started, else
 * -1. */
static int after_start(const struct run *r, pid_t child, int start_fd,
		       int pidfile_fd, const char *pidtmp)
{
	int status = await_start(child, start_fd);

	if (status >= 0) {
		if (pidtmp)
			unlink(pidtmp);
		return status;
	}
	close(start_fd);
	if (r->pidfile && pidfile_commit(pidfile_fd, pidtmp, r->pidfile, child) < 0) {
		char what[PATH_MAX + 32];

		snprintf(what, sizeof what, "cannot write pid file %s", r->pidfile);
		abandon(child, NULL, what);
	}
	drop_privileges(r);
	return -1;
}

int main(int argc, char *argv[])
{
	struct run r;
	int start[2], sync[2] = { -1, -1 }, pidfile_fd, status, own[3];
	size_t nown = 0;
	char pidtmp_buf[PATH_MAX], *pidtmp;
	pid_t child;

	memset(&r, 0, sizeof r);
	parse(&r, argc, argv);
	pidfile_fd = open_outside(&r, pidtmp_buf);
	pidtmp = pidtmp_buf[0] ? pidtmp_buf : NULL;
	supervise_block_all();
	if (pipe2(start, O_CLOEXEC) < 0 || (r.userns && pipe2(sync, O_CLOEXEC) < 0))
		die_unlinking(pidtmp, "cannot create a pipe", NULL);
	child = clone_sandbox(&r, start, sync, pidtmp);

	/* The caller's descriptors were for .hako/init (the sandbox closes
	 * them before the command, but for --keep-fd ones); ours go now, so
	 * that a pipe among them sees its end when the sandbox's does. The
	 * call clears close-on-exec on what it spares: we never exec. */
	close(start[1]);
	if (r.netfd >= 0)
		close(r.netfd);
	own[nown++] = start[0];
	if (r.userns) {
		close(sync[0]);
		own[nown++] = sync[1];
	}
	if (pidfile_fd >= 0)
		own[nown++] = pidfile_fd;
	close_inherited(own, nown, -1);
	if (r.userns) {
		if (userns_write_maps(child, r.rootless, r.base) < 0)
			abandon(child, pidtmp, "cannot write the user namespace maps");
		if (write(sync[1], "", 1) != 1)
			abandon(child, pidtmp, "cannot start the sandbox");
		close(sync[1]);
	}

	/* Nothing to do at the start: supervise() watches for it itself,
	 * since signals mean other things before and after. */
	if (!r.pidfile && !must_drop_privileges(&r))
		return supervise(child, start[0], r.init);
	status = after_start(&r, child, start[0], pidfile_fd, pidtmp);
	if (status >= 0)
		return status;
	return supervise(child, -1, r.init);
}
