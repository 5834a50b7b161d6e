/* abort: die of SIGABRT, as a program that finds a broken invariant does. */
#include <stdlib.h>

int main(void)
{
	abort();
}
