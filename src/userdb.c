/* userdb.c - users and groups from the host's /etc/passwd and /etc/group */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "userdb.h"

/* Read directly and without NSS: the same answer from the static and the
 * dynamic build. Not with fgetpwent/fgetgrent: they bring libc's
 * allocator and line reader, 13 KB that take the static hako-run past
 * 64 KiB. */

#define MAXLINE 4096

struct query {
	const char *name;  /* the entry's first field, or NULL: */
	unsigned int id;   /* its third field */
	unsigned int found[2]; /* third and fourth fields of the match */
};

/* A decimal field that fits in 32 bits, up to the next ':' or the end. */
static bool field_number(const char *s, unsigned int *out)
{
	unsigned long long v = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++)
		if ((v = v * 10 + (unsigned)(*s - '0')) > 0xffffffffULL)
			return false;
	if (*s != ':' && *s != '\0')
		return false;
	*out = (unsigned int)v;
	return true;
}

/* One line, NUL-terminated: name:password:id:id2:... */
static bool match(char *line, struct query *q, bool want_id2)
{
	char *f[4];
	int n = 0;

	f[n++] = line;
	for (char *p = line; *p && n < 4; p++)
		if (*p == ':') {
			*p = '\0';
			f[n++] = p + 1;
		}
	if (n < (want_id2 ? 4 : 3) || !field_number(f[2], &q->found[0]))
		return false;
	if (want_id2 && !field_number(f[3], &q->found[1]))
		return false;
	return q->name ? strcmp(f[0], q->name) == 0 : q->found[0] == q->id;
}

static bool lookup(const char *path, struct query *q, bool want_id2)
{
	char buf[2 * MAXLINE];
	size_t have = 0;
	ssize_t n;
	char *line, *nl;
	bool skipping = false, hit = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	for (;;) {
		n = read(fd, buf + have, sizeof buf - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* the last line may have no newline */
			buf[have] = '\0';
			hit = have > 0 && !skipping && match(buf, q, want_id2);
			break;
		}
		have += (size_t)n;
		buf[have] = '\0';
		for (line = buf; (nl = strchr(line, '\n')); line = nl + 1) {
			*nl = '\0';
			if (!skipping && match(line, q, want_id2)) {
				close(fd);
				return true;
			}
			skipping = false;
		}
		have = (size_t)(buf + have - line);
		memmove(buf, line, have);
		/* A line longer than the buffer is no entry of ours. */
		if (have == sizeof buf - 1) {
			have = 0;
			skipping = true;
		}
	}
	close(fd);
	return hit;
}

bool userdb_user(const char *name, uid_t uid, uid_t *uid_out, gid_t *gid_out)
{
	struct query q = { name, (unsigned int)uid, { 0, 0 } };

	if (!lookup("/etc/passwd", &q, true))
		return false;
	*uid_out = (uid_t)q.found[0];
	*gid_out = (gid_t)q.found[1];
	return true;
}

bool userdb_group(const char *name, gid_t *gid_out)
{
	struct query q = { name, 0, { 0, 0 } };

	if (!lookup("/etc/group", &q, false))
		return false;
	*gid_out = (gid_t)q.found[0];
	return true;
}
