// MXNet's fused RNN operator (rnn_relu, rnn_tanh, lstm, gru; stacked,
// bidirectional, LSTM projection, dropout between layers, LSTM state
// clipping) with MXNet's packed parameter vector, so parameters from MXNet
// line up. Composed of registered ops: the input projection of a layer is
// one matrix product over all time steps; a GRU, or an LSTM without
// projection or state clipping, is then one gru_seq / lstm_seq op per layer
// and direction, other cases one product with the recurrent weights plus the
// gate math per step (one fused lstm_cell op for a projected LSTM);
// gradients (of any order) come from the ops.
#include <vector>

#include "mxlite/autograd.h"
#include "ops/common.h"

namespace mxlite {
namespace np {
namespace {

int64_t gates_of(RnnMode mode) {
  switch (mode) {
    case RnnMode::Lstm:
      return 4;
    case RnnMode::Gru:
      return 3;
    default:
      return 1;
  }
}

// Consecutive blocks of the flat parameter vector as matrices, cut by one
// split (so that their gradients join in one concatenation, not one
// zero-filled copy of the whole vector per block).
class ParamBlocks {
 public:
  // Index of the block of `shape` that follows the previous ones.
  size_t add(const Shape& shape) {
    int64_t n = 1;
    for (int64_t e : shape) n *= e;
    shapes_.push_back(shape);
    at_ += n;
    ends_.push_back(at_);
    return shapes_.size() - 1;
  }
  // The blocks, given the vector (of exactly the blocks' total size).
  std::vector<NDArray> cut(const NDArray& params) const {
    std::vector<int64_t> cuts(ends_.begin(), ends_.end() - (ends_.empty() ? 0 : 1));
    std::vector<NDArray> pieces = split(params, cuts, 0);
    for (size_t i = 0; i < pieces.size(); ++i) pieces[i] = reshape(pieces[i], shapes_[i]);
    return pieces;
  }

