/* pidone.c - hako's minimal init: pid 1 that reaps and passes signals on */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "pidone.h"
#include "spawn.h"
#include "supervise.h"

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

/* Reap every child that has ended; the command's status once it has,
 * else -1. */
static int reap_all(pid_t cmd, int code)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (pid == cmd)
			code = exit_status(status);
	if (pid < 0 && errno != ECHILD && errno != EINTR)
		die_errno("cannot wait for children");
	return code;
}

int pidone_counter(void)
{
	/* Best effort: without it the command is still pid 1's child. */
	return open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
}

void pidone_next_is_2(int counter)
{
	if (counter < 0)
		return;
	/* The kernel hands out the pid after the one written, in the pid
	 * namespace of whoever writes; init and its leftovers have been
	 * reaped, so 2 is free again. */
	if (write(counter, "1", 1) < 0) {
		/* then the command gets the next pid, as it would anyway */
	}
	close(counter);
}

void pidone(char *const argv[], char *const env[], int start_fd)
{
	siginfo_t si;
	pid_t cmd;
	int code = -1;

	/* The kernel drops a signal to pid 1 that has no handler: blocked,
	 * every one waits for us instead. Before the command exists, so
	 * none it is sent is lost. */
	block_signals(catchable_signals());
	/* It returns once the command has been executed (or failed, saying
	 * so on the start pipe, and exited 125, 126 or 127). */
	cmd = spawn_command(argv, env, false, -1);
	close(start_fd);
	/* Nothing of the caller's stays open here: not its terminal, not a
	 * pipe a reader waits on. Errors from now on have nowhere to go. */
	if (syscall(SYS_close_range, 0U, ~0U, 0) < 0)
		for (int fd = 0; fd < 3; fd++)
			close(fd);
	for (;;) {
		take_signal(catchable_signals(), &si, true);
		if (si.si_signo == SIGCHLD) {
			if ((code = reap_all(cmd, code)) >= 0)
				_exit(code);
		} else if (!delivered_by_terminal(cmd, &si)) {
			pass_on(cmd, &si);
		}
	}
}
