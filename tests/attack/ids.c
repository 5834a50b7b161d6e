/* ids: who we are: real, effective and saved uid, and whether we hold
 * any effective capability ("caps=none" or "caps=some"), asked of the
 * kernel with capget (a command that hako-enter runs without --fork is
 * not in the sandbox's /proc). */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	uid_t r, e, s;
	const char *caps;

	getresuid(&r, &e, &s);
	if (syscall(SYS_capget, &hdr, data) < 0)
		caps = "unknown";
	else
		caps = data[0].effective | data[1].effective ? "some" : "none";
	printf("uid=%u euid=%u suid=%u caps=%s\n", (unsigned)r, (unsigned)e,
	       (unsigned)s, caps);
	return 0;
}
