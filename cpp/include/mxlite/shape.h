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

/// Most dimensions an array may have (MXNet's limit; NumPy's is 64).
constexpr size_t kMaxNdim = 32;
/// Element count of a shape about to be allocated, after checking that no
/// extent is negative, that there are at most kMaxNdim of them and that
/// neither the count nor count * itemsize overflows; ValueError naming `op`.
int64_t checked_size(const Shape& s, size_t itemsize, const char* op);
/// More sections than elements give empty pieces (NumPy's array_split); a
/// split into more than max(length, this) pieces is refused instead of
/// building millions of empty arrays.
constexpr int64_t kMaxEmptySections = int64_t(1) << 20;
/// a * b, a + b for sizes and indices computed from user numbers; ValueError
/// naming `op` and `what` on int64 overflow.
int64_t checked_mul(int64_t a, int64_t b, const char* op, const char* what);
int64_t checked_add(int64_t a, int64_t b, const char* op, const char* what);
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
