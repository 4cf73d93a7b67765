#include "parley/session/session.h"
