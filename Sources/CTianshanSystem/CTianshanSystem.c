// The module is its header (CTianshanSystem.h); SwiftPM wants one source file per C target.
#include "CTianshanSystem.h"
