/*
 * timeit: the benchmark's stopwatch. It starts commands with posix_spawn
 * and times each one from just before the spawn to the moment waitpid
 * returns, with CLOCK_MONOTONIC, so that no shell sits inside the measured
 * interval.
 *
 * Sequential mode:
 *   timeit [-n ROUNDS] [-s] [-F NFDS] [-M NMOUNTS:DIR] CMD... [:: CMD...]...
 * runs every command once per round (in the given order, or shuffled anew
 * each round with -s) and prints one line per round: the nanoseconds each
 * command took, one column per command in the order given. A run that did
 * not exit 0 prints "-" in its column (and one line on stderr, the first
 * time); timeit then exits 2 at the end.
 *   -F NFDS          open NFDS extra descriptors on /dev/null, inherited
 *                    by the commands
 *   -M NMOUNTS:DIR   enter a private mount namespace of timeit's own and
 *                    add NMOUNTS bind mounts under a tmpfs mounted on DIR
 *                    (all of it vanishes when timeit exits)
 *
 * Concurrent mode:
 *   timeit -P N [-r MS] CMD...
 * starts N copies of CMD at once, then polls (every 20 ms for at most MS
 * milliseconds) the processes they became, and prints one line:
 *   elapsed_ns=T failed=F peak_running=R rss_kb_med=A rss_kb_max=B
 *   pss_kb_med=C
 * where RSS/PSS are per copy, summed over the spawned process and its
 * descendants that have the same command name (the supervisors, not the
 * sandboxed command), taken at the poll that saw the most copies whose
 * command was already running (a descendant with another name).
 * The commands' standard output goes to /dev/null; standard error is kept.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void fail(const char *what)
{
	fprintf(stderr, "timeit: %s: %s\n", what, strerror(errno));
	exit(125);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static posix_spawn_file_actions_t quiet;

static pid_t start(char **argv)
{
	pid_t pid;
	int err = posix_spawn(&pid, argv[0], &quiet, NULL, argv, environ);

	if (err != 0) {
		errno = err;
		fprintf(stderr, "timeit: %s: %s\n", argv[0], strerror(err));
		return -1;
	}
	return pid;
}

static int status_of(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			fail("waitpid");
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

static void open_fds(long n)
{
	struct rlimit rl;
	long i;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 64) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	for (i = 0; i < n; i++)
		if (open("/dev/null", O_RDONLY) < 0)
			fail("open /dev/null");
}

static void add_mounts(const char *spec)
{
	char *end, path[4096];
	long n = strtol(spec, &end, 10), i;
	const char *dir = end + 1;

	if (*end != ':' || n < 0 || *dir == '\0') {
		fprintf(stderr, "timeit: -M wants NMOUNTS:DIR\n");
		exit(125);
	}
	if (unshare(CLONE_NEWNS) < 0)
		fail("unshare mount namespace");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		fail("make / private");
	if (mount("timeit", dir, "tmpfs", 0, "mode=0755") < 0)
		fail(dir);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%ld", dir, i);
		if (mkdir(path, 0755) < 0)
			fail(path);
		if (mount(path, path, NULL, MS_BIND, NULL) < 0)
			fail(path);
	}
}

static unsigned long rng = 0x9e3779b97f4a7c15UL;

static unsigned long next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int sequential(long rounds, int shuffle, char ***cmds, int ncmd)
{
	int64_t *took = calloc((size_t)ncmd, sizeof *took);
	int *order = calloc((size_t)ncmd, sizeof *order);
	char *reported = calloc((size_t)ncmd, 1);
	int bad = 0, i;
	long r;

	if (!took || !order || !reported)
		fail("calloc");
	rng ^= (unsigned long)now_ns() ^ ((unsigned long)getpid() << 20);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < ncmd; i++)
			order[i] = i;
		for (i = ncmd - 1; shuffle && i > 0; i--) {
			int j = (int)(next_random() % (unsigned long)(i + 1));
			int t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
		for (i = 0; i < ncmd; i++) {
			int c = order[i], st = -1;
			int64_t t0 = now_ns();
			pid_t pid = start(cmds[c]);

			if (pid > 0)
				st = status_of(pid);
			took[c] = now_ns() - t0;
			if (st != 0) {
				took[c] = -1;
				bad = 1;
				if (!reported[c] && pid > 0)
					fprintf(stderr, "timeit: %s exited %d\n",
						cmds[c][0], st);
				reported[c] = 1;
			}
		}
		for (i = 0; i < ncmd; i++) {
			if (took[i] < 0)
				printf("%s-", i ? " " : "");
			else
				printf("%s%lld", i ? " " : "", (long long)took[i]);
		}
		putchar('\n');
		fflush(stdout);
	}
	free(took);
	free(order);
	free(reported);
	return bad ? 2 : 0;
}

/* ---- concurrent mode ---- */

