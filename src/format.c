/* format.c - a small snprintf for the conversions hako uses */
#include "format.h"

struct out {
	char *buf;
	size_t cap, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len++] = c;
}

static void put_str(struct out *o, const char *s)
{
	while (*s)
		put(o, *s++);
}

static void put_num(struct out *o, unsigned long v, int negative)
{
	char digits[24];
	int n = 0;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (negative)
		put(o, '-');
	while (n > 0)
		put(o, digits[--n]);
}

size_t vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct out o = { buf, cap, 0 };
	const char *s;
	int d;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		switch (*++fmt) {
		case 's':
			s = va_arg(ap, const char *);
			put_str(&o, s ? s : "(null)");
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 'd':
			d = va_arg(ap, int);
			put_num(&o, d < 0 ? 0UL - (unsigned long)d : (unsigned long)d, d < 0);
			break;
		case 'u':
			put_num(&o, va_arg(ap, unsigned int), 0);
			break;
		case 'l':
			if (fmt[1] != 'u') { /* only %lu */
				put(&o, '%');
				put(&o, 'l');
				break;
			}
			fmt++;
			put_num(&o, va_arg(ap, unsigned long), 0);
			break;
		case '%':
			put(&o, '%');
			break;
		default:
			/* not a conversion hako uses: keep the text as it is */
			put(&o, '%');
			if (*fmt)
				put(&o, *fmt);
			else
				fmt--; /* a lone % at the end */
		}
	}
	buf[o.len] = '\0';
	return o.len;
}

size_t format(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = vformat(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}
