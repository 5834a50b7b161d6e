/* sigfd: a daemon that blocks SIGTERM and SIGHUP and reads them from a
 * signalfd (no handler): prints "ready", then "got N" for each; exits 7
 * on SIGTERM, goes on after SIGHUP. */
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <unistd.h>

int main(void)
{
	struct signalfd_siginfo si;
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = signalfd(-1, &set, 0);
	if (fd < 0)
		return 1;
	printf("ready\n");
	fflush(stdout);
	while (read(fd, &si, sizeof si) == (ssize_t)sizeof si) {
		printf("got %u\n", si.ssi_signo);
		fflush(stdout);
		if (si.ssi_signo == SIGTERM)
			return 7;
	}
	return 1;
}
