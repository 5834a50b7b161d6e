/* sigmess CMD [ARG...]: ignore every signal that can be ignored, block
 * every signal that can be blocked, then execute CMD: both survive exec. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	sigset_t all;

	if (argc < 2) {
		fprintf(stderr, "usage: sigmess CMD [ARG...]\n");
		return 2;
	}
	for (int sig = 1; sig < 32; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_IGN);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	execv(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
