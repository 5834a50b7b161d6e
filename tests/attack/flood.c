/* flood N SECONDS MARK: leave writers behind on the terminal. Forks N
 * children that ignore SIGHUP and write to descriptor 1 as fast as they
 * can, for at most SECONDS; one whose write fails (the terminal was hung
 * up under it) creates the file MARK. Once each has written 256 KiB
 * (more than the terminals between it and a slow reader hold: they are
 * full), says "started" and exits 3: the command has ended, what it
 * started goes on writing. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	char buf[4096];
	time_t end;
	int n, up[2];

	if (argc != 4)
		return 2;
	n = atoi(argv[1]);
	end = time(NULL) + atoi(argv[2]);
	memset(buf, 'y', sizeof buf);
	signal(SIGHUP, SIG_IGN);
	if (pipe(up) < 0)
		return 2;
	for (int i = 0; i < n; i++) {
		if (fork() != 0)
			continue;
		close(up[0]);
		for (int k = 1; time(NULL) < end; k++) {
			if (write(1, buf, sizeof buf) < 0) {
				close(open(argv[3], O_WRONLY | O_CREAT, 0644));
				break;
			}
			if (k == 64)
				close(up[1]);
		}
		_exit(0);
	}
	close(up[1]);
	/* End of file once every writer has written that much. */
	while (read(up[0], buf, 1) > 0)
		;
	printf("started\n");
	fflush(stdout);
	return 3;
}
