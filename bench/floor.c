/*
 * floor: the least work that reaches the same end state as hako-run (or,
 * with -e, hako-enter --fork). It is the benchmark's lower bound: no
 * option parsing beyond the flags below, no error pipe, no parent-death
 * signal, no identity switch, and the cheapest way to start each process
 * (a raw clone with fork semantics for the sandbox, which runs code of
 * ours; posix_spawn for .hako/init and, with -e, the command, which only
 * need executing). It exists only so that bench/run can say how far hako
 * is from the cost of the system calls themselves.
 *
 * Without -s the command inherits whatever the caller had: the bare
 * floor. With -s it gets the precautions hako gives every command, each
 * by its cheapest call and at the moment hako takes it (see precautions
 * below): the distance between the two is what the precautions cost, the
 * distance from -s to hako what hako's own machinery costs.
 *
 *   floor [-s] [-i] [-n] [-v NAME=VALUE]... DIR CMD [ARG...]
 *                                      new mount, pid, ipc, uts, cgroup and
 *                                      (without -n) net namespaces; with -i
 *                                      DIR/.hako/init runs first; each -v
 *                                      puts a variable in CMD's environment
 *   floor [-s] -e PID CMD [ARG...]     join PID's namespaces through a pidfd
 *
 * CMD is executed as given (no PATH search) with an environment of the -v
 * variables only.
 * Exit status: CMD's (128+N when killed by signal N); 125 when the floor
 * itself failed, 126/127 when CMD could not be executed / was not found.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434 /* the same number on every architecture */
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef MNT_DETACH
#define MNT_DETACH 2
#endif
#ifndef SYS_close_range
#define SYS_close_range 436 /* the same number on every architecture */
#endif
#define KEYCTL_JOIN_SESSION_KEYRING 1

/* hako's own seccomp filter (src/filter.c, compiled in by bench/run), so
 * that the kernel is given the very program hako gives it. */
void forbid_tty_injection(void);
void die_errno(const char *fmt, ...);

extern char **environ;

static void die(const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
	_exit(125);
}

/* What src/filter.c calls when the kernel refuses the filter. */
void die_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fputs("floor: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	_exit(125);
}

/*
 * The precautions, in three parts, each taken where hako takes it:
 *
 * first of all, before any process is started: every descriptor from 3
 *   up closed (close_inherited). Later, every clone and posix_spawn would
 *   copy them all first: a thousand inherited descriptors nearly double
 *   the bare floor's time;
 * early: before anything else in the sandbox (hako-run) or before joining
 *   (hako-enter): not dumpable, and, for hako-run, an empty signal mask
 *   and a new session when standard input is not a terminal (hako-enter
 *   --fork's child does those two; here posix_spawn's attributes do);
 * hidden: while .hako/init runs (hako-run), or after joining
 *   (hako-enter): every signal disposition the default;
 * last: no_new_privs, the seccomp filter and a fresh session keyring,
 *   where hako takes them, after the command's identity.
 */
static void close_inherited(void)
{
	if (syscall(SYS_close_range, 3U, ~0U, 0U) < 0)
		die("close_range");
}

static void early_precautions(int run)
{
	sigset_t none;

	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		die("clear dumpable");
	if (!run)
		return;
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		die("empty the signal mask");
	if (!isatty(STDIN_FILENO) && setsid() < 0)
		die("setsid");
}

static void hidden_precautions(void)
{
	/* The kernel's struct sigaction, all zero: SIG_DFL, no flags, no
	 * mask. One call a signal is the cheapest way there is; SIGKILL and
	 * SIGSTOP fail, and are default anyway. */
	static const unsigned long dfl[8];
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		syscall(SYS_rt_sigaction, sig, dfl, NULL, (NSIG - 1) / 8);
}

static void last_precautions(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("set no_new_privs");
	forbid_tty_injection();
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0)
		die("join a new session keyring");
}

/* Wait for a child and turn its fate into a shell-style exit status. */
static int reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

