/* userns.h - user namespaces: the id maps of a rootless or -U sandbox */
#ifndef HAKO_USERNS_H
#define HAKO_USERNS_H

#include <stdbool.h>
#include <sys/types.h>

#include "common.h"

/* Host ids the sandbox's 0..USERNS_RANGE-1 map to when root asks for -U. */
#define USERNS_BASE  1879048192UL /* 0x70000000 */
#define USERNS_RANGE 65536UL

/* Supervisor: map the new user namespace of CHILD. Rootless, the only id
 * the kernel lets us map is our own, onto the sandbox's root; root maps
 * USERNS_RANGE ids from BASE. Returns -1 with errno set on failure. */
int userns_write_maps(pid_t child, bool rootless, unsigned long base);

/* Sandbox: become the namespace's root (uid and gid 0 as it sees them). */
void userns_become_root(bool rootless);

/* Enter a nested user namespace that maps ID's uid and gid onto our
 * current ones (a rootless sandbox maps nothing but its root). PROC is our
 * /proc/PID directory. */
void userns_nest(const struct ident *id, int proc);

/* The host's /proc, for userns_nest(), opened while it is in view. */
int userns_proc(void);

/* Why a user namespace could not be made, for the error message. */
const char *userns_hint(int err);

#endif
