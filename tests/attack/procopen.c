/* procopen PATH...: try to open each path read-only (for /proc/PID/exe
 * and /proc/PID/mem the kernel asks whether we may ptrace PID). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int opened = 0;

	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);

		if (fd < 0) {
			printf("%s: %s\n", argv[i], strerror(errno));
		} else {
			printf("%s: opened\n", argv[i]);
			opened = 1;
			close(fd);
		}
	}
	return opened;
}
