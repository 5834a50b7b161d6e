/* userns.c - user namespaces: the id maps of a rootless or -U sandbox */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec.h"
#include "userns.h"

static int write_at(int dir, const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = openat(dir, path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	err = errno;
	close(fd);
	errno = err;
	return n == (ssize_t)len ? 0 : -1;
}

int userns_write_maps(pid_t child, bool rootless, unsigned long base)
{
	char path[64], map[64];

	if (rootless) {
		/* An unprivileged gid_map needs setgroups denied first. */
		snprintf(path, sizeof path, "/proc/%d/setgroups", (int)child);
		if (write_at(AT_FDCWD, path, "deny") < 0)
			return -1;
		snprintf(map, sizeof map, "0 %u 1\n", (unsigned)geteuid());
	} else {
		snprintf(map, sizeof map, "0 %lu %lu\n", base, USERNS_RANGE);
	}
	snprintf(path, sizeof path, "/proc/%d/uid_map", (int)child);
	if (write_at(AT_FDCWD, path, map) < 0)
		return -1;
	if (rootless)
		snprintf(map, sizeof map, "0 %u 1\n", (unsigned)getegid());
	snprintf(path, sizeof path, "/proc/%d/gid_map", (int)child);
	return write_at(AT_FDCWD, path, map);
}

void userns_become_root(bool rootless)
{
	/* Root keeps its host groups (gid 0 among them) across clone: drop
	 * them. Rootless, the kernel has fixed them. */
	if (!rootless && setgroups(0, NULL) < 0)
		die_errno("cannot clear supplementary groups");
	if (setresgid(0, 0, 0) < 0)
		die_errno("cannot become root of the user namespace");
	if (setresuid(0, 0, 0) < 0)
		die_errno("cannot become root of the user namespace");
}

int userns_proc(void)
{
	int fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		die_errno("cannot open /proc");
	return fd;
}

/* The map in FILE (under the host's /proc), into BUF. */
static void read_map(int proc, const char *file, char buf[4096])
{
	int fd = openat(proc, file, O_RDONLY | O_CLOEXEC);
	ssize_t len;

	if (fd < 0)
		die_errno("cannot open /proc/%s", file);
	len = read(fd, buf, 4095);
	close(fd);
	if (len < 0)
		die_errno("cannot read /proc/%s", file);
	buf[len] = '\0';
}

/* Whether the map in FILE has ID inside. */
static bool mapped(int proc, const char *file, unsigned int id)
{
	char buf[4096];
	unsigned long long f[3];
	const char *p = buf;
	int n = 0;

	read_map(proc, file, buf);
	/* Lines of three numbers: first id inside, first outside, count. */
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			continue;
		f[n] = 0;
		for (; *p >= '0' && *p <= '9'; p++)
			f[n] = f[n] * 10 + (unsigned)(*p - '0');
		if (++n == 3) {
			if (id >= f[0] && id - f[0] < f[2])
				return true;
			n = 0;
		}
		if (!*p)
			break;
	}
	return false;
}

bool userns_maps(const struct ident *id, int proc)
{
	return (!id->set_uid || mapped(proc, "self/uid_map", (unsigned)id->uid)) &&
	       (!id->set_gid || mapped(proc, "self/gid_map", (unsigned)id->gid));
}

/* The first id the map in FILE has inside. */
static unsigned int first_mapped(int proc, const char *file)
{
	char buf[4096];
	unsigned long long v;
	char *end;

	read_map(proc, file, buf);
	v = strtoull(buf, &end, 10);
	if (end == buf || v > 0xfffffffeULL)
		die("cannot read /proc/%s: no id mapped", file);
	return (unsigned int)v;
}

