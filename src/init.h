/* init.h - what hako-run gives .hako/init, and why it could not run */
#ifndef HAKO_INIT_H
#define HAKO_INIT_H

#include <limits.h>
#include <stdbool.h>

/* Environments this short fit here; a longer one gets pages of its own. */
#define INIT_ENV_SHORT 256

/* Room for init's environment, on the caller's stack. */
struct init_env {
	char network[sizeof "HAKO_NETWORK=" + PATH_MAX];
	char writable[sizeof "HAKO_WRITABLE=0"];
	char userns[sizeof "HAKO_USERNS=rootless"];
	char *short_envp[INIT_ENV_SHORT];
};

/* init's environment: ours, less any HAKO_NETWORK, HAKO_WRITABLE and
 * HAKO_USERNS it has, plus hako's own: NETWORK is "new", "host" or the
 * file given, USERNS "0", "1" or "rootless". */
char **init_environ(struct init_env *e, const char *network, bool writable,
		    const char *userns);

/* What goes between DIR and ".hako/init" in a message: nothing when DIR
 * ends with a slash already. */
const char *init_sep(const char *dir);

/* posix_spawn of .hako/init (in the working directory) failed with ERR:
 * say why, naming a missing #! interpreter or a file that is neither a
 * script nor a binary, and exit 125. TARGET is the sandbox directory. */
void init_exec_failed(const char *target, int err)
	__attribute__((noreturn));

#endif
