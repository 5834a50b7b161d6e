/* exec.h - the command's last steps, in one order for both tools
 *
 * Once in the command's namespaces, hako-run's sandbox and hako-enter
 * take these steps, in this order, and nowhere else:
 *
 *   exec_prepare_early(), as soon as nothing that follows needs a
 *   handler of its own:
 *    1. every signal disposition the default
 *   exec_prepare(), in the process that holds the namespaces:
 *    2. identity: supplementary groups cleared, gid, uid; then not
 *       dumpable again, which a change of credentials may undo
 *    3. no_new_privs
 *    4. the terminal filter (which needs no_new_privs)
 *    5. the death signal set again (the credential change cleared it) and
 *       the parent checked, when there is a parent to die with
 *    6. a fresh session keyring, made after the identity so that the
 *       command's user owns it
 *    7. inherited descriptors closed
 *    8. the working directory
 *   exec_finish(), in the process that becomes the command:
 *    9. an empty signal mask
 *   10. a session of its own (or the relay's terminal)
 *   11. the death signal, for a child of the process above
 *   12. the command looked up and executed
 *
 * Without -I or --fork all three run in the one process. With them
 * exec_finish() runs in the command's child (spawn.c), which inherits
 * what was done in its parent. hako-run's sandbox empties its
 * mask and starts its session already when it starts, so that
 * .hako/init runs with them too: taking them again changes nothing. (The
 * session is then not forced again: that would fail.) */
#ifndef HAKO_EXEC_H
#define HAKO_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"

/* What exec_prepare() needs to know. */
struct exec_plan {
	struct ident id;  /* as the namespace the command runs in sees it */
	bool in_userns;   /* the command runs in a user namespace */
	int start_fd;     /* the start pipe, when a parent waits on it, or -1 */
	int own;          /* hako's own descriptor that stays open, or -1 */
	const int *keep;  /* --keep-fd descriptors */
	size_t nkeep;
	const char *dir;  /* -c, from the sandbox's root when relative */
};

/* Step 1, which concerns only this process: hako-run takes it while
 * .hako/init runs, where its cost (one call per signal) is hidden from
 * the caller when init gets the other CPU. */
void exec_prepare_early(void);

/* Steps 2 to 8. */
void exec_prepare(const struct exec_plan *p);

/* Steps 9 to 12: execute ARGV with ENV. TTY (else -1) is a
 * pseudo-terminal's other end to take as the controlling terminal
 * (see relay_take()); else a new session when standard input is not a
 * terminal or NEW_SESSION (-S). START_FD (else -1) is the write end of a
 * pipe whose read end only the parent holds: the death signal is set and
 * checked against it. Never returns. */
void exec_finish(char *const argv[], char *const env[], bool new_session,
		 int tty, int start_fd) __attribute__((noreturn));

/* Become ID: groups, gid, uid (in that order), in a namespace that maps
 * them (see userns.h for one that does not); then not dumpable. */
void become(const struct ident *id, bool in_userns);

/* Nothing in the sandbox may open our memory or executable through /proc
 * while we are in its namespaces. */
void not_dumpable(void);

/* Die with the parent (SIGKILL), also if it is already gone. START_FD is
 * the write end of a pipe whose read end only the parent holds.
 * Credential changes clear the death signal: exec_prepare() sets it
 * again after the last. */
void die_with_parent(int start_fd);

/* execve ARGV with ENV, searching PATH when ARGV[0] has no slash; exits
 * 127 when there is no such command, 126 when it cannot be executed. */
void exec_command(char *const argv[], char *const env[])
	__attribute__((noreturn));

#endif
