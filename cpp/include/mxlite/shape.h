// mxlite: shapes (a small inline vector of extents) and broadcasting rules.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <vector>

#include "mxlite/base.h"
#include "mxlite/small_vector.h"

namespace mxlite {

/// Up to six extents stay inline: nearly every real shape fits.
using Dims = SmallVector<int64_t, 6>;

/// Extents of an array, outermost first.
using Shape = Dims;
/// A list of axes (already normalised to be non-negative where stated).
using Axes = Dims;

int64_t shape_size(const Shape& s);
/// Row-major element strides of a contiguous array of this shape.
Dims contiguous_strides(const Shape& s);
/// "(2, 3)" - the NumPy spelling, used in every error message.
std::string shape_str(const Shape& s);
std::ostream& operator<<(std::ostream& os, const Shape& s);

/// NumPy broadcasting of two shapes; throws Error(op, ...) naming both.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);
/// Maps a possibly negative axis into [0, ndim); throws Error(op) if out of range.
int64_t normalize_axis(int64_t axis, size_t ndim, const char* op);
/// Normalises a list of axes, rejecting out-of-range and repeated ones.
Axes normalize_axes(const Axes& axes, size_t ndim, const char* op);

}  // namespace mxlite
