/* Start-up shared by the daemons and waqtorctl. */
#ifndef WAQTOR_DAEMON_H
#define WAQTOR_DAEMON_H

#include <stddef.h>

/*
 * Loads the configuration, sets up logging for process (e.g. "api") at
 * WAQTOR_LOG_LEVEL and initialises libsodium. -1 with a reason in err.
 */
int daemon_config(const char *process, char *err, size_t errlen)
    __attribute__((warn_unused_result));

#endif
