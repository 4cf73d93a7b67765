#include "parley/model/hyper_rectangle_utility.h"
