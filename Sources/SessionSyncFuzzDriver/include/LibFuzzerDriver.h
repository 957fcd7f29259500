#ifndef SESSIONSYNC_LIBFUZZER_DRIVER_H
#define SESSIONSYNC_LIBFUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's own driver (compiler-rt, LLVM 13 and later), linked in by `-sanitize=fuzzer`.
/// Called from our `main` so that the binary can also do other things (write its seed corpus)
/// before handing its arguments to libFuzzer.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
