/* supervise.h - the waiting parent: start report, signals, exit status */
#ifndef HAKO_SUPERVISE_H
#define HAKO_SUPERVISE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Parent: wait until CHILD has executed the command (the close-on-exec
 * start pipe, START_FD, reads end of file) or failed (one byte, or it
 * died). Returns -1 once it has started, else the status to exit with.
 * SIGINT, SIGTERM, SIGHUP or SIGQUIT kill the child (status 128+N); other
 * signals stay pending. */
int await_start(pid_t child, int start_fd);

/* Every signal that can be caught, as a kernel signal set (bit N-1 for
 * signal N); block_signals() adds SET to the blocked ones, whatever libc
 * keeps for itself. */
uint64_t catchable_signals(void);
void block_signals(uint64_t set);

/* Every waiting parent keeps the signals it handles blocked and takes
 * them with take_signal(): one of the pending signals in SET into SI, and
 * its number; when none is pending, wait for one if WAIT, else return 0.
 * A parent that waits on descriptors too polls pending_fd(SET) with them,
 * which is readable while one of SET is pending (a signalfd, only ever
 * polled). */
int take_signal(uint64_t set, siginfo_t *si, bool wait);
int pending_fd(uint64_t set);

/* Whether the terminal sent SI to the process group that TO shares with
 * us, so that TO has had it already. */
bool delivered_by_terminal(pid_t to, const siginfo_t *si);

/* Send TO the signal in SI (with its value, when it was queued). */
void pass_on(pid_t to, const siginfo_t *si);

/* hako-run and hako-enter --fork: block every signal that can be caught
 * (also those libc keeps for itself) and undo an inherited SIGCHLD
 * SIG_IGN, before the child exists, so that one that exits at once, or a
 * signal that comes before we wait, is still seen. */
void supervise_block_all(void);

/* hako-run: supervise CHILD, the sandbox's pid 1, until it exits, and
 * return the status to exit with. START_FD is the start pipe while the
 * command may not have started yet (see await_start()), else -1. Once it
 * runs, signals are passed on to pid 1 (INIT: pid 1 is -I's init, which
 * takes them all): SIGINT, SIGTERM, SIGHUP and SIGQUIT only when pid 1
 * takes them, else it is killed and the status is 128+N; SIGTSTP, SIGTTIN
 * and SIGTTOU stop pid 1, then us; SIGCONT continues pid 1. */
int supervise(pid_t child, int start_fd, bool init);

/* What a shell reports for a child's wait STATUS: its exit status, or
 * 128+N when signal N killed it. */
int exit_status(int status);

/* Wait for CHILD (waitpid OPTIONS, EINTR retried): -1 when WNOHANG found
 * it still running, else exit_status(). */
int reap(pid_t child, int options);

#endif
