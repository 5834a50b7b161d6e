/* forward.h - hako-enter --fork's waiting parent: every signal passed on */
#ifndef HAKO_FORWARD_H
#define HAKO_FORWARD_H

#include <signal.h>
#include <sys/types.h>

/* Stop ourselves with SIGNO (SIGTSTP, SIGTTIN or SIGTTOU, blocked), as
 * the kernel would stop a job; returns once we are continued, or at once
 * when the kernel discards the stop. */
void forward_stop_self(int signo);

/* Stop CHILD and then ourselves with SIGNO (SIGTSTP, SIGTTIN or SIGTTOU),
 * as the kernel would stop the caller's job; once we are continued (or
 * when the kernel discards the stop), continue CHILD. */
void forward_stop(pid_t child, int signo);

/* Signal SI came to us: pass it on to CHILD, or for SIGCHLD see whether
 * it has ended. Returns -1 while it runs, else the status to exit with
 * (128+N when killed by signal N). SIGTSTP, SIGTTIN and SIGTTOU are left
 * to the caller (see forward_stop()). */
int forward_signal(pid_t child, const siginfo_t *si);

/* Wait for CHILD (every signal blocked by supervise_block_all()), passing
 * on every signal, and return its status. */
int forward_wait(pid_t child);

#endif
