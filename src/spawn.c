/* spawn.c - start the command as a child, without copying our memory */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include "common.h"
#include "exec.h"
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
/* The child's stack must be on the real one, not on a fake stack of
 * AddressSanitizer's (detect_stack_use_after_return). */
#define NO_ASAN __attribute__((no_sanitize_address))
#else
#define UNPOISON(p, n) ((void)(p), (void)(n))
#define NO_ASAN
#endif

struct spawn {
	char *const *argv, *const *env;
	bool new_session;
	int start[2];    /* the start pipe, whose read end only we hold */
	int tty;         /* the pseudo-terminal to give it, or -1 */
};

/* The child runs on the stack below, in our memory, while we are
 * suspended; it only does what cannot be inherited, then executes the
 * command or exits, as the child of posix_spawn does. */
static int child(void *arg)
{
	const struct spawn *s = arg;

	close(s->start[0]);
	exec_finish(s->argv, s->env, s->new_session, s->tty, s->start[1]);
}

NO_ASAN pid_t spawn_command(char *const argv[], char *const env[],
			    bool new_session, int tty)
{
	/* The child's stack is part of ours, as in musl's posix_spawn: room
	 * for exec_command()'s PATH_MAX buffer, an error message and what
	 * libc's strerror needs (at most 9 KiB measured, with sanitizers),
	 * with a wide margin. We are suspended while the child uses it. */
	char stack[32768] __attribute__((aligned(16)));
	struct spawn s = { argv, env, new_session, { -1, -1 }, tty };
	pid_t pid;

	if (pipe2(s.start, O_CLOEXEC) < 0)
		die_errno("cannot create a pipe");
	/* Kept for speed: sharing our memory (CLONE_VM) instead of copying
	 * it as fork does starts the command sooner (a fork costs about
	 * 65 us more, see bench/README.md). CLONE_VFORK: we go on once the
	 * child has executed the command or exited; either way it no longer
	 * uses our memory or that stack. */
	pid = clone(child, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &s);
	if (pid < 0)
		die_errno("cannot start the command");
	close(s.start[0]);
	close(s.start[1]);
	/* The child's frames never returned; to AddressSanitizer they are
	 * still there, poisoning what our next calls put in that place. */
	UNPOISON(stack, sizeof stack);
	return pid;
}
