// Graph inspection (MXNet's autograd.get_symbol): a plain description of the
// recorded history of some arrays, and its Graphviz DOT text.
#include <algorithm>
#include <sstream>
#include <unordered_map>

#include "autograd/node.h"

namespace mxlite {
namespace autograd {
namespace {

const MetaList* input_meta_of(const Node& n) {
  if (auto* op = dynamic_cast<const OpNode*>(&n)) return &op->input_meta;
  if (auto* fn = dynamic_cast<const CustomNode*>(&n)) return &fn->input_meta;
  return nullptr;
}

std::string dot_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string meta_text(const TensorMeta& m) {
  std::ostringstream os;
  os << m.shape << " " << dtype_name(m.dtype);
  return os.str();
}

}  // namespace

GraphDescription describe_graph(const std::vector<NDArray>& heads) {
  MXLITE_CHECK(!heads.empty(), "get_symbol", "no arrays given");
  std::vector<Node*> found;
  std::unordered_map<Node*, int64_t> id_of;
  std::vector<Node*> stack;
  for (size_t i = 0; i < heads.size(); ++i) {
    MXLITE_CHECK(heads[i].defined(), "get_symbol", "array ", i, " is undefined");
    Node* n = heads[i].impl()->node.get();
    if (!n)
      throw Error("get_symbol", concat("array ", i, " of shape ", heads[i].shape(),
                                       " has no recorded history: compute it inside autograd.record() from "
                                       "arrays marked with attach_grad()"));
    if (id_of.emplace(n, -1).second) {
      stack.push_back(n);
      found.push_back(n);
    }
  }
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const Edge& e : n->next_edges)
      if (e.node && id_of.emplace(e.node.get(), -1).second) {
        stack.push_back(e.node.get());
        found.push_back(e.node.get());
      }
  }
  // Producers are always recorded before their consumers.
  std::sort(found.begin(), found.end(), [](Node* a, Node* b) { return a->sequence_nr < b->sequence_nr; });

  GraphDescription g;
  for (Node* n : found) {
    GraphNode node;
    node.name = n->name();
    node.kind = n->is_leaf() ? "variable" : (dynamic_cast<OpNode*>(n) ? "op" : "function");
    node.sequence_nr = n->sequence_nr;
    node.released = n->released();
    node.trace = n->trace;
    for (const TensorMeta& m : n->output_meta) node.outputs.push_back(m);
    const MetaList* in_meta = input_meta_of(*n);
    for (size_t i = 0; i < n->next_edges.size(); ++i) {
      const Edge& e = n->next_edges[i];
      GraphNode::Input in;
      if (e.node) {
        in.node = id_of.at(e.node.get());
        in.output = e.index;
      } else {
        // An input that carries no gradient: shown as a constant.
        GraphNode constant;
        constant.id = static_cast<int64_t>(g.nodes.size());
        constant.name = "constant";
        constant.kind = "constant";
        if (in_meta && i < in_meta->size()) constant.outputs.push_back((*in_meta)[i]);
        g.nodes.push_back(constant);
        in.node = constant.id;
      }
      node.inputs.push_back(in);
    }
    node.id = static_cast<int64_t>(g.nodes.size());
    id_of[n] = node.id;
    g.nodes.push_back(std::move(node));
  }
  for (const NDArray& h : heads) g.heads.emplace_back(id_of.at(h.impl()->node.get()), h.impl()->output_index);
  return g;
}

std::string GraphDescription::to_dot(const std::string& graph_name) const {
  std::ostringstream os;
  os << "digraph \"" << dot_escape(graph_name) << "\" {\n";
  os << "  node [fontname=\"Helvetica\", fontsize=10];\n";
  std::vector<bool> is_head(nodes.size(), false);
  for (auto& h : heads) is_head[static_cast<size_t>(h.first)] = true;
  for (const GraphNode& n : nodes) {
    std::string label = dot_escape(n.name);
    if (n.kind == "op" || n.kind == "function") label += concat(" #", n.sequence_nr);
    for (const TensorMeta& m : n.outputs) label += "\\n" + dot_escape(meta_text(m));
    const char* shape = n.kind == "variable" ? "ellipse" : (n.kind == "constant" ? "note" : "box");
    os << "  n" << n.id << " [label=\"";
    os << label << "\", shape=" << shape;
    if (n.kind == "function") os << ", style=dashed";
    if (is_head[static_cast<size_t>(n.id)]) os << ", penwidth=2";
    os << "];\n";
  }
  for (const GraphNode& n : nodes)
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      const GraphNode::Input& in = n.inputs[i];
      const GraphNode& src = nodes[static_cast<size_t>(in.node)];
      os << "  n" << in.node << " -> n" << n.id;
      if (src.outputs.size() > 1 || n.inputs.size() > 1) {
        os << " [label=\"";
        if (src.outputs.size() > 1) os << "out " << in.output;
        if (src.outputs.size() > 1 && n.inputs.size() > 1) os << ", ";
        if (n.inputs.size() > 1) os << "in " << i;
        os << "\"]";
      }
      os << ";\n";
    }
  os << "}\n";
  return os.str();
}

}  // namespace autograd
}  // namespace mxlite
