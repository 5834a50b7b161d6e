/* loopback.h - bring lo up in a new network namespace */
#ifndef HAKO_LOOPBACK_H
#define HAKO_LOOPBACK_H

/* Set IFF_UP on lo in the network namespace we are in. */
void loopback_up(void);

#endif
