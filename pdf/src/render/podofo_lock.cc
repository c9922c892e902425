#include "render/podofo_lock.h"

namespace rubrica::pdf {

std::mutex& PodofoMutex() {
  // A function-local static: PoDoFo's globals are process-wide, so must be their lock.
  static std::mutex mutex;
  return mutex;
}

}  // namespace rubrica::pdf
