// mxlite: the typed functional API over the op registry - what embedding
// programs, the Python bindings and gradient definitions all call.
#pragma once

#include <array>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mxlite/op.h"

namespace mxlite {
namespace np {

// ---- creation --------------------------------------------------------------
NDArray zeros(const Shape& shape, DType dtype = DType::Float32);
NDArray ones(const Shape& shape, DType dtype = DType::Float32);
NDArray full(const Shape& shape, double value, DType dtype = DType::Float32);
NDArray zeros_like(const NDArray& a);
NDArray ones_like(const NDArray& a);
NDArray arange(double start, double stop, double step = 1.0, DType dtype = DType::Float32);
/// A 0-d array holding `value`.
NDArray scalar(double value, DType dtype = DType::Float32);
/// An array to be overwritten; mxlite fills it with zeros (deterministic).
NDArray empty(const Shape& shape, DType dtype = DType::Float32);
/// `num` evenly spaced values from start to stop (included when `endpoint`).
NDArray linspace(double start, double stop, int64_t num, bool endpoint = true, DType dtype = DType::Float32);
/// A rows x cols matrix with ones on diagonal k (cols < 0: square).
NDArray eye(int64_t rows, int64_t cols = -1, int64_t k = 0, DType dtype = DType::Float32);

// ---- casting and copies ----------------------------------------------------
NDArray astype(const NDArray& a, DType dtype);
/// A new array with the same values (recorded: gradient passes through);
/// with `out` defined, the values go into out (same shape and dtype, see
/// invoke1), which is how functions without a kernel of their own take out=.
NDArray copy(const NDArray& a, const NDArray& out = NDArray());
/// A copy of `a` on context `ctx` (MXNet's copyto(ctx) / as_in_context; recorded).
NDArray copy_to(const NDArray& a, Context ctx);

// ---- plain unary ops: one declaration per row of mxlite/unary_ops.inc -------
// NDArray exp(const NDArray& a, const NDArray& out = NDArray()), ...: the
// row's dtype policy (float32 for integer input to float-valued math, ...),
// then the op; with `out` defined the result is written into it (invoke1).
#define MXLITE_UNARY(name, F, policy, saves, doc) NDArray name(const NDArray& a, const NDArray& out = NDArray());
#include "mxlite/unary_ops.inc"
#undef MXLITE_UNARY

// ---- plain binary ops: three declarations per row of mxlite/binary_ops.inc --
// NDArray add(a, b, out), add(a, s, out), add(s, a, out), ...: operands
// broadcast (NumPy rules) and promote by the row's dtype policy; a C++ double
// beside an array takes the array's dtype (MXNet's rule,
// mxlite::scalar_operand_dtype: a bool array computes in float32, int64 for
// the integer-only ops; comparisons with a fractional or out-of-range scalar
// compare in float64). divide is true division (float32 for integers);
// comparisons and logical ops give bool arrays; with `out` defined the result
// is written into it (invoke1).
#define MXLITE_BINARY(name, F, policy, saves, scalar, doc)                          \
  NDArray name(const NDArray& a, const NDArray& b, const NDArray& out = NDArray()); \
  NDArray name(const NDArray& a, double s, const NDArray& out = NDArray());         \
  NDArray name(double s, const NDArray& a, const NDArray& out = NDArray());
#include "mxlite/binary_ops.inc"
#undef MXLITE_BINARY

// ---- other elementwise ops -------------------------------------------------
/// x where cond is non-zero, else y; all three broadcast. The gradient goes to
/// the chosen branch, none to cond.
NDArray where(const NDArray& cond, const NDArray& x, const NDArray& y);
/// Limits values to [a_min, a_max] (+-infinity: no bound). Gradient passes
/// where a_min <= a <= a_max.
NDArray clip(const NDArray& a, double a_min, double a_max, const NDArray& out = NDArray());

// ---- reductions ------------------------------------------------------------
// Axes are checked against the input (negative ones count from the end); a
// 0-d input takes axis 0 or -1, as NumPy and MXNet do, reducing nothing.

/// NumPy's further arguments of sum, prod, mean (dtype) and max, min (initial).
struct ReduceOptions {
  /// The result dtype. The elements are cast to it before they are
  /// accumulated, as in NumPy: sum(uint8 data, Int32) counts past 255, and an
  /// integral mean truncates the mean of the integral values.
  std::optional<DType> dtype;
  /// A value that joins the reduction, also an empty one (NumPy's initial=),
  /// converted to the result dtype first (see initial_value).
  std::optional<double> initial;
};
/// `v` as an initial value of a reduction with result dtype `dtype`, as NumPy
/// converts it: bool(v), truncated toward zero for integral dtypes (NaN:
/// ValueError; infinite or out of the dtype's range: OverflowError). Integral
/// initial values beyond 2^53 are rounded (they travel as double).
double initial_value(const char* name, double v, DType dtype);
/// sum (bool sums to int64, other dtypes keep theirs, as in MXNet), prod,
/// mean (float32 for integral inputs unless options.dtype), and max/min
/// (options.initial only; without one an empty reduction raises) over
/// `axes` (all when null).
NDArray sum(const NDArray& a, const Axes* axes, bool keepdims, const ReduceOptions& options);
NDArray prod(const NDArray& a, const Axes* axes, bool keepdims, const ReduceOptions& options);
NDArray mean(const NDArray& a, const Axes* axes, bool keepdims, const ReduceOptions& options);
NDArray max(const NDArray& a, const Axes* axes, bool keepdims, const ReduceOptions& options);
NDArray min(const NDArray& a, const Axes* axes, bool keepdims, const ReduceOptions& options);
/// Sum over every element (a 0-d result unless keepdims).
NDArray sum(const NDArray& a, bool keepdims = false);
/// Sum over the given axes (negative axes count from the end).
NDArray sum(const NDArray& a, const Axes& axes, bool keepdims = false);
NDArray mean(const NDArray& a, bool keepdims = false);
NDArray mean(const NDArray& a, const Axes& axes, bool keepdims = false);
/// The 2-norm of all elements (Frobenius for matrices).
NDArray norm(const NDArray& a, bool keepdims = false);
NDArray norm(const NDArray& a, const Axes& axes, bool keepdims = false);
/// Sums `a` down to `shape`, undoing a broadcast (the gradient of broadcast_to).
NDArray sum_to(const NDArray& a, const Shape& shape);
// The forms without axes reduce every axis. Result dtypes follow MXNet:
// prod keeps the dtype (bool -> int64); max/min keep it and refuse an empty
// reduction; all/any give bool; argmax/argmin give int64 positions (the first
// of ties / of NaNs), over the flattened array when no axis is given.
NDArray prod(const NDArray& a, bool keepdims = false);
NDArray prod(const NDArray& a, const Axes& axes, bool keepdims = false);
NDArray max(const NDArray& a, bool keepdims = false);
NDArray max(const NDArray& a, const Axes& axes, bool keepdims = false);
NDArray min(const NDArray& a, bool keepdims = false);
NDArray min(const NDArray& a, const Axes& axes, bool keepdims = false);
NDArray all(const NDArray& a, bool keepdims = false);
NDArray all(const NDArray& a, const Axes& axes, bool keepdims = false);
NDArray any(const NDArray& a, bool keepdims = false);
NDArray any(const NDArray& a, const Axes& axes, bool keepdims = false);
NDArray argmax(const NDArray& a, bool keepdims = false);
NDArray argmax(const NDArray& a, int64_t axis, bool keepdims = false);
NDArray argmin(const NDArray& a, bool keepdims = false);
NDArray argmin(const NDArray& a, int64_t axis, bool keepdims = false);
/// Inclusive cumulative sum of the flattened array / along `axis` (bool -> int64).
NDArray cumsum(const NDArray& a);
NDArray cumsum(const NDArray& a, int64_t axis);
/// cumsum along `*axis` (the flattened array when null), accumulating in
/// `dtype` when given (the elements are cast first).
NDArray cumsum(const NDArray& a, const int64_t* axis, const std::optional<DType>& dtype);
/// Variance and standard deviation, dividing by n - ddof (float32 for
/// integral inputs; computed in `dtype` when given, which must be floating).
/// std's gradient is 0 where the deviation is 0.
NDArray var(const NDArray& a, const Axes* axes, double ddof, bool keepdims, const std::optional<DType>& dtype);
NDArray std(const NDArray& a, const Axes* axes, double ddof, bool keepdims, const std::optional<DType>& dtype);
NDArray var(const NDArray& a, double ddof = 0, bool keepdims = false);
NDArray var(const NDArray& a, const Axes& axes, double ddof = 0, bool keepdims = false);
NDArray std(const NDArray& a, double ddof = 0, bool keepdims = false);
NDArray std(const NDArray& a, const Axes& axes, double ddof = 0, bool keepdims = false);
/// The order of a norm as NumPy's linalg.norm takes it: None, a number
/// (inf allowed), 'fro' or 'nuc'.
struct NormOrd {
  enum Kind { Default, Number, Fro, Nuc } kind = Default;
  double p = 2;
};
/// sum(|x|^ord)^(1/ord) over the axes (ord inf/-inf: max/min |x|; 0: count of non-zeros).
NDArray vector_norm(const NDArray& a, double ord, bool keepdims = false);
NDArray vector_norm(const NDArray& a, double ord, const Axes& axes, bool keepdims = false);
/// Matrix norm over (row_axis, col_axis): default/'fro', 1, -1, inf, -inf,
/// and from the singular values 2 (largest), -2 (smallest), 'nuc' (sum), whose
/// gradients are first-order only (a second derivative raises Error); those
/// three need LAPACK (Error naming "norm" in builds without it).
NDArray matrix_norm(const NDArray& a, const NormOrd& ord, int64_t row_axis, int64_t col_axis, bool keepdims = false);
/// NumPy's linalg.norm: vector norm for one axis (or a 1-D input), matrix
/// norm for two axes (or a 2-D input with an order), the 2-norm of the
/// flattened array for axes == nullptr and the default order.
NDArray linalg_norm(const NDArray& a, const NormOrd& ord, const Axes* axes, bool keepdims = false);
/// Thin SVD (LAPACK's gesdd; Error in builds without LAPACK) of each matrix over the last two
/// axes of a floating (..., m, n) array: a = u @ diag(s) @ vt with u (..., m, k),
/// s (..., k) descending, vt (..., k, n), k = min(m, n). Not differentiable.
struct SvdResult {
  NDArray u, s, vt;
};
SvdResult svd(const NDArray& a);
/// Per matrix over the last two axes of a floating (..., m, n) array: the
/// largest (ord 2), smallest (ord -2) singular value or their sum ('nuc');
/// result shape (...).
NDArray singular_value_norm(const NDArray& a, const NormOrd& ord);

// ---- shape -----------------------------------------------------------------
/// A view with another shape; one extent may be -1.
NDArray reshape(const NDArray& a, const Shape& shape);
NDArray broadcast_to(const NDArray& a, const Shape& shape);
/// Permutes axes; an empty list reverses them (NumPy's transpose()).
NDArray transpose(const NDArray& a, const Axes& axes = {});
NDArray expand_dims(const NDArray& a, int64_t axis);
/// Inserts size-1 axes at the given positions of the result (NumPy 1.18+).
NDArray expand_dims(const NDArray& a, const Axes& axes);
/// Removes every size-1 axis (a view).
NDArray squeeze(const NDArray& a);
/// Removes the given axes, each of which must have size 1 (a view).
NDArray squeeze(const NDArray& a, const Axes& axes);
/// The 1-D view of all elements.
NDArray ravel(const NDArray& a);
NDArray swapaxes(const NDArray& a, int64_t axis1, int64_t axis2);
/// Moves axes `source` to positions `destination`; the others keep their order.
NDArray moveaxis(const NDArray& a, const Axes& source, const Axes& destination);
/// Joins arrays along an existing axis; other extents must match. Mixed
/// dtypes are promoted (NumPy's rule).
NDArray concatenate(const std::vector<NDArray>& arrays, int64_t axis = 0);
/// Joins arrays of one shape along a new axis.
NDArray stack(const std::vector<NDArray>& arrays, int64_t axis = 0);
/// Splits along `axis` at the given indices (NumPy split with a list: piece k
/// is a[i_k:i_k+1] with Python slice bounds, so indices past the end or out of
/// order give empty or overlapping pieces). Pieces are views when the axes
/// before `axis` all have extent 1, else copies.
std::vector<NDArray> split(const NDArray& a, const std::vector<int64_t>& indices, int64_t axis = 0);
/// Splits into `sections` equal pieces; Error when the axis does not divide evenly.
std::vector<NDArray> split(const NDArray& a, int64_t sections, int64_t axis = 0);
/// Elements [begin, end) along one axis (Python slice bounds: negatives count
/// from the end, out-of-range bounds are clipped).
NDArray slice_axis(const NDArray& a, int64_t axis, int64_t begin, int64_t end);
/// Repeats the whole array `reps` times per axis (NumPy tile).
NDArray tile(const NDArray& a, const Shape& reps);
/// Repeats each element `repeats` times, of the flattened array ...
NDArray repeat(const NDArray& a, int64_t repeats);
/// ... or along one axis.
NDArray repeat(const NDArray& a, int64_t repeats, int64_t axis);
/// Reverses the order of elements along every axis / the given axes.
NDArray flip(const NDArray& a);
NDArray flip(const NDArray& a, const Axes& axes);
/// Rolls elements of the flattened array by `shift` ...
NDArray roll(const NDArray& a, int64_t shift);
/// ... or by shifts[i] along axes[i] (either list may have one entry, used for
/// every entry of the other; shifts for a repeated axis add up).
NDArray roll(const NDArray& a, const Dims& shifts, const Axes& axes);
/// Pads with `value`: widths[i] = (before, after) for axis i.
NDArray pad(const NDArray& a, const std::vector<std::pair<int64_t, int64_t>>& widths, double value = 0.0);
/// NumPy's other pad modes: edge (repeat the edge), reflect (mirror without
/// the edge), symmetric (mirror with it), wrap (periodic), maximum, minimum
/// and mean (each lane's statistic). Differentiable.
enum class PadMode { Edge, Reflect, Symmetric, Wrap, Maximum, Minimum, Mean };
NDArray pad(const NDArray& a, const std::vector<std::pair<int64_t, int64_t>>& widths, PadMode mode);
/// The shape MXNet's legacy reshape makes of `spec` with its special codes
/// (0 copy, -1 infer, -2 copy the rest, -3 merge two, -4 split one in two);
/// `reverse` matches the codes from the right.
Shape legacy_reshape_shape(const Shape& input, const Shape& spec, bool reverse = false);
/// The shape npx.reshape makes of `spec`: extents (each standing for one input
/// axis), -1 infer, -2 copy one axis, -3 drop an axis of extent 1, -4 copy the
/// rest, -5 merge two axes, -6 split one into the next two entries (one may be
/// -1); `reverse` matches from the right.
Shape npx_reshape_shape(const Shape& input, const Shape& spec, bool reverse = false);

// ---- indexing --------------------------------------------------------------
/// One item of a basic index: an integer, a slice (unset bounds are
/// `kNone`), a new axis (None) or an ellipsis, as in NumPy's a[...].
struct IndexItem {
  static constexpr int64_t kNone = INT64_MIN;
  enum Kind { Int, Slice, NewAxis, Ellipsis, Array } kind = Int;
  int64_t index = 0;
  int64_t start = kNone, stop = kNone, step = kNone;

