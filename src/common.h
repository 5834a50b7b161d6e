/* common.h - errors, options, identity and exec shared by hako-run and hako-enter */
#ifndef HAKO_COMMON_H
#define HAKO_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Exit statuses that are part of the interface. */
#define EXIT_HAKO     125 /* hako itself failed before the command started */
#define EXIT_NOEXEC   126 /* the command exists but cannot be executed */
#define EXIT_NOTFOUND 127 /* the command was not found */

/* Each tool defines its own name; every message starts with it. */
extern const char progname[];

void die(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
void die_errno(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
/* From now on a fatal error also writes one byte to FD, so a waiting
 * parent learns that the command did not start. */
void die_notify(int fd);

/* Who the command runs as, resolved on the host before entering. */
struct ident {
	bool set_uid, set_gid;
	uid_t uid;
	gid_t gid;
};

/* A command line this short has its option tables in struct opts; a
 * longer one gets pages of their own. */
#define OPTS_SHORT 32

/* What both tools take from the command line besides their own options. */
struct opts {
	struct ident id;
	char **env;      /* NAME=VALUE entries, NULL-terminated */
	size_t nenv;
	const char *dir; /* -c, inside the sandbox */
	bool new_session; /* -S */
	int *keep;       /* --keep-fd descriptors */
	size_t nkeep;
	gid_t user_gid;  /* -u's group, for when -g is not given, */
	bool user_has_gid; /* when the user has a passwd entry */
	char *short_env[OPTS_SHORT + 1];
	int short_keep[OPTS_SHORT + 1];
};

/* Shared options, in getopt_long form; each tool appends its own. */
#define COMMON_SHORTOPTS "he:u:g:c:Vk:S"
#define COMMON_LONGOPTS \
	{ "help", no_argument, NULL, 'h' }, \
	{ "env", required_argument, NULL, 'e' }, \
	{ "user", required_argument, NULL, 'u' }, \
	{ "group", required_argument, NULL, 'g' }, \
	{ "chdir", required_argument, NULL, 'c' }, \
	{ "version", no_argument, NULL, 'V' }, \
	{ "keep-fd", required_argument, NULL, 'k' }, \
	{ "new-session", no_argument, NULL, 'S' }

/* S as a decimal number no greater than MAX: digits only, not empty. */
bool parse_decimal(const char *s, unsigned long long max, unsigned long long *out);

void opts_init(struct opts *o, int argc);
bool opts_common(struct opts *o, int c, const char *arg, const char *usage);
void opts_finish(struct opts *o);
void bad_option(int c, int argc, char *const argv[]);

/* Become the command's identity: groups, gid, uid (in that order), in a
 * namespace that maps them (see userns.h for one that does not). */
void become(const struct ident *id, bool in_userns);

/* execve CMD with ENV, searching PATH when CMD has no slash; never returns. */
void exec_command(char *const argv[], char *const env[])
	__attribute__((noreturn));

#endif