struct proc {
	pid_t pid, ppid;
	char comm[32];
};

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* A value in kB from a "Name:   123 kB" line of a /proc file, or 0. */
static long field_kb(const char *path, const char *name)
{
	char buf[8192], *p;

	if (read_file(path, buf, sizeof buf) < 0)
		return 0;
	p = strstr(buf, name);
	return p ? strtol(p + strlen(name), NULL, 10) : 0;
}

static size_t snapshot(struct proc **out)
{
	static struct proc *v;
	static size_t cap;
	size_t n = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;

	if (!d)
		fail("/proc");
	while ((e = readdir(d)) != NULL) {
		char path[64], buf[512], *rp;
		long pid = strtol(e->d_name, &rp, 10);

		if (*rp != '\0' || pid <= 0)
			continue;
		snprintf(path, sizeof path, "/proc/%ld/stat", pid);
		if (read_file(path, buf, sizeof buf) < 0)
			continue;
		/* pid (comm) state ppid ... ; comm may hold spaces or ')' */
		rp = strrchr(buf, ')');
		if (!rp || !strchr(buf, '('))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			v = realloc(v, cap * sizeof *v);
			if (!v)
				fail("realloc");
		}
		v[n].pid = (pid_t)pid;
		*rp = '\0';
		snprintf(v[n].comm, sizeof v[n].comm, "%s", strchr(buf, '(') + 1);
		v[n].ppid = (pid_t)strtol(rp + 4, NULL, 10);
		n++;
	}
	closedir(d);
	*out = v;
	return n;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static int cmp_proc(const void *a, const void *b)
{
	pid_t x = ((const struct proc *)a)->pid, y = ((const struct proc *)b)->pid;

	return (x > y) - (x < y);
}

struct root {
	pid_t pid;
	long index;
};

static int cmp_root(const void *a, const void *b)
{
	pid_t x = ((const struct root *)a)->pid, y = ((const struct root *)b)->pid;

	return (x > y) - (x < y);
}

/*
 * Index of the spawned copy that process i (of v, sorted by pid) is or
 * descends from, else -1. roots is sorted by pid.
 */
static long root_of(const struct proc *v, size_t n, size_t i,
		    const struct root *roots, size_t nroots)
{
	const struct proc *p = &v[i];
	int depth;

	for (depth = 0; p && depth < 8; depth++) {
		struct root key = { p->pid, 0 };
		struct proc pkey;
		const struct root *r = bsearch(&key, roots, nroots,
					       sizeof *roots, cmp_root);

		if (r)
			return r->index;
		pkey.pid = p->ppid;
		p = bsearch(&pkey, v, n, sizeof *v, cmp_proc);
	}
	return -1;
}