  static IndexItem integer(int64_t i) {
    IndexItem it;
    it.index = i;
    return it;
  }
  static IndexItem slice(int64_t start = kNone, int64_t stop = kNone, int64_t step = kNone) {
    IndexItem it;
    it.kind = Slice;
    it.start = start;
    it.stop = stop;
    it.step = step;
    return it;
  }
  static IndexItem new_axis() { return of_kind(NewAxis); }
  static IndexItem ellipsis() { return of_kind(Ellipsis); }
  /// An integer (any integral dtype) or boolean-mask index array.
  static IndexItem indices(NDArray arr) {
    IndexItem it = of_kind(Array);
    it.array = std::move(arr);
    return it;
  }
  static IndexItem of_kind(Kind k) {
    IndexItem it;
    it.kind = k;
    return it;
  }

  NDArray array;  // the index array of an Array item
};
/// NumPy basic indexing (integers, slices with steps, None, ...). The result
/// is a view when the selection is contiguous in memory, otherwise a copy;
/// either way it is recorded for autograd.
NDArray basic_index(const NDArray& a, const std::vector<IndexItem>& items);
/// a[items] = value, in place (value broadcasts; its dtype is cast to a's).
/// Not recordable: inside autograd.record() it raises if a or value is part
/// of a graph, as MXNet does.
void index_assign(const NDArray& a, const std::vector<IndexItem>& items, const NDArray& value);
/// a[i] along axis 0 (negative i counts from the end).
NDArray index(const NDArray& a, int64_t i);
/// NumPy indexing with any kind of item: basic items as basic_index; with
/// integer arrays or boolean masks (advanced indexing) a new array, the
/// advanced dimensions placed as NumPy places them. Differentiable: the
/// gradient scatter-adds into a's shape (repeated indices accumulate).
NDArray getitem(const NDArray& a, const std::vector<IndexItem>& items);

/// How take/pick treat indices outside [0, n): raise an IndexError (negative
/// indices count from the end, as in NumPy), clip into range, or wrap around.
enum class TakeMode { Raise, Clip, Wrap };
/// Elements of `a` at `indices` along `axis` (NumPy take); the result has
/// shape a.shape[:axis] + indices.shape + a.shape[axis+1:]. Float indices
/// are truncated (MXNet accepts them). Gradient: scatter_add.
NDArray take(const NDArray& a, const NDArray& indices, int64_t axis, TakeMode mode = TakeMode::Raise);
/// take over the flattened array (NumPy's axis=None).
NDArray take(const NDArray& a, const NDArray& indices, TakeMode mode = TakeMode::Raise);
/// zeros(shape) with `values` added at `indices` (int64, in range) along
/// `axis`: the adjoint of take. Repeated indices accumulate. Gradient: take.
NDArray scatter_add(const NDArray& values, const NDArray& indices, int64_t axis, const Shape& shape);
/// MXNet gather_nd: indices (m, y...) pick data[indices[0][y], ..., indices[m-1][y]]
/// (negative entries count from the end); the result has shape y... +
/// data.shape[m:]. Gradient: repeated picks accumulate.
NDArray gather_nd(const NDArray& data, const NDArray& indices);
/// MXNet scatter_nd: zeros of `shape` with data (y... + shape[m:]) written at
/// the places gather_nd would read. Of repeated places the last write wins.
NDArray scatter_nd(const NDArray& data, const NDArray& indices, const Shape& shape);
/// NumPy take_along_axis: `indices` (int64, in range) has a's shape except
/// along `axis`. Differentiable in `a`.
NDArray take_along_axis(const NDArray& a, const NDArray& indices, int64_t axis);
/// MXNet pick: one element per lane along `axis`; `index` has data's shape
/// without that axis (or with extent 1 there). Clip or Wrap only.
NDArray pick(const NDArray& data, const NDArray& index, int64_t axis = -1, bool keepdims = false,
             TakeMode mode = TakeMode::Clip);
/// indices.shape + (depth,) with on_value where the index matches, else
/// off_value; out-of-range indices give an all-off row. Not differentiable.
NDArray one_hot(const NDArray& indices, int64_t depth, double on_value = 1.0, double off_value = 0.0,
                DType dtype = DType::Float32);
/// Stable sort along `axis` (NaN sorts as the largest value). Differentiable:
/// the gradient scatters back through the sorting permutation.
NDArray sort(const NDArray& a, int64_t axis = -1, bool ascending = true);
/// Indices (int64) that stably sort `a` along `axis`; ties keep index order.
NDArray argsort(const NDArray& a, int64_t axis = -1, bool ascending = true);
/// The k largest (or smallest, ascending) elements along `axis`, stably
/// ordered: values (differentiable) and their int64 indices.
struct TopK {
  NDArray values, indices;
};
TopK topk(const NDArray& a, int64_t axis, int64_t k, bool ascending = false);
/// 1 where an element is among topk's selection along `axis`, else 0 (a's dtype).
NDArray topk_mask(const NDArray& a, int64_t axis, int64_t k, bool ascending = false);

// ---- linear algebra --------------------------------------------------------
/// NumPy dot: inner product for 1-D, matrix product for 2-D, and for N-D a sum
/// over the last axis of a and the second-to-last of b.
NDArray dot(const NDArray& a, const NDArray& b);
/// Matrix product of two 2-D arrays, either optionally transposed.
NDArray matmul2d(const NDArray& a, const NDArray& b, bool transpose_a = false, bool transpose_b = false);
/// NumPy matmul: 1-D operands promoted to a row/column and the unit axis
/// dropped again; batch dims (all but the last two) broadcast.
NDArray matmul(const NDArray& a, const NDArray& b);
/// Batched product of operands with >= 2 dims (batch dims broadcast), either
/// matrix optionally transposed - the one registered product op.
NDArray matmul_t(const NDArray& a, const NDArray& b, bool transpose_a = false, bool transpose_b = false);
/// MXNet batch_dot: operands of equal rank >= 3 with equal leading dims.
NDArray batch_dot(const NDArray& a, const NDArray& b, bool transpose_a = false, bool transpose_b = false);
/// MXNet's legacy nd.dot: the last axis of a (first, when transposed) with the
/// first axis of b (last, when transposed); 1-D . 1-D gives shape (1,).
NDArray legacy_dot(const NDArray& a, const NDArray& b, bool transpose_a = false, bool transpose_b = false);
/// Sum of products over axes_a of a and axes_b of b (NumPy tensordot).
NDArray tensordot(const NDArray& a, const NDArray& b, const Axes& axes_a, const Axes& axes_b);
/// tensordot over the last n axes of a and the first n of b.
NDArray tensordot(const NDArray& a, const NDArray& b, int64_t n = 2);
/// Sum of products over the last axes (NumPy inner).
NDArray inner(const NDArray& a, const NDArray& b);
/// Outer product of the flattened operands.
NDArray outer(const NDArray& a, const NDArray& b);
/// Dot product of the flattened operands (same number of elements).
NDArray vdot(const NDArray& a, const NDArray& b);
/// NumPy diagonal: the elements [i, i + offset] (offset < 0: [i - offset, i])
/// over axes axis1 and axis2 (negative axes count from the end, distinct) of
/// an array with >= 2 dims; the result drops those two axes and appends the
/// diagonal as its last axis (length 0 when the offset misses the matrix).
NDArray diagonal(const NDArray& a, int64_t offset = 0, int64_t axis1 = 0, int64_t axis2 = 1);
/// diagonal's inverse: zeros of `shape` with `d` written onto the diagonal that
/// diagonal(., offset, axis1, axis2) reads (d has that diagonal's shape).
NDArray diagonal_backward(const NDArray& d, const Shape& shape, int64_t offset = 0, int64_t axis1 = 0,
                          int64_t axis2 = 1);
/// NumPy diag: a 1-D array becomes the square matrix holding it on diagonal
/// k (zeros elsewhere); a 2-D array gives its diagonal k.
NDArray diag(const NDArray& a, int64_t k = 0);
/// Sum along a diagonal: sum(diagonal(a, offset, axis1, axis2), axis=-1).
NDArray trace(const NDArray& a, int64_t offset = 0, int64_t axis1 = 0, int64_t axis2 = 1);
/// Einstein summation: "ij,jk->ik", implicit output ("ij,jk"), '...' for
/// broadcast leading dims, any number of operands; size-1 dims broadcast. A
/// label repeated within one operand takes that operand's diagonal ("ii" is a
/// trace, "ii->i" a diagonal).
NDArray einsum(const std::string& subscripts, const std::vector<NDArray>& operands);

// ---- MXNet's la_op (mx.nd.linalg): last two axes, batched, float32/float64 --
// The decompositions need LAPACK; builds without it raise Error naming the op.
/// Whether this build links LAPACK.
bool have_lapack();
/// alpha * op(A) op(B) + beta * C; `axis` is the row axis (the columns are last).
NDArray linalg_gemm(const NDArray& a, const NDArray& b, const NDArray& c, bool transpose_a = false,
                    bool transpose_b = false, double alpha = 1.0, double beta = 1.0, int64_t axis = -2);
/// alpha * op(A) op(B).
NDArray linalg_gemm2(const NDArray& a, const NDArray& b, bool transpose_a = false, bool transpose_b = false,
                     double alpha = 1.0, int64_t axis = -2);
/// Cholesky factor (lower: A = L L^T reading A's lower triangle; else A = U^T U, upper).
NDArray linalg_potrf(const NDArray& a, bool lower = true);
/// (L L^T)^-1 from the Cholesky factor (lower), or (U^T U)^-1.
NDArray linalg_potri(const NDArray& a, bool lower = true);
/// alpha * op(tri(A)) B, or alpha * B op(tri(A)) with rightside.
NDArray linalg_trmm(const NDArray& a, const NDArray& b, bool transpose = false, bool rightside = false,
                    bool lower = true, double alpha = 1.0);
/// X with op(tri(A)) X = alpha B, or X op(tri(A)) = alpha B with rightside.
NDArray linalg_trsm(const NDArray& a, const NDArray& b, bool transpose = false, bool rightside = false,
                    bool lower = true, double alpha = 1.0);
/// sum(log(diag(A))) per matrix.
NDArray linalg_sumlogdiag(const NDArray& a);
/// alpha * A A^T, or alpha * A^T A with transpose.
NDArray linalg_syrk(const NDArray& a, bool transpose = false, double alpha = 1.0);
/// {Q, L}: A = L Q (rows <= columns).
std::vector<NDArray> linalg_gelqf(const NDArray& a);
/// {U, w}: symmetric A = U^T diag(w) U, eigenvectors as rows, w ascending.
std::vector<NDArray> linalg_syevd(const NDArray& a);
NDArray linalg_inverse(const NDArray& a);
/// Determinant per matrix: shape (...) for (..., n, n).
NDArray linalg_det(const NDArray& a);
/// {sign, log|det|} per matrix.
std::vector<NDArray> linalg_slogdet(const NDArray& a);
NDArray linalg_extractdiag(const NDArray& a, int64_t offset = 0);
NDArray linalg_makediag(const NDArray& a, int64_t offset = 0);
/// A triangle of each matrix packed into a vector (MXNet's order), and back.
NDArray linalg_extracttrian(const NDArray& a, int64_t offset = 0, bool lower = true);
NDArray linalg_maketrian(const NDArray& a, int64_t offset = 0, bool lower = true);
/// True when float32/float64 products run on a BLAS library (build option).
bool gemm_uses_blas();

// ---- random ----------------------------------------------------------------
void seed(uint64_t seed);
NDArray random_uniform(double low, double high, const Shape& shape, DType dtype = DType::Float32);
NDArray random_normal(double loc, double scale, const Shape& shape, DType dtype = DType::Float32);
/// Integers uniform in [low, high); dtype int32 or int64.
NDArray random_randint(int64_t low, int64_t high, const Shape& shape, DType dtype = DType::Int64);
/// `shape` samples of `population` (1-D; undefined: the indices 0..n-1 as
/// int64), with or without replacement, optionally with probabilities p.
NDArray random_choice(const NDArray& population, int64_t n, const Shape& shape, bool replace = true,
                      const NDArray& p = NDArray());
/// Shuffles `a` in place along axis 0 (its storage is overwritten).
void shuffle(const NDArray& a);
/// Densities (log-densities with is_log) of `sample` under distributions
/// whose parameter arrays (float32/float64, sample's dtype) share one shape P
/// leading sample's shape P + S: the result has sample's shape, entry [p, s]
/// the density of sample[p, s] under the parameters at p (MXNet's
/// random_pdf_*). Composed of registered ops, so differentiable to any order
/// in the sample and the parameters; as in MXNet, uniform and the discrete
/// distributions give the sample a zero gradient, and samples outside the
/// support are not checked (uniform gives 1 / (high - low) everywhere).
NDArray random_pdf_uniform(const NDArray& sample, const NDArray& low, const NDArray& high, bool is_log = false);
NDArray random_pdf_normal(const NDArray& sample, const NDArray& mu, const NDArray& sigma, bool is_log = false);
/// beta is the rate: b^a x^(a-1) e^(-b x) / Gamma(a).
NDArray random_pdf_gamma(const NDArray& sample, const NDArray& alpha, const NDArray& beta, bool is_log = false);
NDArray random_pdf_exponential(const NDArray& sample, const NDArray& lam, bool is_log = false);
NDArray random_pdf_poisson(const NDArray& sample, const NDArray& lam, bool is_log = false);
/// k the failure limit (real-valued), p the failure probability:
/// Gamma(x + k) / (Gamma(k) x!) p^k (1 - p)^x.
NDArray random_pdf_negative_binomial(const NDArray& sample, const NDArray& k, const NDArray& p, bool is_log = false);
/// The negative binomial with k = 1 / alpha, p = 1 / (mu alpha + 1).
NDArray random_pdf_generalized_negative_binomial(const NDArray& sample, const NDArray& mu, const NDArray& alpha,
                                                 bool is_log = false);
/// alpha of shape P + (k,), sample of shape P + S + (k,) (not checked to lie
/// on the simplex); the result has shape P + S, (1,) for a 1-D sample.
NDArray random_pdf_dirichlet(const NDArray& sample, const NDArray& alpha, bool is_log = false);
/// The distributions random_sample and random_draw take: uniform(low, high),
/// normal(loc, scale), exponential(scale), exponential_rate(lam), gamma(shape, scale), poisson(lam),
/// negative_binomial(k, p), generalized_negative_binomial(mu, alpha),
/// gumbel/logistic(loc, scale), lognormal(mean, sigma), pareto/power/weibull(a),
/// rayleigh(scale), beta(a, b), chisquare(df).
std::vector<std::string> random_distributions();
/// MXNet's sample_*: the parameters (arrays of one shape P) give each element
/// of P `shape` samples; the result has shape P + shape and dtype `dtype`
/// (float32/float64). Parameters out of their domain raise ValueError naming
/// `fn` (default: the distribution) and the parameter (`names`, default the
/// names above).
NDArray random_sample(const std::string& dist, const ArrayList& params, const Shape& shape,
                      DType dtype = DType::Float32, const NDArray& out = NDArray(), const std::string& fn = "",
                      const std::vector<std::string>& names = {});
/// NumPy's form: the parameters broadcast to `size` (none: to one another) and
/// each element of the result draws with its own.
NDArray random_draw(const std::string& dist, const ArrayList& params, const std::optional<Shape>& size,
                    DType dtype = DType::Float32, const NDArray& out = NDArray(), const std::string& fn = "",
                    const std::vector<std::string>& names = {});
/// NumPy's multinomial: counts (int64, shape size + (k,)) of n trials over the
/// k outcomes of pvals (1-D; the last is what the others leave of 1).
NDArray random_multinomial(int64_t n, const NDArray& pvals, const Shape& size);
/// MXNet's categorical sampling (nd.random.multinomial): data (..., k) holds
/// distributions over k outcomes (each summing to 1); the result (..., shape)
/// holds outcome indices of dtype `dtype`, with, if get_prob, the log
/// probability of each draw (data's dtype) as a second array.
ArrayList random_categorical(const NDArray& data, const Shape& shape, bool get_prob = false,
                             DType dtype = DType::Int32);
/// Samples of N(mean, cov): mean (..., k), cov (..., k, k) (batch dimensions
/// broadcast; cov symmetric positive definite, else ValueError); the result
/// has shape size + batch + (k,), float64 if an input is, else float32.
NDArray random_multivariate_normal(const NDArray& mean, const NDArray& cov, const Shape& size);

// ---- gradient control ------------------------------------------------------
/// A copy of `a` that autograd treats as a constant (MXNet BlockGrad /
/// stop_gradient): no gradient flows back through it.
NDArray stop_gradient(const NDArray& a);
// ---- neural network --------------------------------------------------------
// Floating-point inputs only (float32/float64). Ops that behave differently in
// training read autograd::is_training() (on inside autograd.record() by default).
/// exp(x/t) normalised along `axis` (t = temperature), computed stably.
NDArray softmax(const NDArray& x, int64_t axis = -1, double temperature = 1.0);
/// log(softmax(x, axis, temperature)), computed stably.
NDArray log_softmax(const NDArray& x, int64_t axis = -1, double temperature = 1.0);
/// -pick(log_softmax(pred, axis), label, axis, keepdims=true), labels
/// clipped into range as pick does: Gluon's SoftmaxCrossEntropyLoss before
/// its mean. One pass per row along the last axis (float32/float64), the
/// gradient softmax - one_hot likewise; differentiable twice in pred.
NDArray softmax_cross_entropy(const NDArray& pred, const NDArray& label, int64_t axis = -1);
enum class Activation { Relu, Sigmoid, Tanh, SoftRelu, SoftSign };
/// relu max(x,0), sigmoid 1/(1+e^-x), tanh, softrelu log(1+e^x), softsign x/(1+|x|).
NDArray activation(const NDArray& x, Activation act);
/// MXNet LeakyReLU's act_types: leaky x>0 ? x : slope*x; elu x>0 ? x :
/// slope*(e^x-1); selu lambda*(x>0 ? x : alpha*(e^x-1)); gelu x*Phi(x) (erf form).
enum class LeakyRelu { Leaky, Elu, Selu, Gelu };
NDArray leaky_relu(const NDArray& x, LeakyRelu kind = LeakyRelu::Leaky, double slope = 0.25);
/// x>0 ? x : gamma*x with gamma of one value or one per channel (axis 1).
NDArray prelu(const NDArray& x, const NDArray& gamma);
struct RRelu {
  NDArray out, slopes;
};
/// Randomised leaky ReLU: in training mode each negative element gets a slope
/// drawn from U[lower, upper) (returned in `slopes`); otherwise the mean slope
/// is used and `slopes` is zeros (MXNet's mask output).
RRelu rrelu(const NDArray& x, double lower = 0.125, double upper = 0.334);
/// (x - mean) / sqrt(var + eps) * gamma[c] + beta[c] with statistics per
/// sample and channel over the spatial axes of x (batch, channel, spatial...).
NDArray instance_norm(const NDArray& x, const NDArray& gamma, const NDArray& beta, double eps = 1e-3);
struct GroupNorm {
  NDArray out, mean, std;  // mean and std have shape (batch, num_groups)
};
/// The channels split into num_groups groups, each normalised per sample;
/// gamma and beta have one value per group (MXNet 1.9.1).
GroupNorm group_norm(const NDArray& x, const NDArray& gamma, const NDArray& beta, int64_t num_groups = 1,
                     double eps = 1e-5);
/// x / sqrt(sum(x^2) + eps) with the sum over all axes but the first
/// (instance), over axis 1 (channel) or over axes 2... (spatial).
enum class L2NormMode { Instance, Channel, Spatial };
NDArray l2_normalization(const NDArray& x, double eps = 1e-10, L2NormMode mode = L2NormMode::Instance);
// ---- convolution and pooling (channels first: (N, C, W), (N, C, H, W), (N, C, D, H, W))
/// Window geometry, always for 3 spatial axes (D, H, W): 1-D and 2-D calls
/// use the last one or two entries and leave the leading ones at 1 / 0.
struct ConvGeometry {
  int64_t kernel[3] = {1, 1, 1};
  int64_t stride[3] = {1, 1, 1};
  int64_t dilate[3] = {1, 1, 1};
  int64_t pad[3] = {0, 0, 0};
  int64_t groups = 1;  // num_group: channels and filters split into this many independent groups
};
/// MXNet Convolution: x (N, C, spatial...), weight (F, C/groups, kernel...),
/// optional bias (F,); output (N, F, out...), out = (in + 2p - d(k-1) - 1)/s + 1.
/// Differentiable to any order in x, weight and bias.
NDArray convolution(const NDArray& x, const NDArray& weight, const NDArray& bias, const ConvGeometry& geometry);
/// MXNet Deconvolution (transposed convolution): x (N, C, spatial...), weight
/// (C, F/groups, kernel...); output extent s(in-1) + d(k-1) + 1 - 2p + adj, or
/// target_shape where given (one entry per spatial axis, empty for none).
NDArray deconvolution(const NDArray& x, const NDArray& weight, const NDArray& bias, const ConvGeometry& geometry,
                      const Shape& adj = {}, const Shape& target_shape = {});
/// MXNet im2col: every kernel window of x (N, C, spatial...) as a column,
/// (N, C * prod(kernel), windows); groups must be 1. Its adjoint col2im sums
/// columns back into images of shape `image` (N, C, output_size...).
NDArray im2col(const NDArray& x, const ConvGeometry& geometry);
NDArray col2im(const NDArray& columns, const Shape& image, const ConvGeometry& geometry);
/// Whether float32 convolutions run on oneDNN (a build with MXLITE_WITH_DNNL
/// and MXLITE_DNNL not set to 0); otherwise on im2col + GEMM.
bool conv_uses_dnnl();
enum class PoolType { Max, Avg, Sum, Lp };
struct PoolOptions {
  PoolType type = PoolType::Max;
  int64_t kernel[3] = {1, 1, 1};  // as ConvGeometry: the last 1-3 entries are used
  int64_t stride[3] = {1, 1, 1};
  int64_t pad[3] = {0, 0, 0};
  bool global_pool = false;       // one window over all spatial axes
  bool full_convention = false;   // ceil instead of floor for the output extent (MXNet 'full')
  bool count_include_pad = true;  // average pooling divides by the padded window size
  int p_value = 2;                // Lp pooling: 1, 2 or 3
};
/// MXNet Pooling of x (N, C, spatial...): max (the first maximum gets the
/// gradient), avg, sum, or lp ((sum x^p)^(1/p)) over each window.
/// Differentiable to any order.
NDArray pooling(const NDArray& x, const PoolOptions& options);
/// MXNet CTCLoss of activations data (T, N, alphabet) and labels (N, L):
/// the negative log-likelihood (N,) of each label sequence over all
/// alignments. blank_first: the blank is class 0 and label rows are padded
/// with 0; otherwise the blank is the last class and padding is -1.
/// data_lengths / label_lengths (N,) may be undefined (full / up to padding).
/// Differentiable once in data.
NDArray ctc_loss(const NDArray& data, const NDArray& label, const NDArray& data_lengths = NDArray(),
                 const NDArray& label_lengths = NDArray(), bool blank_first = true);
// ---- vision: detection and spatial-transformer ops (MXNet 1.9.1) -------------
/// MXNet ROIPooling: max pooling of data (N, C, H, W) over each region of
/// rois (R, 5), rows [batch_index, x1, y1, x2, y2] in image coordinates
/// (times spatial_scale), into (R, C, pooled_h, pooled_w). Empty bins and
/// rows with a batch index outside the data give 0. Differentiable to any
/// order in data (the first maximum of a bin gets its gradient), not in rois.
NDArray roi_pooling(const NDArray& data, const NDArray& rois, int64_t pooled_h, int64_t pooled_w, double spatial_scale);
// MXNet's spatial-transformer ops. Grids hold normalised source coordinates
// (x, y) in [-1, 1] (-1: the first pixel's centre, 1: the last one's).
/// GridGenerator 'affine': data (N, 6) as 2x3 matrices applied to the target
/// grid (x, y, 1) of (h, w) points: (N, 2, h, w).
NDArray grid_generator_affine(const NDArray& data, int64_t h, int64_t w);
/// GridGenerator 'warp': data (N, 2, H, W) an optical flow in pixels added to
/// each pixel's position, normalised: (N, 2, H, W).
NDArray grid_generator_warp(const NDArray& data);
/// BilinearSampler: data (N, C, H, W) read at grid (N, 2, h, w) with
/// bilinear interpolation (zero outside the data): (N, C, h, w).
/// Differentiable to any order in data and grid.
NDArray bilinear_sampler(const NDArray& data, const NDArray& grid);
/// SpatialTransformer 'affine' + 'bilinear': bilinear_sampler(data,
/// grid_generator_affine(loc, h, w)) with the target grid in double.
NDArray spatial_transformer(const NDArray& data, const NDArray& loc, int64_t h, int64_t w);
// MXNet's SSD ops (contrib MultiBox*): boxes are [xmin, ymin, xmax, ymax]
// in coordinates normalised by the image size. Not differentiable (their
// inputs get zero gradients, as in MXNet).
struct MultiBoxPriorOptions {
  std::vector<double> sizes{1.0};
  std::vector<double> ratios{1.0};
  bool clip = false;               // clip the boxes to [0, 1]
  double steps[2] = {-1.0, -1.0};  // (y, x) distance of centres; <= 0: 1 / extent
  double offsets[2] = {0.5, 0.5};  // (y, x) centre offsets in steps
};
/// The anchors of data (N, C, H, W): (1, H * W * (sizes + ratios - 1), 4),
/// per position every size at the first ratio, then the first size at every
/// other ratio (MXNet's order and float32 arithmetic); data's dtype.
NDArray multibox_prior(const NDArray& data, const MultiBoxPriorOptions& options = {});
struct MultiBoxTargetOptions {
  double overlap_threshold = 0.5;
  double ignore_label = -1.0;
  double negative_mining_ratio = -1.0;  // <= 0: every unmatched anchor is a negative
  double negative_mining_thresh = 0.5;
  double variances[4] = {0.1, 0.1, 0.2, 0.2};
};
struct MultiBoxTarget {
  NDArray loc_target, loc_mask, cls_target;  // (B, A * 4), (B, A * 4), (B, A)
};
/// Training targets of anchors (1, A, 4) for labels (B, L, >= 5), rows
/// [class, xmin, ymin, xmax, ymax] padded with rows of -1, and class
/// predictions cls_pred (B, classes, A) (read by negative mining only).
MultiBoxTarget multibox_target(const NDArray& anchor, const NDArray& label, const NDArray& cls_pred,
                               const MultiBoxTargetOptions& options = {});
struct MultiBoxDetectionOptions {
  bool clip = true;
  double threshold = 0.01;      // minimum score of a detection
  double nms_threshold = 0.5;   // IoU at which a lower-scored box is suppressed; outside (0, 1]: no NMS
  bool force_suppress = false;  // suppress across classes
  double variances[4] = {0.1, 0.1, 0.2, 0.2};
  int64_t nms_topk = -1;  // keep this many best detections before NMS; <= 0: all
};
/// Detections (B, A, 6), rows [class_id, score, xmin, ymin, xmax, ymax] with
/// class_id -1 for none, from cls_prob (B, classes, A) (class 0 the
/// background), loc_pred (B, A * 4) and anchors (1, A, 4).
NDArray multibox_detection(const NDArray& cls_prob, const NDArray& loc_pred, const NDArray& anchor,
                           const MultiBoxDetectionOptions& options = {});
struct CorrelationOptions {
  int64_t kernel_size = 1;  // odd
  int64_t max_displacement = 1;
  int64_t stride1 = 1, stride2 = 1;
  int64_t pad_size = 0;
  bool is_multiply = true;  // products; otherwise absolute differences
};
/// MXNet Correlation (FlowNet) of data1 and data2 (N, C, H, W): for every
/// displacement of the neighbourhood, the mean over channels and the kernel
/// window of products (or absolute differences) of the zero-padded inputs:
/// (N, (2 * (max_displacement / stride2) + 1)^2, h, w). Differentiable once.
NDArray correlation(const NDArray& data1, const NDArray& data2, const CorrelationOptions& options = {});
// ---- recurrent layers (MXNet's fused RNN operator) ----------------------------
enum class RnnMode { RnnRelu, RnnTanh, Lstm, Gru };
struct RnnOptions {
  RnnMode mode = RnnMode::Lstm;
  int64_t state_size = 0;
  int64_t num_layers = 1;
  bool bidirectional = false;
  double p = 0.0;                            // dropout on the outputs of every layer but the last, in training mode
  int64_t projection_size = 0;               // LSTM only; 0: none
  std::optional<double> clip_min, clip_max;  // LSTM cell state clipping
};
struct RnnResult {
  NDArray out;     // (T, N, directions * (projection_size or state_size))
  NDArray hy, cy;  // final states (layers * directions, N, ...); cy for LSTM only
};
/// The length of MXNet's packed parameter vector: for every layer and
/// direction the input weights (gates*H, in), the recurrent weights
/// (gates*H, P or H) and, with projection, (P, H); then for every layer and
/// direction the input and the recurrent biases (gates*H each). Gates are
/// i, f, g, o (LSTM) and r, z, n (GRU).
int64_t rnn_param_size(RnnMode mode, int64_t input_size, int64_t state_size, int64_t num_layers, bool bidirectional,
                       int64_t projection_size = 0);
/// Runs the stacked (bidirectional) recurrent layers over data (T, N, input)
/// from the initial states state (layers * directions, N, P or H) and, for
/// LSTM, state_cell (layers * directions, N, H). Differentiable.
RnnResult rnn(const NDArray& data, const NDArray& params, const NDArray& state, const NDArray& state_cell,
              const RnnOptions& options);
// Sequence ops on data (time, batch, ...) (axis=0) or (batch, time, ...)
// (axis=1) with one valid length per batch entry (any numeric dtype,
// truncated); an undefined `lengths` means every sequence is full.
/// Steps at or after an entry's length set to `value`.
NDArray sequence_mask(const NDArray& data, const NDArray& lengths, double value = 0.0, int64_t axis = 0);
/// The last valid step of each entry: data's shape without the time axis.
NDArray sequence_last(const NDArray& data, const NDArray& lengths, int64_t axis = 0);
/// The valid steps of each entry in reverse order, the rest in place (axis 0).
NDArray sequence_reverse(const NDArray& data, const NDArray& lengths, int64_t axis = 0);
// MXNet's legacy output layers: cheap forwards whose backward ignores the
// incoming gradient and gives the gradient of the loss they stand for.
/// Linear: y = data, grad (y - label); Logistic: y = sigmoid(data), grad
/// (y - label); MeanAbsolute: y = data, grad sign(y - label); each times
/// grad_scale / (outputs per sample). label has data's size.
enum class Regression { Linear, Logistic, MeanAbsolute };
NDArray regression_output(const NDArray& data, const NDArray& label, Regression kind, double grad_scale = 1.0);
struct MakeLossOptions {
  double grad_scale = 1.0;
  double valid_thresh = 0.0;
  enum Normalization { Null, Batch, Valid } normalization = Null;  // divide by 1, data.shape[0], #(data > thresh)
};
/// y = data; the gradient is grad_scale / normalization everywhere.
NDArray make_loss(const NDArray& data, const MakeLossOptions& options = {});
struct SvmOutputOptions {
  double margin = 1.0;
  double regularization_coefficient = 1.0;
  bool use_linear = false;  // L1-SVM (hinge) instead of L2-SVM (squared hinge)
};
/// y = data (rows, classes...); the gradient is that of the (squared) hinge
/// loss with the class of each row given by label (rows,).
NDArray svm_output(const NDArray& data, const NDArray& label, const SvmOutputOptions& options = {});
/// x . weight^T + bias with weight (num_hidden, in_units). With flatten, x is
/// seen as (x.shape[0], rest); otherwise as (..., in_units) keeping the leading
/// axes. `bias` may be undefined (no bias).
NDArray fully_connected(const NDArray& x, const NDArray& weight, const NDArray& bias, int64_t num_hidden,
                        bool flatten = true);
/// Zeroes each element with probability p and scales the rest by 1/(1-p), in
/// training mode (or always with `always`); a copy of x otherwise. `axes` share
/// one draw of the mask along them.
NDArray dropout(const NDArray& x, double p = 0.5, const Axes& axes = {}, bool always = false);
/// (x - mean) / sqrt(var + eps) * gamma + beta with the statistics over `axis`;
/// gamma and beta have shape (x.shape[axis],).
NDArray layer_norm(const NDArray& x, const NDArray& gamma, const NDArray& beta, int64_t axis = -1, double eps = 1e-5);
struct BatchNormOptions {
  double eps = 1e-3;
  double momentum = 0.9;
  bool fix_gamma = true;          // use gamma = 1 (its gradient is zero)
  bool use_global_stats = false;  // normalise with the running statistics even in training
  int64_t axis = 1;               // the channel axis
};
/// Batch normalisation over every axis but `axis`. In training mode (and
/// without use_global_stats) it normalises with the batch mean and biased
/// variance and updates running_mean/running_var in place:
/// running = running * momentum + batch * (1 - momentum). Otherwise it
/// normalises with the running statistics.
NDArray batch_norm(const NDArray& x, const NDArray& gamma, const NDArray& beta, const NDArray& running_mean,
                   const NDArray& running_var, const BatchNormOptions& options = {});
/// MXNet's output_mean_var=True: {layer_norm's result, mean, std = sqrt(var + eps)},
/// the statistics with `axis` kept as a size-1 axis. As in MXNet, only the
/// first output carries a gradient.
std::array<NDArray, 3> layer_norm_with_stats(const NDArray& x, const NDArray& gamma, const NDArray& beta,
                                             int64_t axis = -1, double eps = 1e-5);
/// MXNet's output_mean_var=True: {batch_norm's result, mean, 1 / sqrt(var + eps)}
/// of the statistics it normalised with (the batch's in training, else the
/// running ones), shape (x.shape[axis],). Only the first output carries a gradient.
std::array<NDArray, 3> batch_norm_with_stats(const NDArray& x, const NDArray& gamma, const NDArray& beta,
                                             const NDArray& running_mean, const NDArray& running_var,
                                             const BatchNormOptions& options = {});
/// Rows of weight (input_dim, output_dim) picked by `indices` (any numeric
/// dtype, truncated to integers and clipped into [0, input_dim)). Result shape
/// indices.shape + (output_dim,). input_dim/output_dim, when not -1, must match
/// the weight's shape. The gradient scatter-adds into the picked rows.
NDArray embedding(const NDArray& indices, const NDArray& weight, int64_t input_dim = -1, int64_t output_dim = -1);
struct SoftmaxOutputOptions {
  double grad_scale = 1.0;
  double ignore_label = -1.0;
  bool use_ignore = false;                                         // rows labelled ignore_label get no gradient
  enum Normalization { Null, Batch, Valid } normalization = Null;  // divide the gradient by 1, rows, unignored rows
  bool preserve_shape = false;  // softmax over the last axis (else over all axes but the first)
};
/// MXNet's legacy SoftmaxOutput: the forward is a softmax; the backward
/// ignores the incoming gradient and gives (softmax - one_hot(label)) *
/// grad_scale / normalization, the gradient of the cross-entropy loss.
/// Labels outside [0, classes) contribute no one-hot term. Labels have one
/// entry per softmax row. Not differentiable twice.
NDArray softmax_output(const NDArray& data, const NDArray& label, const SoftmaxOutputOptions& options = {});

// ---- optimizer updates (MXNet's fused optimizer ops) ---------------------------
/// Hyper-parameters of the fused optimizer updates; each update reads the
/// fields of MXNet's op of that name (the others are ignored). Held as float,
/// as MXNet's are. clip_gradient, clip_weights, lower_bound and upper_bound
/// are off when negative.
struct OptimizerParams {
  float lr = 0.f, wd = 0.f, rescale_grad = 1.f, clip_gradient = -1.f, momentum = 0.f;
  float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;
  float gamma1 = 0.95f, gamma2 = 0.9f, clip_weights = -1.f;  // rmsprop, rmspropalex
  float lamda1 = 0.01f, beta = 1.f;                          // ftrl
  float wd_lh = 0.f;                                         // signum
  float eta = 1.f;                                           // adamw
  float lower_bound = -1.f, upper_bound = -1.f;              // lamb_update_phase2
  int64_t t = 0;                                             // lamb_update_phase1
  bool bias_correction = true;                               // lamb_update_phase1
};
/// One fused update, by MXNet's op name: sgd_update, sgd_mom_update,
/// nag_mom_update, adam_update, adamw_update, rmsprop_update,
/// rmspropalex_update, ftrl_update, signsgd_update, signum_update,
/// lamb_update_phase1, lamb_update_phase2. `arrays` are the weight, the grad
/// and the op's states in MXNet's order (mom; mean, var; n; n, g, delta;
/// z, n; for lamb_update_phase2: g, r1, r2), all of the weight's shape and
/// dtype (float32/float64). The states are updated in place; the new weight
/// is returned, written into `out` when given (out = the weight updates it
/// in place, as mx.optimizer does). lamb_update_phase1 returns the step g.
/// Not differentiable; under autograd recording, out= an array in a graph is refused (MXNet).
NDArray optimizer_update(const std::string& name, const std::vector<NDArray>& arrays, const OptimizerParams& p,
                         const NDArray& out = NDArray());

}  // namespace np

// ---- MXNet 1.x legacy NDArray semantics (mxnet.nd), where they differ ------
namespace nd {
/// A comparison's or logical op's bool result as the legacy face gives it:
/// 0/1 in `dtype` (the operands' promoted dtype), written into `out` when defined.
NDArray as_truth_values(const NDArray& truth, DType dtype, const NDArray& out = NDArray());
/// Legacy division: integer operands (and an integral scalar beside an
/// integer array) truncate toward zero, as C and MXNet 1.x do; others divide truly.
NDArray divide(const NDArray& a, const NDArray& b, const NDArray& out = NDArray());
NDArray divide(const NDArray& a, double s, const NDArray& out = NDArray());
NDArray divide(double s, const NDArray& a, const NDArray& out = NDArray());
}  // namespace nd

// Operators on arrays and scalars, as NumPy spells them.
inline NDArray operator+(const NDArray& a, const NDArray& b) { return np::add(a, b); }
inline NDArray operator-(const NDArray& a, const NDArray& b) { return np::subtract(a, b); }
inline NDArray operator*(const NDArray& a, const NDArray& b) { return np::multiply(a, b); }
inline NDArray operator/(const NDArray& a, const NDArray& b) { return np::divide(a, b); }
inline NDArray operator+(const NDArray& a, double s) { return np::add(a, s); }
inline NDArray operator+(double s, const NDArray& a) { return np::add(a, s); }
inline NDArray operator-(const NDArray& a, double s) { return np::subtract(a, s); }
inline NDArray operator-(double s, const NDArray& a) { return np::subtract(s, a); }
inline NDArray operator*(const NDArray& a, double s) { return np::multiply(a, s); }
inline NDArray operator*(double s, const NDArray& a) { return np::multiply(a, s); }
inline NDArray operator/(const NDArray& a, double s) { return np::divide(a, s); }
inline NDArray operator/(double s, const NDArray& a) { return np::divide(s, a); }
inline NDArray operator-(const NDArray& a) { return np::negative(a); }
inline NDArray operator==(const NDArray& a, const NDArray& b) { return np::equal(a, b); }
inline NDArray operator!=(const NDArray& a, const NDArray& b) { return np::not_equal(a, b); }
inline NDArray operator<(const NDArray& a, const NDArray& b) { return np::less(a, b); }
inline NDArray operator<=(const NDArray& a, const NDArray& b) { return np::less_equal(a, b); }
inline NDArray operator>(const NDArray& a, const NDArray& b) { return np::greater(a, b); }
inline NDArray operator>=(const NDArray& a, const NDArray& b) { return np::greater_equal(a, b); }
inline NDArray operator==(const NDArray& a, double s) { return np::equal(a, s); }
inline NDArray operator!=(const NDArray& a, double s) { return np::not_equal(a, s); }
inline NDArray operator<(const NDArray& a, double s) { return np::less(a, s); }
inline NDArray operator<=(const NDArray& a, double s) { return np::less_equal(a, s); }
inline NDArray operator>(const NDArray& a, double s) { return np::greater(a, s); }
inline NDArray operator>=(const NDArray& a, double s) { return np::greater_equal(a, s); }
inline NDArray operator==(double s, const NDArray& a) { return np::equal(a, s); }
inline NDArray operator!=(double s, const NDArray& a) { return np::not_equal(a, s); }
inline NDArray operator<(double s, const NDArray& a) { return np::greater(a, s); }
inline NDArray operator<=(double s, const NDArray& a) { return np::greater_equal(a, s); }
inline NDArray operator>(double s, const NDArray& a) { return np::less(a, s); }
inline NDArray operator>=(double s, const NDArray& a) { return np::less_equal(a, s); }

// In place: `a += b` writes into a's data (a keeps its shape and dtype; b
// broadcasts to it). As in MXNet, it raises while recording when a or b is
// part of a graph: update parameters under autograd::Pause.
NDArray& operator+=(NDArray& a, const NDArray& b);
NDArray& operator-=(NDArray& a, const NDArray& b);
NDArray& operator*=(NDArray& a, const NDArray& b);
NDArray& operator/=(NDArray& a, const NDArray& b);
NDArray& operator+=(NDArray& a, double s);
NDArray& operator-=(NDArray& a, double s);
NDArray& operator*=(NDArray& a, double s);
NDArray& operator/=(NDArray& a, double s);

}  // namespace mxlite
