/* global importScripts, self -- a classic Web Worker script */
/*
 * DuckDB-WASM's threaded (COI) worker, with one fix. Its bindings read and write the WebAssembly heap through
 * `Module.HEAPU8` and friends, views that Emscripten renews only on the thread that grew the memory; when a
 * DuckDB thread grows it, the next copy into a pointer past the old end fails with "RangeError: offset is out of
 * bounds" (duckdb/duckdb-wasm#2256, open in 1.32). Here every HEAP* view the module keeps is served through a
 * getter that renews it when the shared memory has grown. Loaded as a classic worker whose URL carries the COI
 * worker's own URL (`?worker=`), which it then runs unchanged.
 */
(() => {
  const memories = [];
  const Memory = WebAssembly.Memory;
  function TrackedMemory(descriptor) {
    const memory = new Memory(descriptor);
    if (descriptor && descriptor.shared) memories.push(memory);
    return memory;
  }
  TrackedMemory.prototype = Memory.prototype;
  WebAssembly.Memory = TrackedMemory;

  const views = {
    HEAP8: Int8Array, HEAPU8: Uint8Array, HEAP16: Int16Array, HEAPU16: Uint16Array, HEAP32: Int32Array,
    HEAPU32: Uint32Array, HEAPF32: Float32Array, HEAPF64: Float64Array, HEAP64: BigInt64Array, HEAPU64: BigUint64Array,
  };
  for (const [name, View] of Object.entries(views)) {
    // The first assignment (`Module.HEAPU8 = …`) lands here and turns the property into a renewing accessor.
    Object.defineProperty(Object.prototype, name, {
      configurable: true,
      set(first) {
        let view = first;
        Object.defineProperty(this, name, {
          configurable: true,
          enumerable: true,
          get() {
            const memory = memories[0];
            if (memory !== undefined && view.buffer.byteLength !== memory.buffer.byteLength) view = new View(memory.buffer);
            return view;
          },
          set(next) {
            view = next;
          },
        });
      },
    });
  }
})();
importScripts(new URL(self.location.href).searchParams.get('worker'));
