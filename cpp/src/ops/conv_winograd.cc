// Winograd F(2x2, 3x3) convolution (conv_winograd.h). With d a 4x4 input
// tile, g a 3x3 kernel and
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1],
//   G   = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1],
//   A^T = [1 1 1 0; 0 1 -1 -1],
// the 2x2 outputs are A^T [(G g G^T) .* (B^T d B)] A. Summed over input
// channels, the 16 elementwise products become 16 matrix products
// M_xi (F x tiles) = U_xi (F x C) . V_xi (C x tiles), one per position xi of
// the 4x4 transformed tile. Tiles are taken a few tile rows at a time so V
// and M stay in the core's L2 between the transforms and the GEMMs; every
// loop over tiles runs along a tile row with unit stride, so it vectorises.
#include "ops/conv_winograd.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "kernels/gemm.h"
#include "kernels/isa.h"
#include "kernels/parallel.h"
#include "kernels/scratch.h"
#include "mxlite/threadpool.h"

namespace mxlite {
namespace ops {
namespace winograd {
namespace {

// Bytes of V and M (or Z) of one block: what one core's L2 holds, so the
// GEMMs read what the transforms just wrote from there.
constexpr int64_t kBlockBytes = int64_t(1) << 20;

// U (groups, 16, F / groups, C / groups) = G g G^T of every kernel g, filters
// split over the pool; the inner loop runs along the channels, which are
// U's rows.
template <class T> std::vector<T> transform_weights(const Problem& p, const T* w) {
  const int64_t cg = p.c / p.groups, fg = p.f / p.groups;
  std::vector<T> u(static_cast<size_t>(16 * p.f * cg));
  T* out = u.data();
  const T half = T(0.5);
  kernels::for_range(p.f, std::max<int64_t>(1, kernels::kParallelGrain / (16 * cg)), [&](int64_t f0, int64_t f1) {
    for (int64_t f = f0; f < f1; ++f) {
      const int64_t grp = f / fg, fi = f % fg;
      T* uf = out + (grp * 16 * fg + fi) * cg;  // U[grp][xi][fi][c] at uf[xi * fg * cg + c]
      const T* wf = w + f * cg * 9;
      for (int64_t c = 0; c < cg; ++c) {
        const T* g = wf + c * 9;
        T gg[4][3];  // G g: rows of the kernel combined
        for (int j = 0; j < 3; ++j) {
          gg[0][j] = g[j];
          gg[1][j] = half * (g[j] + g[3 + j] + g[6 + j]);
          gg[2][j] = half * (g[j] - g[3 + j] + g[6 + j]);
          gg[3][j] = g[6 + j];
        }
        for (int i = 0; i < 4; ++i) {
          const T row[4] = {gg[i][0], half * (gg[i][0] + gg[i][1] + gg[i][2]), half * (gg[i][0] - gg[i][1] + gg[i][2]),
                            gg[i][2]};
          for (int j = 0; j < 4; ++j) uf[(i * 4 + j) * fg * cg + c] = row[j];
        }
      }
    }
  });
  return u;
}

// Tiles are numbered image by image, tile row by tile row; a block is a
// range of whole tile rows, which may span images (small images with many
// channels would otherwise give GEMMs of a few tiles each).
struct Layout {
  int64_t cg, fg, th, tw;  // channels and filters per group, tile rows and columns per image
  int64_t rows;            // tile rows per block
  int64_t blocks;          // blocks per group
};

template <class T> Layout layout_of(const Problem& p) {
  Layout l;
  l.cg = p.c / p.groups;
  l.fg = p.f / p.groups;
  l.th = (p.oh + 1) / 2;
  l.tw = (p.ow + 1) / 2;
  const int64_t tiles = std::max<int64_t>(32, kBlockBytes / (16 * (l.cg + l.fg) * int64_t(sizeof(T))));
  l.rows = std::max<int64_t>(1, std::min<int64_t>(p.n * l.th, tiles / l.tw));
  l.blocks = (p.n * l.th + l.rows - 1) / l.rows;
  return l;
}

// Calls fn(image, first tile row, end tile row, offset of its first tile in
// the block) for each image's part of block `b`.
template <class Fn> void for_each_part(const Problem& p, const Layout& l, int64_t b, Fn&& fn) {
  const int64_t r0 = b * l.rows, r1 = std::min(p.n * l.th, r0 + l.rows);
  for (int64_t r = r0; r < r1;) {
    const int64_t n = r / l.th, tr0 = r % l.th, tr1 = std::min(l.th, tr0 + (r1 - r));
    fn(n, tr0, tr1, (r - r0) * l.tw);
    r += tr1 - tr0;
  }
}

int64_t block_tiles(const Problem& p, const Layout& l, int64_t b) {
  return (std::min(p.n * l.th, (b + 1) * l.rows) - b * l.rows) * l.tw;
}

// Scratch of the transforms for one image's part of a block: a padded input
// row and the column transforms of the part's input rows.
int64_t work_size(const Layout& l) { return 2 * l.tw + 2 + (2 * l.rows + 2) * 4 * l.tw; }

// Always inlined, so that each per-instruction-set copy of a block's
// transforms below compiles them with its own vector width.
#define MXLITE_WINOGRAD_INLINE __attribute__((always_inline)) inline

// The columns transform (d B) of one input row of one channel: for each tile
// t of the row, h_j[t] for j = 0..3 from the four inputs x[2t - pw + 0..3]
// (zero outside the image). `row` is null for rows outside the image.
template <class T>
MXLITE_WINOGRAD_INLINE void transform_row(const T* row, const Problem& p, int64_t tw, T* __restrict padded,
                                          T* __restrict h) {
  T* __restrict h0 = h;
  T* __restrict h1 = h + tw;
  T* __restrict h2 = h + 2 * tw;
  T* __restrict h3 = h + 3 * tw;
  if (!row) {
    std::fill(h, h + 4 * tw, T(0));
    return;
  }
  const int64_t len = 2 * tw + 2;  // padded[j] = x[j - pw]
  const int64_t lo = std::min(len, p.pw), hi = std::max(lo, std::min(len, p.pw + p.iw));
  std::fill(padded, padded + lo, T(0));
  std::copy(row + (lo - p.pw), row + (hi - p.pw), padded + lo);
  std::fill(padded + hi, padded + len, T(0));
  for (int64_t t = 0; t < tw; ++t) {
    const T a = padded[2 * t], b = padded[2 * t + 1], c = padded[2 * t + 2], d = padded[2 * t + 3];
    h0[t] = a - c;
    h1[t] = b + c;
    h2[t] = c - b;
    h3[t] = b - d;
  }
}

// The rows transform (B^T (d B)) of one tile row from the column transforms
// of its four input rows, h[i] (4 x tw each): v[xi * xi_stride + t].
template <class T>
MXLITE_WINOGRAD_INLINE void transform_rows(const T* __restrict h, int64_t tw, T* __restrict v, int64_t xi_stride) {
  const T* __restrict r0 = h;
  const T* __restrict r1 = h + 4 * tw;
  const T* __restrict r2 = h + 8 * tw;
  const T* __restrict r3 = h + 12 * tw;
  for (int j = 0; j < 4; ++j) {
    T* __restrict v0 = v + (0 + j) * xi_stride;
    T* __restrict v1 = v + (4 + j) * xi_stride;
    T* __restrict v2 = v + (8 + j) * xi_stride;
    T* __restrict v3 = v + (12 + j) * xi_stride;
    const int64_t o = j * tw;
    for (int64_t t = 0; t < tw; ++t) {
      const T a = r0[o + t], b = r1[o + t], c = r2[o + t], d = r3[o + t];
      v0[t] = a - c;
      v1[t] = b + c;
      v2[t] = c - b;
      v3[t] = b - d;
    }
  }
}

// V (cg, 16, ld) of tile rows [tr0, tr1) of one image, from its input rows
// channel by channel (v points at the part's first tile in the block):
// each input row's column transform is made once and shared by the two tile
// rows that read it.
template <class T>
MXLITE_WINOGRAD_INLINE void input_transform_body(const Problem& p, const Layout& l, const T* xg, int64_t tr0,
                                                 int64_t tr1, int64_t ld, T* v, T* work) {
  const int64_t rows = 2 * (tr1 - tr0) + 2, top = 2 * tr0 - p.ph;
  T* padded = work;            // 2 * tw + 2
  T* h = work + 2 * l.tw + 2;  // rows x 4 x tw
  for (int64_t c = 0; c < l.cg; ++c) {
    const T* xc = xg + c * p.ih * p.iw;
    for (int64_t k = 0; k < rows; ++k) {
      const int64_t r = top + k;
      transform_row(r >= 0 && r < p.ih ? xc + r * p.iw : static_cast<const T*>(nullptr), p, l.tw, padded,
                    h + k * 4 * l.tw);
    }
    for (int64_t q = 0; q < tr1 - tr0; ++q) transform_rows(h + 2 * q * 4 * l.tw, l.tw, v + c * 16 * ld + q * l.tw, ld);
  }
}

// y of tile rows [tr0, tr1) of one image from M (fg, 16, ld), m at the part's
// first tile: A^T M A per tile, written two output
// rows at a time (the second dropped past the last output row).
template <class T>
MXLITE_WINOGRAD_INLINE void output_transform_body(const Problem& p, const Layout& l, const T* m, int64_t tr0,
                                                  int64_t tr1, int64_t ld, T* yg, T* work) {
  const int64_t xs = ld, tw = l.tw;
  T* __restrict y0 = work;  // 2 * tw each: the two output rows, interleaved
  T* __restrict y1 = work + 2 * tw;
  for (int64_t f = 0; f < l.fg; ++f) {
    T* yf = yg + f * p.oh * p.ow;
    for (int64_t q = 0; q < tr1 - tr0; ++q) {
      const T* __restrict mq = m + f * 16 * ld + q * tw;
      for (int64_t t = 0; t < tw; ++t) {
        T s0[4], s1[4];  // A^T M
        for (int j = 0; j < 4; ++j) {
          const T a = mq[(0 + j) * xs + t], b = mq[(4 + j) * xs + t];
          const T c = mq[(8 + j) * xs + t], d = mq[(12 + j) * xs + t];
          s0[j] = a + b + c;
          s1[j] = b - c - d;
        }
        y0[2 * t] = s0[0] + s0[1] + s0[2];
        y0[2 * t + 1] = s0[1] - s0[2] - s0[3];
        y1[2 * t] = s1[0] + s1[1] + s1[2];
        y1[2 * t + 1] = s1[1] - s1[2] - s1[3];
      }
      const int64_t r = 2 * (tr0 + q);
      std::copy(y0, y0 + p.ow, yf + r * p.ow);
      if (r + 1 < p.oh) std::copy(y1, y1 + p.ow, yf + (r + 1) * p.ow);
    }
  }
}

// Z (fg, 16, ld) of tile rows [tr0, tr1) of one image, z at the part's first
// tile: A dY A^T of each 2x2 tile of the output
// gradient, A = (A^T)^T; outputs past the last row or column count as zero.
template <class T>
MXLITE_WINOGRAD_INLINE void grad_transform_body(const Problem& p, const Layout& l, const T* dyg, int64_t tr0,
                                                int64_t tr1, int64_t ld, T* z, T* work) {
  const int64_t tiles = ld, tw = l.tw;
  T* __restrict row0 = work;  // 2 * tw each: the tile row's two output rows, zero-padded
  T* __restrict row1 = work + 2 * tw;
  for (int64_t f = 0; f < l.fg; ++f) {
    const T* dyf = dyg + f * p.oh * p.ow;
    for (int64_t q = 0; q < tr1 - tr0; ++q) {
      const int64_t r = 2 * (tr0 + q);
      std::copy(dyf + r * p.ow, dyf + (r + 1) * p.ow, row0);
      std::fill(row0 + p.ow, row0 + 2 * tw, T(0));
      if (r + 1 < p.oh)
        std::copy(dyf + (r + 1) * p.ow, dyf + (r + 2) * p.ow, row1);
      else
        std::fill(row1, row1 + p.ow, T(0));
      std::fill(row1 + p.ow, row1 + 2 * tw, T(0));
      T* __restrict zq = z + f * 16 * tiles + q * tw;
      for (int64_t t = 0; t < tw; ++t) {
        const T a0 = row0[2 * t], b0 = row0[2 * t + 1], a1 = row1[2 * t], b1 = row1[2 * t + 1];
        const T wa[4] = {a0, a0 + a1, a0 - a1, -a1};  // A dY: rows combined
        const T wb[4] = {b0, b0 + b1, b0 - b1, -b1};
        for (int i = 0; i < 4; ++i) {
          zq[(4 * i + 0) * tiles + t] = wa[i];
          zq[(4 * i + 1) * tiles + t] = wa[i] + wb[i];
          zq[(4 * i + 2) * tiles + t] = wa[i] - wb[i];
          zq[(4 * i + 3) * tiles + t] = -wb[i];
        }
      }
    }
  }
}

enum class Transform { input, output, grad };

template <Transform K, class T>
MXLITE_WINOGRAD_INLINE void transform_body(const Problem& p, const Layout& l, const T* from, int64_t tr0, int64_t tr1,
                                           int64_t ld, T* to, T* work) {
  if constexpr (K == Transform::input)
    input_transform_body(p, l, from, tr0, tr1, ld, to, work);
  else if constexpr (K == Transform::output)
    output_transform_body(p, l, from, tr0, tr1, ld, to, work);
  else
    grad_transform_body(p, l, from, tr0, tr1, ld, to, work);
}

// One copy of each transform per instruction set, picked once.
template <class T>
using TransformFn = void (*)(const Problem&, const Layout&, const T*, int64_t, int64_t, int64_t, T*, T*);

template <Transform K, class T>
void transform_base(const Problem& p, const Layout& l, const T* from, int64_t a, int64_t b, int64_t ld, T* to,
                    T* work) {
  transform_body<K>(p, l, from, a, b, ld, to, work);
}
#ifdef MXLITE_X86_DISPATCH
template <Transform K, class T>
MXLITE_TARGET_AVX2 void transform_avx2(const Problem& p, const Layout& l, const T* from, int64_t a, int64_t b,
                                       int64_t ld, T* to, T* work) {
  transform_body<K>(p, l, from, a, b, ld, to, work);
}
template <Transform K, class T>
MXLITE_TARGET_AVX512 void transform_avx512(const Problem& p, const Layout& l, const T* from, int64_t a, int64_t b,
                                           int64_t ld, T* to, T* work) {
  transform_body<K>(p, l, from, a, b, ld, to, work);
}
#endif

template <Transform K, class T> TransformFn<T> pick() {
#ifdef MXLITE_X86_DISPATCH
  if (kernels::isa_level() == 2) return transform_avx512<K, T>;
  if (kernels::isa_level() == 1) return transform_avx2<K, T>;
#endif
  return transform_base<K, T>;
}

// This thread's V, M (or Z) and transform scratch for a block of `tiles`.
template <class T> struct BlockBuffers {
  T *v, *m, *work;
};
template <class T> BlockBuffers<T> block_buffers(const Layout& l, int64_t tiles) {
  const int64_t v_size = 16 * l.cg * tiles, m_size = 16 * l.fg * tiles;
  T* v = kernels::thread_scratch<T>(v_size + m_size + work_size(l));
  return {v, v + v_size, v + v_size + m_size};
}

// Block `b` of group `grp`: transforms its tiles' inputs into V, runs the
// 16 GEMMs into M and transforms M into the outputs.
template <class T>
void run_block(const Problem& p, const Layout& l, const T* x, const T* u, T* y, int64_t grp, int64_t b) {
  static const TransformFn<T> input_transform = pick<Transform::input, T>();
  static const TransformFn<T> output_transform = pick<Transform::output, T>();
  const int64_t tiles = block_tiles(p, l, b);
  const BlockBuffers<T> buf = block_buffers<T>(l, tiles);
  T *v = buf.v, *m = buf.m, *work = buf.work;
  for_each_part(p, l, b, [&](int64_t n, int64_t tr0, int64_t tr1, int64_t offset) {
    input_transform(p, l, x + (n * p.c + grp * l.cg) * p.ih * p.iw, tr0, tr1, tiles, v + offset, work);
  });
  const T* ug = u + grp * 16 * l.fg * l.cg;
  for (int xi = 0; xi < 16; ++xi)
    kernels::gemm_serial<T>(false, false, l.fg, tiles, l.cg, T(1), ug + xi * l.fg * l.cg, l.cg, v + xi * tiles,
                            16 * tiles, T(0), m + xi * tiles, 16 * tiles);
  for_each_part(p, l, b, [&](int64_t n, int64_t tr0, int64_t tr1, int64_t offset) {
    output_transform(p, l, m + offset, tr0, tr1, tiles, y + (n * p.f + grp * l.fg) * p.oh * p.ow, work);
  });
}

template <class T> void conv3x3_impl(const Problem& p, const T* x, const T* w, T* y) {
  const Layout l = layout_of<T>(p);
  const std::vector<T> u = transform_weights(p, w);
  kernels::for_range(p.groups * l.blocks, 1, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) run_block(p, l, x, u.data(), y, i / l.blocks, i % l.blocks);
  });
}

// dW[f][c] = G^T dU[f][c] G with dU_xi (F x C) = sum over tiles of
// Z_xi . V_xi^T: the adjoint of the forward's U = G g G^T and of its
// elementwise product, so the weight gradient is exact like the forward.
// Each pool task sums its own contiguous range of blocks into its own dU;
// the partials are added in a fixed order, so results do not depend on
// scheduling.
template <class T> void weight_grad_impl(const Problem& p, const T* x, const T* dy, T* dw) {
  static const TransformFn<T> input_transform = pick<Transform::input, T>();
  static const TransformFn<T> grad_transform = pick<Transform::grad, T>();
  const Layout l = layout_of<T>(p);
  const int64_t items = p.groups * l.blocks;
  const int64_t u_size = p.groups * 16 * l.fg * l.cg;
  const int64_t parts = std::max<int64_t>(1, std::min<int64_t>(num_threads(), items));
  std::vector<T> du(static_cast<size_t>(parts * u_size), T(0));
  kernels::for_range(parts, 1, [&](int64_t q0, int64_t q1) {
    for (int64_t q = q0; q < q1; ++q) {
      T* duq = du.data() + q * u_size;
      for (int64_t i = q * items / parts; i < (q + 1) * items / parts; ++i) {
        const int64_t grp = i / l.blocks, b = i % l.blocks, tiles = block_tiles(p, l, b);
        const BlockBuffers<T> buf = block_buffers<T>(l, tiles);
        T *v = buf.v, *z = buf.m, *work = buf.work;
        for_each_part(p, l, b, [&](int64_t n, int64_t tr0, int64_t tr1, int64_t offset) {
          input_transform(p, l, x + (n * p.c + grp * l.cg) * p.ih * p.iw, tr0, tr1, tiles, v + offset, work);
          grad_transform(p, l, dy + (n * p.f + grp * l.fg) * p.oh * p.ow, tr0, tr1, tiles, z + offset, work);
        });
        T* dug = duq + grp * 16 * l.fg * l.cg;
        for (int xi = 0; xi < 16; ++xi)
          kernels::gemm_serial<T>(false, true, l.fg, l.cg, tiles, T(1), z + xi * tiles, 16 * tiles, v + xi * tiles,
                                  16 * tiles, T(1), dug + xi * l.fg * l.cg, l.cg);
      }
    }
  });
  kernels::sum_partials(du.data(), parts, u_size);
  // G^T dU G, G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1].
  const T h = T(0.5);
  for (int64_t f = 0; f < p.f; ++f)
    for (int64_t c = 0; c < l.cg; ++c) {
      const int64_t grp = f / l.fg, fi = f % l.fg;
      T a[4][4];
      for (int xi = 0; xi < 16; ++xi)
        a[xi / 4][xi % 4] = du[static_cast<size_t>(((grp * 16 + xi) * l.fg + fi) * l.cg + c)];
      T b[3][4];  // G^T dU
      for (int j = 0; j < 4; ++j) {
        b[0][j] = a[0][j] + h * (a[1][j] + a[2][j]);
        b[1][j] = h * (a[1][j] - a[2][j]);
        b[2][j] = h * (a[1][j] + a[2][j]) + a[3][j];
      }
      T* g = dw + (f * l.cg + c) * 9;
      for (int i = 0; i < 3; ++i) {
        g[3 * i + 0] = b[i][0] + h * (b[i][1] + b[i][2]);
        g[3 * i + 1] = h * (b[i][1] - b[i][2]);
        g[3 * i + 2] = h * (b[i][1] + b[i][2]) + b[i][3];
      }
    }
}

}  // namespace

bool applies(const Problem& p, Pass pass) {
  // MXLITE_CONV_WINOGRAD=0 never takes this kernel, =1 takes it for every
  // 3x3 problem (tests and benchmarks), unset picks by size. Read at each
  // call (a few ns next to a convolution) so both kernels can be timed in
  // one process.
  const char* v = std::getenv("MXLITE_CONV_WINOGRAD");
  if ((v && v[0] == '0') || p.n == 0 || p.oh <= 0 || p.ow <= 0) return false;
  if (v && v[0] == '1') return true;
  const int64_t cg = p.c / p.groups, fg = p.f / p.groups;
  // Below a few hundred tiles the weight transform (16 values per weight
  // instead of 9) and the short GEMMs cost more than im2col saves, e.g.
  // 512 channels on 7x7 images (benchmarks/README.md, 2026-12-03).
  const int64_t tiles = p.n * ((p.oh + 1) / 2) * ((p.ow + 1) / 2);
  if (tiles < 256) return false;
  // The weight gradient's GEMMs are fg x cg: with fewer than 64 of either
  // they are too small to hide the two transforms.
  const int64_t least = pass == Pass::weight_grad ? 64 : 16;
  return cg >= least && fg >= least;
}

void conv3x3(const Problem& p, const float* x, const float* w, float* y) { conv3x3_impl(p, x, w, y); }
void conv3x3(const Problem& p, const double* x, const double* w, double* y) { conv3x3_impl(p, x, w, y); }
void weight_grad3x3(const Problem& p, const float* x, const float* dy, float* dw) { weight_grad_impl(p, x, dy, dw); }
void weight_grad3x3(const Problem& p, const double* x, const double* dy, double* dw) { weight_grad_impl(p, x, dy, dw); }

}  // namespace winograd
}  // namespace ops
}  // namespace mxlite