void userns_become_mapped(int proc)
{
	gid_t gid = (gid_t)first_mapped(proc, "self/gid_map");
	uid_t uid = (uid_t)first_mapped(proc, "self/uid_map");

	if (setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		die_errno("cannot take an id of the user namespace");
}

void userns_nest(const struct ident *id, int proc)
{
	char map[64];
	unsigned int uid = id->set_uid ? (unsigned)id->uid : (unsigned)geteuid();
	unsigned int gid = id->set_gid ? (unsigned)id->gid : (unsigned)getegid();
	unsigned int outer_uid = (unsigned)geteuid(), outer_gid = (unsigned)getegid();

	/* Our own ids are the one mapping the kernel allows without
	 * privilege over the parent namespace. We are not dumpable, which
	 * makes our /proc files root's: let the maps be written, then close
	 * it again. */
	if (unshare(CLONE_NEWUSER) < 0)
		die_errno("cannot create a user namespace for the command's ids");
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		die_errno("cannot set dumpable");
	snprintf(map, sizeof map, "%u %u 1\n", uid, outer_uid);
	if (write_at(proc, "self/uid_map", map) < 0)
		die_errno("cannot map user %u", uid);
	if (write_at(proc, "self/setgroups", "deny") < 0)
		die_errno("cannot deny setgroups");
	snprintf(map, sizeof map, "%u %u 1\n", gid, outer_gid);
	if (write_at(proc, "self/gid_map", map) < 0)
		die_errno("cannot map group %u", gid);
	not_dumpable();
}

int userns_prepare(const struct ident *id, bool rootless)
{
	char self[16], path[32], uid_map[64], gid_map[64];
	int ready[2], dir, ns;
	ssize_t n;
	pid_t pid;

	/* The same ids as around it, or rootless the one id -u/-g ask for
	 * onto the sandbox's root: root's -U range only we, in the parent
	 * namespace with CAP_SETUID there, may map; the child could not. */
	if (rootless) {
		snprintf(uid_map, sizeof uid_map, "%u 0 1\n",
		         id->set_uid ? (unsigned)id->uid : 0U);
		snprintf(gid_map, sizeof gid_map, "%u 0 1\n",
		         id->set_gid ? (unsigned)id->gid : 0U);
	} else {
		snprintf(uid_map, sizeof uid_map, "0 0 %lu\n", USERNS_RANGE);
		snprintf(gid_map, sizeof gid_map, "0 0 %lu\n", USERNS_RANGE);
	}
	if (pipe2(ready, O_CLOEXEC) < 0)
		die_errno("cannot create a pipe");
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0)
		die_errno("cannot create the command's user namespace%s",
			  userns_hint(errno));
	if (pid == 0) {
		/* Dumpable, our /proc files are our uid's, which is the
		 * parent's: it can write the maps. Nothing but the parent
		 * runs in the sandbox yet to take advantage. The host's
		 * /proc names us by the pid the parent can open. */
		close(ready[0]);
		if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
			die_errno("cannot set dumpable");
		n = readlink("/proc/self", self, sizeof self);
		if (n <= 0 || write(ready[1], self, (size_t)n) != n)
			die_errno("cannot read /proc/self");
		for (;;)
			pause();
	}
	close(ready[1]);
	n = read(ready[0], self, sizeof self - 1);
	close(ready[0]);
	if (n <= 0) {
		/* A child that failed has said why, and told the supervisor. */
		waitpid(pid, NULL, 0);
		_exit(EXIT_HAKO);
	}
	self[n] = '\0';
	snprintf(path, sizeof path, "/proc/%s", self);
	dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		die_errno("cannot open %s", path);
	if (write_at(dir, "uid_map", uid_map) < 0 ||
	    write_at(dir, "gid_map", gid_map) < 0)
		die_errno("cannot write the id maps of the command's user namespace");
	ns = openat(dir, "ns/user", O_RDONLY | O_CLOEXEC);
	if (ns < 0)
		die_errno("cannot keep the command's user namespace");
	close(dir);
	/* Reaped with what init leaves behind: no need to wait for it. */
	kill(pid, SIGKILL);
	return ns;
}

void userns_join(int ns)
{
	if (setns(ns, CLONE_NEWUSER) < 0)
		die_errno("cannot enter the command's user namespace");
	close(ns);
}

const char *userns_hint(int err)
{
	switch (err) {
	case ENOSPC:
	case EUSERS:
		return " (namespace limit reached: check sysctl user.max_user_namespaces)";
	case EPERM:
		return " (user namespaces not permitted: check sysctl "
		       "kernel.unprivileged_userns_clone and "
		       "kernel.apparmor_restrict_unprivileged_userns)";
	case EINVAL:
		return " (is the kernel built with CONFIG_USER_NS?)";
	default:
		return "";
	}
}
