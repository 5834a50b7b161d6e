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
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "filter.h"
#include "format.h"
#include "hygiene.h"
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
	bool init;           /* -I */
	unsigned long base;  /* -U BASE */
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
			if (optarg)
				r->base = parse_base(optarg);
			break;
		case 'I':
			r->init = true;
			break;
		default:
			bad_option(c, argc, argv);
		}
	}
	if (optind >= argc)
		die("must provide sandbox dir");
	r->target = argv[optind];
	r->argv = optind + 1 < argc ? argv + optind + 1 : default_cmd;
	opts_finish(&r->o);
	r->rootless = geteuid() != 0;
	if (r->rootless)
		r->userns = true;
	/* Root's -U maps USERNS_RANGE ids: others would have no host id. */
	if (r->userns && !r->rootless) {
		if (r->o.id.set_uid && r->o.id.uid >= USERNS_RANGE)
			die("invalid user: %u (-U maps ids 0-%lu)",
			    (unsigned)r->o.id.uid, USERNS_RANGE - 1);
		if (r->o.id.set_gid && r->o.id.gid >= USERNS_RANGE)
			die("invalid group: %u (-U maps ids 0-%lu)",
			    (unsigned)r->o.id.gid, USERNS_RANGE - 1);
	}
}

/* Step 3: .hako/init, as root, in the target, with the caller's
 * environment and the host still in view. posix_spawn is libc's fork and
 * exec: it reports a failed exec itself, and costs no copy of our address
 * space. */
static pid_t start_init(const char *target)
{
	static char init[] = ".hako/init";
	char *argv[] = { init, NULL };
	pid_t pid;
	int err = posix_spawn(&pid, init, NULL, NULL, argv, environ);

	if (err) {
		errno = err;
		die_errno("cannot execute %s/%s", target, init);
	}
	return pid;
}

