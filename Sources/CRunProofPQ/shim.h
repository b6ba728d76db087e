#ifndef CRUNPROOF_PQ_SHIM_H
#define CRUNPROOF_PQ_SHIM_H
#include <libpq-fe.h>
#endif
