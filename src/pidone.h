/* pidone.h - hako's minimal init: pid 1 that reaps and passes signals on */
#ifndef HAKO_PIDONE_H
#define HAKO_PIDONE_H

/* Run ARGV with ENV as a child (pid 2) and stay pid 1: reap every child,
 * pass every signal on to the command, and exit with its status (128+N
 * when signal N killed it). Call where the command would be executed,
 * with its identity and hygiene in place. STATUS_FD, the start pipe, is
 * closed once the command has been executed. */
void pidone(char *const argv[], char *const env[], int status_fd)
	__attribute__((noreturn));

#endif
