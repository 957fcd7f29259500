// SwiftPM builds a C target only from at least one source file; the declaration is all we need.
#include "LibFuzzerDriver.h"
