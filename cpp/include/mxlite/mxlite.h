// mxlite: everything an embedding program needs, in one include.
//
//   #include <mxlite/mxlite.h>
//   using namespace mxlite;
//   NDArray x = np::arange(0, 4);
//   x.attach_grad();
//   NDArray y;
//   { autograd::Record rec; y = np::sum(x * x); }
//   y.backward();
#pragma once

#include "mxlite/autograd.h"
#include "mxlite/base.h"
#include "mxlite/cached_graph.h"
#include "mxlite/context.h"
#include "mxlite/dtype.h"
#include "mxlite/io.h"
#include "mxlite/linalg_ops.h"
#include "mxlite/ndarray.h"
#include "mxlite/op.h"
#include "mxlite/ops.h"
#include "mxlite/shape.h"
#include "mxlite/storage.h"
#include "mxlite/threadpool.h"

#define MXLITE_VERSION_MAJOR 0
#define MXLITE_VERSION_MINOR 1
#define MXLITE_VERSION_PATCH 0
