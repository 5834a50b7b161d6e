/* fds FD...: what each descriptor is, as the command sees it.
 * "FD: closed" when fstat says EBADF, "FD: directory", or for a regular
 * file "FD: file: CONTENT" (its first line). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	for (int i = 1; i < argc; i++) {
		int fd = atoi(argv[i]);
		struct stat st;
		char buf[256];
		ssize_t n;

		if (fstat(fd, &st) < 0) {
			printf("%d: %s\n", fd, errno == EBADF ? "closed" : strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			printf("%d: directory\n", fd);
		} else if (S_ISREG(st.st_mode)) {
			n = pread(fd, buf, sizeof buf - 1, 0);
			buf[n < 0 ? 0 : n] = '\0';
			buf[strcspn(buf, "\n")] = '\0';
			printf("%d: file: %s\n", fd, buf);
		} else {
			printf("%d: other\n", fd);
		}
	}
	return 0;
}