static void run_command(char **argv, char **envp)
{
	execve(argv[0], argv, envp);
	fprintf(stderr, "floor: %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* A child that only executes ARGV: posix_spawn, which does not copy our
 * address space the way fork does (on the reference VM that is ~65 us a
 * child). hako-run starts .hako/init the same way. */
static void spawn(pid_t *pid, char **argv, char **envp,
		  const posix_spawnattr_t *attr)
{
	int err = posix_spawn(pid, argv[0], NULL, attr, argv, envp);

	if (err) {
		fprintf(stderr, "floor: %s: %s\n", argv[0], strerror(err));
		_exit(err == ENOENT ? 127 : err == EACCES ? 126 : 125);
	}
}

/* Translate statvfs's ST_* bits into the MS_* flags a remount must keep. */
static unsigned long kept_flags(const char *path)
{
	static const struct { unsigned long st, ms; } map[] = {
		{ ST_NOSUID, MS_NOSUID },
		{ ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC },
		{ ST_SYNCHRONOUS, MS_SYNCHRONOUS },
		{ ST_MANDLOCK, MS_MANDLOCK },
		{ ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME },
		{ ST_RELATIME, MS_RELATIME },
	};
	struct statvfs sv;
	unsigned long ms = 0;
	size_t i;

	if (statvfs(path, &sv) < 0)
		die("statvfs");
	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (sv.f_flag & map[i].st)
			ms |= map[i].ms;
	return ms;
}

/* In a new network namespace hako-run brings lo up: so must the floor. */
static void loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die("lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		die("lo up");
	close(fd);
}

/* Runs in the new namespaces; never returns. */
static void sandbox(const char *dir, int with_init, int share_net, int careful,
		    char **argv, char **envp)
{
	if (careful)
		early_precautions(1);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("make / private");
	if (mount(dir, dir, NULL, MS_BIND | MS_REC, NULL) < 0)
		die("bind target");
	if (chdir(dir) < 0)
		die("chdir target");
	if (!share_net)
		loopback_up();
	if (with_init) {
		static char init_path[] = ".hako/init";
		char *init_argv[] = { init_path, NULL };
		pid_t pid;

		spawn(&pid, init_argv, environ, NULL);
		if (careful)
			hidden_precautions();
		if (reap(pid) != 0) {
			fprintf(stderr, "floor: .hako/init failed\n");
			_exit(125);
		}
	}
	if (mount(NULL, ".", NULL,
		  MS_REMOUNT | MS_BIND | MS_RDONLY | kept_flags("."), NULL) < 0)
		die("remount read-only");
	if (syscall(SYS_pivot_root, ".", ".hako") < 0)
		die("pivot_root");
	if (chdir("/") < 0)
		die("chdir /");
	if (umount2("/.hako", MNT_DETACH) < 0)
		die("detach old root");
	if (careful && !with_init)
		hidden_precautions();
	if (careful)
		last_precautions();
	run_command(argv, envp);
}

static int do_run(const char *dir, int with_init, int share_net, int careful,
		  char **argv, char **envp)
{
	unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC |
			      CLONE_NEWUTS | CLONE_NEWCGROUP;
	long pid;

	if (!share_net)
		flags |= CLONE_NEWNET;
	/* fork semantics: no new stack, the child returns 0 here */
	pid = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0)
		die("clone");
	if (pid == 0)
		sandbox(dir, with_init, share_net, careful, argv, envp);
	return reap((pid_t)pid);
}

static int do_enter(const char *pidstr, int careful, char **argv)
{
	char *no_env[] = { NULL };
	posix_spawnattr_t attr, *ap = NULL;
	int fd;
	pid_t pid;
	char *end;
	long target = strtol(pidstr, &end, 10);

	if (*pidstr == '\0' || *end != '\0' || target <= 0) {
		fprintf(stderr, "floor: bad pid: %s\n", pidstr);
		return 125;
	}
	if (careful)
		early_precautions(0);
	fd = (int)syscall(SYS_pidfd_open, (pid_t)target, 0);
	if (fd < 0)
		die("pidfd_open");
	if (setns(fd, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
		      CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP) < 0)
		die("setns");
	close(fd);
	if (careful) {
		/* The child, as hako-enter --fork's, starts with an empty mask
		 * (musl's and glibc's posix_spawn set the mask in the child
		 * whatever the flags) in a session of its own. */
		sigset_t none;
		short flags = POSIX_SPAWN_SETSIGMASK;

		hidden_precautions();
		last_precautions();
		if (!isatty(STDIN_FILENO))
			flags |= POSIX_SPAWN_SETSID;
		sigemptyset(&none);
		if (posix_spawnattr_init(&attr) || posix_spawnattr_setflags(&attr, flags) ||
		    posix_spawnattr_setsigmask(&attr, &none))
			die("posix_spawnattr");
		ap = &attr;
	}
	spawn(&pid, argv, no_env, ap);
	return reap(pid);
}

static int usage(void)
{
	fputs("usage: floor [-s] [-i] [-n] [-v NAME=VALUE]... DIR CMD [ARG...]\n"
	      "       floor [-s] -e PID CMD [ARG...]\n", stderr);
	return 125;
}

int main(int argc, char **argv)
{
	int with_init = 0, share_net = 0, enter = 0, careful = 0;
	int i = 1, nenv = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		const char *p;

		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		for (p = argv[i] + 1; *p; p++) {
			switch (*p) {
			case 'i': with_init = 1; break;
			case 'n': share_net = 1; break;
			case 'e': enter = 1; break;
			case 's': careful = 1; break;
			case 'v':
				/* The slots read so far hold the variables. */
				if (p[1] != '\0' || i + 1 >= argc)
					return usage();
				argv[1 + nenv++] = argv[++i];
				goto next;
			default: return usage();
			}
		}
	next:;
	}
	if (argc - i < 2)
		return usage();
	if (careful)
		close_inherited();
	if (enter)
		return do_enter(argv[i], careful, argv + i + 1);
	{
		char *dir = argv[i];

		argv[1 + nenv] = NULL;
		return do_run(dir, with_init, share_net, careful, argv + i + 1,
			      argv + 1);
	}
}
