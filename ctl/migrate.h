/*
 * Schema migrations: files NNN_name.sql in a directory, applied in order,
 * each in its own transaction and recorded in schema_migrations. A session
 * advisory lock serialises concurrent runs, so two `waqtorctl migrate` at
 * once apply each file exactly once.
 */
#ifndef WAQTOR_MIGRATE_H
#define WAQTOR_MIGRATE_H

#include "db.h"

/*
 * Applies the pending migrations of dir. Sets *applied to how many ran.
 * -1 (logged, with the failing file named) when one fails: that file's
 * transaction is rolled back and later files are not tried.
 */
int migrate_run(struct db *db, const char *dir, int *applied)
    __attribute__((warn_unused_result));

#endif
