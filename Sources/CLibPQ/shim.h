#ifndef VARDE_CLIBPQ_SHIM_H
#define VARDE_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#include <poll.h>
#endif
