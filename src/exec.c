/* exec.c - the command's last steps, in one order for both tools */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common.h"
#include "exec.h"
#include "filter.h"
#include "hygiene.h"
#include "relay.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

void exec_prepare_early(void)
{
	default_signals();
}

void exec_prepare(const struct exec_plan *p)
{
	become(&p->id, p->in_userns);
	no_new_privs();
	forbid_tty_injection();
	if (p->start_fd >= 0)
		die_with_parent(p->start_fd);
	new_session_keyring();
	/* Closed, not only close-on-exec: the working directory and the
	 * command are looked up next, and a path through /proc/self/fd
	 * must not lead out of the sandbox. */
	close_inherited(p->keep, p->nkeep, p->own);
	if (p->dir[0] != '/' && chdir("/") < 0)
		die_errno("cannot change directory to /");
	if (chdir(p->dir) < 0)
		die_errno("cannot change directory to %s", p->dir);
}

void exec_finish(char *const argv[], char *const env[], bool new_session,
		 int tty, int start_fd)
{
	unblock_signals();
	if (tty >= 0)
		relay_take(tty);
	else
		leave_caller_session(new_session);
	/* Also when the parent was killed before it is set (getppid()
	 * cannot tell, from a pid namespace below the parent's). */
	if (start_fd >= 0)
		die_with_parent(start_fd);
	exec_command(argv, env);
}

void become(const struct ident *id, bool in_userns)
{
	if (!id->set_uid && !id->set_gid)
		return;
	/* In a user namespace we hold every capability, so EPERM means its
	 * setgroups file says "deny" (every rootless one): the kernel has
	 * fixed the groups, and there is nothing we may clear. */
	if (setgroups(0, NULL) < 0 && !(errno == EPERM && in_userns))
		die_errno("cannot clear supplementary groups");
	if (id->set_gid && setresgid(id->gid, id->gid, id->gid) < 0)
		die_errno("cannot set group %u", (unsigned)id->gid);
	if (id->set_uid && setresuid(id->uid, id->uid, id->uid) < 0)
		die_errno("cannot set user %u", (unsigned)id->uid);
	/* The sysctl fs.suid_dumpable may make a changed process dumpable
	 * again; we still are inside, or supervise. */
	not_dumpable();
}

void not_dumpable(void)
{
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		die_errno("cannot clear dumpable");
}

void die_with_parent(int start_fd)
{
	struct pollfd p = { .fd = start_fd, .events = POLLOUT };

	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		die_errno("cannot set the parent-death signal");
	/* In a new pid namespace getppid() says 0 whatever happened; a pipe
	 * with no reader left says POLLERR. */
	if (poll(&p, 1, 0) == 1 && (p.revents & POLLERR))
		_exit(EXIT_HAKO);
}

static const char *env_path(char *const env[])
{
	for (; *env; env++)
		if (strncmp(*env, "PATH=", 5) == 0)
			return *env + 5;
	return DEFAULT_PATH;
}

/* 127 when there is no such command, 126 when there is one that cannot
 * be executed, as shells do. */
static void __attribute__((noreturn)) exec_failed(const char *cmd, int err)
{
	errno = err;
	die_errno_status(err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC,
			 "cannot execute %s", cmd);
}

void exec_command(char *const argv[], char *const env[])
{
	const char *cmd = argv[0], *dir, *end;
	char buf[PATH_MAX];
	size_t dlen, clen = strlen(cmd);
	int err = ENOENT;

	if (strchr(cmd, '/')) {
		execve(cmd, argv, env);
		exec_failed(cmd, errno);
	}
	if (clen == 0)
		exec_failed(cmd, ENOENT);
	/* The PATH the command will see (the first PATH= given), else the
	 * usual one; an empty element means the working directory. */
	for (dir = env_path(env);; dir = end + 1) {
		end = strchr(dir, ':');
		if (!end)
			end = dir + strlen(dir);
		dlen = (size_t)(end - dir);
		if (dlen == 0) {
			buf[0] = '.';
			dlen = 1;
		} else if (dlen < sizeof buf) {
			memcpy(buf, dir, dlen);
		}
		if (dlen + 1 + clen < sizeof buf) {
			buf[dlen] = '/';
			memcpy(buf + dlen + 1, cmd, clen + 1);
			execve(buf, argv, env);
			/* Keep looking past what is missing; remember a
			 * match we were not allowed to run. */
			if (errno == EACCES)
				err = EACCES;
			else if (errno != ENOENT && errno != ENOTDIR &&
				 errno != ENAMETOOLONG && errno != ELOOP)
				exec_failed(cmd, errno);
		}
		if (*end == '\0')
			break;
	}
	exec_failed(cmd, err);
}
