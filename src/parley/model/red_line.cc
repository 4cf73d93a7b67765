#include "parley/model/red_line.h"
