/* whereami: one line, written with a single write(2): the host name, the
 * first line of /etc/marker ("-" when there is none) and the uts and mnt
 * namespace links of this process ("?" where /proc cannot tell). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static void link_of(const char *path, char *buf, size_t size)
{
	ssize_t n = readlink(path, buf, size - 1);

	if (n < 0)
		n = snprintf(buf, size, "?");
	buf[n] = '\0';
}

int main(void)
{
	struct utsname u;
	char marker[128] = "-", uts[64], mnt[64], line[512];
	int fd = open("/etc/marker", O_RDONLY), n;
	ssize_t r;

	uname(&u);
	if (fd >= 0) {
		r = read(fd, marker, sizeof marker - 1);
		marker[r < 0 ? 0 : r] = '\0';
		marker[strcspn(marker, "\n")] = '\0';
	}
	link_of("/proc/self/ns/uts", uts, sizeof uts);
	link_of("/proc/self/ns/mnt", mnt, sizeof mnt);
	n = snprintf(line, sizeof line, "%s %s %s %s\n", u.nodename, marker, uts, mnt);
	return write(1, line, (size_t)n) == n ? 0 : 1;
}
