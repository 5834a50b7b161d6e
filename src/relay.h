/* relay.h - hako-enter --fork on a terminal: a pseudo-terminal of its own */
#ifndef HAKO_RELAY_H
#define HAKO_RELAY_H

/* When any of descriptors 0, 1 and 2 is a terminal: the master side of a
 * new pseudo-terminal, close-on-exec, opened on the host (the sandbox
 * needs no /dev/pts of its own). Otherwise -1. */
int relay_open(void);

/* In the child: put the pseudo-terminal's SLAVE in place of each of
 * descriptors 0, 1 and 2 that is a terminal, start a session and make
 * SLAVE its controlling terminal. */
void relay_take(int slave);

/* Start ARGV with ENV on the pseudo-terminal whose master is MASTER (after
 * supervise_block_all()), relay between it and the caller's terminal, and
 * return the command's exit status once it has ended. */
int relay_run(int master, char *const argv[], char *const env[]);

#endif
