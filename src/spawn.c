/* spawn.c - start the command as a child, without copying our memory */
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common.h"
#include "hygiene.h"
#include "spawn.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAKO_ASAN
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAKO_ASAN
#endif
#endif
#ifdef HAKO_ASAN
#include <sanitizer/asan_interface.h>
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

struct spawn {
	char *const *argv, *const *env;
	pid_t parent;
};

/* The child runs on the stack below, in our memory, while we are
 * suspended; it only does what cannot be inherited, then executes the
 * command or exits, as the child of posix_spawn does. */
static int child(void *arg)
{
	const struct spawn *s = arg;
	pid_t ppid;

	unblock_signals();
	leave_caller_session();
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		die_errno("cannot set the parent-death signal");
	/* Had we died before that, the child would have been given to the
	 * reaper of its pid namespace: the parent it sees is then neither
	 * us nor (from a pid namespace below ours) nobody. */
	ppid = getppid();
	if (ppid != 0 && ppid != s->parent)
		_exit(EXIT_HAKO);
	exec_command(s->argv, s->env);
}

pid_t spawn_command(char *const argv[], char *const env[])
{
	/* The child's stack is part of ours, as in musl's posix_spawn: room
	 * for exec_command()'s PATH_MAX buffer, an error message and what
	 * libc's strerror needs, with a wide margin. We are suspended while
	 * the child uses it. */
	char stack[32768] __attribute__((aligned(16)));
	struct spawn s = { argv, env, getpid() };
	pid_t pid;

	/* CLONE_VFORK: we go on once the child has executed the command or
	 * exited; either way it no longer uses our memory or that stack. */
	pid = clone(child, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &s);
	if (pid < 0)
		die_errno("cannot start the command");
	/* The child's frames never returned; to AddressSanitizer they are
	 * still there, poisoning what our next calls put in that place. */
	UNPOISON(stack, sizeof stack);
	return pid;
}
