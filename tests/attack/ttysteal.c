/* ttysteal PIDFILE VERDICT [proc]: a process of the sandbox takes
 * descriptor 0 of the process whose pid PIDFILE holds (with pidfd_getfd,
 * or with "proc" by opening /proc/PID/fd/0), says so by creating
 * /tmp/grabbed, then keeps reading it after that process has gone, as a
 * fake prompt would, and writes to VERDICT the first line it got:
 * "stolen: LINE", or "nothing: WHY". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

static void verdict(const char *path, const char *what, const char *detail)
{
	FILE *f = fopen(path, "w");

	if (!f)
		exit(2);
	fprintf(f, "%s: %s\n", what, detail);
	fclose(f);
	exit(0);
}

int main(int argc, char *argv[])
{
	const struct timespec tick = { 0, 20000000 };
	char line[256], path[64];
	size_t len = 0;
	ssize_t n = 0;
	FILE *f;
	int pid = 0, pidfd, fd;

	if (argc < 3)
		return 2;
	alarm(30); /* never outlive a test that went wrong */
	for (int i = 0; i < 1000 && pid <= 0; i++) {
		f = fopen(argv[1], "r");
		if (!f || fscanf(f, "%d", &pid) != 1)
			nanosleep(&tick, NULL);
		if (f)
			fclose(f);
	}
	if (argc > 3 && strcmp(argv[3], "proc") == 0) {
		snprintf(path, sizeof path, "/proc/%d/fd/0", pid);
		fd = open(path, O_RDWR);
	} else {
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		fd = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, 0, 0);
	}
	if (fd < 0)
		verdict(argv[2], "nothing", strerror(errno));
	close(open("/tmp/grabbed", O_WRONLY | O_CREAT, 0644));
	while (len < sizeof line - 1 && (n = read(fd, line + len, 1)) == 1 &&
	       line[len] != '\n')
		len++;
	if (len == 0)
		verdict(argv[2], "nothing", n == 0 ? "end of file" : strerror(errno));
	line[len] = '\0';
	verdict(argv[2], "stolen", line);
}
