# workerd configuration for the cross-runtime suite (filled in and copied beside the bundle by
# runtimes/workerd/run.mjs). No `nodejs_compat` flag: the package must work on workerd's own
# APIs. The socket address is overridden on the command line (--socket-addr http=127.0.0.1:PORT).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .suiteWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);

const suiteWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    # WASM_MODULES: one `(name = "<file>.wasm", wasm = embed "<file>.wasm"),` per module
  ],
  compatibilityDate = "2025-06-01",
);
