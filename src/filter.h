/* filter.h - the seccomp filter that stops terminal injection */
#ifndef HAKO_FILTER_H
#define HAKO_FILTER_H

/* ioctl(TIOCSTI) and ioctl(TIOCLINUX) fail with EPERM from now on, also
 * through the 32-bit entry; nothing else is filtered. Needs no_new_privs. */
void forbid_tty_injection(void);

#endif
