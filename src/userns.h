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

/* Whether the user namespace we are in maps ID's uid and gid. PROC is the
 * host's /proc (see userns_proc()). */
bool userns_maps(const struct ident *id, int proc);

/* Take the first uid and gid the user namespace we are in maps (its root
 * when it has one): a new one nested in it needs ours mapped. PROC is the
 * host's /proc. */
void userns_become_mapped(int proc);

/* Enter a nested user namespace that maps ID's uid and gid onto our
 * current ones: a rootless sandbox maps nothing but its root. This makes
 * us dumpable for a moment, so it is only done where nothing in the
 * sandbox can see us (outside its pid namespace, or before anything else
 * runs in it). */
void userns_nest(const struct ident *id, int proc);

/* hako-run: make the command's user namespace, nested in the sandbox's,
 * in a short-lived child, while nothing but us runs in the sandbox, and
 * return a descriptor for it. It maps the ids the sandbox's does (rootless
 * with -u/-g, ID's uid and gid onto the sandbox's root instead): a mount
 * namespace it then owns gets every mount locked (see hako-run.c). */
int userns_prepare(const struct ident *id, bool rootless);

/* Enter the namespace userns_prepare() made, and close its descriptor. */
void userns_join(int ns);

/* The host's /proc, opened while it is in view: its "self" is whoever
 * looks, in whatever pid namespace. */
int userns_proc(void);

/* Why a user namespace could not be made, for the error message. */
const char *userns_hint(int err);

#endif
