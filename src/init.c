/* init.c - what hako-run gives .hako/init, and why it could not run */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"
#include "init.h"

extern char **environ;

/* The caller's own value of one of hako's variables must not reach init:
 * init would take it for hako's. */
static bool hako_var(const char *s)
{
	return strncmp(s, "HAKO_", 5) == 0 &&
	       (strncmp(s + 5, "NETWORK=", 8) == 0 ||
		strncmp(s + 5, "WRITABLE=", 9) == 0 ||
		strncmp(s + 5, "USERNS=", 7) == 0);
}

char **init_environ(struct init_env *e, const char *network, bool writable,
		    const char *userns)
{
	size_t n = 0, i = 0;
	char **envp = e->short_envp;

	while (environ[n])
		n++;
	/* As the option tables (see opts_init()): in place when short.
	 * Never unmapped: the sandbox process execs the command soon. */
	if (n + 4 > INIT_ENV_SHORT) {
		envp = mmap(NULL, (n + 4) * sizeof *envp, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (envp == MAP_FAILED)
			die_errno("cannot allocate the environment of .hako/init");
	}
	for (char **p = environ; *p; p++)
		if (!hako_var(*p))
			envp[i++] = *p;
	snprintf(e->network, sizeof e->network, "HAKO_NETWORK=%s", network);
	snprintf(e->writable, sizeof e->writable, "HAKO_WRITABLE=%c",
	         writable ? '1' : '0');
	snprintf(e->userns, sizeof e->userns, "HAKO_USERNS=%s", userns);
	envp[i++] = e->network;
	envp[i++] = e->writable;
	envp[i++] = e->userns;
	envp[i] = NULL;
	return envp;
}

const char *init_sep(const char *dir)
{
	size_t len = strlen(dir);

	return len > 0 && dir[len - 1] == '/' ? "" : "/";
}

/* The interpreter a #! line names, control characters shown as ^M and
 * the like (a script saved with CRLF line ends names "/bin/sh\r"). */
static void interpreter(const char *line, size_t len, char *out, size_t cap)
{
	size_t i = 2, o = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	for (; i < len && line[i] != ' ' && line[i] != '\t' &&
	       line[i] != '\n' && o + 3 < cap; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c < 0x20 || c == 0x7f) {
			out[o++] = '^';
			out[o++] = (char)(c ^ 0x40);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

void init_exec_failed(const char *target, int err)
{
	const char *sep = init_sep(target);
	char head[256], interp[2 * sizeof head];
	ssize_t len = -1;
	int fd;

	/* Only for the two errors whose cause is inside the file: ENOENT
	 * for a file that is there means its interpreter is missing. */
	if (err == ENOENT || err == ENOEXEC) {
		fd = open(".hako/init", O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd >= 0) {
			len = read(fd, head, sizeof head);
			close(fd);
		}
	}
	errno = err;
	if (len >= 2 && head[0] == '#' && head[1] == '!') {
		interpreter(head, (size_t)len, interp, sizeof interp);
		die_errno("cannot execute %s%s.hako/init: bad interpreter %s",
			  target, sep, interp);
	}
	if (err == ENOEXEC && len >= 0 &&
	    (len < 4 || memcmp(head, "\177ELF", 4) != 0))
		die_errno("cannot execute %s%s.hako/init: neither a #! line "
			  "nor an ELF header", target, sep);
	die_errno("cannot execute %s%s.hako/init", target, sep);
}
