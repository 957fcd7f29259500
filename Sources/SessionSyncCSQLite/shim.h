#ifndef SESSIONSYNC_CSQLITE_SHIM_H
#define SESSIONSYNC_CSQLITE_SHIM_H

#include <sqlite3.h>

/* SQLITE_TRANSIENT is a casted macro that Swift cannot import; binding with it makes SQLite
   copy the bytes before the call returns, so Swift's temporary buffers may go away. */
static inline sqlite3_destructor_type sessionsync_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

#endif
