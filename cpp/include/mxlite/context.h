// mxlite: the device an array lives on. Only the CPU computes today; the GPU
// value is reserved so a backend can be added without changing signatures.
// CPU ids label arrays as MXNet's cpu(i) do (data-parallel code keeps one copy
// of a parameter per context); every CPU id shares the one memory and pool.
#pragma once

#include <string>

namespace mxlite {

enum class DeviceType : int { CPU = 1, GPU = 2 };

struct Context {
  DeviceType type = DeviceType::CPU;
  int id = 0;

  static Context cpu(int id = 0) { return {DeviceType::CPU, id}; }
  /// MXNet's spelling: "cpu(0)".
  std::string str() const { return (type == DeviceType::CPU ? "cpu(" : "gpu(") + std::to_string(id) + ")"; }
  friend bool operator==(const Context& a, const Context& b) { return a.type == b.type && a.id == b.id; }
  friend bool operator!=(const Context& a, const Context& b) { return !(a == b); }
};

/// The context new arrays get when nothing else decides (MXNet's
/// current_context()): cpu(0) unless a ContextScope on this thread says otherwise.
/// An op's outputs take the context of its first input.
Context default_context();

/// Makes `ctx` this thread's default context until destroyed (Python's `with mx.cpu(1):`).
class ContextScope {
 public:
  explicit ContextScope(Context ctx);
  ~ContextScope();
  ContextScope(const ContextScope&) = delete;
  ContextScope& operator=(const ContextScope&) = delete;

 private:
  Context previous_;
};

}  // namespace mxlite
