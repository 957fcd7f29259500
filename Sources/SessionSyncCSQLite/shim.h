#ifndef SESSIONSYNC_CSQLITE_SHIM_H
#define SESSIONSYNC_CSQLITE_SHIM_H

#include <sqlite3.h>

/* SQLITE_TRANSIENT is a casted macro that Swift cannot import; binding with it makes SQLite
   copy the bytes before the call returns, so Swift's temporary buffers may go away. */
static inline sqlite3_destructor_type sessionsync_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

/* sqlite3_config is variadic, which Swift cannot call. Turning memory statistics off spares
   every allocation SQLite makes a global mutex; nothing here reads those statistics. Only
   effective before SQLite initialises (before the first connection opens). */
static inline int sessionsync_sqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
