/* spawn.h - start the command as a child, without copying our memory */
#ifndef HAKO_SPAWN_H
#define HAKO_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

/* Start ARGV with ENV, found as exec_command() finds it, as a child that
 * dies with us (SIGKILL), with an empty signal mask, in a session of its
 * own when standard input is not a terminal or NEW_SESSION (-S) is set.
 * With TTY (else -1), a pseudo-terminal's other end, the child takes it
 * as its controlling terminal in a session of its own (see relay_take()).
 * Everything else it inherits, so the rest of the command's hygiene is
 * done before. Returns once the child has executed the command or failed
 * (it then says why and exits 125, 126 or 127). */
pid_t spawn_command(char *const argv[], char *const env[], bool new_session,
		    int tty);

#endif