 private:
  std::vector<Shape> shapes_;
  std::vector<int64_t> ends_;
  int64_t at_ = 0;
};

struct Cell {
  NDArray wx, wh, wr, bx, bh;  // wr: LSTM projection (P, H), else undefined
};

}  // namespace

int64_t rnn_param_size(RnnMode mode, int64_t input_size, int64_t state_size, int64_t num_layers, bool bidirectional,
                       int64_t projection_size) {
  const int64_t d = bidirectional ? 2 : 1, g = gates_of(mode) * state_size;
  const int64_t out = projection_size > 0 ? projection_size : state_size;
  int64_t total = 0;
  for (int64_t l = 0; l < num_layers; ++l) {
    const int64_t in = l == 0 ? input_size : out * d;
    total += d * (g * in + g * out + (projection_size > 0 ? projection_size * state_size : 0) + 2 * g);
  }
  return total;
}

RnnResult rnn(const NDArray& data, const NDArray& params, const NDArray& state, const NDArray& state_cell,
              const RnnOptions& o) {
  const char* name = "RNN";
  ops::check_float(data, name, "data");
  MXLITE_CHECK(data.ndim() == 3, name, "data must be (sequence_length, batch, input_size), got shape ", data.shape());
  MXLITE_CHECK(o.state_size > 0 && o.num_layers > 0, name, "state_size and num_layers must be positive, got ",
               o.state_size, " and ", o.num_layers);
  const bool lstm = o.mode == RnnMode::Lstm;
  MXLITE_CHECK(o.projection_size == 0 || lstm, name, "projection_size is only supported for mode='lstm'");
  MXLITE_CHECK(o.projection_size == 0 || o.projection_size < o.state_size, name, "projection_size ", o.projection_size,
               " must be smaller than state_size ", o.state_size);
  MXLITE_CHECK(o.p >= 0 && o.p < 1, name, "p (dropout between layers) must be in [0, 1), got ", o.p);
  const int64_t steps = data.shape()[0], batch = data.shape()[1], input = data.shape()[2];
  const int64_t dirs = o.bidirectional ? 2 : 1, hidden = o.state_size;
  const int64_t out_size = o.projection_size > 0 ? o.projection_size : hidden;
  const int64_t g = gates_of(o.mode);
  const int64_t expected = rnn_param_size(o.mode, input, hidden, o.num_layers, o.bidirectional, o.projection_size);
  MXLITE_CHECK(params.ndim() == 1 && params.size() == expected, name, "parameters of shape ", params.shape(),
               " do not match mode, state_size=", hidden, ", num_layers=", o.num_layers,
               o.bidirectional ? ", bidirectional" : "", " and input size ", input, " (expected (", expected, ",))");
  const Shape state_shape{o.num_layers * dirs, batch, out_size};
  MXLITE_CHECK(state.defined() && state.shape() == state_shape, name, "state of shape ",
               state.defined() ? state.shape() : Shape{}, " must have shape ", state_shape);
  const Shape cell_shape{o.num_layers * dirs, batch, hidden};
  if (lstm)
    MXLITE_CHECK(state_cell.defined() && state_cell.shape() == cell_shape, name, "state_cell of shape ",
                 state_cell.defined() ? state_cell.shape() : Shape{}, " must have shape ", cell_shape,
                 " (mode='lstm')");
  const DType dt = data.dtype();
  const NDArray w = ops::cast_if(params, dt), h0 = ops::cast_if(state, dt);
  const NDArray c0 = lstm ? ops::cast_if(state_cell, dt) : NDArray();

  // Weights of every (layer, direction) first, then the biases, as MXNet packs them.
  const size_t ncells = static_cast<size_t>(o.num_layers * dirs);
  std::vector<Cell> cells(ncells);
  ParamBlocks blocks;
  std::vector<size_t> wx(ncells), wh(ncells), wr(ncells), bx(ncells), bh(ncells);
  for (int64_t l = 0; l < o.num_layers; ++l)
    for (int64_t d = 0; d < dirs; ++d) {
      const size_t k = static_cast<size_t>(l * dirs + d);
      const int64_t in = l == 0 ? input : out_size * dirs;
      wx[k] = blocks.add(Shape{g * hidden, in});
      wh[k] = blocks.add(Shape{g * hidden, out_size});
      if (o.projection_size > 0) wr[k] = blocks.add(Shape{o.projection_size, hidden});
    }
  for (size_t k = 0; k < ncells; ++k) {
    bx[k] = blocks.add(Shape{g * hidden});
    bh[k] = blocks.add(Shape{g * hidden});
  }
  const std::vector<NDArray> piece = blocks.cut(w);
  for (size_t k = 0; k < ncells; ++k) {
    cells[k].wx = piece[wx[k]];
    cells[k].wh = piece[wh[k]];
    if (o.projection_size > 0) cells[k].wr = piece[wr[k]];
    cells[k].bx = piece[bx[k]];
    cells[k].bh = piece[bh[k]];
  }

  RnnResult r;
  std::vector<NDArray> last_h, last_c;
  NDArray layer_input = data;
  for (int64_t l = 0; l < o.num_layers; ++l) {
    std::vector<NDArray> direction_outputs;
    for (int64_t d = 0; d < dirs; ++d) {
      const int64_t k = l * dirs + d;
      const Cell& c = cells[static_cast<size_t>(k)];
      const int64_t in = layer_input.shape()[2];
      // One product for the input projection of every step; GRU keeps the
      // recurrent bias of its candidate inside the reset gate's product.
      NDArray xw = matmul_t(reshape(layer_input, Shape{steps * batch, in}), c.wx, false, true) + c.bx;
      if (o.mode != RnnMode::Gru) xw = xw + c.bh;
      // The steps as views of the projection; their gradients join in one
      // concatenation (indexing each step would scatter into a zero-filled
      // copy of the whole projection per step).
      std::vector<NDArray> xw_steps;
      if (steps > 0) xw_steps = split(reshape(xw, Shape{steps, batch, g * hidden}), steps, 0);
      NDArray h = index(h0, k), cell = lstm ? index(c0, k) : NDArray();
      if (lstm && !o.clip_min && !o.clip_max && o.projection_size == 0) {
        // The whole recurrence as one op (its backward forms the recurrent
        // weights' gradient as one product over all steps).
        static const OpDef& seq_op = op("lstm_seq");
        Attrs direction;
        direction.reverse = d == 1;
        ArrayList seq = invoke(seq_op, {reshape(xw, Shape{steps, batch, g * hidden}), c.wh, h, cell}, direction);
        last_h.push_back(steps == 0 ? h : index(seq[0], d == 0 ? steps - 1 : 0));
        last_c.push_back(seq[1]);
        direction_outputs.push_back(seq[0]);
        continue;
      }
      if (o.mode == RnnMode::Gru) {
        static const OpDef& seq_op = op("gru_seq");
        Attrs direction;
        direction.reverse = d == 1;
        ArrayList seq = invoke(seq_op, {reshape(xw, Shape{steps, batch, g * hidden}), c.wh, c.bh, h}, direction);
        last_h.push_back(steps == 0 ? h : index(seq[0], d == 0 ? steps - 1 : 0));
        direction_outputs.push_back(seq[0]);
        continue;
      }
      std::vector<NDArray> outputs(static_cast<size_t>(steps));
      for (int64_t i = 0; i < steps; ++i) {
        const int64_t t = d == 0 ? i : steps - 1 - i;
        NDArray hw = matmul_t(h, c.wh, false, true);
        const NDArray x_t = reshape(xw_steps[static_cast<size_t>(t)], Shape{batch, g * hidden});
        switch (o.mode) {
          case RnnMode::RnnTanh:
            h = tanh(x_t + hw);
            break;
          case RnnMode::RnnRelu:
            h = relu(x_t + hw);
            break;
          case RnnMode::Lstm: {
            if (!o.clip_min && !o.clip_max) {  // with a projection
              // The gate math of the step in one fused op (and one for its gradient).
              static const OpDef& cell_op = op("lstm_cell");
              ArrayList hc = invoke(cell_op, {x_t, hw, cell});
              h = hc[0];
              cell = hc[1];
              if (o.projection_size > 0) h = matmul_t(h, c.wr, false, true);
              break;
            }
            std::vector<NDArray> gate = split(x_t + hw, 4, 1);
            NDArray ig = sigmoid(gate[0]), fg = sigmoid(gate[1]), cg = tanh(gate[2]), og = sigmoid(gate[3]);
            cell = fg * cell + ig * cg;
            if (o.clip_min || o.clip_max)
              cell = clip(cell, o.clip_min.value_or(-INFINITY), o.clip_max.value_or(INFINITY));
            h = og * tanh(cell);
            if (o.projection_size > 0) h = matmul_t(h, c.wr, false, true);
            break;
          }
          case RnnMode::Gru:  // one gru_seq op above
            break;
        }
        outputs[static_cast<size_t>(t)] = h;
      }
      last_h.push_back(h);
      if (lstm) last_c.push_back(cell);
      direction_outputs.push_back(stack(outputs, 0));
    }
    layer_input = dirs == 1 ? direction_outputs[0] : concatenate(direction_outputs, 2);
    if (o.p > 0 && l + 1 < o.num_layers) layer_input = dropout(layer_input, o.p);
  }
  r.out = layer_input;
  r.hy = stack(last_h, 0);
  if (lstm) r.cy = stack(last_c, 0);
  return r;
}

}  // namespace np
}  // namespace mxlite