static int concurrent(long copies, long poll_ms, char **argv)
{
	pid_t *pids = calloc((size_t)copies, sizeof *pids);
	long *rss = calloc((size_t)copies, sizeof *rss);
	long *pss = calloc((size_t)copies, sizeof *pss);
	long *best_rss = calloc((size_t)copies, sizeof *best_rss);
	long *best_pss = calloc((size_t)copies, sizeof *best_pss);
	char *running = calloc((size_t)copies, 1);
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1
						 : argv[0];
	long i, failed = 0, peak = -1, nbest = 0;
	int64_t t0 = now_ns(), deadline;

	struct root *roots = calloc((size_t)copies, sizeof *roots);

	if (!pids || !rss || !pss || !best_rss || !best_pss || !running ||
	    !roots)
		fail("calloc");
	for (i = 0; i < copies; i++)
		pids[i] = start(argv);
	for (i = 0; i < copies; i++) {
		roots[i].pid = pids[i];
		roots[i].index = i;
	}
	qsort(roots, (size_t)copies, sizeof *roots, cmp_root);
	deadline = now_ns() + (int64_t)poll_ms * 1000000;
	while (poll_ms > 0 && now_ns() < deadline && peak < copies) {
		struct proc *v;
		size_t n = snapshot(&v), j;
		long nrun = 0;

		qsort(v, n, sizeof *v, cmp_proc);

		memset(rss, 0, (size_t)copies * sizeof *rss);
		memset(pss, 0, (size_t)copies * sizeof *pss);
		memset(running, 0, (size_t)copies);
		for (j = 0; j < n; j++) {
			long k = root_of(v, n, j, roots, (size_t)copies);
			char path[64];

			if (k < 0)
				continue;
			if (strncmp(v[j].comm, name, 15) != 0) {
				running[k] = 1;
				continue;
			}
			snprintf(path, sizeof path, "/proc/%d/status",
				 (int)v[j].pid);
			rss[k] += field_kb(path, "VmRSS:");
			snprintf(path, sizeof path, "/proc/%d/smaps_rollup",
				 (int)v[j].pid);
			pss[k] += field_kb(path, "Pss:");
		}
		for (i = 0; i < copies; i++)
			nrun += running[i];
		if (nrun > peak) {
			peak = nrun;
			nbest = 0;
			for (i = 0; i < copies; i++)
				if (running[i] && rss[i] > 0) {
					best_rss[nbest] = rss[i];
					best_pss[nbest++] = pss[i];
				}
		}
		if (peak < copies) {
			struct timespec ts = { 0, 20000000 };

			nanosleep(&ts, NULL);
		}
	}
	for (i = 0; i < copies; i++)
		if (pids[i] <= 0 || status_of(pids[i]) != 0)
			failed++;
	printf("elapsed_ns=%lld failed=%ld peak_running=%ld",
	       (long long)(now_ns() - t0), failed, peak < 0 ? 0 : peak);
	if (nbest > 0) {
		qsort(best_rss, (size_t)nbest, sizeof *best_rss, cmp_long);
		qsort(best_pss, (size_t)nbest, sizeof *best_pss, cmp_long);
		printf(" rss_kb_med=%ld rss_kb_max=%ld pss_kb_med=%ld",
		       best_rss[nbest / 2], best_rss[nbest - 1],
		       best_pss[nbest / 2]);
	}
	putchar('\n');
	fflush(stdout);
	free(pids);
	free(rss);
	free(pss);
	free(best_rss);
	free(best_pss);
	free(running);
	free(roots);
	return failed ? 2 : 0;
}

static int usage(void)
{
	fputs("usage: timeit [-n ROUNDS] [-s] [-F NFDS] [-M NMOUNTS:DIR] "
	      "CMD... [:: CMD...]...\n"
	      "       timeit -P N [-r MS] CMD...\n", stderr);
	return 125;
}

int main(int argc, char **argv)
{
	long rounds = 1, copies = 0, poll_ms = 0;
	int shuffle = 0, opt, ncmd = 0, i;
	char ***cmds;

	while ((opt = getopt(argc, argv, "+n:sF:M:P:r:")) != -1) {
		switch (opt) {
		case 'n': rounds = atol(optarg); break;
		case 's': shuffle = 1; break;
		case 'F': open_fds(atol(optarg)); break;
		case 'M': add_mounts(optarg); break;
		case 'P': copies = atol(optarg); break;
		case 'r': poll_ms = atol(optarg); break;
		default: return usage();
		}
	}
	if (optind >= argc)
		return usage();
	if (posix_spawn_file_actions_init(&quiet) != 0 ||
	    posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0))
		fail("posix_spawn_file_actions");
	if (copies > 0)
		return concurrent(copies, poll_ms, argv + optind);

	/* split the operands at "::" into commands */
	cmds = calloc((size_t)argc, sizeof *cmds);
	if (!cmds)
		fail("calloc");
	cmds[ncmd++] = argv + optind;
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "::") == 0) {
			argv[i] = NULL;
			if (i + 1 >= argc || strcmp(argv[i + 1], "::") == 0)
				return usage();
			cmds[ncmd++] = argv + i + 1;
		}
	}
	if (cmds[0][0] == NULL)
		return usage();
	return sequential(rounds, shuffle, cmds, ncmd);
}
