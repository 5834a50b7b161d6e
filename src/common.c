/* common.c - errors and options shared by hako-run and hako-enter */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sys/mman.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "userdb.h"

/* A process that a parent waits on (the sandbox before exec) also tells it
 * on the start pipe that setup failed, so the parent knows the command
 * never started. This is the one piece of state the error path has;
 * die_notify() sets it. */
static int start_fd = -1;

void die_notify(int fd)
{
	start_fd = fd;
}

/* What snprintf put in a buffer of CAP bytes when it returned R: a text
 * that did not fit is cut off. */
static size_t written(int r, size_t cap)
{
	return r < 0 ? 0 : (size_t)r < cap ? (size_t)r : cap - 1;
}

/* One line, written with a single write(2): no stdio buffering to flush in
 * a forked child, no interleaving. Control characters in names become '?'
 * so a message cannot drive the terminal. */
static void __attribute__((format(printf, 2, 0)))
report(int err, const char *fmt, va_list ap)
{
	char buf[1024];
	size_t n, cap = sizeof buf - 1; /* room for the newline */

	n = written(snprintf(buf, cap, "%s: ", progname), cap);
	n += written(vsnprintf(buf + n, cap - n, fmt, ap), cap - n);
	if (err)
		n += written(snprintf(buf + n, cap - n, ": %s", strerror(err)),
			     cap - n);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
	buf[n++] = '\n';
	if (write(STDERR_FILENO, buf, n) < 0) {
		/* nowhere left to say it */
	}
}

static void __attribute__((noreturn)) fatal(int status)
{
	if (start_fd >= 0 && write(start_fd, "!", 1) < 0) {
		/* the parent is gone; it no longer needs to know */
	}
	_exit(status);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(0, fmt, ap);
	va_end(ap);
	fatal(EXIT_HAKO);
}

void die_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	report(err, fmt, ap);
	va_end(ap);
	fatal(EXIT_HAKO);
}

void die_errno_status(int status, const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	report(err, fmt, ap);
	va_end(ap);
	fatal(status);
}

bool parse_decimal(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (*s == '\0')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

/* A uid or gid: all digits and below 4294967295, since (uid_t)-1 means
 * "unchanged" to the kernel and 4294967296 would wrap to root.
 * Returns 1 for a valid number, 0 for something that is not a number (a
 * name, to be looked up), -1 for a number out of range or an empty value. */
static int parse_id(const char *s, unsigned int *out)
{
	unsigned long long v;
	const char *p;

	if (*s == '\0')
		return -1;
	for (p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	if (!parse_decimal(s, 4294967294ULL, &v))
		return -1;
	*out = (unsigned int)v;
	return 1;
}

static void set_user(struct opts *o, const char *arg)
{
	unsigned int id;
	uid_t uid;
	int r = parse_id(arg, &id);

	if (r < 0)
		die("invalid user: %s", arg);
	o->user_has_gid = userdb_user(r ? NULL : arg, (uid_t)id, &uid,
				      &o->user_gid);
	if (!r && !o->user_has_gid)
		die("invalid user: %s", arg);
	/* The range rule holds for what the user database says too: its
	 * uid, and the primary group -u alone would take. */
	if ((!r && uid == (uid_t)-1) ||
	    (o->user_has_gid && o->user_gid == (gid_t)-1))
		die("invalid user: %s", arg);
	o->id.set_uid = true;
	o->id.uid = r ? (uid_t)id : uid;
}

static void set_group(struct opts *o, const char *arg)
{
	unsigned int id;
	gid_t gid;
	int r = parse_id(arg, &id);

	if (r < 0 || (!r && (!userdb_group(arg, &gid) || gid == (gid_t)-1)))
		die("invalid group: %s", arg);
	o->id.set_gid = true;
	o->id.gid = r ? (gid_t)id : gid;
}

static void add_keep_fd(struct opts *o, const char *arg)
{
	unsigned long long fd;

	if (!parse_decimal(arg, INT_MAX, &fd))
		die("invalid descriptor to keep: %s", arg);
	if (fd < 3)
		die("invalid descriptor to keep: %s (it must be 3 or more: 0, 1 "
		    "and 2 are always passed)", arg);
	if (fcntl((int)fd, F_GETFD) < 0)
		die_errno("invalid descriptor to keep: %s", arg);
	o->keep[o->nkeep++] = (int)fd;
}

void opts_init(struct opts *o, int argc)
{
	size_t envsize = ((size_t)argc + 1) * sizeof *o->env;
	void *mem;

	memset(o, 0, sizeof *o);
	o->dir = "/";
	opterr = 0;
	/* No option can occur more often than there are arguments. Kept
	 * for speed: a short command line needs no memory of its own (the
	 * tables malloc'd every time made both tools start 3 to 6 % slower);
	 * a long one gets pages of its own rather than malloc, which nothing
	 * else needs. */
	if (argc <= OPTS_SHORT) {
		o->env = o->short_env;
		o->keep = o->short_keep;
		return;
	}
	mem = mmap(NULL, envsize + ((size_t)argc + 1) * sizeof *o->keep,
		   PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die_errno("cannot allocate option tables");
	o->env = mem;
	o->keep = (int *)(void *)((char *)mem + envsize);
}

static void print_and_exit(const char *text)
{
	size_t len = strlen(text);

	if (write(STDOUT_FILENO, text, len) != (ssize_t)len)
		die_errno("cannot write to standard output");
	exit(0);
}

bool opts_common(struct opts *o, int c, const char *arg, const char *usage)
{
	char version[64];

	switch (c) {
	case 'h':
		print_and_exit(usage);
		break;
	case 'V':
		snprintf(version, sizeof version, "%s %s\n", progname, HAKO_VERSION);
		print_and_exit(version);
		break;
	case 'e':
		if (arg[0] == '=' || !strchr(arg, '='))
			die("invalid environment variable (want NAME=VALUE): %s", arg);
		o->env[o->nenv++] = (char *)(uintptr_t)arg;
		break;
	case 'u':
		set_user(o, arg);
		break;
	case 'g':
		set_group(o, arg);
		break;
	case 'c':
		o->dir = arg;
		break;
	case 'k':
		add_keep_fd(o, arg);
		break;
	case 'S':
		o->new_session = true;
		break;
	default:
		return false;
	}
	return true;
}

/* getopt reported an unknown option or a missing argument. Where optind
 * points afterwards differs between libcs (past the end, for a missing
 * argument in musl), so the word is only looked at when it exists. */
void bad_option(int c, int argc, char *const argv[])
{
	const char *word = optind - 1 < argc ? argv[optind - 1] : argv[argc - 1];
	const char *what = c == ':' ? "option requires an argument"
				    : "invalid option";

	if (strncmp(word, "--", 2) == 0)
		die("%s: %s (see --help)", what, word);
	die("%s: -%c (see --help)", what, optopt);
}

/* -u without -g: the user's primary group, as a careful user expects
 * (the original kept gid 0). */
void opts_finish(struct opts *o)
{
	if (o->id.set_uid && !o->id.set_gid && o->user_has_gid) {
		o->id.set_gid = true;
		o->id.gid = o->user_gid;
	}
	o->env[o->nenv] = NULL;
}
