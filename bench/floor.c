/*
 * floor: the least work that reaches the same end state as hako-run (or,
 * with -e, hako-enter). It is the benchmark's lower bound: no option
 * parsing beyond the flags below, no error pipe, no parent-death signal,
 * no hygiene, no identity switch, no seccomp filter, and the cheapest way
 * to start each process (a raw clone with fork semantics for the sandbox,
 * which runs code of ours; posix_spawn for .hako/init and, with -e, the
 * command, which only need executing). It exists only so that bench/run
 * can say how far hako is from the cost of the system calls themselves.
 *
 *   floor [-i] [-n] [-v NAME=VALUE]... DIR CMD [ARG...]
 *                                      new mount, pid, ipc, uts, cgroup and
 *                                      (without -n) net namespaces; with -i
 *                                      DIR/.hako/init runs first; each -v
 *                                      puts a variable in CMD's environment
 *   floor -e PID CMD [ARG...]          join PID's namespaces through a pidfd
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
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

extern char **environ;

static void die(const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
	_exit(125);
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
static void spawn(pid_t *pid, char **argv, char **envp)
{
	int err = posix_spawn(pid, argv[0], NULL, NULL, argv, envp);

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
static void sandbox(const char *dir, int with_init, int share_net, char **argv,
		    char **envp)
{
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

		spawn(&pid, init_argv, environ);
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
	run_command(argv, envp);
}

static int do_run(const char *dir, int with_init, int share_net, char **argv,
		  char **envp)
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
		sandbox(dir, with_init, share_net, argv, envp);
	return reap((pid_t)pid);
}

static int do_enter(const char *pidstr, char **argv)
{
	char *no_env[] = { NULL };
	int fd;
	pid_t pid;
	char *end;
	long target = strtol(pidstr, &end, 10);

	if (*pidstr == '\0' || *end != '\0' || target <= 0) {
		fprintf(stderr, "floor: bad pid: %s\n", pidstr);
		return 125;
	}
	fd = (int)syscall(SYS_pidfd_open, (pid_t)target, 0);
	if (fd < 0)
		die("pidfd_open");
	if (setns(fd, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
		      CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP) < 0)
		die("setns");
	close(fd);
	spawn(&pid, argv, no_env);
	return reap(pid);
}

static int usage(void)
{
	fputs("usage: floor [-i] [-n] [-v NAME=VALUE]... DIR CMD [ARG...]\n"
	      "       floor -e PID CMD [ARG...]\n", stderr);
	return 125;
}

int main(int argc, char **argv)
{
	int with_init = 0, share_net = 0, enter = 0;
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
	if (enter)
		return do_enter(argv[i], argv + i + 1);
	{
		char *dir = argv[i];

		argv[1 + nenv] = NULL;
		return do_run(dir, with_init, share_net, argv + i + 1, argv + 1);
	}
}
