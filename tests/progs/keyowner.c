/* keyowner: print the owner of the session keyring ("uid U gid G"), from
 * its description. A raw system call: the sandbox has no libkeyutils. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KEY_SPEC_SESSION_KEYRING -3
#define KEYCTL_DESCRIBE 6

int main(void)
{
	char buf[256], type[64];
	unsigned int uid, gid;
	long n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, KEY_SPEC_SESSION_KEYRING,
			 buf, sizeof buf - 1);

	if (n < 0) {
		printf("describe @s: %s\n", strerror(errno));
		return 1;
	}
	buf[sizeof buf - 1] = '\0';
	/* type;uid;gid;perm;description */
	if (sscanf(buf, "%63[^;];%u;%u;", type, &uid, &gid) != 3) {
		printf("describe @s: %s\n", buf);
		return 1;
	}
	printf("%s uid %u gid %u\n", type, uid, gid);
	return 0;
}
