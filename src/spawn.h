/* spawn.h - start the command as a child, without copying our memory */
#ifndef HAKO_SPAWN_H
#define HAKO_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

/* Start ARGV with ENV as a child that takes exec_finish()'s steps (see
 * exec.h), dying with us (SIGKILL). With TTY (else -1), a
 * pseudo-terminal's other end, the child takes it as its controlling
 * terminal in a session of its own (see relay_take()). Everything else it
 * inherits: exec_prepare() is done before. Returns once the child has
 * executed the command or failed (it then says why and exits 125, 126 or
 * 127). */
pid_t spawn_command(char *const argv[], char *const env[], bool new_session,
		    int tty);

#endif
