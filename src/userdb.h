/* userdb.h - users and groups from the host's /etc/passwd and /etc/group */
#ifndef HAKO_USERDB_H
#define HAKO_USERDB_H

#include <stdbool.h>
#include <sys/types.h>

/* The passwd entry named NAME, or (NAME NULL) the first with uid UID:
 * its uid and primary gid. False when there is none. */
bool userdb_user(const char *name, uid_t uid, uid_t *uid_out, gid_t *gid_out);

/* The gid of the group named NAME. False when there is none. */
bool userdb_group(const char *name, gid_t *gid_out);

#endif
