/* keys: look for the key user:k through the session keyring, the way a
 * command would steal its caller's keys: KEYCTL_SEARCH on @s and then
 * KEYCTL_READ, and request_key(2) (which searches the thread, process and
 * session keyrings). Prints one line for each; exits 0 when neither found
 * the key. Raw system calls: the sandbox has no libkeyutils. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KEY_SPEC_SESSION_KEYRING -3
#define KEYCTL_READ 11
#define KEYCTL_SEARCH 10

static void show(const char *what, long id)
{
	char buf[64];
	long n;

	if (id < 0) {
		printf("%s: %s\n", what, strerror(errno));
		return;
	}
	n = syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof buf - 1);
	if (n < 0) {
		printf("%s: found, read: %s\n", what, strerror(errno));
		return;
	}
	buf[n < (long)sizeof buf ? n : (long)sizeof buf - 1] = '\0';
	printf("%s: found, read: %s\n", what, buf);
}

int main(void)
{
	long a, b;

	a = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING,
		    "user", "k", 0);
	show("search @s", a);
	b = syscall(SYS_request_key, "user", "k", NULL, 0);
	show("request_key", b);
	return a < 0 && b < 0 ? 0 : 1;
}
