/* forgepid.c - a sandbox command that writes a pid of its choosing to its
 * standard output at once, then waits. When hako-run's pid file is that
 * same stream (-p /dev/stdout), the reader may take this line for the
 * sandbox's pid: "-1" makes a later "kill $pid" signal every process the
 * caller may signal. */
#include <unistd.h>

int main(void)
{
	static const char forged[] = "-1\n";

	if (write(1, forged, sizeof forged - 1) != (ssize_t)(sizeof forged - 1))
		return 1;
	for (;;)
		pause();
}
