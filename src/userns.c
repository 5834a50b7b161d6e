/* userns.c - user namespaces: the id maps of a rootless or -U sandbox */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "format.h"
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
		format(path, sizeof path, "/proc/%d/setgroups", (int)child);
		if (write_at(AT_FDCWD, path, "deny") < 0)
			return -1;
		format(map, sizeof map, "0 %u 1\n", (unsigned)geteuid());
	} else {
		format(map, sizeof map, "0 %lu %lu\n", base, USERNS_RANGE);
	}
	format(path, sizeof path, "/proc/%d/uid_map", (int)child);
	if (write_at(AT_FDCWD, path, map) < 0)
		return -1;
	if (rootless)
		format(map, sizeof map, "0 %u 1\n", (unsigned)getegid());
	format(path, sizeof path, "/proc/%d/gid_map", (int)child);
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

void userns_nest(const struct ident *id, int proc)
{
	char map[64];
	unsigned int uid = id->set_uid ? (unsigned)id->uid : (unsigned)geteuid();
	unsigned int gid = id->set_gid ? (unsigned)id->gid : (unsigned)getegid();
	unsigned int outer_uid = (unsigned)geteuid(), outer_gid = (unsigned)getegid();

	/* Our own ids are the one mapping the kernel allows without
	 * privilege over the parent namespace. We are not dumpable, which
	 * makes our /proc files root's: let the maps be written, then close
	 * it again. Nothing in the sandbox gains by the moment: it holds the
	 * same ids as we do, in the parent namespace. */
	if (unshare(CLONE_NEWUSER) < 0)
		die_errno("cannot create a user namespace for the command's ids");
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		die_errno("cannot set dumpable");
	format(map, sizeof map, "%u %u 1\n", uid, outer_uid);
	if (write_at(proc, "self/uid_map", map) < 0)
		die_errno("cannot map user %u", uid);
	if (write_at(proc, "self/setgroups", "deny") < 0)
		die_errno("cannot deny setgroups");
	format(map, sizeof map, "%u %u 1\n", gid, outer_gid);
	if (write_at(proc, "self/gid_map", map) < 0)
		die_errno("cannot map group %u", gid);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		die_errno("cannot clear dumpable");
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
