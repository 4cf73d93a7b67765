#include "parley/io/scenario_io.h"
