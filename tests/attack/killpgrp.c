/* killpgrp: send SIGTERM to the process group we are in, by number:
 * kill(-getpgrp(), SIGTERM). In a pid namespace whose caller's group is
 * invisible getpgrp() is 0, and kill(0) still reaches the caller's
 * group. We ignore SIGTERM ourselves, to outlive the attempt. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	signal(SIGTERM, SIG_IGN);
	kill(-getpgrp(), SIGTERM);
	puts("sent");
	return 0;
}
