/* format.h - a small snprintf for the conversions hako uses */
#ifndef HAKO_FORMAT_H
#define HAKO_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Like snprintf, for %s %c %d %u %lu and %% only: libc's printf brings
 * floating point along and would double the size of a static binary.
 * Always terminates BUF (CAP > 0); returns the length written, which is
 * less than the full length when the text did not fit. */
size_t format(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
size_t vformat(char *buf, size_t cap, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#endif
