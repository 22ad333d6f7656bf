//! The `cfp` binary: parses the command line and hands over to the library.

/// mimalloc instead of the system allocator: the format check, the database rows and the
/// templates allocate many small, short-lived values, and glibc's malloc and free were 15–17% of
/// an upload's CPU (docs/benchmarks.md, "The allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cfp::cli::run()
}
