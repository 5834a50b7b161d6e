/* pidone.h - hako's minimal init: pid 1 that reaps and passes signals on */
#ifndef HAKO_PIDONE_H
#define HAKO_PIDONE_H

/* Run ARGV with ENV as a child (pid 2) and stay pid 1: reap every child,
 * pass every signal on to the command, and exit with its status (128+N
 * when signal N killed it). Call where the command would be executed,
 * after exec_prepare() (see exec.h). START_FD, the start pipe, is closed
 * once the command has been executed. */
void pidone(char *const argv[], char *const env[], int start_fd)
	__attribute__((noreturn));

/* While the host's /proc is still in view: its pid counter, for
 * pidone_next_is_2(), or -1. */
int pidone_counter(void);

/* Once nothing but us runs in the sandbox, and while we still hold the
 * capabilities the counter asks for (before the command's identity and
 * namespace): the next process made in the sandbox, the command, is pid 2.
 * Closes COUNTER. */
void pidone_next_is_2(int counter);

#endif
