// Strategies register themselves from their folders; this file keeps the module non-empty.
#include "parley/strategies/strategy.h"
