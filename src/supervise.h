/* supervise.h - the waiting parent: start report, signals, exit status */
#ifndef HAKO_SUPERVISE_H
#define HAKO_SUPERVISE_H

#include <sys/types.h>

/* Block the signals the parent handles (and undo an inherited SIGCHLD
 * SIG_IGN): before the child exists, so that one that exits at once is
 * still seen. */
void supervise_block(void);

/* Child: die with the parent (SIGKILL), also if it is already gone.
 * STATUS_FD is the child's end of the start pipe, whose other end only
 * the parent holds. Credential changes clear the death signal: call it
 * again after each. */
void die_with_parent(int status_fd);

/* Parent: wait until CHILD has executed the command (the close-on-exec
 * STATUS_FD reads end of file) or failed (one byte, or it died). Returns
 * -1 once it has started, else the status to exit with. A handled signal
 * kills the child. */
int await_start(pid_t child, int status_fd);

/* Parent: wait for CHILD to exit and return its status (128+N when killed
 * by signal N); SIGINT, SIGTERM, SIGHUP or SIGQUIT kill it and return
 * 128+N. */
int await_exit(pid_t child);

#endif