static void finish_init(const char *target, pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die_errno("cannot wait for %s/.hako/init", target);
	if (WIFSIGNALED(status))
		die("%s/.hako/init killed by signal %d (%s)", target,
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	if (WEXITSTATUS(status) != 0)
		die("%s/.hako/init failed with exit status %d", target,
		    WEXITSTATUS(status));
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

/* The sandbox: pid 1 of its namespaces, SPEC.md's steps 2 to 6 in order. */
static void __attribute__((noreturn))
sandbox(const struct run *r, int status_fd, int sync_fd)
{
	char go;
	int nested = -1;
	pid_t init;

	die_notify(status_fd);
	/* init must not inherit the supervisor's blocked signals. */
	unblock_signals();
	if (r->userns) {
		/* Wait for the supervisor to write our id maps. */
		if (read(sync_fd, &go, 1) != 1)
			_exit(EXIT_HAKO);
		close(sync_fd);
		userns_become_root(r->rootless);
	}
	die_with_parent(status_fd);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		die_errno("cannot clear dumpable");
	leave_caller_session();

	/* 2. Nothing propagates back to the host; the target becomes a
	 * mount of its own, and the working directory. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die_errno("cannot make mounts private");
	if (mount(r->target, r->target, NULL, MS_BIND | MS_REC, NULL) < 0)
		die_errno("cannot bind-mount %s", r->target);
	if (chdir(r->target) < 0)
		die_errno("cannot change directory to %s", r->target);
	if (r->netfd >= 0 && setns(r->netfd, CLONE_NEWNET) < 0)
		die_errno("cannot join network namespace %s", r->netns);

	/* Rootless, the sandbox maps only its root: ids for the command need
	 * a nested user namespace, made now, before anything else runs in
	 * the sandbox to watch it being made. */
	if (r->rootless && ((r->o.id.set_uid && r->o.id.uid != 0) ||
			    (r->o.id.set_gid && r->o.id.gid != 0)))
		nested = userns_prepare(&r->o.id);

	/* 3. While init runs, on the other CPU as like as not, the parts of
	 * the command's hygiene that only concern this process are done:
	 * the kernel's side of them (a keyring made, a filter compiled) then
	 * costs nothing the caller waits for. Nothing that follows needs the
	 * two ioctls the filter refuses, nor privileges exec could raise. */
	init = start_init(r->target);
	default_signals();
	new_session_keyring();
	no_new_privs();
	forbid_tty_injection();
	finish_init(r->target, init);

	/* 4. */
	if (!r->writable)
		remount_readonly(r->target);

	/* 5. The old root goes on .hako, then is detached: afterwards no
	 * host path can be reached. */
	if (syscall(SYS_pivot_root, ".", ".hako") < 0)
		die_errno("cannot pivot_root into %s", r->target);
	if (chdir("/") < 0)
		die_errno("cannot change directory to /");
	if (umount2("/.hako", MNT_DETACH) < 0)
		die_errno("cannot detach the old root");

	/* 6. Identity (which clears the death signal), working directory,
	 * exec; the rest of the hygiene was done in step 3. Of hako's own
	 * descriptors only the start pipe is left when the working directory
	 * and the command are looked up. */
	if (nested >= 0)
		userns_join(nested);
	become(&r->o.id, r->userns);
	die_with_parent(status_fd);
	close_inherited(r->o.keep, r->o.nkeep, status_fd);
	if (chdir(r->o.dir) < 0)
		die_errno("cannot change directory to %s", r->o.dir);
	if (r->init)
		pidone(r->argv, r->o.env, status_fd);
	exec_command(r->argv, r->o.env);
}

/* The pid file is written atomically: a temporary file beside it, made
 * before the sandbox so that a bad path fails early, renamed over FILE
 * once the command runs (so a planted symlink is replaced, not followed). */
static int pidfile_create(const char *file, char tmp[PATH_MAX])
{
	size_t len = strlen(file);
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
	return fd;
}

static int pidfile_commit(int fd, const char *tmp, const char *file, pid_t pid)
{
	char buf[16];
	size_t len = format(buf, sizeof buf, "%d\n", (int)pid);

	if (fchmod(fd, 0644) < 0 || write(fd, buf, len) != (ssize_t)len ||
	    close(fd) < 0 || rename(tmp, file) < 0) {
		int err = errno;

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

int main(int argc, char *argv[])
{
	struct run r;
	struct stat st;
	int status[2], sync[2] = { -1, -1 }, pidfile_fd = -1, code;
	char pidtmp_buf[PATH_MAX], *pidtmp = NULL;
	unsigned long flags;
	pid_t child;

	memset(&r, 0, sizeof r);
	parse(&r, argc, argv);
	close_inherited(r.o.keep, r.o.nkeep, -1);

	if (stat(r.target, &st) < 0)
		die_errno("cannot use sandbox %s", r.target);
	if (!S_ISDIR(st.st_mode))
		die("cannot use sandbox %s: %s", r.target, strerror(ENOTDIR));
	if (r.netns) {
		/* O_NONBLOCK: a FIFO given by mistake must not hang us. */
		r.netfd = open(r.netns, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (r.netfd < 0)
			die_errno("cannot open network namespace %s", r.netns);
		/* In its own user namespace the sandbox has no say over a
		 * network namespace that exists already: join it here, with
		 * the caller's rights, and the clone stays in it. */
		if (r.userns) {
			if (setns(r.netfd, CLONE_NEWNET) < 0)
				die_errno("cannot join network namespace %s", r.netns);
			close(r.netfd);
			r.netfd = -1;
		}
	}
	supervise_block_all();
	if (pipe2(status, O_CLOEXEC) < 0 || (r.userns && pipe2(sync, O_CLOEXEC) < 0))
		die_errno("cannot create a pipe");
	if (r.pidfile)
		pidfile_fd = pidfile_create(r.pidfile, pidtmp = pidtmp_buf);

	/* 1. Fork semantics (no stack to size) straight into the new
	 * namespaces: the child is pid 1 of its own. */
	flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS |
		CLONE_NEWCGROUP;
	if (!r.host_net && !r.netns)
		flags |= CLONE_NEWNET;
	if (r.userns)
		flags |= CLONE_NEWUSER;
	child = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
	if (child < 0) {
		code = errno;
		if (pidtmp)
			unlink(pidtmp);
		die("cannot create namespaces: %s%s", strerror(code),
		    r.userns ? userns_hint(code) : "");
	}
	if (child == 0) {
		close(status[0]);
		if (r.userns)
			close(sync[1]);
		sandbox(&r, status[1], sync[0]);
	}
	close(status[1]);
	if (r.userns) {
		close(sync[0]);
		if (userns_write_maps(child, r.rootless, r.base) < 0)
			abandon(child, pidtmp, "cannot write the user namespace maps");
		if (write(sync[1], "", 1) != 1)
			abandon(child, pidtmp, "cannot start the sandbox");
		close(sync[1]);
	}

	/* Nothing to do at the start: supervise() watches for it itself,
	 * since signals mean other things before and after. */
	if (!r.pidfile && !must_drop_privileges(&r))
		return supervise(child, status[0], r.init);
	code = await_start(child, status[0]);
	if (code >= 0) {
		if (pidtmp)
			unlink(pidtmp);
		return code;
	}
	close(status[0]);
	if (r.pidfile && pidfile_commit(pidfile_fd, pidtmp, r.pidfile, child) < 0) {
		char what[PATH_MAX + 32];

		format(what, sizeof what, "cannot write pid file %s", r.pidfile);
		abandon(child, NULL, what);
	}
	drop_privileges(&r);
	return supervise(child, -1, r.init);
}
