/* hygiene.h - what the command must not inherit from its caller */
#ifndef HAKO_HYGIENE_H
#define HAKO_HYGIENE_H

#include <stdbool.h>
#include <stddef.h>

/* Close every descriptor from 3 up except the KEEP ones, whose
 * close-on-exec flag is cleared so that they do reach the command, and
 * OWN (-1 for none), one of hako's own that stays close-on-exec. */
void close_inherited(const int *keep, size_t nkeep, int own);

/* An empty signal mask. */
void unblock_signals(void);

/* Default dispositions for every signal. */
void default_signals(void);

/* A new session when standard input is not a terminal, or always when
 * FORCE (-S), so nothing inside can signal the caller's process group. On
 * a terminal the caller's session keeps job control. */
void leave_caller_session(bool force);

/* A fresh, empty session keyring. */
void new_session_keyring(void);

/* No setuid bit or file capability can raise privileges after exec. */
void no_new_privs(void);

#endif
