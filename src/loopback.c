/* loopback.c - bring lo up in a new network namespace */
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"
#include "loopback.h"

/* A new network namespace has lo, down: a service that binds 127.0.0.1
 * would get no error and no client. One ioctl on a socket made in the
 * namespace brings it up; the kernel then gives it 127.0.0.1 and ::1.
 * The flags are read first so that the ones lo has are kept. */
void loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die_errno("cannot bring lo up");
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, "lo", sizeof "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die_errno("cannot bring lo up");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		die_errno("cannot bring lo up");
	close(fd);
}
